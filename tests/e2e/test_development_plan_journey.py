"""A development plan in the browser: Derby's organiser adds a priority (a past date refused
by the field first), Derby's DCS submits the plan for the Tier 2 group to follow, and a
member of that group finds the priority as an agreed action on the group's board; then
Leicester, paired to challenge the plan, comments on the priority and records its
moderation note, and Derby's organiser replies. axe on every page."""

from django_scopes import scope

from improvement.models import step_defaults
from improvement.selectors import cycle_year_next
from improvement.services.cycle import cycle_open
from improvement.services.scrutiny import scrutiny_add
from peerchallenge.models import Role
from tests.clock import days
from tests.e2e.conftest import assert_accessible, fill_date, sign_in
from tests.factories import (
    AllianceFactory,
    MembershipFactory,
    Tier2GroupFactory,
    UserFactory,
    council,
    region,
)


def test_a_development_plan_becomes_agreed_actions(new_page, site):
    alliance = AllianceFactory(
        name="East Midlands RIIA",
        short_name="East Midlands RIIA",
        slug="east-midlands",
        regions=[region("East Midlands")],
    )
    pm = UserFactory(email="pat@example.org", full_name="Pat Manager")
    MembershipFactory(alliance=alliance, user=pm, role=Role.PROGRAMME_MANAGER)
    organiser = UserFactory(email="oscar@example.org", full_name="Oscar Organiser")
    MembershipFactory(
        alliance=alliance, user=organiser, role=Role.LA_ORGANISER, local_authority=council("Derby")
    )
    dcs = UserFactory(email="dee@example.org", full_name="Dee Director")
    MembershipFactory(alliance=alliance, user=dcs, role=Role.DCS, local_authority=council("Derby"))
    member = UserFactory(email="tia@example.org", full_name="Tia Tier")
    MembershipFactory(alliance=alliance, user=member, role=Role.TIER2_MEMBER)
    group = Tier2GroupFactory(alliance=alliance, name="Safeguarding Tier 2")
    group.members.add(member)
    with scope(alliance=alliance):
        year = cycle_year_next(alliance)
        cycle = cycle_open(
            alliance=alliance, year=year, deadlines=step_defaults(year), opened_by=pm
        )

    writer = new_page()
    sign_in(writer, organiser)
    writer.goto("/a/east-midlands/improvement/")
    writer.get_by_role("link", name=f"Derby's development plan {cycle.label}").click()
    assert_accessible(writer)
    writer.get_by_role("link", name="Add a priority").click()
    writer.get_by_label("Priority").fill("Placement sufficiency for older children")
    writer.get_by_label("What the council will do").fill("Open two more local homes.")
    writer.get_by_label("Owner").fill("Head of service, children in care")
    fill_date(writer, "Due by", days(-3))
    writer.get_by_role("button", name="Save the priority").click()
    writer.locator(".govuk-error-summary").wait_for()
    assert "must be today or in the future" in writer.locator(".govuk-error-summary").inner_text()
    assert_accessible(writer)
    fill_date(writer, "Due by", days(180))
    writer.get_by_role("button", name="Save the priority").click()
    writer.get_by_text("is added to the plan").wait_for()
    assert_accessible(writer)

    director = new_page()
    sign_in(director, dcs)
    director.goto(writer.url)
    director.get_by_role("link", name="Submit the plan").click()
    assert_accessible(director)
    director.get_by_label("Tier 2 group that follows its actions (optional)").select_option(
        label="Safeguarding Tier 2"
    )
    director.get_by_role("button", name="Submit the plan").click()
    director.get_by_text("development plan is submitted").wait_for()
    assert_accessible(director)

    board = new_page()
    sign_in(board, member)
    board.goto(f"/a/east-midlands/tier2/{group.pk}/")
    text = board.locator("main").inner_text()
    assert "Placement sufficiency for older children: Open two more local homes." in text
    assert "Improvement cycle" in text
    assert_accessible(board)

    with scope(alliance=alliance):
        scrutiny_add(
            cycle=cycle,
            council=council("Derby"),
            scrutineer=council("Leicester"),
            assigned_by=pm,
            stage="plan",
        )
    challenger = UserFactory(email="lena@example.org", full_name="Lena Leicester")
    MembershipFactory(
        alliance=alliance,
        user=challenger,
        role=Role.LA_ORGANISER,
        local_authority=council("Leicester"),
    )
    peer = new_page()
    sign_in(peer, challenger)
    peer.get_by_role("link", name=f"Challenge Derby's development plan for {cycle.label}").click()
    assert_accessible(peer)
    peer.get_by_role(
        "link", name="Comment as Leicester on “Placement sufficiency for older children”"
    ).click()
    assert "Open two more local homes." in peer.locator("main").inner_text()
    assert_accessible(peer)
    peer.get_by_label("Leicester's comment on “Placement sufficiency for older children”").fill(
        "Which homes, and when will they open?"
    )
    peer.get_by_role("button", name="Save the comment").click()
    peer.get_by_text("is saved").wait_for()
    peer.get_by_role("link", name="Record the moderation note").click()
    peer.get_by_label("Leicester's moderation note").fill("Owned and dated; add a measure.")
    peer.get_by_role("button", name="Save the moderation note").click()
    peer.get_by_text("The moderation note is saved.").wait_for()
    assert_accessible(peer)

    writer.goto("/")
    writer.get_by_role(
        "link", name="Reply to Leicester's challenge of Derby's development plan"
    ).click()
    assert "Which homes, and when will they open?" in writer.locator("main").inner_text()
    writer.get_by_role("link", name="Reply to Leicester").click()
    writer.get_by_label("Derby's reply to Leicester").fill("Both open by the autumn.")
    writer.get_by_role("button", name="Save the reply").click()
    writer.get_by_text("Your reply is saved.").wait_for()
    assert_accessible(writer)
