"""Reads. Every query starts from the tenant (the alliance) or from the person."""

import hashlib
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django_scopes import scopes_disabled

from reports.models import ReportVersion

from .action_sources import offer_of, offer_q, source_labels, theme_q
from .dates import day_text
from .models import (
    COUNCIL_ROLES,
    Action,
    ActionStatus,
    ActionUpdate,
    Alliance,
    ImprovementPlan,
    Invitation,
    LocalAuthority,
    Membership,
    OfstedJudgement,
    Role,
    Tier2Group,
    User,
)
from .permissions import MANAGERS, roles_in

# How long an answer about an alliance's actions stays cached at most. Any change to one of
# its actions gives it a new key at once (Alliance.actions_state); this bounds only what no
# action's change marks, such as a day that passes with no request (the key has the day too).
ACTIONS_CACHE_SECONDS = 60 * 60


def cached_for_actions(*, alliance: Alliance, what: str, compute: Callable):
    """`compute()`, an answer read from the alliance's agreed actions alone, cached under the
    alliance's actions' state and today's date: the same answer until an action of the
    alliance is saved or deleted (models.actions), however many people ask. At 100,000
    actions in one Tier 2 group, the board's counts took about 100 ms of PostgreSQL on every
    view of it. `alliance` as loaded in this request (request.alliance), so that its state is
    what this request sees."""
    digest = hashlib.sha256(what.encode()).hexdigest()[:32]
    key = f"actions:{alliance.pk}:{alliance.actions_state}:{timezone.localdate()}:{digest}"
    found = cache.get(key)
    if found is None:
        found = compute()
        cache.set(key, found, ACTIONS_CACHE_SECONDS)
    return found


@dataclass(frozen=True)
class AllianceAccess:
    """What one person holds in one alliance: roles, and the councils of their council roles."""

    roles: frozenset[str]
    council_ids: frozenset[int]
    kind: str = ""  # the alliance's (Alliance.Kind)


def access_by_alliance(*, user: User) -> dict[int, AllianceAccess]:
    """The person's roles and councils, by alliance id, in one query."""
    # Truly cross-alliance: a person's own memberships across every alliance they belong to
    # are what decides which alliance scopes they may enter.
    with scopes_disabled():
        rows = Membership.objects.filter(user=user).values_list(
            "alliance_id", "role", "local_authority_id", "alliance__kind"
        )
        roles: dict[int, set[str]] = defaultdict(set)
        councils: dict[int, set[int]] = defaultdict(set)
        kinds: dict[int, str] = {}
        for alliance_id, role, council_id, kind in rows:
            roles[alliance_id].add(role)
            kinds[alliance_id] = kind
            if role in COUNCIL_ROLES and council_id:
                councils[alliance_id].add(council_id)
    return {
        key: AllianceAccess(
            roles=frozenset(value), council_ids=frozenset(councils[key]), kind=kinds[key]
        )
        for key, value in roles.items()
    }


def alliances_for_user(*, user: User) -> list[Alliance]:
    """The alliances the person belongs to, each with `my_memberships` (their roles there).

    Runs inside the request's scope, which for a page outside any alliance is the union of
    the person's own alliances (see AllianceMiddleware).
    """
    by_alliance: dict[int, Alliance] = {}
    # One query: the memberships with their alliance and council.
    for membership in (
        Membership.objects.filter(user=user)
        .select_related("alliance", "local_authority")
        .order_by("alliance__name", "alliance_id", "role", "pk")
    ):
        alliance = by_alliance.setdefault(membership.alliance_id, membership.alliance)
        if not hasattr(alliance, "my_memberships"):
            alliance.my_memberships = []
        alliance.my_memberships.append(membership)
    return list(by_alliance.values())


def councils_of_alliance(*, alliance: Alliance) -> QuerySet[LocalAuthority]:
    """The councils an alliance covers: its regions', or every council for the LGA."""
    councils = LocalAuthority.objects.select_related("region")
    if alliance.is_national:
        return councils.all()
    return councils.filter(region__alliances=alliance)


