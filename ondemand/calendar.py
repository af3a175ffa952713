"""The on-demand offer's events for calendar feeds: each reviewer's sessions in a review's
schedule, at their times, with the place in the description; who attends from the council
stays out (the feed leaves the app). The core builds them as it does the LGA's
(peerchallenge.calendar.session_events); the deadlines are the obligations'
(peerchallenge.calendar.deadline_events)."""

from django.db.models import Q
from django.urls import reverse

from peerchallenge.calendar import CalendarEvent, session_events
from peerchallenge.models import Alliance

from .models import Response, Review, Status


def ondemand_session_events(user) -> list[CalendarEvent]:
    """The sessions this person is in, on reviews of a regional alliance whose team they are
    still on (declined or removed: the sessions drop out). Two queries."""
    return session_events(
        user=user,
        challenge_model=Review,
        alliance_kind=Alliance.Kind.REGIONAL,
        uid="ondemand",
        followed=Q(status__in=[Status.PLANNING, Status.FINDINGS_ISSUED])
        & ~Q(team__user=user, team__response=Response.DECLINED),
        title=lambda session, review: (
            f"{session.title} ({review.local_authority.name} review of {review.service_area})"
        ),
        path=lambda review: reverse(
            "ondemand:schedule", kwargs={"alliance": review.alliance.slug, "review": review.pk}
        ),
        room_label="Room or place",
    )
