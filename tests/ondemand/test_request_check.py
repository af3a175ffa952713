"""The request's "Check your answers" page (peerchallenge.views.check_answers): "Continue"
keeps the answers, the check page shows them, "Change" brings them back, "Send the
request" sends it once."""

import pytest
from django.core import signing
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from ondemand.models import Review
from peerchallenge.dates import weekday_text
from tests import clock
from tests.factories import council
from tests.forms import date_parts, shows_date


def url(world, name):
    return reverse(f"ondemand:{name}", kwargs={"alliance": world.em.slug})


def answers(**overrides):
    return {
        "local_authority": council("Derby").pk,
        "service_area": "Front door",
        "primary_kloe": "Right help, right time?",
        "why_now": "Contacts are up.",
        **date_parts("preferred_start", clock.days(20)),
        **date_parts("preferred_latest", None),
        "days": "2",
        **overrides,
    }


def reviews() -> int:
    with scopes_disabled():  # counted across alliances on purpose
        return Review.objects.count()


def continue_to_check(client, world, **overrides):
    response = client.post(url(world, "review_request"), answers(**overrides))
    assert (response.status_code, response["Location"]) == (302, url(world, "review_request_check"))


def test_check_page_shows_every_answer_with_a_change_link(client, world):
    client.force_login(world.dcs)
    continue_to_check(client, world)
    response = client.get(url(world, "review_request_check"))
    page = response.content.decode()
    change = url(world, "review_request") + "?change=1"
    assert response.status_code == 200
    for field, answer, names in [
        ("local_authority", "Derby", "the council"),
        ("service_area", "Front door", "the service area to review"),
        ("primary_kloe", "Right help, right time?", "the primary key line of enquiry"),
        ("why_now", "Contacts are up.", "why now"),
        ("preferred_start", weekday_text(clock.days(20)), "the earliest preferred first day"),
        ("preferred_latest", "Not given", "the latest preferred first day"),
        ("days", "Two days", "the length"),
    ]:
        assert f'<dd class="govuk-summary-list__value">{answer}</dd>' in page
        assert (
            f'<a class="govuk-link" href="{change}#id_{field}">Change<span '
            f'class="govuk-visually-hidden"> {names}</span></a>'
        ) in page
    assert ">Send the request</button>" in page
    assert reviews() == 0


def test_change_brings_back_every_answer(client, world):
    client.force_login(world.dcs)
    continue_to_check(client, world)
    page = client.get(url(world, "review_request") + "?change=1").content.decode()
    assert 'value="Front door"' in page
    assert "Right help, right time?</textarea>" in page
    assert shows_date(page, "preferred_start", clock.days(20))
    assert 'id="id_days_2" value="2" checked>' in page
    assert f'action="{url(world, "review_request")}"' in page
    assert 'value="Continue"' in page


def test_bad_answers_stay_on_the_question(client, world):
    client.force_login(world.dcs)
    response = client.post(url(world, "review_request"), answers(why_now=""))
    assert response.status_code == 200
    assert '<a href="#id_why_now">Say why the council wants this review now.</a>' in response.text
    assert url(world, "review_request_check") not in response.get("Location", "")
    assert client.get(url(world, "review_request_check"))["Location"] == url(
        world, "review_request"
    )


def test_a_repeated_send_makes_one_review(client, world, mailoutbox):
    client.force_login(world.dcs)
    continue_to_check(client, world)
    first = client.post(url(world, "review_request_check"))
    second = client.post(url(world, "review_request_check"))
    with scope(alliance=world.em):
        review = Review.objects.get()
    detail = reverse(
        "ondemand:review_detail", kwargs={"alliance": world.em.slug, "review": review.pk}
    )
    assert (first["Location"], second["Location"]) == (detail, detail)
    assert (review.service_area, review.days) == ("Front door", 2)
    assert reviews() == 1


def test_no_answers_kept_sends_the_check_page_to_the_question(client, world):
    client.force_login(world.dcs)
    for method in (client.get, client.post):
        response = method(url(world, "review_request_check"))
        assert (response.status_code, response["Location"]) == (302, url(world, "review_request"))


def test_the_check_page_keeps_the_request_permission(client, world):
    client.force_login(world.tier2)
    assert client.get(url(world, "review_request_check")).status_code == 403
    assert client.post(url(world, "review_request_check")).status_code == 403


@pytest.mark.parametrize("other", ["Leicester", "Camden"])  # not theirs; another alliance's
def test_a_kept_council_not_theirs_is_refused(client, world, other):
    client.force_login(world.dcs)
    session = client.session
    name = f"check_answers:ondemand.request:{world.em.pk}"
    draft = {
        "local_authority": str(council(other).pk),
        "service_area": "Front door",
        "primary_kloe": "Right help, right time?",
        "why_now": "Contacts are up.",
        "preferred_start": clock.days(20).isoformat(),
        "preferred_latest": "",
        "days": "1",
    }
    session[name] = signing.dumps({"answers": draft}, salt=f"{name}:{world.dcs.pk}")
    session.save()
    response = client.get(url(world, "review_request_check"))
    assert response["Location"] == url(world, "review_request") + "?change=1"
    response = client.post(url(world, "review_request_check"))
    assert response.status_code == 200
    assert "Select a valid choice." in response.text
    assert other not in response.text
    assert reviews() == 0
