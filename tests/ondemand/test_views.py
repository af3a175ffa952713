"""Who sees what: within the alliance another council gets 404 on every page of a review;
the list shows each person theirs, in a fixed number of queries; national alliances have no
on-demand pages."""

import pytest
from django.urls import reverse

from peerchallenge.models import Alliance
from tests.factories import AllianceFactory, MembershipFactory, council
from tests.ondemand.factories import (
    ActivityFactory,
    RecommendationFactory,
    ReviewFactory,
    on_team,
    planning_review,
)

REVIEW_PAGES = [
    "review_detail",
    "review_decide",
    "review_answer",
    "team",
    "activities",
    "activities_agree",
    "schedule",
    "arrangements",
    "findings",
    "findings_issue",
    "presentation",
]


@pytest.mark.parametrize("name", REVIEW_PAGES)
def test_another_council_of_the_alliance_gets_404(client, world, od, name):
    review = planning_review(world.em)
    client.force_login(od.leicester_organiser)
    url = reverse(f"ondemand:{name}", kwargs={"alliance": world.em.slug, "review": review.pk})
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404


def test_another_council_gets_404_on_object_pages(client, world, od):
    review = planning_review(world.em)
    reviewer = on_team(review, od.officer, response="invited")
    activity = ActivityFactory(
        alliance=world.em, review=review, kind="site_visit", description="Hub"
    )
    recommendation = RecommendationFactory(alliance=world.em, review=review, text="x")
    base = {"alliance": world.em.slug, "review": review.pk}
    client.force_login(od.leicester_organiser)
    for name, extra in [
        ("reviewer_respond", {"reviewer": reviewer.pk}),
        ("reviewer_remove", {"reviewer": reviewer.pk}),
        ("activity_remove", {"activity": activity.pk}),
        ("recommendation_respond", {"recommendation": recommendation.pk}),
        ("recommendation_remove", {"recommendation": recommendation.pk}),
    ]:
        url = reverse(f"ondemand:{name}", kwargs={**base, **extra})
        assert client.post(url).status_code == 404, name


def test_object_of_another_review_gets_404(client, world, od):
    mine, other = planning_review(world.em), planning_review(world.em)
    activity = ActivityFactory(
        alliance=world.em, review=other, kind="site_visit", description="Hub"
    )
    client.force_login(world.organiser)
    url = reverse(
        "ondemand:activity_remove",
        kwargs={"alliance": world.em.slug, "review": mine.pk, "activity": activity.pk},
    )
    assert client.post(url).status_code == 404


def test_list_shows_each_person_theirs(client, world, od):
    derby = ReviewFactory(alliance=world.em, service_area="Derby front door")
    ReviewFactory(
        alliance=world.em, local_authority=council("Leicester"), service_area="Leicester SEND"
    )
    url = reverse("ondemand:review_list", kwargs={"alliance": world.em.slug})
    client.force_login(world.dcs)
    response = client.get(url)
    assert "Derby front door" in response.text
    assert "Leicester SEND" not in response.text
    client.force_login(world.pm)
    response = client.get(url)
    assert "Derby front door" in response.text and "Leicester SEND" in response.text
    client.force_login(od.officer)
    assert "Derby front door" not in client.get(url).text
    on_team(derby, od.officer, response="invited")
    assert "Derby front door" in client.get(url).text


@pytest.mark.parametrize("rows", [1, 15])
def test_list_query_count_does_not_grow(client, world, od, rows, django_assert_max_num_queries):
    for n in range(rows):
        review = ReviewFactory(alliance=world.em, service_area=f"Area {n}")
        on_team(review, od.officer)
    client.force_login(od.officer)
    url = reverse("ondemand:review_list", kwargs={"alliance": world.em.slug})
    with django_assert_max_num_queries(12):
        response = client.get(url)
    assert response.text.count("Area ") == rows


@pytest.mark.parametrize("rows", [1, 10])
def test_detail_query_count_does_not_grow(client, world, od, rows, django_assert_max_num_queries):
    review = planning_review(world.em)
    for n in range(rows):
        ActivityFactory(alliance=world.em, review=review, kind="other", description=f"{n}")
        RecommendationFactory(alliance=world.em, review=review, text=f"R{n}")
    on_team(review, od.lead, role="lead")
    client.force_login(world.pm)
    url = reverse("ondemand:review_detail", kwargs={"alliance": world.em.slug, "review": review.pk})
    with django_assert_max_num_queries(20):
        assert client.get(url).status_code == 200


def test_no_ondemand_pages_in_a_national_alliance(client, world):
    lga = AllianceFactory(name="LGA", slug="lga", kind=Alliance.Kind.NATIONAL)
    MembershipFactory(alliance=lga, user=world.pm, role="programme_manager")
    client.force_login(world.pm)
    assert (
        client.get(reverse("ondemand:review_list", kwargs={"alliance": "lga"})).status_code == 404
    )


def test_pages_render_for_the_people_who_use_them(client, world, od):
    review = planning_review(world.em)
    on_team(review, od.lead, role="lead")
    base = {"alliance": world.em.slug, "review": review.pk}
    for user, names in [
        (world.organiser, ["review_detail", "activities", "schedule", "arrangements", "team"]),
        (od.lead, ["findings", "presentation", "activities"]),
        (world.pm, ["team", "review_detail"]),
    ]:
        client.force_login(user)
        for name in names:
            response = client.get(reverse(f"ondemand:{name}", kwargs=base))
            assert response.status_code == 200, (user, name)
            assert "Children&#x27;s commissioning" in response.text
