"""The on-demand offer's part of the cross-tenant matrix (tests/test_tenancy_matrix.py)."""


def london_ondemand(world) -> dict:
    """URL keyword -> the pk of an object of the on-demand offer filed under London: a
    review of Camden with a reviewer, an activity, a schedule session and a recommendation."""
    if not hasattr(world, "london_ondemand"):
        import datetime

        from django_scopes import scopes_disabled

        from ondemand.models import Activity, Recommendation
        from peerchallenge.models import Session
        from tests.factories import council
        from tests.ondemand.factories import on_team, planning_review

        with scopes_disabled():
            review = planning_review(world.london, local_authority=council("Camden"))
            reviewer = on_team(review, world.outsider, role="lead", response="invited")
            activity = Activity.objects.create(
                alliance=world.london, review=review, kind="site_visit", description="Secret"
            )
            slot = Session.objects.create(
                alliance=world.london,
                challenge=review,
                kind="interview",
                title="Interview with Camden's DCS",
                starts_at=datetime.datetime(2027, 6, 1, 10, tzinfo=datetime.UTC),
                ends_at=datetime.datetime(2027, 6, 1, 11, tzinfo=datetime.UTC),
            )
            recommendation = Recommendation.objects.create(
                alliance=world.london, review=review, text="Secret recommendation"
            )
        world.london_ondemand = {
            "review": review.pk,
            "reviewer": reviewer.pk,
            "activity": activity.pk,
            "slot": slot.pk,
            "recommendation": recommendation.pk,
        }
    return world.london_ondemand