def councils_covered_by(alliances) -> dict[int, list[LocalAuthority]]:
    """The councils each alliance covers (its regions', or every council for a national
    alliance): one query for the regional alliances, one for the national ones."""
    found: dict[int, list[LocalAuthority]] = {}
    regional = [alliance.pk for alliance in alliances if not alliance.is_national]
    if regional:
        for council in (
            LocalAuthority.objects.filter(region__alliances__in=regional)
            .annotate(covering=F("region__alliances"))
            .order_by("name")
        ):
            found.setdefault(council.covering, []).append(council)
    national = [alliance.pk for alliance in alliances if alliance.is_national]
    if national:
        everyone = list(LocalAuthority.objects.order_by("name"))
        for alliance_id in national:
            found[alliance_id] = everyone
    return found


def council_of_alliance(*, alliance: Alliance, gss_code: str) -> LocalAuthority:
    """One council the alliance covers; DoesNotExist (404) for any other."""
    return councils_of_alliance(alliance=alliance).get(gss_code=gss_code)


def ofsted_latest(*, council: LocalAuthority) -> OfstedJudgement | None:
    """The council's latest national Ofsted judgement (the one place a grade is read)."""
    return (
        OfstedJudgement.objects.filter(local_authority=council)
        .select_related("source")
        .order_by("-judgement_date", "-pk")
        .first()
    )


def ofsted_latest_by_council(*, councils) -> dict[int, OfstedJudgement]:
    """The latest judgement of each of these councils (by council id), in one query; a
    council with none on record is absent."""
    latest: dict[int, OfstedJudgement] = {}
    judgements = (
        OfstedJudgement.objects.filter(local_authority__in=councils)
        .select_related("source")
        .order_by("local_authority_id", "-judgement_date", "-pk")
    )
    for judgement in judgements:
        latest.setdefault(judgement.local_authority_id, judgement)
    return latest


def ofsted_history(*, council: LocalAuthority) -> list[OfstedJudgement]:
    """Every judgement on record for the council, latest first, with the load it came from."""
    return list(
        OfstedJudgement.objects.filter(local_authority=council)
        .select_related("source", "source__imported_by")
        .order_by("-judgement_date", "-pk")
    )


def members_of_alliance(*, alliance: Alliance) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(alliance=alliance)
        .select_related("user", "local_authority")
        .order_by("user__full_name", "user__email", "role")
    )


def members_of_council(*, alliance: Alliance, council: LocalAuthority) -> QuerySet[Membership]:
    return members_of_alliance(alliance=alliance).filter(local_authority=council)


def pending_invitations(*, alliance: Alliance) -> QuerySet[Invitation]:
    return (
        Invitation.objects.filter(alliance=alliance)
        .pending()
        .select_related("local_authority", "invited_by")
        .order_by("email")
    )


def admins_of_alliance(*, alliance: Alliance) -> QuerySet[Membership]:
    return Membership.objects.filter(alliance=alliance, role=Role.ALLIANCE_ADMIN)


class PlanGroup(NamedTuple):
    """One source's actions on an improvement plan (read by attribute, not unpacked)."""

    label: str  # "Cycle: March 2026"
    actions: list
    continued: bool = False  # on a page of the plan, begun on the page before

    @property
    def offer(self) -> str:
        """The offer the source belongs to ("Triad peer challenge"), from the registry."""
        return offer_of(self.actions[0].source_type_id)

    @property
    def heading(self) -> str:
        heading = f"{self.offer} — {self.label}"
        return f"{heading} (continued)" if self.continued else heading


@dataclass(frozen=True)
class RagCount:
    """How many actions are in each RAG status (and overdue), for one council or all."""

    green: int = 0
    amber: int = 0
    red: int = 0
    complete: int = 0
    overdue: int = 0

    @property
    def total(self) -> int:
        return self.green + self.amber + self.red + self.complete

    def __add__(self, other: "RagCount") -> "RagCount":
        return RagCount(*(getattr(self, name) + getattr(other, name) for name in RAG_COUNT_FIELDS))


RAG_COUNT_FIELDS = ("green", "amber", "red", "complete", "overdue")


def rag_count_of(actions) -> RagCount:
    """The counts of a list of actions already loaded (no query)."""
    counts = dict.fromkeys(RAG_COUNT_FIELDS, 0)
    for action in actions:
        counts[action.status] = counts.get(action.status, 0) + 1
        counts["overdue"] += action.is_overdue
    return RagCount(**{name: counts[name] for name in RAG_COUNT_FIELDS})


