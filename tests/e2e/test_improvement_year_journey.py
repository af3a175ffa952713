"""The improvement cycle's year in one browser journey, as issue 14 asks: the programme
manager opens the cycle; Derby's self-evaluation is written and submitted, then scrutinised
by Leicester; Derby's development plan is submitted and challenged by Leicester; Derby's
area for development is brokered to Leicester's offer, both directors take part and the
support is completed; the regional development plan is issued and downloaded. axe on every
page. (Each step has its own, more thorough journey; this one proves they chain.)"""

import io

from django_scopes import scope
from pypdf import PdfReader

from improvement.models import TemplateSection
from improvement.selectors import cycle_current, template_of
from improvement.services.self_evaluation import section_save
from peerchallenge.models import Role
from tests.clock import days
from tests.e2e.conftest import assert_accessible, fill_date, sign_in
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


def test_the_year_from_opening_the_cycle_to_the_regional_plan(new_page, site):
    alliance = AllianceFactory(
        name="East Midlands RIIA",
        short_name="East Midlands RIIA",
        slug="east-midlands",
        regions=[region("East Midlands")],
    )
    pm = person(alliance, "pat@example.org", "Pat Manager", Role.PROGRAMME_MANAGER)
    organiser = person(alliance, "oscar@example.org", "Oscar Organiser", Role.LA_ORGANISER, "Derby")
    dcs = person(alliance, "dee@example.org", "Dee Director", Role.DCS, "Derby")
    peer = person(alliance, "lena@example.org", "Lena Leicester", Role.LA_ORGANISER, "Leicester")
    peer_dcs = person(alliance, "amrit@example.org", "Amrit Lead", Role.DCS, "Leicester")

    # The programme manager opens the cycle.
    manager = new_page()
    sign_in(manager, pm)
    manager.goto("/a/east-midlands/improvement/")
    manager.get_by_role("link", name="Open the").click()
    manager.get_by_role("button", name="Open the cycle").click()
    manager.get_by_text("cycle is open").wait_for()
    assert_accessible(manager)
    with scope(alliance=alliance):
        cycle = cycle_current(alliance)
        sections = template_of(cycle)
    base = f"/a/east-midlands/improvement/{cycle.pk}"
    derby = council("Derby").gss_code

    # Derby writes its self-evaluation (one section here, the rest as the journey of the
    # self-evaluation shows) and its DCS submits it.
    writer = new_page()
    sign_in(writer, organiser)
    writer.goto(f"{base}/councils/{derby}/")
    writer.get_by_role("link", name=f"Write “{sections[0].title}”").click()
    writer.get_by_label(sections[0].title).fill("Leaders audit practice every month.")
    writer.get_by_role("button", name="Save this section").click()
    writer.get_by_text("is saved").wait_for()
    with scope(alliance=alliance):
        for section in sections[1:]:
            if section.kind != TemplateSection.Kind.DATA:
                text = (
                    "Placement sufficiency for older children"
                    if section.kind == TemplateSection.Kind.AREAS
                    else "Written."
                )
                section_save(
                    cycle=cycle,
                    council=council("Derby"),
                    section=section,
                    text=text,
                    saved_by=organiser,
                )
    director = new_page()
    sign_in(director, dcs)
    director.goto(f"{base}/councils/{derby}/submit/")
    director.get_by_role("button", name="Sign off and submit").click()
    director.get_by_text("Derby's self-evaluation is submitted.").wait_for()

    # The programme manager pairs Leicester to scrutinise it; Leicester records its note.
    manager.goto(f"{base}/scrutiny/add/")
    manager.get_by_label("Council whose self-evaluation is scrutinised").select_option(
        label="Derby"
    )
    manager.get_by_label("Council that scrutinises it").select_option(label="Leicester")
    manager.get_by_role("button", name="Add the pairing").click()
    manager.get_by_text("Leicester scrutinises Derby's self-evaluation.").wait_for()
    assert_accessible(manager)
    scrutineer = new_page()
    sign_in(scrutineer, peer)
    scrutineer.get_by_role(
        "link", name=f"Scrutinise Derby's self-evaluation for {cycle.label}"
    ).click()
    scrutineer.get_by_role("link", name="Record the moderation note").click()
    scrutineer.get_by_label("Leicester's moderation note").fill("Derby knows its practice well.")
    scrutineer.get_by_role("button", name="Save the moderation note").click()
    scrutineer.get_by_text("The moderation note is saved.").wait_for()
    assert_accessible(scrutineer)

    # Derby's development plan: a priority, submitted; Leicester challenges it.
    writer.goto(f"{base}/councils/{derby}/plan/add/")
    writer.get_by_label("Priority").fill("Placement sufficiency for older children")
    writer.get_by_label("What the council will do").fill("Open two more local homes.")
    writer.get_by_label("Owner").fill("Head of service, children in care")
    fill_date(writer, "Due by", days(200))
    writer.get_by_role("button", name="Save the priority").click()
    writer.get_by_text("is added to the plan").wait_for()
    director.goto(f"{base}/councils/{derby}/plan/submit/")
    director.get_by_role("button", name="Submit the plan").click()
    director.get_by_text("development plan is submitted").wait_for()
    manager.goto(f"{base}/challenge/")
    manager.get_by_role("button", name="Pair them as for the self-evaluations").click()
    manager.get_by_text("pairing made").wait_for()
    assert_accessible(manager)
    scrutineer.goto("/")
    scrutineer.get_by_role(
        "link", name=f"Challenge Derby's development plan for {cycle.label}"
    ).click()
    scrutineer.get_by_role("link", name="Record the moderation note").click()
    scrutineer.get_by_label("Leicester's moderation note").fill("Owned and dated.")
    scrutineer.get_by_role("button", name="Save the moderation note").click()
    scrutineer.get_by_text("The moderation note is saved.").wait_for()

    # The menu: Leicester offers, Derby's area for development is brokered to it, both
    # directors take part, the support is completed.
    scrutineer.goto(f"{base}/menu/offers/add/")
    scrutineer.get_by_label("Council offering support").select_option(label="Leicester")
    scrutineer.get_by_label("Theme").select_option("Placement sufficiency")
    scrutineer.get_by_label("The offer").fill("Our sufficiency strategy")
    scrutineer.get_by_label("Support from this council, from its comparative strength").check()
    scrutineer.get_by_label("How many councils it can support").fill("2")
    scrutineer.get_by_label("Good practice named in a peer challenge report").check()
    scrutineer.get_by_label("The evidence").fill("Named in our last peer challenge report.")
    scrutineer.get_by_role("button", name="Add the offer").click()
    scrutineer.get_by_text("offer is on the menu").wait_for()
    manager.goto(f"{base}/menu/")
    manager.get_by_role(
        "button", name="Add the areas for development from submitted self-evaluations"
    ).click()
    manager.get_by_role("link", name="Derby: Placement sufficiency for older children").click()
    manager.get_by_role("button", name="Broker this offer from Leicester").click()
    manager.get_by_text("both councils' directors are asked").wait_for()
    match = manager.url
    for who in (dcs, peer_dcs):
        answering = new_page()
        sign_in(answering, who)
        answering.goto(match)
        answering.get_by_label("Yes, it takes part").check()
        answering.get_by_role("button", name="Send the answer").click()
        answering.get_by_text("Your council's answer is recorded.").wait_for()
    manager.goto(match)
    manager.get_by_label("What difference did the support make?").fill("Two local homes opened.")
    manager.get_by_role("button", name="Mark it completed").click()
    manager.get_by_text("marked completed").wait_for()
    assert_accessible(manager)

    # The regional development plan, issued and downloaded.
    manager.goto(f"{base}/regional-plan/responses/add/")
    manager.get_by_label("The common priority it answers").select_option("Placement sufficiency")
    manager.get_by_label("Task-and-finish group").check()
    manager.get_by_label("The response").fill("Sufficiency task-and-finish group")
    manager.get_by_label("Regional group that owns it").fill("Regional commissioning group")
    fill_date(manager, "Starts", days(60))
    fill_date(manager, "Ends", days(180))
    manager.get_by_role("button", name="Save the response").click()
    manager.get_by_text("is in the plan").wait_for()
    text = manager.locator("main").inner_text()
    assert "Placement sufficiency" in text and "Leicester (completed)" in text
    manager.get_by_role("button", name="Issue the plan").click()
    manager.get_by_text("The plan is issued").wait_for()
    manager.reload()
    link = manager.get_by_role("link", name="Version 1 of the regional development plan (PDF)")
    assert_accessible(manager)
    with manager.expect_download() as download_info:
        link.click()
    with open(download_info.value.path(), "rb") as file:
        pdf = PdfReader(io.BytesIO(file.read()))
    text = " ".join(" ".join(p.extract_text() for p in pdf.pages).split())
    assert "Sufficiency task-and-finish group" in text
    assert "Placement sufficiency for older children (Placement sufficiency): Leicester" in text
