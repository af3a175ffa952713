"""Dates that must make sense in an on-demand review: the findings only from the last review
day; the council's window and the first day in a sensible order and not absurdly far ahead.
Each refusal says why and saves nothing; the sensible case is accepted."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from ondemand.models import Review, Status
from ondemand.services.findings import findings_issue, findings_save, recommendation_add
from ondemand.services.request import review_decide, review_request
from peerchallenge.dates import day_text, latest_sensible
from tests.clock import days
from tests.factories import council
from tests.forms import date_parts
from tests.ondemand.factories import ReviewFactory, on_team, planning_review


def too_far(what: str) -> str:
    return (
        f"{what} must be within 3 years of today, on or before "
        f"{day_text(latest_sensible())}. Check the year."
    )


def ask(world, **overrides):
    data = {
        "alliance": world.em,
        "user": world.organiser,
        "local_authority": council("Derby"),
        "service_area": "Children's commissioning",
        "primary_kloe": "How well does commissioning secure local placements?",
        "why_now": "Our sufficiency strategy is due.",
        "preferred_start": days(40),
        "days": 2,
    } | overrides
    with scope(alliance=world.em):
        return review_request(**data)


def reviews():
    with scopes_disabled():
        return Review.objects.count()


# The request and the decision --------------------------------------------------------------


def test_a_window_more_than_three_years_ahead_is_refused(world):
    far = latest_sensible() + datetime.timedelta(days=1)
    with pytest.raises(
        ValidationError, match="The earliest preferred first day must be within 3"
    ) as error:
        ask(world, preferred_start=far, preferred_latest=far + datetime.timedelta(days=7))
    assert error.value.message_dict == {
        "preferred_start": [too_far("The earliest preferred first day")],
        "preferred_latest": [too_far("The latest preferred first day")],
    }
    assert reviews() == 0


def test_a_window_that_ends_before_it_starts_is_refused(world):
    with pytest.raises(
        ValidationError, match="The latest preferred first day must be the same"
    ) as error:
        ask(world, preferred_start=days(40), preferred_latest=days(39))
    assert error.value.message_dict == {
        "preferred_latest": [
            "The latest preferred first day must be the same as or after the earliest, "
            f"{day_text(days(40))}."
        ]
    }
    assert reviews() == 0


def test_a_sensible_window_is_accepted(world):
    review = ask(world, preferred_start=days(40), preferred_latest=days(60))
    assert (review.preferred_start, review.preferred_latest) == (days(40), days(60))


def test_accepting_a_first_day_more_than_three_years_ahead_is_refused(world, od):
    review = ReviewFactory(alliance=world.em, preferred_start=days(30))
    far = latest_sensible() + datetime.timedelta(days=1)
    with (
        scope(alliance=world.em),
        pytest.raises(
            ValidationError, match="The first review day must be within 3 years of"
        ) as error,
    ):
        review_decide(
            review=review, user=world.pm, decision="accept", start_date=far, note="Their choice"
        )
    assert error.value.message_dict == {"start_date": [too_far("The first review day")]}
    review.refresh_from_db()
    assert (review.status, review.start_date) == (Status.REQUESTED, None)


# The findings --------------------------------------------------------------------------------


@pytest.fixture
def review(world, od):
    """Planned over two days, 5 and 6 days ahead, with findings ready to issue."""
    review = planning_review(world.em, preferred_start=days(5))
    on_team(review, od.lead, role="lead")
    with scope(alliance=world.em):
        findings_save(review=review, key_findings="Leaders know their market well.")
        recommendation_add(review=review, text="Publish a market position statement.")
    return review


@pytest.mark.parametrize("today", [days(4), days(5)], ids=["before", "on the first day"])
def test_findings_are_refused_before_the_last_review_day(world, od, review, today):
    with (
        scope(alliance=world.em),
        pytest.raises(
            ValidationError, match="The findings are issued after the review, from"
        ) as error,
    ):
        findings_issue(review=review, user=od.lead, today=today)
    assert error.value.message_dict == {
        "issue": [
            f"The findings are issued after the review, from its last day, {day_text(days(6))}."
        ]
    }
    review.refresh_from_db()
    assert (review.status, review.findings_issued_at) == (Status.PLANNING, None)


def test_findings_are_issued_from_the_last_review_day(world, od, review):
    with scope(alliance=world.em):
        version = findings_issue(review=review, user=od.lead, today=days(6))
    review.refresh_from_db()
    assert review.status == Status.FINDINGS_ISSUED
    assert version.number == 1


def test_the_findings_page_says_why_it_cannot_issue_yet(client, world, od, review):
    client.force_login(od.lead)
    response = client.post(
        reverse("ondemand:findings_issue", kwargs={"alliance": world.em.slug, "review": review.pk}),
        follow=True,
    )
    assert response.status_code == 200
    message = f"The findings are issued after the review, from its last day, {day_text(days(6))}."
    assert message in response.content.decode()
    review.refresh_from_db()
    assert review.status == Status.PLANNING


def test_the_request_page_shows_a_mistyped_year_in_the_error_summary(client, world):
    client.force_login(world.dcs)
    far = latest_sensible() + datetime.timedelta(days=1)
    response = client.post(
        reverse("ondemand:review_request", kwargs={"alliance": world.em.slug}),
        {
            "local_authority": council("Derby").pk,
            "service_area": "Front door",
            "primary_kloe": "Right help, right time?",
            "why_now": "Contacts are up.",
            **date_parts("preferred_start", far),
            "days": "1",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert (
        f'<a href="#id_preferred_start">{too_far("The earliest preferred first day")}</a>' in html
    )
    assert reviews() == 0
