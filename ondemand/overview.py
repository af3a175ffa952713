"""The on-demand offer's rows on the alliance overview: each review still in progress, at its
stage, with its next date and what is late. One query (and the content type of reviews,
cached after its first use), whatever the number of reviews; none in the national alliance
(the offer runs in regional ones).

A review has no "closed" state: it is over when it is declined, or when its findings are
issued and the council has answered every recommendation (the accepted ones live on as
agreed actions on its improvement plan). Every other review is in progress.

Stages, in order:
1. Requested: waiting for the programme manager's decision.
2. More information asked for: waiting for the council's answer.
3. Planning: accepted, before the first review day (team, activities, schedule).
4. Review days: from the first to the last review day.
5. Findings to issue: after the review days, findings not issued yet.
6. Responding to recommendations: findings issued, recommendations still unanswered.

What is late (each rule on its own; the row lists all that apply):
- a request not decided (requested, or waiting for the council's answer) when its
  preferred first day has come;
- the review days have come with no lead reviewer who accepted, or with an empty schedule;
- the findings are not issued after their due date (two weeks after the last review day);
- recommendations unanswered after they are due (obligations.responses_due: four weeks
  after the findings were issued)."""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.formats import date_format

from peerchallenge.models import Alliance, Session
from peerchallenge.overview import ChallengeRow, challenge_row

from .models import (
    Recommendation,
    RecommendationResponse,
    Response,
    Review,
    Reviewer,
    ReviewerRole,
    Status,
)
from .obligations import responses_due

OFFER = "On-demand peer challenge"
UNDECIDED = {Status.REQUESTED, Status.MORE_INFORMATION}


def _day(value: datetime.date) -> str:
    return date_format(value, "j F Y")


def _pending_recommendations():
    return Recommendation.objects.filter(
        review=OuterRef("pk"), response=RecommendationResponse.PENDING
    )


def ondemand_rows(*, alliance, today: datetime.date) -> list[ChallengeRow]:
    if alliance.kind != Alliance.Kind.REGIONAL:
        return []
    pending = Coalesce(
        Subquery(
            _pending_recommendations()
            .order_by()
            .values("review")
            .annotate(n=Count("pk"))
            .values("n"),
            output_field=IntegerField(),
        ),
        0,
    )
    reviews = (
        Review.objects.filter(alliance=alliance)
        .exclude(status=Status.DECLINED)
        .filter(~Q(status=Status.FINDINGS_ISSUED) | Exists(_pending_recommendations()))
        .select_related("alliance", "local_authority")
        .annotate(
            pending=pending,
            has_lead=Exists(
                Reviewer.objects.filter(
                    review=OuterRef("pk"), role=ReviewerRole.LEAD, response=Response.ACCEPTED
                )
            ),
            scheduled=Exists(
                Session.objects.filter(
                    challenge_type=ContentType.objects.get_for_model(Review),
                    challenge_id=OuterRef("pk"),
                )
            ),
        )
        .order_by("preferred_start", "pk")
    )
    return [_row(review, today) for review in reviews]


def _stage(review: Review, today: datetime.date) -> tuple[str, int]:
    if review.status == Status.REQUESTED:
        return "Requested", 1
    if review.status == Status.MORE_INFORMATION:
        return "More information asked for", 2
    if review.status == Status.FINDINGS_ISSUED:
        return "Responding to recommendations", 6
    if today < review.first_day:
        return "Planning", 3
    if today <= review.last_day:
        return "Review days", 4
    return "Findings to issue", 5


def _late(review: Review, today: datetime.date) -> list[str]:
    late = []
    if review.status in UNDECIDED and today >= review.first_day:
        waiting = (
            "the request is not decided"
            if review.status == Status.REQUESTED
            else "the council has not answered the programme manager's question"
        )
        late.append(f"the preferred first day, {_day(review.first_day)}, has come and {waiting}")
    if review.status == Status.PLANNING and today >= review.first_day:
        if not review.has_lead:
            late.append("no lead reviewer has accepted")
        if not review.scheduled:
            late.append("the schedule has no sessions")
        if today > review.findings_due:
            late.append(f"the findings were due on {_day(review.findings_due)}")
    if review.status == Status.FINDINGS_ISSUED:
        due = responses_due(review)
        if today > due:
            late.append(
                f"{review.pending} recommendation{'s' if review.pending != 1 else ''} not "
                f"answered, due {_day(due)}"
            )
    return late


def _dates(review: Review) -> list[tuple[datetime.date, str]]:
    if review.status in UNDECIDED:
        return [(review.first_day, "preferred first day")]
    if review.status == Status.FINDINGS_ISSUED:
        return [(responses_due(review), "responses to recommendations due")]
    days = [(review.first_day, "first review day")]
    if review.days > 1:
        days.append((review.last_day, "last review day"))
    return [*days, (review.findings_due, "findings due")]


def _row(review: Review, today: datetime.date) -> ChallengeRow:
    dates = _dates(review)
    stage, position = _stage(review, today)
    return challenge_row(
        offer=OFFER,
        uid=f"ondemand-{review.pk}",
        name=f"{review.local_authority.name}: {review.service_area}",
        stage=stage,
        position=position,
        url=reverse(
            "ondemand:review_detail",
            kwargs={"alliance": review.alliance.slug, "review": review.pk},
        ),
        dates=dates,
        late=_late(review, today),
        today=today,
    )