def _rag_count_annotations() -> dict:
    """The RAG counts as aggregates (the same rule as rag_count_of and Action.is_overdue)."""
    late = Q(due_date__lt=timezone.localdate()) & ~Q(status=ActionStatus.COMPLETE)
    return {
        "green": Count("pk", filter=Q(status=ActionStatus.GREEN)),
        "amber": Count("pk", filter=Q(status=ActionStatus.AMBER)),
        "red": Count("pk", filter=Q(status=ActionStatus.RED)),
        "complete": Count("pk", filter=Q(status=ActionStatus.COMPLETE)),
        "overdue": Count("pk", filter=late),
    }


def _plan_actions(*, alliance: Alliance, council: LocalAuthority) -> QuerySet:
    """The council's agreed actions in this alliance in the plan's order (by source, oldest
    first, then due date), each with its Tier 2 group and latest update."""
    latest = ActionUpdate.objects.filter(action=OuterRef("pk")).order_by("-created_at", "-pk")
    return (
        Action.objects.filter(alliance=alliance, local_authority=council)
        .select_related("tier2_group")
        .annotate(
            latest_note=Subquery(latest.values("note")[:1]),
            latest_at=Subquery(latest.values("created_at")[:1]),
        )
        .order_by("source_type_id", "source_id", "due_date", "pk")
    )


def _plan_groups(actions: list, *, continues=None) -> list[PlanGroup]:
    """The actions (in the plan's order) grouped by source, each group named with its offer;
    `continues`: the (type, id) of the source of the action just before them, if any."""
    labels = source_labels((action.source_type_id, action.source_id) for action in actions)
    groups: dict[tuple[int, int], list] = {}
    for action in actions:
        groups.setdefault((action.source_type_id, action.source_id), []).append(action)
    return [
        PlanGroup(
            f"{labels[key].kind}: {labels[key].name}" if key in labels else "Other",
            items,
            continued=key == continues,
        )
        for key, items in groups.items()
    ]


def improvement_plan(*, alliance: Alliance, council: LocalAuthority) -> list[PlanGroup]:
    """Every agreed action of the council in this alliance, from every offer, grouped by
    where it came from (oldest source first), each group named with its offer and each
    action with its latest update (the PDF's whole plan). The number of queries depends on
    the number of kinds of source, not of actions."""
    return _plan_groups(list(_plan_actions(alliance=alliance, council=council)))


def improvement_plan_counts(*, alliance: Alliance, council: LocalAuthority) -> RagCount:
    """How many of the council's actions in this alliance are in each status, and overdue:
    one aggregate query."""
    row = (
        Action.objects.filter(alliance=alliance, local_authority=council)
        .order_by()
        .aggregate(**_rag_count_annotations())
    )
    return RagCount(**{name: row[name] for name in RAG_COUNT_FIELDS})


@dataclass(frozen=True)
class PlanPage:
    page: Page  # of the plan's actions (its object_list: this page's, loaded)
    groups: list[PlanGroup]
    counts: RagCount  # of the whole plan


def improvement_plan_page(
    *, alliance: Alliance, council: LocalAuthority, number, per_page: int
) -> PlanPage:
    """One page of the plan (`number` as the person gave it: anything but a page number
    shows the first or the last page), its actions grouped by source; a group begun on the
    page before says so. A fixed number of queries, whatever the plan's size: the counts,
    this page's actions (with the one before them) and their sources' names."""
    counts = improvement_plan_counts(alliance=alliance, council=council)
    actions = _plan_actions(alliance=alliance, council=council)
    paginator = Paginator(actions, per_page)
    paginator.count = counts.total  # every action has one of the four statuses: no COUNT
    page = paginator.get_page(number)
    first = page.start_index() - 1 if counts.total else 0
    rows = list(actions[max(first - 1, 0) : page.end_index()])
    before = rows.pop(0) if first > 0 and rows else None
    page.object_list = rows
    continues = (before.source_type_id, before.source_id) if before else None
    return PlanPage(page=page, groups=_plan_groups(rows, continues=continues), counts=counts)


