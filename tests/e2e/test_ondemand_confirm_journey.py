"""Taking a reviewer off an on-demand review's team asks first: the programme manager opens
the confirmation page from the team list, cancels once (nobody is removed), then confirms;
the team list says who was removed. axe runs on the list and the confirmation page."""

from django_scopes import scope

from ondemand.models import Reviewer
from peerchallenge.models import Role
from tests.e2e.conftest import assert_accessible, sign_in
from tests.factories import AllianceFactory, MembershipFactory, UserFactory, council, region
from tests.ondemand.factories import on_team, planning_review


def test_programme_manager_removes_a_reviewer_after_confirming(new_page, site):
    em = AllianceFactory(
        name="East Midlands RIIA",
        short_name="EM RIIA",
        slug="east-midlands",
        regions=[region("East Midlands")],
    )

    def person(email, name, role, la=None):
        user = UserFactory(email=email, full_name=name)
        MembershipFactory(alliance=em, user=user, role=role, local_authority=la)
        return user

    pm = person("priya.pm@example.org", "Priya Programme", Role.PROGRAMME_MANAGER)
    officer = person("pete.peer@example.org", "Pete Peer", Role.PEER_REVIEWER, council("Leicester"))
    lead = person("lena.lead@example.org", "Lena Lead", Role.CONSULTANT)
    review = planning_review(em)
    on_team(review, lead, role="lead")
    on_team(review, officer, response="invited")
    team = f"/a/east-midlands/ondemand/{review.pk}/team/"

    page = new_page()
    sign_in(page, pm)
    page.goto(team)
    page.get_by_role("heading", name="Review team").wait_for()
    assert_accessible(page)

    # Cancel once: back to the team, Pete still on it.
    page.get_by_role("link", name="Remove Pete Peer from the team").click()
    page.get_by_role("heading", name="Remove Pete Peer from the team?").wait_for()
    assert "will no longer be" in page.locator(".govuk-warning-text").inner_text()
    assert_accessible(page)
    page.get_by_role("link", name="Cancel").click()
    page.get_by_role("heading", name="Review team").wait_for()
    with scope(alliance=em):
        assert Reviewer.objects.filter(review=review, user=officer).count() == 1

    # Then remove him.
    page.get_by_role("link", name="Remove Pete Peer from the team").click()
    page.get_by_role("heading", name="Remove Pete Peer from the team?").wait_for()
    page.get_by_role("button", name="Yes, remove").click()
    page.get_by_text("Pete Peer removed from the team.").wait_for()
    assert_accessible(page)
    assert page.get_by_role("link", name="Remove Pete Peer from the team").count() == 0
    with scope(alliance=em):
        assert not Reviewer.objects.filter(review=review, user=officer).exists()
        assert Reviewer.objects.filter(review=review, user=lead).count() == 1
