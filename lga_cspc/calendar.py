"""The CSPC's events for calendar feeds: each peer's on-site sessions, and the scoping
meetings of the challenges a person scopes (as sponsor, named adviser or programme manager).

Each session is a timed event (its start and end); the room goes in the description.
Attendees are left out: the feed leaves the app for calendar apps."""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from peerchallenge.calendar import CalendarEvent
from peerchallenge.models import Alliance, Membership, Role, Session

from .models import Challenge, Stage


def cspc_session_events(user) -> list[CalendarEvent]:
    """The sessions this person is a peer in, on the challenges of a national alliance whose
    team they are still on (a withdrawn challenge's sessions drop out). Two queries."""
    sessions = list(
        Session.objects.filter(
            peers=user,
            alliance__kind=Alliance.Kind.NATIONAL,
            challenge_type=ContentType.objects.get_for_model(Challenge),
        ).order_by("starts_at", "pk")
    )
    if not sessions:
        return []
    challenges = {
        challenge.pk: challenge
        for challenge in Challenge.objects.filter(
            alliance_id__in={session.alliance_id for session in sessions},
            pk__in={session.challenge_id for session in sessions},
            team__user=user,
        )
        .exclude(stage=Stage.WITHDRAWN)
        .select_related("alliance", "local_authority")
    }
    events = []
    for session in sessions:
        challenge = challenges.get(session.challenge_id)
        if challenge is None or challenge.alliance_id != session.alliance_id:
            continue
        where = f" Room: {session.room}." if session.room else ""
        events.append(
            CalendarEvent(
                f"lga-cspc-session-{session.pk}",
                f"{session.title} ({challenge.local_authority.name} peer challenge)",
                timezone.localdate(session.starts_at),
                f"{session.get_kind_display()}.{where}",
                reverse(
                    "lga_cspc:timetable",
                    kwargs={"alliance": challenge.alliance.slug, "challenge": challenge.pk},
                ),
                starts_at=session.starts_at,
                ends_at=session.ends_at,
                session_id=session.pk,
            )
        )
    return events


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
