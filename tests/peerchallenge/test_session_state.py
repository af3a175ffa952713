"""Removing a session from the shared timetable asks the session's offer, as saving one
does, whether its challenge's timetable may still change: not once the LGA's challenge is
withdrawn or closed, nor once an on-demand review is no longer being planned. The core
learns it through the hook each offer registers (it never imports an offer)."""

import re

import pytest
from django.core.exceptions import ValidationError
from django_scopes import scope, scopes_disabled

from lga_cspc.models import Challenge, Stage
from ondemand.models import Review, Status
from peerchallenge.models import Session, SessionKind
from peerchallenge.services import session_delete, session_save, timetable
from tests.clock import at
from tests.lga_cspc.factories import ChallengeFactory
from tests.ondemand.factories import planning_review
from tests.triads.factories import CycleFactory

WITHDRAWN = "This peer challenge was withdrawn: nothing on it can be changed any more."
CLOSED = "This peer challenge is closed: nothing of its work can be changed any more."
NOT_PLANNED = "The review is no longer being planned."
HELD = "Held already."


@pytest.fixture
def running(db):
    """An LGA challenge in preparation, its on-site days ahead."""
    return ChallengeFactory(stage=Stage.PREPARATION, onsite_start=at(10).date())


def add(challenge, alliance, day=10):
    with scope(alliance=alliance):
        return session_save(
            challenge=challenge,
            kind=SessionKind.INTERVIEW,
            title="Interview with the DCS",
            starts_at=at(day, 10),
            ends_at=at(day, 11),
            user=None,
        )


def still_there(session) -> bool:
    with scopes_disabled():
        return Session.objects.filter(pk=session.pk).exists()


@pytest.mark.parametrize(
    ("stage", "message"), [(Stage.WITHDRAWN, WITHDRAWN), (Stage.CLOSED, CLOSED)]
)
def test_a_session_of_an_ended_lga_challenge_is_not_removed(running, stage, message):
    challenge = running
    session = add(challenge, challenge.alliance)
    with scopes_disabled():
        Challenge.objects.filter(pk=challenge.pk).update(stage=stage)
        session = Session.objects.get(pk=session.pk)
    with (
        scope(alliance=challenge.alliance),
        pytest.raises(ValidationError, match=re.escape(message)),
    ):
        session_delete(session=session)
    assert still_there(session)


@pytest.mark.parametrize("stage", [Stage.WITHDRAWN, Stage.CLOSED])
def test_no_session_is_added_to_an_ended_lga_challenge(running, stage):
    challenge = running
    with scopes_disabled():
        Challenge.objects.filter(pk=challenge.pk).update(stage=stage)
    challenge.stage = stage
    message = WITHDRAWN if stage == Stage.WITHDRAWN else CLOSED
    with pytest.raises(ValidationError, match=re.escape(message)):
        add(challenge, challenge.alliance)
    with scopes_disabled():
        assert not Session.objects.exists()


def test_a_session_of_a_running_lga_challenge_is_removed(running):
    session = add(running, running.alliance)
    with scope(alliance=running.alliance):
        session_delete(session=session)
    assert not still_there(session)


def test_a_session_of_a_review_no_longer_planned_is_not_removed(world):
    review = planning_review(world.em)
    session = add(review, world.em, day=(review.start_date - at(0).date()).days)
    with scopes_disabled():
        Review.objects.filter(pk=review.pk).update(status=Status.FINDINGS_ISSUED)
        session = Session.objects.get(pk=session.pk)
    with scope(alliance=world.em), pytest.raises(ValidationError, match=NOT_PLANNED):
        session_delete(session=session)
    assert still_there(session)


def test_the_hook_is_offer_neutral(world, monkeypatch):
    """A challenge of any model answers through the refusal registered for it; a model
    with none registered always may change."""
    with scopes_disabled():
        cycle = CycleFactory(alliance=world.em)
    session = add(cycle, world.em)
    monkeypatch.setitem(timetable._CHANGE_REFUSALS, cycle._meta.label_lower, lambda challenge: HELD)
    with scope(alliance=world.em), pytest.raises(ValidationError, match=re.escape(HELD)):
        session_delete(session=session)
    with pytest.raises(ValidationError, match=re.escape(HELD)):
        add(cycle, world.em, day=11)
    assert still_there(session)
    monkeypatch.delitem(timetable._CHANGE_REFUSALS, cycle._meta.label_lower)
    with scope(alliance=world.em):
        session_delete(session=session)
    assert not still_there(session)
