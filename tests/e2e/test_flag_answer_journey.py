"""A council's DCS answers the flags of its data pack: from "What needs you now" to the pack,
one flag explained (an empty answer refused first, with its message), another made a line
of enquiry on the council's triad, which the triad's page then shows as a draft. axe on
every page, the answer page's revealed boxes included."""

import re

from django_scopes import scope

from benchmarking.selectors import data_pack
from benchmarking.selectors_flags import real_flags
from benchmarking.services import dfe_directory_load
from peerchallenge.models import Role
from tests.e2e.conftest import assert_accessible, sign_in
from tests.factories import AllianceFactory, MembershipFactory, UserFactory, council, region
from tests.triads.factories import CycleFactory, TriadFactory, TriadMemberFactory


def test_a_dcs_explains_one_flag_and_makes_another_a_line_of_enquiry(new_page, site):
    dfe_directory_load()
    alliance = AllianceFactory(
        name="East Midlands RIIA",
        short_name="East Midlands RIIA",
        slug="east-midlands",
        regions=[region("East Midlands")],
    )
    dcs = UserFactory(email="dana@example.org", full_name="Dana Director")
    MembershipFactory(alliance=alliance, user=dcs, role=Role.DCS, local_authority=council("Derby"))
    triad = TriadFactory(cycle=CycleFactory(alliance=alliance, name="Peer challenge, March 2028"))
    for name in ("Derby", "Leicester", "Rutland"):
        TriadMemberFactory(triad=triad, council=council(name))
    with scope(alliance=alliance):
        flagged = [
            row for row in data_pack(council=council("Derby"), alliance=alliance) if real_flags(row)
        ]
    assert len(flagged) >= 2
    first, second = flagged[0].indicator.title, flagged[1].indicator.title

    page = new_page()
    sign_in(page, dcs)
    page.get_by_role("link", name=f"Answer {len(flagged)} flags on Derby's data pack").click()
    page.get_by_role("heading", name="Data pack", exact=True).wait_for()
    assert_accessible(page)

    # Explained: first without saying what explains it.
    page.get_by_role("link", name=f"Answer this flag on {first}").click()
    page.get_by_role("heading", name=first).wait_for()
    assert_accessible(page)
    page.get_by_label("Explained", exact=True).check()
    box = page.get_by_label("What explains the figure")
    box.wait_for()
    assert_accessible(page)  # with the revealed box
    page.get_by_role("button", name="Save the answer").click()
    page.get_by_text("There is a problem").wait_for()
    assert page.get_by_label("Explained", exact=True).is_checked()
    assert_accessible(page)
    page.get_by_label("What explains the figure").fill("A new front door in 2024 counts more.")
    page.get_by_role("button", name="Save the answer").click()
    page.get_by_text("Answer saved.").wait_for()
    section = page.get_by_role("region", name=first)
    assert "Explained A new front door in 2024 counts more." in section.inner_text()
    assert_accessible(page)

    # A line of enquiry on Derby's triad.
    page.get_by_role("link", name=f"Answer this flag on {second}").click()
    page.get_by_role("heading", name=second).wait_for()
    page.get_by_label("Use as a line of enquiry").check()
    page.get_by_label("Why it matters").fill("Is the figure telling us about step-down?")
    page.get_by_label(
        re.compile(r"Derby's triad \(Triad \d+\) in Peer challenge, March 2028")
    ).check()
    assert_accessible(page)
    page.screenshot(path="test-results/flag-answer.png", full_page=True)
    page.get_by_role("button", name="Save the answer").click()
    page.get_by_text("is a draft on the challenge").wait_for()
    assert_accessible(page)
    section = page.get_by_role("region", name=second)
    section.get_by_role("link", name=re.compile("Read the line of enquiry")).click()
    page.get_by_role("heading", name=re.compile("Triad")).first.wait_for()
    card = page.locator(".govuk-summary-card", has_text=second)
    assert "Draft" in card.inner_text()
    assert "Is the figure telling us about step-down?" in card.inner_text()
    assert "Derby" in card.inner_text()
    assert_accessible(page)
