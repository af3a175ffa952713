"""An LGA peer challenge in the browser, each person in their own browser: Derby's DCS
requests one (the subsidy shown, a short lead time warned about, a past date refused); the
LGA programme manager records the scoping and the scope and sends the proposal; the DCS
accepts it and names the organiser; the programme manager assembles the team (a Derby
officer is refused); a peer accepts the peer charter. axe runs on every page."""

import datetime
import re

from django.utils import timezone
from django_scopes import scopes_disabled
from playwright.sync_api import expect

from lga_cspc.models import Challenge, Stage
from lga_cspc.services.catalogue import catalogue_load_standard
from peerchallenge.models import Alliance, Role
from tests import clock
from tests.e2e.conftest import assert_accessible, fill_date, fill_time, sign_in
from tests.factories import AllianceFactory, MembershipFactory, UserFactory, council, ofsted_judged


def test_an_lga_peer_challenge_from_booking_to_team(new_page, site, mailoutbox):
    lga = AllianceFactory(
        name="Local Government Association",
        short_name="LGA",
        slug="lga",
        kind=Alliance.Kind.NATIONAL,
        regions=[],
    )
    with scopes_disabled():
        catalogue_load_standard(alliance=lga)
    derby = council("Derby")
    ofsted_judged(derby, "requires_improvement", clock.days(-400))

    def person(email, name, role, la=None):
        user = UserFactory(email=email, full_name=name)
        MembershipFactory(alliance=lga, user=user, role=role, local_authority=la)
        return user

    pm = person("petra.pm@example.org", "Petra Programme", Role.PROGRAMME_MANAGER)
    person("pia.pa@example.org", "Pia Principal", Role.PRINCIPAL_ADVISER)
    person("cai.cia@example.org", "Cai Adviser", Role.IMPROVEMENT_ADVISER)
    pcm = person("maya.pcm@example.org", "Maya Manager", Role.CONSULTANT)
    peer = person("pete.peer@example.org", "Pete Peer", Role.PEER_REVIEWER, council("Lewisham"))
    officer = person("dan.derby@example.org", "Dan Derbyofficer", Role.PEER_REVIEWER, derby)
    dcs = person("dora.dcs@example.org", "Dora Derby", Role.DCS, derby)
    organiser = person("owen.org@example.org", "Owen Organiser", Role.LA_ORGANISER, derby)
    today = timezone.localdate()
    soon = today + datetime.timedelta(days=56)

    # 1. Derby's DCS requests a peer challenge.
    director = new_page()
    sign_in(director, dcs)
    director.goto("/a/lga/cspc/")
    assert_accessible(director)
    director.get_by_role("link", name="The catalogue of peer challenges").click()
    director.get_by_role("heading", name="Peer challenges and diagnostics").wait_for()
    assert_accessible(director)
    director.get_by_role("link", name="Request Children's Services Peer Challenge").click()
    director.get_by_role("heading", name="Request a peer challenge").wait_for()
    assert_accessible(director)
    fill_date(director, "First on-site day", today - datetime.timedelta(days=2))
    director.get_by_label("On-site days").fill("4")
    director.get_by_role("button", name="Continue").click()
    director.get_by_text("The first on-site day must be in the future.").first.wait_for()
    assert_accessible(director)
    fill_date(director, "First on-site day", soon)
    director.get_by_label("What would you like the peer team to look at?").fill("Our front door")
    director.get_by_role("button", name="Continue").click()
    director.get_by_role(
        "heading", name="Check your answers before requesting the peer challenge"
    ).wait_for()
    director.get_by_role("heading", name="LGA subsidy: 50%").wait_for()
    assert "less than three months away" in director.locator("main").inner_text()
    assert_accessible(director)
    # Change one answer: the question comes back with every answer kept.
    director.get_by_role("link", name="Change what the peer team should look at").click()
    notes = director.get_by_label("What would you like the peer team to look at?")
    expect(notes).to_be_focused()  # the page's script focuses it once loaded
    assert notes.input_value() == "Our front door"
    assert director.get_by_label("On-site days").input_value() == "4"
    assert director.get_by_label("Day", exact=True).input_value() == str(soon.day)
    notes.fill("Our front door and early help")
    director.get_by_role("button", name="Continue").click()
    director.get_by_text("Our front door and early help").wait_for()
    director.get_by_role("button", name="Request this peer challenge").click()
    director.get_by_text("was sent to the LGA's programme manager").wait_for()
    assert_accessible(director)
    with scopes_disabled():
        challenge = Challenge.objects.get()
    detail = f"/a/lga/cspc/{challenge.pk}/"

    # 2. The programme manager is asked to scope it, records the scoping and the scope.
    manager = new_page()
    sign_in(manager, pm)
    manager.get_by_role("link", name=re.compile("Arrange the scoping meeting")).click()
    manager.get_by_role("heading", name="Scoping and the proposal").wait_for()
    assert_accessible(manager)
    manager.get_by_role("link", name="Change the scoping meeting", exact=True).click()
    assert_accessible(manager)
    fill_date(manager, "Date of the scoping meeting", today + datetime.timedelta(days=7))
    fill_time(manager, "Time of the scoping meeting", "10:00")
    manager.get_by_label("Where or how the meeting takes place").fill("Council House, Derby")
    manager.get_by_label("LGA principal adviser").select_option(label="Pia Principal")
    manager.get_by_label("Children's improvement adviser (CIA)").select_option(label="Cai Adviser")
    manager.get_by_label("Agreed focus").fill("The front door and early help step-down.")
    manager.get_by_label("The council asks peers to sign").check()
    # No list is ticked for them: the scoping agrees where the cases come from.
    manager.get_by_label("Child in need").check()
    manager.get_by_label("Child protection").check()
    manager.get_by_role("button", name="Save scoping").click()
    manager.get_by_text("Scoping saved.").wait_for()
    assert_accessible(manager)
    manager.get_by_role("link", name="Change the scope and lines of enquiry").click()
    manager.get_by_label("Early help").check()
    manager.get_by_label("Front door").check()
    manager.get_by_role("button", name="Save scope").click()
    manager.get_by_text(re.compile("Scope saved")).first.wait_for()
    assert_accessible(manager)
    manager.goto(detail)  # the task list: scoping under way, the rest not started
    assert manager.locator("#task-scoping-status").inner_text() == "In progress"
    assert manager.locator("#task-documents-status").inner_text() == "Cannot start yet"
    assert manager.get_by_role("link", name="Advance documents").count() == 0
    assert_accessible(manager)
    manager.get_by_role("link", name="Scoping and the proposal").click()
    manager.get_by_role("button", name="Send the scoping proposal").click()
    manager.get_by_text(re.compile("Version 1 of the scoping proposal")).wait_for()
    assert_accessible(manager)
    assert any("Accept the scoping proposal" in m.subject for m in mailoutbox)

    # 3. The DCS downloads and accepts the proposal, and names the organiser.
    director.goto("/")
    director.get_by_role("link", name=re.compile("Read and accept the scoping proposal")).click()
    with director.expect_download() as download:
        director.get_by_role("link", name="Download the scoping proposal, version 1").click()
    assert download.value.suggested_filename.endswith(".pdf")
    director.get_by_role("button", name="Accept the scoping proposal").click()
    director.get_by_text(re.compile("accepted", re.I)).first.wait_for()
    assert_accessible(director)
    with scopes_disabled():
        challenge.refresh_from_db()
    assert challenge.stage == Stage.PREPARATION
    director.get_by_role("link", name="Back to the peer challenge's tasks").click()
    assert director.locator("#task-scoping-status").inner_text() == "Completed"
    director.get_by_role("link", name="Sponsor, organiser and peer team").click()
    assert_accessible(director)
    director.get_by_role("link", name="Name the sponsor", exact=True).click()
    director.get_by_label("Peer challenge sponsor").select_option(value=str(dcs.pk))
    director.get_by_label("Peer challenge organiser").select_option(value=str(organiser.pk))
    director.get_by_role("button", name="Save contacts").click()
    director.get_by_text("Sponsor and organiser saved.").wait_for()
    assert_accessible(director)

    # 4. The programme manager assembles the team: a Derby officer is refused.
    manager.goto(detail)
    manager.get_by_role("link", name="Sponsor, organiser and peer team").click()
    assert "Dora Derby" in manager.locator(".govuk-summary-list").inner_text()
    manager.get_by_role("link", name="Manage the peer team").click()
    assert_accessible(manager)
    manager.get_by_label("Peer", exact=True).select_option(value=str(officer.pk))
    manager.get_by_label("Role on the team").select_option(label="Senior operational manager")
    manager.get_by_role("button", name="Add to the team and invite").click()
    manager.get_by_text("There is a problem").wait_for()
    assert "Derby" in manager.locator(".govuk-error-summary").inner_text()
    assert_accessible(manager)
    manager.get_by_label("Peer", exact=True).select_option(value=str(peer.pk))
    manager.get_by_label("Role on the team").select_option(label="Senior operational manager")
    manager.get_by_role("button", name="Add to the team and invite").click()
    manager.get_by_text(re.compile("Pete Peer added as")).wait_for()
    assert_accessible(manager)
    manager.get_by_label("Peer", exact=True).select_option(value=str(pcm.pk))
    manager.get_by_label("Role on the team").select_option(label="Peer challenge manager")
    manager.get_by_role("button", name="Add to the team and invite").click()
    manager.get_by_text(re.compile("Maya Manager added as")).wait_for()
    assert any(m.to == ["pete.peer@example.org"] for m in mailoutbox)

    # 5. The peer accepts the charter and the confidentiality agreement.
    reviewer = new_page()
    sign_in(reviewer, peer)
    reviewer.get_by_role("link", name=re.compile("Accept the peer charter")).click()
    assert_accessible(reviewer)
    reviewer.get_by_role("button", name="Accept").click()  # nothing ticked: refused
    reviewer.get_by_text("There is a problem").wait_for()
    assert_accessible(reviewer)
    reviewer.get_by_label(re.compile("I accept the peer charter")).check()
    reviewer.get_by_label(re.compile("I accept the confidentiality agreement")).check()
    reviewer.get_by_role("button", name="Accept").click()
    reviewer.get_by_text("Thank you: your acceptance is recorded.").wait_for()
    assert_accessible(reviewer)
    with scopes_disabled():
        place = challenge.team.get(user=peer)
    assert place.charter_accepted_at and place.confidentiality_accepted_at
