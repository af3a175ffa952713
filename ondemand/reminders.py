"""The on-demand offer's reminders: an invitation to a review team not answered, and the
findings report due after the review. Registered from OndemandConfig.ready()."""

import datetime

from django.urls import reverse

from peerchallenge.models import Alliance
from peerchallenge.reminders import Due, register_kind, register_source

from .models import FINDINGS_DUE_AFTER, Response, Review, Reviewer, ReviewerRole, Status

# An invitation should be answered within this many days of being sent.
ANSWER_WITHIN = datetime.timedelta(days=7)


def _when(day: datetime.date) -> str:
    return f"{day.day} {day:%B %Y}"


def ondemand_dues(alliance, today: datetime.date, days_by_kind: dict) -> list[Due]:
    """Open invitations whose answer is due, and lead reviewers whose findings are due (not
    issued yet), within the reminder windows. Two queries."""
    dues: list[Due] = []
    if "ondemand_invitation" in days_by_kind:
        last = today + datetime.timedelta(days=days_by_kind["ondemand_invitation"])
        places = Reviewer.objects.filter(
            alliance=alliance,
            response=Response.INVITED,
            review__status=Status.PLANNING,
            invited_at__date__gte=today - ANSWER_WITHIN,
            invited_at__date__lte=last - ANSWER_WITHIN,
        ).select_related("user", "review__local_authority")
        for place in places:
            review = place.review
            due_date = place.invited_at.date() + ANSWER_WITHIN
            dues.append(
                Due(
                    kind="ondemand_invitation",
                    subject=place,
                    recipients=[place.user] if place.user.is_active else [],
                    due_date=due_date,
                    summary=f"Answer your invitation to the review of {review.service_area} at "
                    f"{review.local_authority.name} by {_when(due_date)}",
                    path=reverse(
                        "ondemand:reviewer_respond",
                        kwargs={
                            "alliance": alliance.slug,
                            "review": review.pk,
                            "reviewer": place.pk,
                        },
                    ),
                    context={"todo": "Accept or decline your place on the review team."},
                )
            )
    if "ondemand_findings_due" in days_by_kind:
        # Reviews that have started and whose findings are not yet past due (a two-day
        # review's are due a day later than a one-day review's that started the same day).
        started = Review.objects.filter(
            alliance=alliance,
            start_date__lte=today,
            start_date__gte=today - FINDINGS_DUE_AFTER - datetime.timedelta(days=1),
        )
        leads = Reviewer.objects.filter(
            alliance=alliance,
            role=ReviewerRole.LEAD,
            response=Response.ACCEPTED,
            review__status=Status.PLANNING,
            review__in=started,
        ).select_related("user", "review__local_authority")
        for place in leads:
            review = place.review
            dues.append(
                Due(
                    kind="ondemand_findings_due",
                    subject=review,
                    recipients=[place.user] if place.user.is_active else [],
                    due_date=review.findings_due,
                    summary=f"Issue the findings of the review of {review.service_area} at "
                    f"{review.local_authority.name} by {_when(review.findings_due)}",
                    path=reverse(
                        "ondemand:findings",
                        kwargs={"alliance": alliance.slug, "review": review.pk},
                    ),
                    context={
                        "todo": "Record the key findings and recommendations, then issue the "
                        "findings report to the council's DCS."
                    },
                )
            )
    return dues


def register() -> None:
    register_kind(
        "ondemand_invitation",
        label="Review team invitation not answered",
        default_days=2,
        description="Reminds a person invited to an on-demand review team who has not "
        "accepted or declined, before the week to answer is up.",
        alliance_kinds=(Alliance.Kind.REGIONAL,),
    )
    register_kind(
        "ondemand_findings_due",
        label="On-demand findings report due",
        default_days=5,
        description="Reminds the lead reviewer of an on-demand review whose findings are not "
        "issued yet, before they are due (two weeks after the review).",
        alliance_kinds=(Alliance.Kind.REGIONAL,),
    )
    register_source(ondemand_dues)
