"""A thematic peer challenge from a council's suggestion to the Tier 2 board, every role in
its own browser, axe on every page:

Derby suggests a theme and Leicester supports it; the programme manager accepts it,
schedules an event on it and publishes its key lines of enquiry; both councils nominate
officers (Derby first with a mistyped address); the event takes place; each council submits
its next steps; the coordinator writes the emerging themes summary from the submissions side
by side and issues it; Derby's director downloads the PDF; the Tier 2 member finds the new
actions on the group's board, filtered by the theme.
"""

import datetime
import re

from django.utils import timezone
from django_scopes import scope, scopes_disabled
from pypdf import PdfReader

from peerchallenge.models import Role
from tests.e2e.conftest import assert_accessible, fill_date, fill_time, sign_in
from tests.factories import (
    AllianceFactory,
    MembershipFactory,
    Tier2GroupFactory,
    UserFactory,
    council,
    region,
)
from thematic.models import ThematicEvent

THEME = "Exploitation outside the home"
STEPS = {
    "Derby": ("Map every contextual safeguarding panel", "Head of service, exploitation"),
    "Leicester": ("Set up a multi-agency exploitation hub", "Assistant director"),
}


def home_need(page, text: str):
    """Go home and follow the "what needs you now" item whose text matches."""
    page.goto("/")
    link = page.locator(".pc-needs").get_by_role("link", name=re.compile(text))
    link.wait_for()
    assert_accessible(page)
    link.click()


