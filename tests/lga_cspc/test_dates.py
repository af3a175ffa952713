"""Dates that must make sense in an LGA peer challenge: the scoping meeting before the
first on-site day, the case discussion between scoping and the last on-site day, on site
only from the first on-site day, evaluation and closing only from the last, nothing absurdly
far ahead. Each refusal says why and saves nothing; the sensible case is accepted."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from lga_cspc.models import CaseReview, Challenge, Evaluation, Stage
from lga_cspc.services.booking import challenge_book
from lga_cspc.services.cases import case_review_discussion_save
from lga_cspc.services.close import challenge_close
from lga_cspc.services.onsite import site_note_add
from lga_cspc.services.scoping import scoping_save
from lga_cspc.services.stages import stage_advance, stage_move_refusal
from peerchallenge.dates import day_text, latest_sensible
from tests.clock import at, days
from tests.factories import council
from tests.forms import date_parts
from tests.lga_cspc.factories import ChallengeFactory, EvaluationFactory, TeamMemberFactory

FOCUS = "How well the front door keeps teenagers safe from exploitation."


@pytest.fixture
def challenge(lga):
    """Derby's, in preparation, on site for four days from 60 days ahead (60 to 63)."""
    challenge = ChallengeFactory(offer=lga.offer, stage=Stage.PREPARATION, onsite_start=days(60))
    with scopes_disabled():
        TeamMemberFactory(
            challenge=challenge, user=lga.pcm, role="peer_challenge_manager", indicative_days=9
        )
    return challenge


def fresh(challenge) -> Challenge:
    with scopes_disabled():
        return Challenge.objects.get(pk=challenge.pk)


def save_scoping(lga, challenge, **overrides):
    arguments = {
        "scoping_meeting_at": at(14, 14, 30),
        "scoping_location": "Council House, Derby",
        "principal_adviser": lga.principal_adviser,
        "improvement_adviser": lga.cia,
        "focus": FOCUS,
        "onsite_start": days(60),
        "days": 4,
        "team_needed": "A DCS and three senior managers",
        "documents_required": "Children's Plan",
        "confidentiality_required": False,
    } | overrides
    with scope(alliance=lga.alliance):
        return scoping_save(challenge=challenge, user=lga.pm, **arguments)


def too_far_message(what: str) -> str:
    return (
        f"{what} must be within 3 years of today, on or before "
        f"{day_text(latest_sensible())}. Check the year."
    )


# Booking and scoping ---------------------------------------------------------------------


def test_booking_refuses_an_on_site_day_more_than_three_years_ahead(lga):
    with (
        scope(alliance=lga.alliance),
        pytest.raises(
            ValidationError, match="The first on-site day must be within 3 years of"
        ) as error,
    ):
        challenge_book(
            alliance=lga.alliance,
            offer=lga.offer,
            local_authority=council("Derby"),
            onsite_start=latest_sensible() + datetime.timedelta(days=1),
            days=4,
            requested_by=lga.derby_dcs,
        )
    assert error.value.message_dict == {"onsite_start": [too_far_message("The first on-site day")]}
    with scopes_disabled():
        assert not Challenge.objects.exists()


def test_scoping_refuses_a_meeting_on_or_after_the_first_on_site_day(lga, challenge):
    for meeting in (at(60, 9), at(70)):
        with pytest.raises(
            ValidationError, match="The scoping meeting must be before the first"
        ) as error:
            save_scoping(lga, challenge, scoping_meeting_at=meeting)
        assert error.value.message_dict == {
            "scoping_date": [
                f"The scoping meeting must be before the first on-site day, {day_text(days(60))}."
            ]
        }
    assert (fresh(challenge).scoping_meeting_at, fresh(challenge).focus) == (None, "")


def test_scoping_refuses_dates_absurdly_far_ahead(lga, challenge):
    far = latest_sensible() + datetime.timedelta(days=1)
    with pytest.raises(
        ValidationError, match="The first on-site day must be within 3 years of"
    ) as error:
        save_scoping(
            lga,
            challenge,
            onsite_start=far,
            scoping_meeting_at=timezone.make_aware(
                datetime.datetime.combine(far, datetime.time(10))
            ),
        )
    assert error.value.message_dict == {
        "onsite_start": [too_far_message("The first on-site day")],
        "scoping_date": [too_far_message("The scoping meeting")],
    }
    assert fresh(challenge).onsite_start == days(60)


