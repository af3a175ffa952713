"""The LGA offer's rows on the alliance overview: each challenge not closed or withdrawn,
at its stage, with its next date and what is late. A fixed number of queries (the
challenges, and the offer's obligations), and none for a regional alliance (the LGA's offer
runs in the national one).

What is late: a challenge whose on-site days have ended while its stage is still before on
site is behind, a fact of its stage (the stage moves with the work; nobody's obligation
says it), and that says it all. Otherwise its overdue obligations, in the words of
obligations.LATE."""

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from peerchallenge.overview import ChallengeRow, challenge_key, challenge_row, late_by_challenge

from .models import Challenge, Stage
from .obligations import LATE, obligations

OFFER = "LGA peer challenge"
ORDER = list(Stage.values)
BEFORE_ON_SITE = {Stage.REQUESTED, Stage.SCOPING, Stage.PREPARATION, Stage.CASE_REVIEW}


def cspc_rows(*, alliance, today: datetime.date) -> list[ChallengeRow]:
    if not alliance.is_national:
        return []
    challenges = list(
        Challenge.objects.filter(alliance=alliance)
        .exclude(stage__in=[Stage.CLOSED, Stage.WITHDRAWN])
        .select_related("alliance", "offer", "local_authority")
        .order_by("onsite_start", "pk")
    )
    if not challenges:
        return []
    late = late_by_challenge(
        obligations=obligations(alliances=[alliance.pk], today=today, people=False),
        sentences=LATE,
        today=today,
    )
    return [
        _row(challenge, today, late.get(challenge_key(challenge), [])) for challenge in challenges
    ]


def _row(challenge: Challenge, today: datetime.date, overdue: list[str]) -> ChallengeRow:
    dates = []
    if challenge.scoping_meeting_at and challenge.stage in {Stage.REQUESTED, Stage.SCOPING}:
        dates.append((timezone.localdate(challenge.scoping_meeting_at), "scoping meeting"))
    dates += [
        (challenge.case_review_date, "case record review"),
        (challenge.onsite_start, "first on-site day"),
    ]
    if challenge.days > 1:
        dates.append((challenge.onsite_end, "last on-site day"))
    late = overdue
    if challenge.stage in BEFORE_ON_SITE and today > challenge.onsite_end:
        late = [
            f"The on-site days ended on {date_format(challenge.onsite_end, 'j F Y')} but the "
            f"challenge is still at {challenge.get_stage_display().lower()}"
        ]
    return challenge_row(
        offer=OFFER,
        uid=f"lga-cspc-{challenge.pk}",
        name=f"{challenge.local_authority.name}: {challenge.offer.name}",
        stage=challenge.get_stage_display(),
        position=ORDER.index(challenge.stage),
        url=reverse(
            "lga_cspc:challenge_detail",
            kwargs={"alliance": challenge.alliance.slug, "challenge": challenge.pk},
        ),
        dates=dates,
        late=late,
        today=today,
    )
