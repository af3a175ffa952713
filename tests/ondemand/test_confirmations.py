"""Destructive steps of a review ask first: the list links to a page that says what removing
means; the page's "Yes, remove" (confirm=yes, with the form token) removes; a GET changes
nothing, a POST without the confirmation shows the page again, a second POST is harmless,
another alliance's ids give 404 and a member without the role 403 (and no link)."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from ondemand.models import Activity, Recommendation, Reviewer
from peerchallenge.models import Session
from tests.factories import SessionFactory
from tests.ondemand.factories import (
    ActivityFactory,
    RecommendationFactory,
    on_team,
    planning_review,
)
from tests.ondemand.matrix import london_ondemand

TOKEN = re.compile(r'name="form_token" value="([A-Za-z0-9_-]+)"')


@pytest.fixture
def review(world, od):
    review = planning_review(world.em)
    on_team(review, od.lead, role="lead")
    return review


def make(kind, world, od, review):
    """(url keyword, pk, model) of one removable thing of `review`."""
    if kind == "reviewer":
        return "reviewer", on_team(review, od.officer, response="invited").pk, Reviewer
    if kind == "activity":
        activity = ActivityFactory(
            alliance=world.em, review=review, kind="site_visit", description="Family hub visit"
        )
        return "activity", activity.pk, Activity
    if kind == "recommendation":
        recommendation = RecommendationFactory(
            alliance=world.em, review=review, text="Publish the sufficiency strategy."
        )
        return "recommendation", recommendation.pk, Recommendation
    start = timezone.now().replace(microsecond=0) + datetime.timedelta(days=30)
    slot = SessionFactory(
        alliance=world.em,
        challenge=review,
        kind="interview",
        title="Interview with the DCS",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=1),
    )
    return "slot", slot.pk, Session


# kind -> (URL name, list page, who may, who may not (sees the review), heading)
CASES = {
    "reviewer": ("reviewer_remove", "team", "pm", "officer", "Remove Pete Officer from the team?"),
    "activity": (
        "activity_remove",
        "activities",
        "pm",
        "officer",
        "Remove this site visit from the plan?",
    ),
    "recommendation": (
        "recommendation_remove",
        "findings",
        "lead",
        "pm",
        "Remove this recommendation?",
    ),
    "slot": ("slot_delete", "schedule", "pm", "officer", "Remove “Interview with the DCS”"),
}


def person(who, world, od):
    return getattr(od, who, None) or getattr(world, who)


def urls(world, review, kind, keyword, pk):
    name, page = CASES[kind][:2]
    base = {"alliance": world.em.slug, "review": review.pk}
    return (
        reverse(f"ondemand:{name}", kwargs={**base, keyword: pk}),
        reverse(f"ondemand:{page}", kwargs=base),
    )


def exists(model, world, pk) -> bool:
    with scope(alliance=world.em):
        return model.objects.filter(pk=pk).exists()


@pytest.mark.parametrize("kind", CASES)
def test_confirmation_get_shows_the_page_and_changes_nothing(client, world, od, review, kind):
    keyword, pk, model = make(kind, world, od, review)
    if kind == "slot":
        on_team(review, od.officer)
    url, back = urls(world, review, kind, keyword, pk)
    client.force_login(person(CASES[kind][2], world, od))
    response = client.get(url)
    page = response.content.decode()
    assert response.status_code == 200
    assert CASES[kind][4] in page
    assert 'name="confirm" value="yes"' in page
    assert f'<a class="govuk-link" href="{back}">Cancel</a>' in page
    assert exists(model, world, pk)


@pytest.mark.parametrize("kind", CASES)
def test_post_without_confirm_shows_the_page_and_removes_nothing(client, world, od, review, kind):
    keyword, pk, model = make(kind, world, od, review)
    url, _ = urls(world, review, kind, keyword, pk)
    client.force_login(person(CASES[kind][2], world, od))
    response = client.post(url)
    assert response.status_code == 200
    assert CASES[kind][4] in response.content.decode()
    assert exists(model, world, pk)


@pytest.mark.parametrize("kind", CASES)
def test_confirmed_post_removes_once_and_a_second_is_harmless(client, world, od, review, kind):
    keyword, pk, model = make(kind, world, od, review)
    url, back = urls(world, review, kind, keyword, pk)
    client.force_login(person(CASES[kind][2], world, od))
    token = TOKEN.findall(client.get(url).content.decode())[0]
    data = {"confirm": "yes", "form_token": token}
    first, second = client.post(url, data), client.post(url, data)
    assert (first.status_code, second.status_code) == (302, 302)
    assert first["Location"].split("#")[0] == back
    assert second["Location"] == first["Location"]
    assert not exists(model, world, pk)
    # Without the token (a script), the thing is gone: 404, nothing else happens.
    assert client.post(url, {"confirm": "yes"}).status_code == 404


@pytest.mark.parametrize("kind", CASES)
def test_member_without_the_role_gets_403_and_no_link(client, world, od, review, kind):
    keyword, pk, model = make(kind, world, od, review)
    if kind != "reviewer":
        on_team(review, od.officer)
    url, back = urls(world, review, kind, keyword, pk)
    client.force_login(person(CASES[kind][3], world, od))
    assert client.get(url).status_code == 403
    assert client.post(url, {"confirm": "yes"}).status_code == 403
    assert exists(model, world, pk)
    assert url not in client.get(back).content.decode()
    client.force_login(person(CASES[kind][2], world, od))
    assert url in client.get(back).content.decode()


@pytest.mark.parametrize("kind", CASES)
def test_another_alliances_ids_give_404(client, world, od, review, kind):
    london = london_ondemand(world)
    keyword = {"reviewer": "reviewer", "activity": "activity"}.get(kind, kind)
    name = CASES[kind][0]
    client.force_login(person(CASES[kind][2], world, od))
    for base in (
        {"alliance": world.em.slug, "review": review.pk},
        {"alliance": world.em.slug, "review": london["review"]},
    ):
        url = reverse(f"ondemand:{name}", kwargs={**base, keyword: london[keyword]})
        assert client.get(url).status_code == 404
        assert client.post(url, {"confirm": "yes"}).status_code == 404
    with scopes_disabled():
        assert Reviewer.objects.filter(pk=london["reviewer"]).exists()
        assert Activity.objects.filter(pk=london["activity"]).exists()
        assert Recommendation.objects.filter(pk=london["recommendation"]).exists()
        assert Session.objects.filter(pk=london["slot"]).exists()


def test_no_confirmation_page_once_the_review_is_no_longer_planned(client, world, od, review):
    keyword, pk, model = make("reviewer", world, od, review)
    review.status = "findings_issued"
    review.save(update_fields=["status"])
    url, _ = urls(world, review, "reviewer", keyword, pk)
    client.force_login(world.pm)
    assert client.get(url).status_code == 403
    assert exists(model, world, pk)
