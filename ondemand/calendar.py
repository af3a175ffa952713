"""The on-demand offer's events for calendar feeds: each reviewer's sessions in a review's
schedule, at their times, with the place in the description; who attends from the council
stays out (the feed leaves the app)."""

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from peerchallenge.calendar import CalendarEvent
from peerchallenge.models import Alliance, Session

from .models import Response, Review, Status


def ondemand_session_events(user) -> list[CalendarEvent]:
    """The sessions this person is in, on reviews of a regional alliance whose team they are
    still on (declined or removed: the sessions drop out). Two queries."""
    sessions = list(
        Session.objects.filter(
            peers=user,
            alliance__kind=Alliance.Kind.REGIONAL,
            challenge_type=ContentType.objects.get_for_model(Review),
        ).order_by("starts_at", "pk")
    )
    if not sessions:
        return []
    reviews = {
        review.pk: review
        for review in Review.objects.filter(
            alliance_id__in={session.alliance_id for session in sessions},
            pk__in={session.challenge_id for session in sessions},
            team__user=user,
            status__in=[Status.PLANNING, Status.FINDINGS_ISSUED],
        )
        .exclude(team__user=user, team__response=Response.DECLINED)
        .select_related("alliance", "local_authority")
    }
    events = []
    for session in sessions:
        review = reviews.get(session.challenge_id)
        if review is None or review.alliance_id != session.alliance_id:
            continue
        where = f" Room or place: {session.room}." if session.room else ""
        events.append(
            CalendarEvent(
                f"ondemand-session-{session.pk}",
                f"{session.title} ({review.local_authority.name} review of {review.service_area})",
                timezone.localdate(session.starts_at),
                f"{session.get_kind_display()}.{where}",
                reverse(
                    "ondemand:schedule",
                    kwargs={"alliance": review.alliance.slug, "review": review.pk},
                ),
                starts_at=session.starts_at,
                ends_at=session.ends_at,
                session_id=session.pk,
            )
        )
    return events
