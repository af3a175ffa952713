"""The agreed actions of on-demand reviews on the shared pages: the council's improvement
plan and a Tier 2 group's board show the actions of every review in a number of queries
that does not grow with the number of reviews."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope

from ondemand.services.findings import recommendation_respond
from tests.factories import Tier2GroupFactory, council
from tests.ondemand.factories import RecommendationFactory, planning_review

PLAN_QUERIES = 10  # 8, the latest PDF of the plan (improvement_plan_pdfs) and the counts
BOARD_QUERIES = 15


def reviews_with_actions(world, n, group):
    """`n` reviews of Derby, findings issued, each with one recommendation accepted as an
    agreed action monitored by `group`, and one of Leicester's that must not show on
    Derby's plan."""
    issued = timezone.now() - datetime.timedelta(days=3)
    due = timezone.localdate() + datetime.timedelta(days=60)
    for number, la in [*((k, "Derby") for k in range(n)), (n, "Leicester")]:
        review = planning_review(
            world.em,
            local_authority=council(la),
            service_area=f"{la} area {number}",
            status="findings_issued",
            findings_issued_at=issued,
        )
        with scope(alliance=world.em):
            recommendation = RecommendationFactory(
                alliance=world.em, review=review, text=f"Recommendation {number}"
            )
            recommendation_respond(
                recommendation=recommendation,
                user=world.organiser,
                accept=True,
                what=f"{la} action {number}",
                owner="Head of service",
                due_date=due,
                tier2_group=group,
            )


@pytest.fixture
def group(world):
    with scope(alliance=world.em):
        group = Tier2GroupFactory(alliance=world.em, name="Sufficiency")
        group.members.add(world.tier2)
    return group


@pytest.mark.parametrize("reviews", [2, 10])
def test_improvement_plan_query_count_does_not_grow_with_reviews(
    client, world, group, reviews, django_assert_max_num_queries
):
    reviews_with_actions(world, reviews, group)
    client.force_login(world.dcs)
    url = reverse(
        "improvement_plan", kwargs={"alliance": world.em.slug, "gss": council("Derby").gss_code}
    )
    client.get(url)  # warms the per-process caches (content types), whichever test runs first
    with django_assert_max_num_queries(PLAN_QUERIES):
        response = client.get(url)
    assert response.status_code == 200
    assert [n for n in range(reviews + 1) if f"Derby action {n}<" in response.text] == list(
        range(reviews)
    )
    assert [n for n in range(reviews) if f"Derby area {n}" in response.text] == list(range(reviews))
    assert "Leicester" not in response.text


@pytest.mark.parametrize("reviews", [2, 10])
def test_tier2_board_query_count_does_not_grow_with_reviews(
    client, world, group, reviews, django_assert_max_num_queries
):
    reviews_with_actions(world, reviews, group)
    client.force_login(world.tier2)
    url = reverse("tier2_board", kwargs={"alliance": world.em.slug, "group": group.pk})
    client.get(url)  # warms the per-process caches (content types), whichever test runs first
    with django_assert_max_num_queries(BOARD_QUERIES):
        response = client.get(url)
    assert response.status_code == 200
    assert response.context["page"].paginator.count == reviews + 1
    assert sorted(n for n in range(reviews) if f"Derby action {n}<" in response.text) == list(
        range(reviews)
    )
    assert f"Leicester action {reviews}<" in response.text
