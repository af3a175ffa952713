"""An on-demand review from request to findings, each person in their own browser: Derby's
DCS requests a review with a window for the first day; the programme manager sees the window,
accepts and invites a lead reviewer and an officer of another council, who accept; Derby's
organiser builds the schedule (a reviewer's clash refused); the lead reviewer records
findings and a recommendation and issues them; the DCS downloads the PDF, whose text holds
the findings and the recommendation. axe runs on every page."""

import datetime
import re

from django.utils import timezone
from django_scopes import scopes_disabled
from playwright.sync_api import expect
from pypdf import PdfReader

from ondemand.models import Review, Status
from peerchallenge.models import Role
from tests.e2e.conftest import assert_accessible, fill_date, fill_time, sign_in
from tests.factories import AllianceFactory, MembershipFactory, UserFactory, council, region

PETE = "Pete Peer (pete.peer@example.org), Leicester"


def test_an_ondemand_review_from_request_to_findings(new_page, site, mailoutbox):
    em = AllianceFactory(
        name="East Midlands RIIA",
        short_name="EM RIIA",
        slug="east-midlands",
        regions=[region("East Midlands")],
    )
    derby = council("Derby")

    def person(email, name, role, la=None):
        user = UserFactory(email=email, full_name=name)
        MembershipFactory(alliance=em, user=user, role=role, local_authority=la)
        return user

    pm = person("priya.pm@example.org", "Priya Programme", Role.PROGRAMME_MANAGER)
    dcs = person("dora.dcs@example.org", "Dora Derby", Role.DCS, derby)
    organiser = person("owen.org@example.org", "Owen Organiser", Role.LA_ORGANISER, derby)
    lead = person("lena.lead@example.org", "Lena Lead", Role.CONSULTANT)
    officer = person("pete.peer@example.org", "Pete Peer", Role.PEER_REVIEWER, council("Leicester"))
    today = timezone.localdate()
    latest = today + datetime.timedelta(days=14)

    # 1. Derby's DCS requests a review of one service area.
    director = new_page()
    sign_in(director, dcs)
    director.goto("/a/east-midlands/ondemand/")
    assert_accessible(director)
    director.get_by_role("link", name="Request a review").click()
    assert_accessible(director)
    director.get_by_label("Service area to review").fill("Children's commissioning")
    director.get_by_label("Primary key line of enquiry").fill(
        "How well does commissioning secure local placements?"
    )
    director.get_by_label("Why now").fill("Our sufficiency strategy is due for renewal.")
    fill_date(director, "Earliest preferred first day", datetime.date(2020, 1, 1))
    director.get_by_label("One day").check()
    director.get_by_role("button", name="Continue").click()
    director.get_by_text("There is a problem").wait_for()
    assert "must be today or in the future" in director.locator(".govuk-error-summary").inner_text()
    assert_accessible(director)
    fill_date(director, "Earliest preferred first day", today)
    fill_date(director, "Latest preferred first day", latest)
    director.get_by_role("button", name="Continue").click()
    director.get_by_role("heading", name="Check your answers before sending the request").wait_for()
    assert_accessible(director)
    # Change one answer: the question comes back with every answer kept.
    director.get_by_role("link", name="Change the service area to review").click()
    area = director.get_by_label("Service area to review")
    expect(area).to_be_focused()  # the page's script focuses it once loaded
    assert area.input_value() == "Children's commissioning"
    assert director.get_by_label("One day").is_checked()
    area.fill("Children's commissioning and sufficiency")
    director.get_by_role("button", name="Continue").click()
    director.get_by_text("Children's commissioning and sufficiency").wait_for()
    director.get_by_role("button", name="Send the request").click()
    director.get_by_text(re.compile("Request sent")).wait_for()
    assert_accessible(director)
    with scopes_disabled():
        review = Review.objects.get(alliance=em)
    base = f"/a/east-midlands/ondemand/{review.pk}"

    # 2. The programme manager accepts it and assembles the team.
    manager = new_page()
    sign_in(manager, pm)
    manager.goto(f"{base}/")
    assert_accessible(manager)
    manager.get_by_role("link", name="Decide on the request").click()
    assert_accessible(manager)
    manager.get_by_text(
        f"Between {today:%A} {today.day} {today:%B %Y} and {latest:%A} {latest.day} {latest:%B %Y}"
    ).wait_for()
    manager.get_by_label("Accept the request").check()
    manager.get_by_role("button", name="Save the decision").click()
    manager.get_by_text("Request accepted: assemble the review team.").wait_for()
    manager.get_by_role("link", name="See the review team").click()
    assert_accessible(manager)
    choices = {lead.pk: "Lena Lead (lena.lead@example.org)", officer.pk: PETE}
    for user, role in ((lead, "Lead reviewer"), (officer, "Officer from another council")):
        manager.get_by_label("Person").select_option(label=choices[user.pk])
        manager.get_by_label("Role on the team").select_option(label=role)
        manager.get_by_role("button", name="Invite to the team").click()
        manager.get_by_text(re.compile(f"{user.full_name} invited as")).wait_for()
    manager.get_by_label("Person").select_option(label=PETE)
    manager.get_by_label("Role on the team").select_option(label="Independent expert")
    manager.get_by_role("button", name="Invite to the team").click()
    manager.get_by_text("Pete Peer has already been invited to this review.").first.wait_for()
    assert_accessible(manager)

    # 3. Each accepts in the app.
    reviewers = {}
    for user in (lead, officer):
        page = reviewers[user.pk] = new_page()
        sign_in(page, user)
        page.goto(f"{base}/")
        assert_accessible(page)
        page.get_by_role("link", name="Accept or decline your invitation").click()
        assert_accessible(page)
        page.get_by_label("Yes, I accept").check()
        page.get_by_role("button", name="Send my answer").click()
        page.get_by_text("Thank you: you are on the review team.").wait_for()

    # 4. Derby's organiser builds the schedule; Lena in two places at once is refused.
    host = new_page()
    sign_in(host, organiser)
    host.goto(f"{base}/schedule/")
    assert_accessible(host)

    def add_session(title, start, end, room):
        host.get_by_label("Day", exact=True).select_option(index=0)
        fill_time(host, "Start time", start)
        fill_time(host, "End time", end)
        host.get_by_label("Kind of session").select_option(label="Interview")
        host.get_by_label("Title").fill(title)
        host.get_by_label("Room or place").fill(room)
        host.get_by_label("Lena Lead").check()
        host.get_by_role("button", name="Add session").click()

    add_session("Meeting the head of commissioning", "09:00", "10:00", "Room 4.12")
    host.get_by_text(re.compile("“Meeting the head of commissioning” added")).wait_for()
    add_session("Site visit: Forest Road home", "09:30", "11:00", "Forest Road")
    host.get_by_text("There is a problem").wait_for()
    assert (
        "Lena Lead is in “Meeting the head of commissioning”"
        in host.locator(".govuk-error-summary").inner_text()
    )
    assert host.get_by_label("Title").input_value() == "Site visit: Forest Road home"
    assert_accessible(host)
    fill_time(host, "Start time", "10:00")
    host.get_by_role("button", name="Add session").click()
    host.get_by_text(re.compile("“Site visit: Forest Road home” added")).wait_for()
    assert_accessible(host)

    # 5. The lead reviewer records the findings and a recommendation, and issues them.
    reviewer = reviewers[lead.pk]
    reviewer.goto(f"{base}/findings/")
    assert_accessible(reviewer)
    reviewer.get_by_label("Key findings").fill("Leaders know their placement market well.")
    reviewer.get_by_role("button", name="Save the key findings").click()
    reviewer.get_by_text("Key findings saved.").wait_for()
    reviewer.get_by_label("Recommendation", exact=True).fill(
        "Publish a market position statement every year."
    )
    reviewer.get_by_role("button", name="Add the recommendation").click()
    reviewer.get_by_text("Recommendation added.").wait_for()
    assert_accessible(reviewer)
    reviewer.get_by_role("link", name="Presentation outline (printable)").click()
    reviewer.get_by_text("Publish a market position statement every year.").wait_for()
    assert_accessible(reviewer)
    reviewer.go_back()
    reviewer.get_by_role("button", name="Issue the findings report").click()
    reviewer.get_by_text(re.compile("Findings issued: the report")).wait_for()
    assert_accessible(reviewer)

    # 6. The DCS, emailed, downloads the PDF: the findings and recommendation are in it.
    assert any(m.to == ["dora.dcs@example.org"] and "findings" in m.subject for m in mailoutbox)
    director.goto(f"{base}/")
    assert_accessible(director)
    with director.expect_download() as download:
        director.get_by_role("link", name=re.compile("Download the findings report")).click()
    text = re.sub(
        r"\s+", " ", "".join(p.extract_text() for p in PdfReader(download.value.path()).pages)
    )
    assert "Leaders know their placement market well." in text
    assert "Publish a market position statement every year." in text
    with scopes_disabled():
        review.refresh_from_db()
    assert review.status == Status.FINDINGS_ISSUED
