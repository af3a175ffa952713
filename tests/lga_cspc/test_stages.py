"""The challenge's stage follows the work: the first case moves it to the case record review,
the first on-site note to on site, the report's first draft to written feedback — forward
only, never out of withdrawn or closed."""

import pytest
from django.utils import timezone
from django_scopes import scope

from lga_cspc.models import Stage
from lga_cspc.services.cases import cases_add
from lga_cspc.services.onsite import site_note_add
from lga_cspc.services.report import report_save
from lga_cspc.services.stages import stage_advance
from tests.lga_cspc.factories import ChallengeFactory, TeamMemberFactory


@pytest.fixture
def challenge(lga):
    # The first on-site day is today: the on-site work may move the stage on (before that
    # day it would not: tests/lga_cspc/test_dates.py).
    challenge = ChallengeFactory(
        offer=lga.offer, stage=Stage.PREPARATION, onsite_start=timezone.localdate()
    )
    with scope(alliance=lga.alliance):
        TeamMemberFactory(
            challenge=challenge, user=lga.pcm, role="peer_challenge_manager", indicative_days=9
        )
    return challenge


def stage_of(challenge):
    challenge.refresh_from_db()
    return challenge.stage


def test_the_work_moves_the_stage_forward(lga, challenge):
    with scope(alliance=lga.alliance):
        cases_add(challenge=challenge, references=["CR-1001"], source="cin", user=lga.pcm)
        assert stage_of(challenge) == Stage.CASE_REVIEW
        site_note_add(
            challenge=challenge, author=lga.pcm, kind="emerging_issue", text="Caseloads high"
        )
        assert stage_of(challenge) == Stage.ON_SITE
        report_save(challenge=challenge, user=lga.pcm, strengths="Leaders know their services.")
        assert stage_of(challenge) == Stage.REPORT
        # A late case added during the report does not move it back.
        cases_add(challenge=challenge, references=["CR-1002"], source="cin", user=lga.pcm)
        assert stage_of(challenge) == Stage.REPORT


@pytest.mark.parametrize("stage", [Stage.WITHDRAWN, Stage.CLOSED, Stage.EVALUATION])
def test_a_challenge_never_moves_back_or_out_of_withdrawn_or_closed(lga, challenge, stage):
    challenge.stage = stage
    challenge.save()
    with scope(alliance=lga.alliance):
        assert stage_advance(challenge=challenge, to=Stage.ON_SITE, user=lga.pcm) is False
    assert stage_of(challenge) == stage
