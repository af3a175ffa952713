"""The improvement cycle's first step in the browser: the programme manager opens the cycle
and reads its template; Derby's organiser finds the self-evaluation on the home page and
writes a section; Derby's DCS signs it off and submits it; the programme manager follows the
board and returns it with a comment, which the organiser then reads. axe on every page."""

import datetime

from django_scopes import scope

from improvement.models import TemplateSection
from improvement.selectors import cycle_current, template_of
from improvement.services.self_evaluation import section_save
from peerchallenge.models import Role
from tests.e2e.conftest import assert_accessible, fill_date, sign_in
from tests.factories import AllianceFactory, MembershipFactory, UserFactory, council, region


def test_a_self_evaluation_written_submitted_and_returned(new_page, site):
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

    page = new_page()
    sign_in(page, pm)
    page.goto("/a/east-midlands/improvement/")
    assert_accessible(page)
    page.get_by_role("link", name="Open the").click()
    assert_accessible(page)
    fill_date(page, "Menu of support", datetime.date(2000, 1, 1))
    page.get_by_role("button", name="Open the cycle").click()
    page.locator(".govuk-error-summary").wait_for()
    assert "must be on or after" in page.locator(".govuk-error-summary").inner_text()
    assert_accessible(page)
    page.goto("/a/east-midlands/improvement/open/")  # the dates as they were proposed
    page.get_by_role("button", name="Open the cycle").click()
    page.get_by_text("cycle is open").wait_for()
    assert_accessible(page)
    page.get_by_role("link", name="The self-evaluation template").click()
    page.get_by_text("Areas for development, one a line").wait_for()
    assert_accessible(page)

    with scope(alliance=alliance):
        cycle = cycle_current(alliance)
        sections = template_of(cycle)
    writer = new_page()
    sign_in(writer, organiser)
    writer.get_by_role(
        "link", name=f"Write and submit Derby's self-evaluation for {cycle.label}"
    ).click()
    writer.get_by_role("heading", name=f"Self-evaluation {cycle.label}").wait_for()
    assert_accessible(writer)
    writer.get_by_role("link", name=f"Write “{sections[0].title}”").click()
    assert_accessible(writer)
    writer.get_by_label(sections[0].title).fill("Leaders audit practice every month.")
    writer.get_by_role("button", name="Save this section").click()
    writer.get_by_text(f"“{sections[0].title}” is saved.").wait_for()
    assert "Leaders audit practice every month." in writer.locator("main").inner_text()
    writer.get_by_role("link", name="Attach a document").click()
    assert_accessible(writer)
    writer.get_by_label("Title").fill("Audit findings")
    writer.get_by_label("File").set_input_files(
        {"name": "audit.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.7\nx\n%%EOF\n"}
    )
    writer.get_by_role("button", name="Attach the document").click()
    writer.get_by_text("“Audit findings” is attached.").wait_for()
    assert writer.get_by_role("link", name="Audit findings").is_visible()

    with scope(alliance=alliance):  # the other sections, written the same way
        for section in sections[1:]:
            if section.kind != TemplateSection.Kind.DATA:
                section_save(
                    cycle=cycle,
                    council=council("Derby"),
                    section=section,
                    text="Written.",
                    saved_by=organiser,
                )
    director = new_page()
    sign_in(director, dcs)
    director.goto(f"/a/east-midlands/improvement/{cycle.pk}/councils/{council('Derby').gss_code}/")
    director.get_by_role("link", name="Sign off and submit").click()
    assert_accessible(director)
    director.get_by_label("Chief executive (optional)").fill("Morgan Vale")
    director.get_by_role("button", name="Sign off and submit").click()
    director.get_by_text("Derby's self-evaluation is submitted.").wait_for()
    assert_accessible(director)

    page.goto("/a/east-midlands/improvement/")
    page.get_by_role("link", name="Every council's progress").click()
    assert "1 of 10 self-evaluations submitted" in page.locator("main").inner_text()
    assert_accessible(page)
    page.get_by_role("link", name="Derby", exact=True).click()
    page.get_by_role("link", name="Return it to the council").click()
    assert_accessible(page)
    page.get_by_label("What the council should change").fill("Say more about care leavers.")
    page.get_by_role("button", name="Return to the council").click()
    page.get_by_text("is returned to the council").wait_for()
    assert_accessible(page)

    writer.goto("/")
    writer.get_by_role(
        "link", name=f"Change and resubmit Derby's self-evaluation for {cycle.label}"
    ).click()
    assert "Say more about care leavers." in writer.locator("main").inner_text()
    assert_accessible(writer)
