"""The request: a council asks; the programme manager accepts, asks or declines; the council
answers. Bad input refused with a clear message, the council emailed each time."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope

from ondemand.models import RequestNote, Review, Status
from ondemand.services.request import review_answer, review_decide, review_request
from tests.factories import council
from tests.forms import date_parts, shows_date
from tests.ondemand.factories import ReviewFactory


def long(day: datetime.date) -> str:
    return f"{day.day} {day:%B %Y}"


TODAY = datetime.date(2026, 5, 4)


def request(world, **overrides):
    data = {
        "alliance": world.em,
        "user": world.organiser,
        "local_authority": council("Derby"),
        "service_area": "Children's commissioning",
        "primary_kloe": "How well does commissioning secure local placements?",
        "why_now": "Our sufficiency strategy is due.",
        "preferred_start": TODAY + datetime.timedelta(days=40),
        "days": 2,
        "today": TODAY,
    }
    data.update(overrides)
    with scope(alliance=world.em):
        return review_request(**data)


def test_request_saved_and_planners_emailed(world, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        review = request(world)
    assert (review.status, review.days, review.requested_by) == (
        Status.REQUESTED,
        2,
        world.organiser,
    )
    assert sorted(m.to[0] for m in mailoutbox) == ["cora@example.org", "pat@example.org"]
    assert mailoutbox[0].subject == (
        "Derby requests an on-demand review of Children's commissioning"
    )


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"preferred_start": TODAY - datetime.timedelta(days=1)},
            "preferred_start",
            "The earliest preferred first day must be today or in the future (today is 4 May "
            "2026).",
        ),
        ({"days": 3}, "days", "Choose one or two days."),
        (
            {"preferred_start": None},
            "preferred_start",
            "Enter the earliest preferred first day of the review.",
        ),
        (
            {"local_authority": "Leicester"},
            "local_authority",
            "Choose your own council: a review is requested by the council's DCS or organiser.",
        ),
        ({"primary_kloe": "  "}, "primary_kloe", "Enter the primary key line of enquiry."),
        ({"why_now": ""}, "why_now", "Say why the council wants this review now."),
    ],
)
def test_request_bad_input_refused(world, overrides, field, message):
    if overrides.get("local_authority") == "Leicester":
        overrides["local_authority"] = council("Leicester")
    with pytest.raises(ValidationError, match=re.escape(message)) as error:
        request(world, **overrides)
    assert error.value.message_dict[field] == [message]
    with scope(alliance=world.em):
        assert Review.objects.count() == 0


def test_request_today_is_allowed(world):
    assert request(world, preferred_start=TODAY).preferred_start == TODAY


def decide(world, review, **kwargs):
    kwargs.setdefault("today", TODAY)
    with scope(alliance=world.em):
        return review_decide(review=review, user=world.pm, **kwargs)


def test_accept_sets_the_dates_and_emails_the_council(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    review = ReviewFactory(alliance=world.em, preferred_start=TODAY + datetime.timedelta(days=9))
    with django_capture_on_commit_callbacks(execute=True):
        decide(world, review, decision="accept")
    review.refresh_from_db()
    assert (review.status, review.start_date) == (Status.PLANNING, review.preferred_start)
    assert sorted(m.to[0] for m in mailoutbox) == ["dee@example.org", "oscar@example.org"]
    assert mailoutbox[0].subject == "Your on-demand review of Children's commissioning is accepted"


def test_accept_on_a_date_in_the_past_is_refused(world):
    review = ReviewFactory(alliance=world.em)
    with pytest.raises(
        ValidationError, match="The first review day must be today or in the"
    ) as error:
        decide(world, review, decision="accept", start_date=TODAY - datetime.timedelta(days=2))
    assert error.value.message_dict == {
        "start_date": ["The first review day must be today or in the future (today is 4 May 2026)."]
    }
    review.refresh_from_db()
    assert review.status == Status.REQUESTED


def test_ask_then_answer_goes_back_to_the_pm(world, mailoutbox, django_capture_on_commit_callbacks):
    review = ReviewFactory(alliance=world.em)
    with django_capture_on_commit_callbacks(execute=True):
        decide(world, review, decision="ask", note="Which teams are in scope?")
    assert review.status == Status.MORE_INFORMATION
    assert "[Action required]" in mailoutbox[0].subject
    assert "Which teams are in scope?" in mailoutbox[0].body
    with scope(alliance=world.em), django_capture_on_commit_callbacks(execute=True):
        review_answer(review=review, user=world.dcs, answer="Placements and brokerage.")
    review.refresh_from_db()
    assert review.status == Status.REQUESTED
    with scope(alliance=world.em):
        assert list(RequestNote.objects.filter(review=review).values_list("kind", "text")) == [
            ("question", "Which teams are in scope?"),
            ("answer", "Placements and brokerage."),
        ]
    assert mailoutbox[-1].subject == (
        "Derby has answered your question about its on-demand review request"
    )


@pytest.mark.parametrize("decision", ["ask", "decline"])
def test_ask_or_decline_needs_a_note(world, decision):
    review = ReviewFactory(alliance=world.em)
    expected = {
        "ask": "Enter what the council should tell you",
        "decline": "Enter the reason for declining",
    }
    with pytest.raises(ValidationError, match=expected[decision]) as error:
        decide(world, review, decision=decision, note=" ")
    assert list(error.value.message_dict) == ["note"]


def test_decline_with_reason_emails_the_council(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    review = ReviewFactory(alliance=world.em)
    with django_capture_on_commit_callbacks(execute=True):
        decide(world, review, decision="decline", note="A triad covers this next month.")
    assert review.status == Status.DECLINED
    assert "A triad covers this next month." in mailoutbox[0].body


def test_decided_request_cannot_be_decided_again(world):
    review = ReviewFactory(alliance=world.em, status=Status.DECLINED)
    with pytest.raises(
        ValidationError, match="This request is “Declined”: nothing to decide"
    ) as error:
        decide(world, review, decision="accept")
    assert error.value.message_dict == {
        "decision": ["This request is “Declined”: nothing to decide."]
    }


def test_answer_without_a_question_refused(world):
    review = ReviewFactory(alliance=world.em)
    with (
        scope(alliance=world.em),
        pytest.raises(
            ValidationError, match="The programme manager has not asked for anything"
        ) as error,
    ):
        review_answer(review=review, user=world.dcs, answer="Hello")
    assert error.value.message_dict == {
        "answer": ["The programme manager has not asked for anything."]
    }


# Views ----------------------------------------------------------------------------------


def test_request_page_creates_a_review(client, world):
    client.force_login(world.dcs)
    url = reverse("ondemand:review_request", kwargs={"alliance": world.em.slug})
    start = timezone.localdate() + datetime.timedelta(days=20)
    response = client.post(
        url,
        {
            "local_authority": council("Derby").pk,
            "service_area": "Front door",
            "primary_kloe": "Right help, right time?",
            "why_now": "Contacts are up.",
            **date_parts("preferred_start", start),
            "days": "1",
        },
    )
    check = reverse("ondemand:review_request_check", kwargs={"alliance": world.em.slug})
    assert response["Location"] == check
    response = client.post(check)
    with scope(alliance=world.em):
        review = Review.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "ondemand:review_detail", kwargs={"alliance": world.em.slug, "review": review.pk}
    )
    assert (review.service_area, review.days, review.preferred_start) == ("Front door", 1, start)


def test_request_page_date_in_the_past_shows_the_error_and_keeps_the_input(client, world):
    client.force_login(world.dcs)
    url = reverse("ondemand:review_request", kwargs={"alliance": world.em.slug})
    response = client.post(
        url,
        {
            "local_authority": council("Derby").pk,
            "service_area": "Front door",
            "primary_kloe": "Right help, right time?",
            "why_now": "Contacts are up.",
            "preferred_start": "2020-01-01",
            "days": "1",
        },
    )
    assert response.status_code == 200
    assert "The earliest preferred first day must be today or in the future" in response.text
    assert 'value="Front door"' in response.text


def test_request_page_is_for_council_people_only(client, world):
    client.force_login(world.tier2)
    url = reverse("ondemand:review_request", kwargs={"alliance": world.em.slug})
    assert client.get(url).status_code == 403


def test_pm_decides_on_the_page(client, world):
    review = ReviewFactory(alliance=world.em)
    client.force_login(world.pm)
    url = reverse("ondemand:review_decide", kwargs={"alliance": world.em.slug, "review": review.pk})
    assert client.get(url).status_code == 200
    response = client.post(url, {"decision": "decline", "note": ""})
    assert response.status_code == 200
    assert "Enter the reason for declining: the council will read it." in response.text
    response = client.post(url, {"decision": "accept", "note": "", "start_date": ""})
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.status == Status.PLANNING


def test_council_cannot_decide_its_own_request(client, world):
    review = ReviewFactory(alliance=world.em)
    client.force_login(world.dcs)
    url = reverse("ondemand:review_decide", kwargs={"alliance": world.em.slug, "review": review.pk})
    assert client.post(url, {"decision": "accept"}).status_code == 403


# The preferred window for the first day -------------------------------------------------

EARLIEST = TODAY + datetime.timedelta(days=40)  # Saturday 13 June 2026
LATEST = TODAY + datetime.timedelta(days=54)  # Saturday 27 June 2026


def test_request_with_a_window_saved_and_in_the_planners_email(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        review = request(world, preferred_start=EARLIEST, preferred_latest=LATEST)
    review.refresh_from_db()
    assert (review.preferred_start, review.preferred_latest) == (EARLIEST, LATEST)
    assert (
        "Children's commissioning at Derby: 2 days, starting between 13 June 2026 and 27 June "
        "2026." in mailoutbox[0].body
    )


@pytest.mark.parametrize(
    ("latest", "message"),
    [
        (
            EARLIEST - datetime.timedelta(days=1),
            "The latest preferred first day must be the same as or after the earliest, "
            "13 June 2026.",
        ),
        (
            TODAY - datetime.timedelta(days=1),
            "The latest preferred first day must be today or in the future (today is 4 May 2026).",
        ),
    ],
)
def test_request_latest_before_earliest_or_in_the_past_refused(world, latest, message):
    with pytest.raises(ValidationError, match=re.escape(message)) as error:
        request(world, preferred_start=EARLIEST, preferred_latest=latest)
    assert error.value.message_dict == {"preferred_latest": [message]}
    with scope(alliance=world.em):
        assert Review.objects.count() == 0


def test_request_latest_on_the_earliest_is_allowed(world):
    review = request(world, preferred_start=EARLIEST, preferred_latest=EARLIEST)
    assert (review.preferred_start, review.preferred_latest) == (EARLIEST, EARLIEST)


def test_window_out_of_order_refused_by_the_database_too(world):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        ReviewFactory(
            alliance=world.em,
            preferred_start=EARLIEST,
            preferred_latest=EARLIEST - datetime.timedelta(days=1),
        )


def windowed(world, latest=LATEST):
    return ReviewFactory(alliance=world.em, preferred_start=EARLIEST, preferred_latest=latest)


@pytest.mark.parametrize("day", [EARLIEST, EARLIEST + datetime.timedelta(days=7), LATEST])
def test_accept_in_the_window_needs_no_note(world, day):
    review = windowed(world)
    decide(world, review, decision="accept", start_date=day)
    review.refresh_from_db()
    assert (review.status, review.start_date) == (Status.PLANNING, day)


@pytest.mark.parametrize(
    ("latest", "day", "message"),
    [
        (
            LATEST,
            LATEST + datetime.timedelta(days=1),
            "The council asked to start between 13 June 2026 and 27 June 2026: to accept 28 "
            "June 2026 instead, tell the council why in the note.",
        ),
        (
            LATEST,
            EARLIEST - datetime.timedelta(days=1),
            "The council asked to start between 13 June 2026 and 27 June 2026: to accept 12 "
            "June 2026 instead, tell the council why in the note.",
        ),
        (
            None,
            EARLIEST - datetime.timedelta(days=3),
            "The council asked to start on or after 13 June 2026: to accept 10 June 2026 "
            "instead, tell the council why in the note.",
        ),
        (
            EARLIEST,
            EARLIEST + datetime.timedelta(days=1),
            "The council asked to start on 13 June 2026: to accept 14 June 2026 instead, tell "
            "the council why in the note.",
        ),
    ],
)
def test_accept_outside_the_window_without_a_note_refused(world, latest, day, message):
    review = windowed(world, latest=latest)
    with pytest.raises(ValidationError, match=re.escape(message)) as error:
        decide(world, review, decision="accept", start_date=day)
    assert error.value.message_dict == {"note": [message]}
    review.refresh_from_db()
    assert (review.status, review.start_date) == (Status.REQUESTED, None)


def test_accept_outside_the_window_with_a_reason_emails_it(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    review = windowed(world)
    day = LATEST + datetime.timedelta(days=10)
    with django_capture_on_commit_callbacks(execute=True):
        decide(
            world,
            review,
            decision="accept",
            start_date=day,
            note="No lead reviewer is free in June; your DCS agreed 7 July by phone.",
        )
    review.refresh_from_db()
    assert (review.status, review.start_date) == (Status.PLANNING, day)
    assert "The review takes place on 7 July 2026 and 8 July 2026." in mailoutbox[0].body
    assert "No lead reviewer is free in June; your DCS agreed 7 July by phone." in (
        mailoutbox[0].body
    )


def test_accept_with_no_latest_day_allows_any_later_first_day(world):
    review = windowed(world, latest=None)
    day = EARLIEST + datetime.timedelta(days=90)
    decide(world, review, decision="accept", start_date=day)
    review.refresh_from_db()
    assert review.start_date == day


def test_request_page_saves_the_window(client, world):
    client.force_login(world.dcs)
    url = reverse("ondemand:review_request", kwargs={"alliance": world.em.slug})
    start = timezone.localdate() + datetime.timedelta(days=20)
    latest = start + datetime.timedelta(days=14)
    response = client.post(
        url,
        {
            "local_authority": council("Derby").pk,
            "service_area": "Front door",
            "primary_kloe": "Right help, right time?",
            "why_now": "Contacts are up.",
            **date_parts("preferred_start", start),
            **date_parts("preferred_latest", latest),
            "days": "1",
        },
    )
    check = reverse("ondemand:review_request_check", kwargs={"alliance": world.em.slug})
    assert response["Location"] == check
    assert client.post(check).status_code == 302
    with scope(alliance=world.em):
        review = Review.objects.get()
    assert (review.preferred_start, review.preferred_latest) == (start, latest)


def test_request_page_latest_before_earliest_shows_the_error_and_keeps_the_input(client, world):
    client.force_login(world.dcs)
    url = reverse("ondemand:review_request", kwargs={"alliance": world.em.slug})
    start = timezone.localdate() + datetime.timedelta(days=20)
    latest = start - datetime.timedelta(days=1)
    response = client.post(
        url,
        {
            "local_authority": council("Derby").pk,
            "service_area": "Front door",
            "primary_kloe": "Right help, right time?",
            "why_now": "Contacts are up.",
            **date_parts("preferred_start", start),
            **date_parts("preferred_latest", latest),
            "days": "1",
        },
    )
    assert response.status_code == 200
    assert (
        '<a href="#id_preferred_latest">The latest preferred first day must be the same as or '
        "after the earliest" in response.text
    )
    assert shows_date(response.text, "preferred_latest", latest)
    assert shows_date(response.text, "preferred_start", start)
    with scope(alliance=world.em):
        assert Review.objects.count() == 0


def test_decision_page_shows_the_window_and_refuses_a_day_outside_it_without_a_note(client, world):
    earliest = timezone.localdate() + datetime.timedelta(days=30)
    latest = earliest + datetime.timedelta(days=14)
    review = ReviewFactory(alliance=world.em, preferred_start=earliest, preferred_latest=latest)
    client.force_login(world.pm)
    url = reverse("ondemand:review_decide", kwargs={"alliance": world.em.slug, "review": review.pk})
    page = client.get(url).text
    assert (
        f"Between {earliest:%A} {earliest.day} {earliest:%B %Y} and {latest:%A} {latest.day} "
        f"{latest:%B %Y}" in page
    )
    assert (
        f"The council's preferred first days: from {long(earliest)} to {long(latest)}. "
        f"Leave empty for the earliest, {long(earliest)}.</div>" in page
    )
    outside = latest + datetime.timedelta(days=1)
    response = client.post(
        url, {"decision": "accept", **date_parts("start_date", outside), "note": ""}
    )
    assert response.status_code == 200
    assert '<a href="#id_note">The council asked to start between' in response.text
    assert shows_date(response.text, "start_date", outside)
    review.refresh_from_db()
    assert review.status == Status.REQUESTED
    response = client.post(
        url,
        {
            "decision": "accept",
            **date_parts("start_date", outside),
            "note": "The lead reviewer is free only then.",
        },
    )
    assert response.status_code == 302
    review.refresh_from_db()
    assert (review.status, review.start_date) == (Status.PLANNING, outside)