def tier2_exports_of(*, group, user) -> QuerySet:
    """The exports of the group's board this person asked for (CSV and XLSX report
    versions), newest first."""
    # Here, not at the top: peerchallenge.reports reads the board through this module (a
    # cycle).
    from .reports import TIER2_CSV, TIER2_XLSX

    return ReportVersion.objects.filter(
        alliance_id=group.alliance_id,
        report__in=[TIER2_CSV, TIER2_XLSX],
        subject_type=ContentType.objects.get_for_model(Tier2Group),
        subject_id=group.pk,
        requested_by=user,
    ).order_by("-requested_at", "-pk")


def improvement_plan_pdfs(*, alliance: Alliance, council: LocalAuthority) -> QuerySet:
    """The PDFs prepared of the council's plan in this alliance (reports.ReportVersion),
    newest first."""
    # Here, not at the top: peerchallenge.reports reads the plan through this module (a cycle).
    from .reports import IMPROVEMENT_PLAN

    plans = ImprovementPlan.objects.filter(alliance=alliance, local_authority=council)
    return ReportVersion.objects.filter(
        alliance=alliance,
        report=IMPROVEMENT_PLAN,
        subject_type=ContentType.objects.get_for_model(ImprovementPlan),
        subject_id__in=plans.values("pk"),
    ).order_by("-number")


@dataclass(frozen=True)
class BoardFilters:
    council: int | None = None
    source: str = ""  # "<content type id>:<object id>", e.g. a cycle
    status: str = ""
    overdue: bool = False
    offer: str = ""  # a content type id (action_sources.offer_choices)
    theme: str = ""  # a theme's name (action_sources.theme_choices)

    @property
    def any(self) -> bool:
        return self != BoardFilters()


def tier2_groups_visible_to(*, user: User, alliance: Alliance):
    """The Tier 2 groups a person follows: theirs, or every group for the alliance's
    managers."""
    groups = Tier2Group.objects.filter(alliance=alliance)
    if not roles_in(user, alliance.pk) & MANAGERS:
        groups = groups.filter(members=user)
    return groups.order_by("name")


def _board_actions(*, group, filters: BoardFilters):
    """The group's actions that pass the filters (a filter with a value it does not know
    matches nothing: the views drop such values before they get here)."""
    actions = Action.objects.filter(alliance=group.alliance_id, tier2_group=group)
    if filters.council:
        actions = actions.filter(local_authority_id=filters.council)
    if filters.source and ":" in filters.source:
        type_id, object_id = filters.source.split(":", 1)
        if type_id.isdigit() and object_id.isdigit():
            actions = actions.filter(source_type_id=int(type_id), source_id=int(object_id))
    if filters.offer:
        actions = actions.filter(offer_q(filters.offer))
    if filters.theme:
        actions = actions.filter(theme_q(filters.theme))
    if filters.status in ActionStatus.values:
        actions = actions.filter(status=filters.status)
    if filters.overdue:
        actions = actions.exclude(status=ActionStatus.COMPLETE).filter(
            due_date__lt=timezone.localdate()
        )
    return actions


def tier2_board(*, group, filters: BoardFilters):
    """The actions a Tier 2 group monitors, filtered, with each action's latest update."""
    latest = ActionUpdate.objects.filter(action=OuterRef("pk")).order_by("-created_at", "-pk")
    return (
        _board_actions(group=group, filters=filters)
        .select_related("local_authority", "source_type")
        .annotate(
            latest_note=Subquery(latest.values("note")[:1]),
            latest_at=Subquery(latest.values("created_at")[:1]),
        )
        .order_by("due_date", "local_authority__name", "pk")
    )


def with_source_labels(actions, *, labels: dict | None = None) -> list:
    """The actions, each given `source_label` (its offer, kind and name, or None): one query
    per kind of source among them, whatever their number; none when `labels` already has
    them (e.g. the board's `tier2_board_source_labels`)."""
    actions = list(actions)
    if labels is None:
        labels = source_labels((action.source_type_id, action.source_id) for action in actions)
    for action in actions:
        action.source_label = labels.get((action.source_type_id, action.source_id))
    return actions


@dataclass(frozen=True)
class CouncilRagCount:
    council_id: int
    council_name: str
    gss_code: str
    counts: RagCount


