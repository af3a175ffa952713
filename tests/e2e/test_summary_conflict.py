"""Two people edit the triad summary at once: the consultant saves first; the programme
manager's save then shows both versions, keeps her text, and saving again is deliberate."""

from django_scopes import scope

from peerchallenge.models import LocalAuthority, Role
from tests.e2e.conftest import assert_accessible, sign_in
from tests.factories import AllianceFactory, MembershipFactory, UserFactory, region
from tests.triads.factories import CycleFactory, make_triads
from triads.models import CycleSummary
from triads.services.cycles import triad_assign_consultant

MINE = "PM: ten councils met in two triads."
THEIRS = "Consultant: workforce stability was the common theme."


def test_the_second_to_save_the_summary_sees_both_versions_and_loses_nothing(new_page, site):
    alliance = AllianceFactory(
        name="East Midlands RIIA",
        short_name="East Midlands RIIA",
        slug="east-midlands",
        regions=[region("East Midlands")],
    )
    em = list(LocalAuthority.objects.filter(region__name="East Midlands").order_by("name"))
    cycle = CycleFactory(alliance=alliance, name="March cycle")
    triads = make_triads(cycle, [em[:3], em[3:6]])
    pm = UserFactory(email="pat@example.org", full_name="Pat Manager")
    MembershipFactory(alliance=alliance, user=pm, role=Role.PROGRAMME_MANAGER)
    consultant = UserFactory(email="cai@example.org", full_name="Cai Consultant")
    MembershipFactory(alliance=alliance, user=consultant, role=Role.CONSULTANT)
    with scope(alliance=alliance):
        triad_assign_consultant(triad=triads[0], consultant=consultant)
    summary = f"/a/east-midlands/triads/{cycle.pk}/summary/"

    manager = new_page()
    sign_in(manager, pm)
    manager.goto(summary)
    manager.get_by_label("Overview").fill(MINE)

    other = new_page()
    sign_in(other, consultant)
    other.goto(summary)
    other.get_by_label("Overview").fill(THEIRS)
    other.get_by_role("button", name="Save summary").click()
    other.get_by_text("Summary saved.").wait_for()

    manager.get_by_role("button", name="Save summary").click()
    manager.get_by_role("heading", name="Their saved version").wait_for()
    error = manager.locator(".govuk-error-summary")
    assert "Someone else saved this while you were editing." in error.inner_text()
    assert THEIRS in manager.locator("#their-version + p + dl").inner_text()
    assert manager.get_by_label("Overview").input_value() == MINE
    assert manager.title().startswith("Error: ")
    assert_accessible(manager)
    with scope(alliance=alliance):
        assert CycleSummary.objects.get(cycle=cycle).overview == THEIRS

    # Having seen both, she saves again: a deliberate choice, with the page's fresh token.
    manager.get_by_role("button", name="Save summary").click()
    manager.get_by_text("Summary saved.").wait_for()
    assert_accessible(manager)
    with scope(alliance=alliance):
        assert CycleSummary.objects.get(cycle=cycle).overview == MINE
