"""The on-demand offer's part of the cross-tenant matrix (tests/test_tenancy_matrix.py)."""


def ondemand_ids(alliance, *, council_name: str, lead) -> dict:
    """URL keyword -> the pk of an object of the on-demand offer filed under `alliance`: a
    review of `council_name` with `lead` invited as its lead reviewer, an activity, a
    schedule session and a recommendation."""
    import datetime

    from django_scopes import scopes_disabled

    from tests.factories import SessionFactory, council
    from tests.ondemand.factories import (
        ActivityFactory,
        RecommendationFactory,
        on_team,
        planning_review,
    )

    with scopes_disabled():
        review = planning_review(alliance, local_authority=council(council_name))
        reviewer = on_team(review, lead, role="lead", response="invited")
        activity = ActivityFactory(
            alliance=alliance, review=review, kind="site_visit", description="Secret"
        )
        slot = SessionFactory(
            alliance=alliance,
            challenge=review,
            kind="interview",
            title=f"Interview with {council_name}'s DCS",
            starts_at=datetime.datetime(2027, 6, 1, 10, tzinfo=datetime.UTC),
            ends_at=datetime.datetime(2027, 6, 1, 11, tzinfo=datetime.UTC),
        )
        recommendation = RecommendationFactory(
            alliance=alliance, review=review, text="Secret recommendation"
        )
    return {
        "review": review.pk,
        "reviewer": reviewer.pk,
        "activity": activity.pk,
        "slot": slot.pk,
        "recommendation": recommendation.pk,
    }


def london_ondemand(world) -> dict:
    """URL keyword -> the pk of an object of the on-demand offer filed under London: a
    review of Camden with a reviewer, an activity, a schedule session and a recommendation."""
    if not hasattr(world, "london_ondemand"):
        world.london_ondemand = ondemand_ids(
            world.london, council_name="Camden", lead=world.outsider
        )
    return world.london_ondemand
