"""The menu of support in the browser: Leicester's organiser offers support (a missing
capacity refused first); the programme manager adds the areas for development of Derby's
submitted self-evaluation as needs, opens one and brokers Leicester's offer, the best fit;
both directors take part; the support is completed with its impact and counted in the
uptake. axe on every page."""

from django_scopes import scope

from improvement.models import TemplateSection, step_defaults
from improvement.selectors import cycle_year_next, template_of
from improvement.services.cycle import cycle_open
from improvement.services.self_evaluation import section_save, self_evaluation_submit
from peerchallenge.models import Role
from tests.e2e.conftest import assert_accessible, sign_in
from tests.factories import AllianceFactory, MembershipFactory, UserFactory, council, region


def person(alliance, email, name, role, council_name=None):
    user = UserFactory(email=email, full_name=name)
    MembershipFactory(
        alliance=alliance,
        user=user,
        role=role,
        local_authority=council(council_name) if council_name else None,
    )
    return user


def test_a_need_brokered_to_an_offer_and_completed(new_page, site):
    alliance = AllianceFactory(
        name="East Midlands RIIA",
        short_name="East Midlands RIIA",
        slug="east-midlands",
        regions=[region("East Midlands")],
    )
    pm = person(alliance, "pat@example.org", "Pat Manager", Role.PROGRAMME_MANAGER)
    derby_dcs = person(alliance, "dee@example.org", "Dee Director", Role.DCS, "Derby")
    leicester_organiser = person(
        alliance, "lena@example.org", "Lena Leicester", Role.LA_ORGANISER, "Leicester"
    )
    leicester_dcs = person(alliance, "amrit@example.org", "Amrit Lead", Role.DCS, "Leicester")
    with scope(alliance=alliance):
        year = cycle_year_next(alliance)
        cycle = cycle_open(
            alliance=alliance, year=year, deadlines=step_defaults(year), opened_by=pm
        )
        for section in template_of(cycle):
            if section.kind != TemplateSection.Kind.DATA:
                text = (
                    "Placement sufficiency for older children"
                    if section.kind == TemplateSection.Kind.AREAS
                    else "Written."
                )
                evaluation = section_save(
                    cycle=cycle,
                    council=council("Derby"),
                    section=section,
                    text=text,
                    saved_by=derby_dcs,
                ).self_evaluation
        self_evaluation_submit(evaluation=evaluation, submitted_by=derby_dcs)
    menu = f"/a/east-midlands/improvement/{cycle.pk}/menu/"

    offering = new_page()
    sign_in(offering, leicester_organiser)
    offering.goto(menu)
    assert_accessible(offering)
    offering.get_by_role("link", name="Offer support").click()
    offering.get_by_label("Council offering support").select_option(label="Leicester")
    offering.get_by_label("Theme").select_option("Placement sufficiency")
    offering.get_by_label("The offer").fill("Our sufficiency strategy, with two workshops")
    offering.get_by_label("Support from this council, from its comparative strength").check()
    offering.get_by_label(
        "A data pack indicator better than all its statistical neighbours"
    ).check()
    offering.get_by_label("The evidence").fill(
        "Placement stability better than all ten neighbours."
    )
    offering.get_by_role("button", name="Add the offer").click()
    offering.locator(".govuk-error-summary").wait_for()
    assert (
        "how many councils it can support" in offering.locator(".govuk-error-summary").inner_text()
    )
    assert_accessible(offering)
    offering.get_by_label("How many councils it can support").fill("2")
    offering.get_by_role("button", name="Add the offer").click()
    offering.get_by_text("offer is on the menu").wait_for()

    page = new_page()
    sign_in(page, pm)
    page.goto(menu)
    page.get_by_role(
        "button", name="Add the areas for development from submitted self-evaluations"
    ).click()
    page.get_by_text("1 area for development added as needs").wait_for()
    page.get_by_role("link", name="Derby: Placement sufficiency for older children").click()
    page.get_by_role("heading", name="Offers that fit").wait_for()
    assert_accessible(page)
    page.get_by_role("button", name="Broker this offer from Leicester").click()
    page.get_by_text("both councils' directors are asked").wait_for()
    assert_accessible(page)
    match = page.url

    for dcs in (derby_dcs, leicester_dcs):
        director = new_page()
        sign_in(director, dcs)
        director.get_by_role("link", name="support", exact=False).first.click()
        assert director.url == match
        director.get_by_label("Yes, it takes part").check()
        director.get_by_role("button", name="Send the answer").click()
        director.get_by_text("Your council's answer is recorded.").wait_for()
        assert_accessible(director)

    page.goto(match)
    assert "Agreed" in page.locator("main").inner_text()
    page.get_by_label("What difference did the support make?").fill(
        "Two more local homes opened; no older child placed out of area since."
    )
    page.get_by_role("button", name="Mark it completed").click()
    page.get_by_text("marked completed").wait_for()
    assert_accessible(page)
    page.goto(menu)
    uptake = page.get_by_role("row", name="Leicester 1 1 0 0")
    uptake.wait_for()
    assert_accessible(page)
