"""The LGA offer's rows on the alliance overview: each challenge not closed or withdrawn,
at its stage, with its next date and whether it is behind its dates. One query, and none
for a regional alliance (the LGA's offer runs in the national one)."""

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from peerchallenge.overview import ChallengeRow, challenge_row

from .models import Challenge, Stage

OFFER = "LGA peer challenge"
ORDER = list(Stage.values)
BEFORE_CASE_REVIEW = {Stage.REQUESTED, Stage.SCOPING, Stage.PREPARATION}
BEFORE_ON_SITE = BEFORE_CASE_REVIEW | {Stage.CASE_REVIEW}


def cspc_rows(*, alliance, today: datetime.date) -> list[ChallengeRow]:
    if not alliance.is_national:
        return []
    challenges = (
        Challenge.objects.filter(alliance=alliance)
        .exclude(stage__in=[Stage.CLOSED, Stage.WITHDRAWN])
        .select_related("alliance", "offer", "local_authority")
        .order_by("onsite_start", "pk")
    )
    return [_row(challenge, today) for challenge in challenges]


def _row(challenge: Challenge, today: datetime.date) -> ChallengeRow:
    dates = []
    if challenge.scoping_meeting_at and challenge.stage in {Stage.REQUESTED, Stage.SCOPING}:
        dates.append((timezone.localdate(challenge.scoping_meeting_at), "scoping meeting"))
    dates += [
        (challenge.case_review_date, "case record review"),
        (challenge.onsite_start, "first on-site day"),
    ]
    if challenge.days > 1:
        dates.append((challenge.onsite_end, "last on-site day"))
    late = []
    if challenge.stage in BEFORE_ON_SITE and today > challenge.onsite_end:
        late.append(
            f"The on-site days ended on {date_format(challenge.onsite_end, 'j F Y')} but the "
            f"challenge is still at {challenge.get_stage_display().lower()}"
        )
    elif challenge.stage in BEFORE_CASE_REVIEW and today > challenge.case_review_date:
        late.append(
            f"The case record review was due on {date_format(challenge.case_review_date, 'j F Y')}"
        )
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
