"""The CSPC's events for calendar feeds: each peer's on-site sessions.

Calendar events are whole days (peerchallenge.calendar), so the time and room go in the
title and description. Attendees are left out: the feed leaves the app for calendar apps."""

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from peerchallenge.calendar import CalendarEvent
from peerchallenge.models import Alliance, Session

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
        start, end = timezone.localtime(session.starts_at), timezone.localtime(session.ends_at)
        where = f"Room: {session.room}. " if session.room else ""
        events.append(
            CalendarEvent(
                f"lga-cspc-session-{session.pk}",
                f"{start:%H:%M}-{end:%H:%M} {session.title} "
                f"({challenge.local_authority.name} peer challenge)",
                start.date(),
                f"{session.get_kind_display()}, {start:%H:%M} to {end:%H:%M}. {where}".strip(),
                reverse(
                    "lga_cspc:timetable",
                    kwargs={"alliance": challenge.alliance.slug, "challenge": challenge.pk},
                ),
            )
        )
    return events