def test_scoping_accepts_a_meeting_before_the_visit(lga, challenge):
    save_scoping(lga, challenge, scoping_meeting_at=at(59, 16))
    saved = fresh(challenge)
    assert (saved.scoping_meeting_at, saved.onsite_start, saved.focus) == (
        at(59, 16),
        days(60),
        FOCUS,
    )


def test_the_scoping_page_shows_the_meeting_refusal_in_the_error_summary(client, lga, challenge):
    client.force_login(lga.pm)
    response = client.post(
        reverse(
            "lga_cspc:scoping", kwargs={"alliance": lga.alliance.slug, "challenge": challenge.pk}
        ),
        {
            **date_parts("scoping_date", days(61)),
            "scoping_time": "14:30",
            "scoping_location": "Council House, Derby",
            "principal_adviser": str(lga.principal_adviser.pk),
            "improvement_adviser": str(lga.cia.pk),
            "focus": FOCUS,
            **date_parts("onsite_start", days(60)),
            "days": "4",
            "team_needed": "A DCS as team leader and three senior operational managers.",
            "documents_required": "Children's Plan",
            "case_lists": ["cin", "cp"],
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    message = f"The scoping meeting must be before the first on-site day, {day_text(days(60))}."
    assert "There is a problem" in html
    assert f'<a href="#id_scoping_date">{message}</a>' in html
    assert response.context["form"].errors == {"scoping_date": [message]}
    assert fresh(challenge).focus == ""


# The case record review's discussion with the sponsor -----------------------------------------


def discuss(lga, challenge, when):
    with scope(alliance=lga.alliance):
        return case_review_discussion_save(
            challenge=challenge,
            user=lga.pcm,
            discussion_at=when,
            notes="The DCS recognised the findings.",
            key_messages="Voice of the child is strong.",
        )


def test_the_discussion_is_refused_before_the_scoping_meeting(lga, challenge):
    save_scoping(lga, challenge, scoping_meeting_at=at(14, 14, 30))
    with pytest.raises(
        ValidationError, match="The discussion with the sponsor must be on or"
    ) as error:
        discuss(lga, fresh(challenge), at(10))
    assert error.value.message_dict == {
        "discussion_date": [
            "The discussion with the sponsor must be on or after the scoping meeting, "
            f"{day_text(days(14))}."
        ]
    }
    with scopes_disabled():
        assert not CaseReview.objects.filter(challenge=challenge).exists()


def test_the_discussion_is_refused_after_the_last_on_site_day(lga, challenge):
    with pytest.raises(
        ValidationError, match="The discussion with the sponsor must be on or"
    ) as error:
        discuss(lga, challenge, at(64))
    assert error.value.message_dict == {
        "discussion_date": [
            "The discussion with the sponsor must be on or before the last on-site day, "
            f"{day_text(days(63))}."
        ]
    }
    with scopes_disabled():
        assert not CaseReview.objects.filter(challenge=challenge).exists()


def test_the_discussion_between_scoping_and_the_visit_is_kept(lga, challenge):
    save_scoping(lga, challenge, scoping_meeting_at=at(14, 14, 30))
    review = discuss(lga, fresh(challenge), at(46, 15, 30))
    assert (review.sponsor_discussion_at, review.key_messages) == (
        at(46, 15, 30),
        "Voice of the child is strong.",
    )


def test_the_case_review_page_shows_the_discussion_refusal(client, lga, challenge):
    client.force_login(lga.pcm)
    response = client.post(
        reverse(
            "lga_cspc:case_review",
            kwargs={"alliance": lga.alliance.slug, "challenge": challenge.pk},
        ),
        {
            "discussion": "1",
            **date_parts("discussion_date", days(70)),
            "discussion_time": "15:30",
            "notes": "The DCS recognised the findings.",
            "key_messages": "Voice is strong",
        },
    )
    assert response.status_code == 200
    message = (
        "The discussion with the sponsor must be on or before the last on-site day, "
        f"{day_text(days(63))}."
    )
    assert response.context["discussion_form"].errors == {"discussion_date": [message]}
    html = response.content.decode()
    assert "There is a problem" in html and message in html
    with scopes_disabled():
        assert not CaseReview.objects.filter(challenge=challenge).exists()


# Moving the stage --------------------------------------------------------------------------


def test_a_note_before_the_first_on_site_day_does_not_move_the_stage(lga, challenge):
    with scope(alliance=lga.alliance):
        note = site_note_add(
            challenge=challenge, author=lga.pcm, kind="emerging_issue", text="Read ahead"
        )
        assert stage_move_refusal(challenge=challenge, to=Stage.ON_SITE) == (
            f"You cannot move the challenge to “On site” before the first on-site day "
            f"({day_text(days(60))})."
        )
        assert stage_advance(challenge=challenge, to=Stage.ON_SITE, user=lga.pcm) is False
    assert note.pk is not None
    assert fresh(challenge).stage == Stage.PREPARATION


def test_the_stage_moves_on_site_from_the_first_on_site_day(lga, challenge):
    with scopes_disabled():
        Challenge.objects.filter(pk=challenge.pk).update(onsite_start=days(0))
    challenge = fresh(challenge)
    with scope(alliance=lga.alliance):
        site_note_add(challenge=challenge, author=lga.pcm, kind="emerging_issue", text="Busy")
    assert fresh(challenge).stage == Stage.ON_SITE


def test_evaluation_waits_for_the_last_on_site_day(lga, challenge):
    with scopes_disabled():
        Challenge.objects.filter(pk=challenge.pk).update(onsite_start=days(-2))  # days -2 to 1
    challenge = fresh(challenge)
    assert stage_move_refusal(challenge=challenge, to=Stage.EVALUATION) == (
        f"You cannot move the challenge to evaluation before the last on-site day "
        f"({day_text(days(1))})."
    )
    assert stage_move_refusal(challenge=challenge, to=Stage.ON_SITE) == ""


def test_closing_is_refused_before_the_last_on_site_day(lga, challenge):
    """A challenge at evaluation whose on-site days were moved later cannot be closed."""
    with scopes_disabled():
        Challenge.objects.filter(pk=challenge.pk).update(stage=Stage.EVALUATION)
        EvaluationFactory(
            alliance=lga.alliance,
            challenge=challenge,
            interview_at=timezone.now(),
            notes="Helpful",
            recorded_at=timezone.now(),
        )
    with (
        scope(alliance=lga.alliance),
        pytest.raises(
            ValidationError, match="You cannot close the challenge before the last"
        ) as error,
    ):
        challenge_close(challenge=fresh(challenge), user=lga.pm)
    assert error.value.messages == [
        f"You cannot close the challenge before the last on-site day ({day_text(days(63))})."
    ]
    assert fresh(challenge).stage == Stage.EVALUATION


def test_closing_after_the_visit_is_accepted(lga, challenge):
    with scopes_disabled():
        Challenge.objects.filter(pk=challenge.pk).update(
            stage=Stage.EVALUATION, onsite_start=days(-40)
        )
        EvaluationFactory(
            alliance=lga.alliance,
            challenge=challenge,
            interview_at=timezone.now() - datetime.timedelta(days=3),
            notes="Helpful",
            recorded_at=timezone.now() - datetime.timedelta(days=3),
        )
    with scope(alliance=lga.alliance):
        challenge_close(challenge=fresh(challenge), user=lga.pm)
    assert fresh(challenge).stage == Stage.CLOSED


# After the visit ---------------------------------------------------------------------------


def test_the_evaluation_dates_are_refused_absurdly_far_ahead(lga, challenge):
    from lga_cspc.services.evaluation import evaluation_schedule

    far = latest_sensible() + datetime.timedelta(days=1)
    with (
        scope(alliance=lga.alliance),
        pytest.raises(
            ValidationError, match="The date the interview is due by must be within 3"
        ) as error,
    ):
        evaluation_schedule(
            challenge=challenge,
            interview_due=far,
            interview_at=None,
            interviewer=None,
            follow_up_suggested=far,
            user=lga.pm,
        )
    assert error.value.message_dict == {
        "interview_due": [too_far_message("The date the interview is due by")],
        "follow_up_suggested": [too_far_message("The follow-up")],
    }
    with scopes_disabled():
        assert not Evaluation.objects.exists()


def test_sensible_evaluation_dates_are_kept(lga, challenge):
    from lga_cspc.services.evaluation import evaluation_schedule

    with scope(alliance=lga.alliance):
        evaluation = evaluation_schedule(
            challenge=challenge,
            interview_due=days(93),
            interview_at=None,
            interviewer=None,
            follow_up_suggested=days(424),
            user=lga.pm,
        )
    assert (evaluation.interview_due, evaluation.follow_up_suggested) == (days(93), days(424))