def test_a_thematic_challenge_from_suggestion_to_the_tier2_board(new_page, site, mailoutbox):
    alliance = AllianceFactory(
        name="East Midlands Regional Improvement and Innovation Alliance",
        short_name="East Midlands RIIA",
        slug="east-midlands",
        regions=[region("East Midlands")],
    )

    def person(email, name, role, la=None):
        user = UserFactory(email=email, full_name=name)
        MembershipFactory(alliance=alliance, user=user, role=role, local_authority=la)
        return user

    pm = person("priya.pm@example.org", "Priya Manager", Role.PROGRAMME_MANAGER)
    tom = person("tom.coord@example.org", "Tom Coordinator", Role.COORDINATOR)
    organisers = {
        la: person(f"org.{la.lower()}@example.org", f"Org {la}", Role.LA_ORGANISER, council(la))
        for la in STEPS
    }
    derby_dcs = person("dee.dcs@example.org", "Dee Director", Role.DCS, council("Derby"))
    tia = person("tia.t2@example.org", "Tia Tier", Role.TIER2_MEMBER)
    with scope(alliance=alliance):
        safeguarding = Tier2GroupFactory(alliance=alliance, name="Safeguarding")
        safeguarding.members.add(tia)
    event_day = timezone.localdate() + datetime.timedelta(days=30)

    # 1. Derby suggests a theme; Leicester supports it.
    derby = new_page()
    sign_in(derby, organisers["Derby"])
    derby.goto("/a/east-midlands/thematic/")
    assert_accessible(derby)
    derby.get_by_role("link", name="Themes and suggestions").click()
    derby.get_by_role("heading", name="Themes", exact=True).wait_for()
    assert_accessible(derby)
    derby.get_by_label("Theme", exact=True).fill(THEME)
    derby.get_by_label("Why this theme").fill("County lines referrals have doubled.")
    derby.get_by_role("button", name="Suggest theme").click()
    derby.get_by_text(f"Thank you: “{THEME}” has been suggested.").wait_for()
    assert_accessible(derby)

    leicester = new_page()
    sign_in(leicester, organisers["Leicester"])
    leicester.goto("/a/east-midlands/thematic/themes/")
    leicester.get_by_role("button", name=f"Support {THEME}").click()
    leicester.get_by_text(f"You support “{THEME}”.").wait_for()
    assert_accessible(leicester)

    # 2. The programme manager accepts it, schedules an event and publishes the KLOEs.
    manager = new_page()
    sign_in(manager, pm)
    home_need(manager, f"Decide on the suggested theme “{THEME}”")
    manager.get_by_role("heading", name=THEME).wait_for()
    assert_accessible(manager)
    manager.get_by_label("Accept: add it to the themes").check()
    manager.get_by_label("Note to the council").fill("Agreed at the DCS board.")
    manager.get_by_role("button", name="Save decision").click()
    manager.get_by_text(f"“{THEME}” accepted: it is now a theme.").wait_for()
    assert_accessible(manager)
    manager.goto("/a/east-midlands/thematic/")
    manager.get_by_role("button", name="Schedule an event").click()
    manager.get_by_role("heading", name="Schedule a thematic event").wait_for()
    assert_accessible(manager)
    manager.get_by_label("Theme", exact=True).select_option(label=THEME)
    fill_date(manager, "Date of the event", event_day)
    fill_time(manager, "Starts at", "09:30")
    fill_time(manager, "Ends at", "16:00")
    manager.get_by_label("In person").check()
    manager.get_by_label("Venue").fill("Leicester City Hall")
    manager.get_by_label("Derby", exact=True).check()
    manager.get_by_label("Leicester", exact=True).check()
    manager.get_by_label("Tier 2 group that owns the theme").select_option(label="Safeguarding")
    manager.get_by_role("button", name="Schedule event").click()
    manager.get_by_role("heading", name=THEME).wait_for()
    assert_accessible(manager)
    with scopes_disabled():
        event = ThematicEvent.objects.get(alliance=alliance)
    manager.get_by_role("link", name="Write and publish the key lines of enquiry").click()
    manager.get_by_label("Line of enquiry").fill(
        "How well do partners share what they know about places where children are at risk?"
    )
    manager.get_by_role("button", name="Add line of enquiry").click()
    manager.get_by_text("Line of enquiry added.").wait_for()
    assert_accessible(manager)
    manager.get_by_role("button", name="Publish to participants").click()
    manager.get_by_text("Key lines of enquiry published").wait_for()
    assert_accessible(manager)
    assert {"org.derby@example.org", "org.leicester@example.org"} <= {
        address for m in mailoutbox for address in m.to
    }

    # 3. Both councils nominate officers; Derby mistypes an address first.
    for la, page in (("Derby", derby), ("Leicester", leicester)):
        home_need(page, f"Nominate {la}'s officers")
        page.get_by_role("heading", name=f"{la}'s nominated officers").wait_for()
        assert_accessible(page)
        officer = f"{la} Officer"
        page.get_by_label("Full name").fill(officer)
        page.get_by_label("Role").fill("Head of service, exploitation")
        page.get_by_label("Email address").fill(
            "not-an-address" if la == "Derby" else f"{la.lower()}.officer@example.org"
        )
        page.get_by_role("button", name="Nominate officer").click()
        if la == "Derby":
            page.get_by_role("link", name=re.compile("Enter an email address")).wait_for()
            assert_accessible(page)
            assert page.get_by_label("Full name").input_value() == officer  # nothing lost
            page.get_by_label("Email address").fill("derby.officer@example.org")
            page.get_by_role("button", name="Nominate officer").click()
        page.get_by_text(f"{officer} nominated: an invitation is on its way").wait_for()
        assert_accessible(page)
    invited = {address for m in mailoutbox for address in m.to}
    assert {"derby.officer@example.org", "leicester.officer@example.org"} <= invited

    manager.goto(f"/a/east-midlands/thematic/{event.pk}/attendance/")
    manager.get_by_text("2 officers nominated from 2 participating councils.").wait_for()
    assert_accessible(manager)

    # 4. The event takes place; each council submits its next steps.
    with scopes_disabled():
        ThematicEvent.objects.filter(pk=event.pk).update(
            date=timezone.localdate() - datetime.timedelta(days=1),
            next_steps_due=timezone.localdate() + datetime.timedelta(days=13),
        )
    due = timezone.localdate() + datetime.timedelta(days=90)
    for la, page in (("Derby", derby), ("Leicester", leicester)):
        home_need(page, f"Submit {la}'s next steps")
        page.get_by_role("heading", name=f"{la}'s next steps").wait_for()
        assert_accessible(page)
        what, owner = STEPS[la]
        page.get_by_label("Next step 1: what the council will do").fill(what)
        page.get_by_label("Next step 1: owner").fill(owner)
        fill_date(page, "Next step 1: by when", due)
        page.get_by_role("button", name="Submit next steps").click()
        page.get_by_text("Next steps submitted: they are now agreed actions").wait_for()
        assert_accessible(page)

    # 5. The coordinator writes the summary from the submissions side by side and issues it.
    coordinator = new_page()
    sign_in(coordinator, tom)
    home_need(coordinator, "Write and issue the emerging themes summary")
    coordinator.get_by_role("heading", name="Emerging themes summary").wait_for()
    body = coordinator.locator("main").inner_text()
    assert all(what in body for what, _owner in STEPS.values())
    assert_accessible(coordinator)
    coordinator.get_by_label("Emerging themes").fill("Information about places stays siloed.")
    coordinator.get_by_label("Proposed next steps").fill("A regional information protocol.")
    coordinator.get_by_role("button", name="Save summary").click()
    coordinator.get_by_text("Summary saved.").wait_for()
    coordinator.get_by_role("button", name="Issue the summary").click()
    coordinator.get_by_text("Version 1 of the summary is being produced").wait_for()
    assert_accessible(coordinator)
    assert "dee.dcs@example.org" in {address for m in mailoutbox for address in m.to}

    # 6. Derby's director downloads the PDF.
    director = new_page()
    sign_in(director, derby_dcs)
    director.goto(f"/a/east-midlands/thematic/{event.pk}/")
    assert_accessible(director)
    with director.expect_download() as download:
        director.get_by_role("link", name=re.compile("Download the summary, version 1")).click()
    text = "".join(p.extract_text() for p in PdfReader(download.value.path()).pages)
    text = re.sub(r"\s+", " ", text)
    for expected in (
        f"{THEME}: emerging themes and next steps",
        "Information about places stays siloed.",
        "Map every contextual safeguarding panel",
        "Set up a multi-agency exploitation hub",
    ):
        assert expected in text, expected

    # 7. The Tier 2 member sees the new actions on the group's board, filtered by theme.
    monitor = new_page()
    sign_in(monitor, tia)
    monitor.goto(f"/a/east-midlands/tier2/{safeguarding.pk}/")
    monitor.get_by_role("heading", name="2 actions").wait_for()
    assert_accessible(monitor)
    monitor.get_by_label("Theme", exact=True).select_option(label=THEME)
    monitor.get_by_role("button", name=re.compile("Apply|Filter")).click()
    monitor.get_by_role("heading", name="2 actions").wait_for()
    body = monitor.locator("main").inner_text()
    assert all(what in body for what, _owner in STEPS.values())
    assert_accessible(monitor)