def tier2_board_rag_counts(*, group, filters: BoardFilters) -> list[CouncilRagCount]:
    """For the filtered actions of the group: per council, how many are on track, have some
    concerns, are off track, are complete, and are overdue. One aggregate query, cached until
    an action of the alliance changes (a theme's filter is not cached: an event's theme can
    change with no action changing)."""
    if filters.theme:
        return _tier2_board_rag_counts(group=group, filters=filters)
    return cached_for_actions(
        alliance=group.alliance,
        what=f"tier2-board-counts:{group.pk}:{filters!r}",
        compute=lambda: _tier2_board_rag_counts(group=group, filters=filters),
    )


def _tier2_board_rag_counts(*, group, filters: BoardFilters) -> list[CouncilRagCount]:
    rows = (
        _board_actions(group=group, filters=filters)
        .order_by()
        .values("local_authority", "local_authority__name", "local_authority__gss_code")
        .annotate(**_rag_count_annotations())
        .order_by("local_authority__name")
    )
    return [
        CouncilRagCount(
            council_id=row["local_authority"],
            council_name=row["local_authority__name"],
            gss_code=row["local_authority__gss_code"],
            counts=RagCount(**{name: row[name] for name in RAG_COUNT_FIELDS}),
        )
        for row in rows
    ]


def tier2_board_sources(*, group) -> list[tuple[str, str]]:
    """(value, label) of every source the group's actions came from, for the filter."""
    return [
        option for _offer, options in tier2_board_source_groups(group=group) for option in options
    ]


def tier2_board_source_labels(*, group) -> dict:
    """The label of every source the group's actions came from ((content type id, object
    id) -> SourceLabel): one query (cached until an action of the alliance changes), and one
    per kind of source (the sources' names as they are now)."""

    def pairs():
        return list(
            Action.objects.filter(alliance=group.alliance_id, tier2_group=group)
            .order_by()  # the model's ordering would put its columns into the DISTINCT
            .values_list("source_type_id", "source_id")
            .distinct()
        )

    return source_labels(
        cached_for_actions(
            alliance=group.alliance, what=f"tier2-board-sources:{group.pk}", compute=pairs
        )
    )


def tier2_board_source_groups(
    *, group, labels: dict | None = None
) -> list[tuple[str, list[tuple[str, str]]]]:
    """The same options grouped by offer (for <optgroup>s), offers and sources sorted by
    name, from `labels` (tier2_board_source_labels) or read here."""
    if labels is None:
        labels = tier2_board_source_labels(group=group)
    by_offer: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for (type_id, object_id), label in labels.items():
        by_offer[label.offer].append((f"{type_id}:{object_id}", label.name))
    return [
        (offer, sorted(options, key=lambda option: option[1]))
        for offer, options in sorted(by_offer.items())
    ]


@dataclass(frozen=True)
class ActionHistoryEntry:
    at: object  # an aware datetime
    who: str
    text: str  # e.g. "Due date changed from 3 March 2027 to 10 April 2027 by Ann Example"


def action_history(*, action) -> list[ActionHistoryEntry]:
    """What happened to an agreed action, newest first: when it was recorded, each change of
    its wording, owner or due date (from and to), and its removal with the reason, each with
    who did it. Read from its django-simple-history records in one query."""
    records = list(
        action.history.select_related("history_user").order_by("history_date", "history_id")
    )
    entries = []
    previous = None
    for record in records:
        who = str(record.history_user) if record.history_user else "someone"
        if previous is None:
            entries.append(ActionHistoryEntry(record.history_date, who, f"Recorded by {who}"))
        else:
            if record.what != previous.what:
                entries.append(
                    ActionHistoryEntry(
                        record.history_date,
                        who,
                        f"Wording changed from “{previous.what}” to “{record.what}” by {who}",
                    )
                )
            if record.owner != previous.owner:
                entries.append(
                    ActionHistoryEntry(
                        record.history_date,
                        who,
                        f"Owner changed from {previous.owner} to {record.owner} by {who}",
                    )
                )
            if record.due_date != previous.due_date:
                entries.append(
                    ActionHistoryEntry(
                        record.history_date,
                        who,
                        f"Due date changed from {day_text(previous.due_date)} "
                        f"to {day_text(record.due_date)} by {who}",
                    )
                )
            if record.removed_at and not previous.removed_at:
                entries.append(
                    ActionHistoryEntry(
                        record.history_date,
                        who,
                        f"Removed by {who}. Reason: {record.removal_reason}",
                    )
                )
        previous = record
    return entries[::-1]
