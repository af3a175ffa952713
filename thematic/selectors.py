"""Reads for the thematic offer. Queries start from the alliance or the event."""

from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Q, QuerySet, Value, When

from peerchallenge.models import Action, Alliance, LocalAuthority, Tier2Group, User
from peerchallenge.permissions import alliance_ids_of, council_ids_in, roles_in
from reports.models import ReportVersion

from .models import NextSteps, Nomination, SuggestionSupport, ThematicEvent, ThemeSuggestion
from .permissions import PLANNERS


def events_of_alliance(*, alliance: Alliance, user: User) -> QuerySet[ThematicEvent]:
    """The events this person may open, with counts: all of them for the planners; for
    others, those their council takes part in, whose Tier 2 group they are in, or they are
    nominated to.

    `nomination_count` is what this person may know: every council's nominees for the
    planners and the event's Tier 2 group (`nominations_all`), their own council's for the
    other participants, None for someone only nominated."""
    planner = bool(roles_in(user, alliance.pk) & PLANNERS)
    events = ThematicEvent.objects.filter(alliance=alliance)
    mine = council_ids_in(user, alliance.pk)
    if not planner:
        events = events.filter(
            Q(councils__in=mine)
            | Q(tier2_group__members=user)
            | Q(nominations__email__iexact=user.email)
        )
    ids = events.values("pk")
    every = Count("nominations", distinct=True)
    if planner:
        counts = {"nominations_all": Value(True), "nomination_count": every}
    else:
        in_group = Exists(
            Tier2Group.members.through.objects.filter(
                tier2group_id=OuterRef("tier2_group_id"), user_id=user.pk
            )
        )
        takes_part = Exists(
            ThematicEvent.councils.through.objects.filter(
                thematicevent_id=OuterRef("pk"), localauthority_id__in=mine
            )
        )
        counts = {
            "nominations_all": in_group,
            "nomination_count": Case(
                When(in_group, then=every),
                When(
                    takes_part,
                    then=Count(
                        "nominations", filter=Q(nominations__council__in=mine), distinct=True
                    ),
                ),
                default=None,
                output_field=IntegerField(),
            ),
        }
    return (
        ThematicEvent.objects.filter(pk__in=ids)
        .select_related("theme", "tier2_group")
        .annotate(council_count=Count("councils", distinct=True))
        .annotate(**counts)
    )


def suggestions_of_alliance(*, alliance: Alliance, user: User) -> list[ThemeSuggestion]:
    """Every suggestion, newest first, with its supporters' count and whether `user`
    supports it; two queries."""
    return list(
        ThemeSuggestion.objects.filter(alliance=alliance)
        .select_related("suggested_by", "council", "decided_by")
        .annotate(
            support_count=Count("supports", distinct=True),
            supported_by_me=Exists(
                SuggestionSupport.objects.filter(suggestion=OuterRef("pk"), user=user)
            ),
        )
    )


@dataclass
class CouncilAttendance:
    council: LocalAuthority
    nominations: list = field(default_factory=list)


def event_attendance(*, event: ThematicEvent) -> list[CouncilAttendance]:
    """Every participating council with its nominees (none: not nominated yet); two
    queries."""
    rows = {c.pk: CouncilAttendance(c) for c in event.councils.order_by("name")}
    for nomination in Nomination.objects.filter(event=event).order_by("full_name", "pk"):
        if nomination.council_id in rows:
            rows[nomination.council_id].nominations.append(nomination)
    return list(rows.values())


def event_actions(*, event: ThematicEvent, council_ids=None) -> QuerySet[Action]:
    actions = Action.objects.filter(
        source_type=ContentType.objects.get_for_model(ThematicEvent), source_id=event.pk
    )
    if council_ids is not None:
        actions = actions.filter(local_authority__in=council_ids)
    return actions.select_related("local_authority", "tier2_group").order_by(
        "local_authority__name", "due_date", "pk"
    )


@dataclass
class CouncilSubmission:
    council: LocalAuthority
    next_steps: NextSteps | None
    actions: list = field(default_factory=list)


def event_submissions(*, event: ThematicEvent) -> list[CouncilSubmission]:
    """Every participating council's next steps and the actions they became, side by side;
    three queries."""
    submitted = {
        steps.council_id: steps
        for steps in NextSteps.objects.filter(event=event).select_related("submitted_by")
    }
    rows = {
        c.pk: CouncilSubmission(c, submitted.get(c.pk)) for c in event.councils.order_by("name")
    }
    for action in event_actions(event=event):
        if action.local_authority_id in rows:
            rows[action.local_authority_id].actions.append(action)
    return list(rows.values())


def summary_versions(*, event: ThematicEvent):
    """The event's summary versions, newest first."""
    return ReportVersion.objects.filter(
        report="thematic.summary",
        subject_type=ContentType.objects.get_for_model(ThematicEvent),
        subject_id=event.pk,
    ).order_by("-number")


def events_for_calendar(*, user: User) -> list[ThematicEvent]:
    """Events in the person's alliances where their council takes part (organiser, DCS) or
    they are nominated; one query."""
    alliances = alliance_ids_of(user)
    if not alliances:
        return []
    councils = set().union(*(council_ids_in(user, a) for a in alliances))
    ids = ThematicEvent.objects.filter(
        alliance__in=alliances, alliance__kind=Alliance.Kind.REGIONAL
    ).filter(Q(councils__in=councils) | Q(nominations__email__iexact=user.email))
    return list(
        ThematicEvent.objects.filter(pk__in=ids.values("pk")).select_related("alliance", "theme")
    )
