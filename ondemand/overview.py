"""The on-demand offer's rows on the alliance overview: each review still in progress, at its
stage, with its next date and what is late. The offer's obligations' queries and no
more, whatever the number of reviews; none in the national alliance
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

What is late: first two facts of the review's state, which no dated obligation states (a
decision and an answer have no due date; nobody in particular must find a lead reviewer):
- a request not decided (requested, or waiting for the council's answer) when its
  preferred first day has come;
- the review days have come with no lead reviewer who accepted;
then its overdue obligations, in the words of obligations.LATE: a schedule still empty after
the first review day, findings not issued after their due date (whoever is to write them),
recommendations unanswered after they are due."""

import datetime

from django.urls import reverse
from django.utils.formats import date_format

from peerchallenge.models import Alliance
from peerchallenge.overview import ChallengeRow, challenge_key, challenge_row, late_by_challenge

from .models import Review, Status
from .obligations import LATE, obligations, responses_due

OFFER = "On-demand peer challenge"
UNDECIDED = {Status.REQUESTED, Status.MORE_INFORMATION}


def _day(value: datetime.date) -> str:
    return date_format(value, "j F Y")


# Each review in progress has one of these obligations, about it (obligations._review_obligation).
REVIEW_KINDS = (
    "ondemand.decide_request",
    "ondemand.answer_question",
    "ondemand.build_schedule",
    "ondemand.respond_recommendations",
)


def ondemand_rows(*, alliance, today: datetime.date) -> list[ChallengeRow]:
    if alliance.kind != Alliance.Kind.REGIONAL:
        return []
    due = obligations(alliances=[alliance.pk], today=today, people=False)
    # Every review in progress (requested, asked for more, planned, or with recommendations
    # unanswered) has one obligation of REVIEW_KINDS about it: the reviews come with them,
    # with no query of their own (the page's query budget is tight).
    reviews = sorted(
        (o.subject for o in due if o.kind in REVIEW_KINDS),
        key=lambda review: (review.preferred_start, review.pk),
    )
    late = late_by_challenge(obligations=due, sentences=LATE, today=today)
    return [
        _row(review, today, [*_facts(review, today), *late.get(challenge_key(review), [])])
        for review in reviews
    ]


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


def _facts(review: Review, today: datetime.date) -> list[str]:
    """What is late that is a fact of the review's state rather than an overdue obligation."""
    late = []
    if review.status in UNDECIDED and today >= review.first_day:
        waiting = (
            "the request is not decided"
            if review.status == Status.REQUESTED
            else "the council has not answered the programme manager's question"
        )
        late.append(f"the preferred first day, {_day(review.first_day)}, has come and {waiting}")
    if review.status == Status.PLANNING and today >= review.first_day and not review.has_lead:
        late.append("no lead reviewer has accepted")
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


def _row(review: Review, today: datetime.date, late: list[str]) -> ChallengeRow:
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
        late=late,
        today=today,
        permission="ondemand.view_review",
    )
