"""The review's team is fixed once it is no longer being planned (findings issued): the
service refuses to take anyone off it, whoever calls it, by the same rule as inviting."""

import pytest
from django.core.exceptions import ValidationError
from django_scopes import scope, scopes_disabled

from ondemand.models import Reviewer, Status
from ondemand.services.team import reviewer_remove
from tests.ondemand.factories import on_team, planning_review

NOT_PLANNED = "The review is no longer being planned."


@pytest.mark.parametrize("status", [Status.FINDINGS_ISSUED, Status.DECLINED])
def test_nobody_is_taken_off_the_team_of_a_review_no_longer_planned(world, od, status):
    review = planning_review(world.em)
    reviewer = on_team(review, od.officer)
    with scopes_disabled():
        type(review).objects.filter(pk=review.pk).update(status=status)
        reviewer = Reviewer.objects.select_related("review").get(pk=reviewer.pk)
    with scope(alliance=world.em), pytest.raises(ValidationError, match=NOT_PLANNED):
        reviewer_remove(reviewer=reviewer)
    with scopes_disabled():
        assert Reviewer.objects.filter(pk=reviewer.pk).exists()


def test_a_stale_review_in_hand_does_not_let_a_removal_through(world, od):
    """The caller loaded the review while it was planned; findings were issued since."""
    review = planning_review(world.em)
    reviewer = on_team(review, od.officer)
    with scopes_disabled():
        reviewer = Reviewer.objects.select_related("review").get(pk=reviewer.pk)
        type(review).objects.filter(pk=review.pk).update(status=Status.FINDINGS_ISSUED)
    assert reviewer.review.status == Status.PLANNING
    with scope(alliance=world.em), pytest.raises(ValidationError, match=NOT_PLANNED):
        reviewer_remove(reviewer=reviewer)
    with scopes_disabled():
        assert Reviewer.objects.filter(pk=reviewer.pk).exists()


def test_someone_is_taken_off_the_team_while_the_review_is_planned(world, od):
    review = planning_review(world.em)
    reviewer = on_team(review, od.officer)
    with scope(alliance=world.em):
        reviewer_remove(reviewer=reviewer)
    with scopes_disabled():
        assert not Reviewer.objects.filter(pk=reviewer.pk).exists()
