"""The CSPC's events for calendar feeds: each peer's on-site sessions, and the scoping
meetings of the challenges a person scopes (as sponsor, named adviser or programme manager).

Each session is a timed event (its start and end) with the room in the description and no
attendees, built by the core as the on-demand offer's are (peerchallenge.calendar.
session_events). Its deadlines are the obligations' (peerchallenge.calendar.deadline_events)."""

import datetime

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from peerchallenge.calendar import CalendarEvent, session_events
from peerchallenge.models import Alliance, Membership, Role

from .models import Challenge, Stage


def cspc_session_events(user) -> list[CalendarEvent]:
    """The sessions this person is a peer in, on the challenges of a national alliance whose
    team they are still on (a withdrawn challenge's sessions drop out). Two queries."""
    return session_events(
        user=user,
        challenge_model=Challenge,
        alliance_kind=Alliance.Kind.NATIONAL,
        uid="lga-cspc",
        followed=~Q(stage=Stage.WITHDRAWN),
        title=lambda session, challenge: (
            f"{session.title} ({challenge.local_authority.name} peer challenge)"
        ),
        path=lambda challenge: reverse(
            "lga_cspc:timetable",
            kwargs={"alliance": challenge.alliance.slug, "challenge": challenge.pk},
        ),
    )


# Only the start of a scoping meeting is recorded; a calendar event needs an end.
SCOPING_MEETING_LENGTH = datetime.timedelta(hours=2)


def cspc_scoping_events(user) -> list[CalendarEvent]:
    """The scoping meetings of the challenges this person is the sponsor, children's
    improvement adviser or principal adviser of, or whose alliance they are a programme
    manager of; not of withdrawn challenges. One query."""
    managed = Membership.objects.filter(
        user=user, role=Role.PROGRAMME_MANAGER, alliance__kind=Alliance.Kind.NATIONAL
    ).values("alliance_id")
    challenges = (
        Challenge.objects.filter(scoping_meeting_at__isnull=False)
        .filter(
            Q(sponsor=user)
            | Q(improvement_adviser=user)
            | Q(principal_adviser=user)
            | Q(alliance_id__in=managed)
        )
        .exclude(stage=Stage.WITHDRAWN)
        .select_related("alliance", "offer", "local_authority")
        .order_by("scoping_meeting_at", "pk")
    )
    events = []
    for challenge in challenges:
        where = f" Where: {challenge.scoping_location}." if challenge.scoping_location else ""
        events.append(
            CalendarEvent(
                f"lga-cspc-scoping-{challenge.pk}",
                f"Scoping meeting ({challenge.local_authority.name} peer challenge)",
                timezone.localdate(challenge.scoping_meeting_at),
                f"Scoping meeting of the {challenge.offer.name}.{where}",
                reverse(
                    "lga_cspc:challenge_detail",
                    kwargs={"alliance": challenge.alliance.slug, "challenge": challenge.pk},
                ),
                starts_at=challenge.scoping_meeting_at,
                ends_at=challenge.scoping_meeting_at + SCOPING_MEETING_LENGTH,
            )
        )
    return events
