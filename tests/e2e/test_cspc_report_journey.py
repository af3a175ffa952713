"""An LGA peer challenge from preparation to the final report, each person in their own
browser: the organiser uploads an advance document and the peer challenge manager accepts
it; the organiser builds the timetable (a peer's clash refused); the peer challenge manager
selects cases (a name refused), records findings and shares the case review; the report goes
through the team leader, QA by the programme manager, principal adviser and CIA, factual
accuracy with the council's comment resolved, and the final version, whose PDF the DCS
downloads. axe runs on every page."""

import datetime
import re

from django.utils import timezone
from django_scopes import scope, scopes_disabled
from pypdf import PdfReader

from lga_cspc.models import Challenge, FeedbackReport, Stage
from lga_cspc.services.catalogue import catalogue_load_standard
from lga_cspc.services.documents import checklist_generate
from peerchallenge.models import Alliance, Role
from tests.e2e.conftest import assert_accessible, fill_time, sign_in
from tests.factories import AllianceFactory, MembershipFactory, UserFactory, council
from tests.lga_cspc.factories import ChallengeFactory, TeamMemberFactory


def test_an_lga_peer_challenge_from_preparation_to_final_report(new_page, site, mailoutbox):
    lga = AllianceFactory(
        name="Local Government Association",
        short_name="LGA",
        slug="lga",
        kind=Alliance.Kind.NATIONAL,
        regions=[],
    )
    derby = council("Derby")

    def person(email, name, role, la=None):
        user = UserFactory(email=email, full_name=name)
        MembershipFactory(alliance=lga, user=user, role=role, local_authority=la)
        return user

    pm = person("petra.pm@example.org", "Petra Programme", Role.PROGRAMME_MANAGER)
    pa = person("pia.pa@example.org", "Pia Principal", Role.PRINCIPAL_ADVISER)
    cia = person("cai.cia@example.org", "Cai Adviser", Role.IMPROVEMENT_ADVISER)
    pcm = person("maya.pcm@example.org", "Maya Manager", Role.CONSULTANT)
    leader = person("tara.lead@example.org", "Tara Leader", Role.PEER_REVIEWER, council("Lewisham"))
    peer = person("pete.peer@example.org", "Pete Peer", Role.PEER_REVIEWER, council("Camden"))
    dcs = person("dora.dcs@example.org", "Dora Derby", Role.DCS, derby)
    organiser = person("owen.org@example.org", "Owen Organiser", Role.LA_ORGANISER, derby)
    onsite = timezone.localdate() + datetime.timedelta(days=30)
    with scopes_disabled():
        catalogue_load_standard(alliance=lga)
        challenge = ChallengeFactory(
            alliance=lga,
            offer=lga_offer(lga),
            local_authority=derby,
            stage=Stage.PREPARATION,
            onsite_start=onsite,
            days=3,
            sponsor=dcs,
            organiser=organiser,
            principal_adviser=pa,
            improvement_adviser=cia,
            focus="The front door.",
            case_lists=["cin", "cp"],  # agreed at scoping
        )
        for user, role in [
            (leader, "team_leader"),
            (pcm, "peer_challenge_manager"),
            (peer, "senior_manager"),
        ]:
            TeamMemberFactory(challenge=challenge, user=user, role=role, indicative_days=5)
    with scope(alliance=lga):
        checklist_generate(challenge=challenge, user=pm)
    base = f"/a/lga/cspc/{challenge.pk}"

    # 1. The organiser uploads the Children's Plan; the peer challenge manager accepts it.
    council_side = new_page()
    sign_in(council_side, organiser)
    council_side.goto(f"{base}/")
    assert_accessible(council_side)
    # The challenge's task list: the checklist is drawn up, nothing accepted yet.
    assert council_side.locator("#task-documents-status").inner_text() == "Not yet started"
    council_side.get_by_role("link", name="Advance documents").click()
    assert_accessible(council_side)
    council_side.get_by_role("link", name="Upload Children's Plan", exact=True).click()
    assert_accessible(council_side)
    council_side.get_by_label("File", exact=True).set_input_files(
        {"name": "plan.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.7\nplan\n%%EOF\n"}
    )
    council_side.get_by_role("button", name="Upload document").click()
    council_side.get_by_text("The peer challenge manager will review it.").wait_for()

    manager = new_page()
    sign_in(manager, pcm)
    manager.goto(f"{base}/documents/")
    manager.get_by_role("link", name="Review Children's Plan", exact=True).click()
    assert_accessible(manager)
    manager.get_by_label("Yes, accept it").check()
    manager.get_by_role("button", name="Save review").click()
    manager.get_by_text("“Children's Plan” accepted.").wait_for()
    assert_accessible(manager)

    # 2. The organiser builds the timetable; Pete in two sessions at once is refused.
    council_side.goto(f"{base}/timetable/")
    assert_accessible(council_side)

    def add_session(kind, title, start, end, room):
        council_side.get_by_label("Day", exact=True).select_option(index=0)
        fill_time(council_side, "Start time", start)
        fill_time(council_side, "End time", end)
        council_side.get_by_label("Kind of session").select_option(label=kind)
        council_side.get_by_label("Title").fill(title)
        council_side.get_by_label("Room").fill(room)
        council_side.get_by_label("Pete Peer").check()
        council_side.get_by_role("button", name="Add session").click()

    add_session("Council overview presentation", "Overview", "09:00", "09:20", "Chamber")
    council_side.get_by_text(re.compile("“Overview” added")).wait_for()
    add_session("Interview", "Interview with the DCS", "09:10", "10:00", "Room 2")
    council_side.get_by_text("There is a problem").wait_for()
    assert "Pete Peer is in “Overview”" in council_side.locator(".govuk-error-summary").inner_text()
    assert council_side.get_by_label("Title").input_value() == "Interview with the DCS"
    assert_accessible(council_side)
    fill_time(council_side, "Start time", "09:30")
    council_side.get_by_role("button", name="Add session").click()
    council_side.get_by_text(re.compile("“Interview with the DCS” added")).wait_for()
    assert_accessible(council_side)

    # 3. The case record review: a name is refused; findings recorded; the report shared.
    manager.goto(f"{base}/cases/")
    assert_accessible(manager)
    manager.get_by_label("Case references").fill("DY-1001\nJane Smith")
    manager.get_by_label("From the list of").select_option(label="Child in need")
    manager.get_by_role("button", name="Add cases").click()
    manager.get_by_text("There is a problem").wait_for()
    assert "case reference" in manager.locator(".govuk-error-summary").inner_text()
    assert_accessible(manager)
    manager.get_by_label("Case references").fill("DY-1001\nDY-1002")
    manager.get_by_role("button", name="Add cases").click()
    manager.get_by_role("link", name="Record findings of case DY-1001").wait_for()
    for reference in ("DY-1001", "DY-1002"):
        manager.get_by_role("link", name=f"Record findings of case {reference}").click()
        assert_accessible(manager)
        manager.get_by_label("Practice is strong").check()
        manager.get_by_label("Strengths").fill(f"Purposeful visits in {reference}.")
        manager.get_by_role("button", name="Save findings").click()
        manager.get_by_text(f"Findings for case {reference} saved.").wait_for()
    manager.get_by_label("Key messages").fill("Social workers know their children well.")
    manager.get_by_role("button", name="Save discussion and key messages").click()
    manager.get_by_role("button", name="Share the case review report").click()
    manager.get_by_text(re.compile("case review report is being produced")).wait_for()
    assert_accessible(manager)

    # The on-site visit takes place: its days are now past, so the draft may be issued.
    with scopes_disabled():
        Challenge.objects.filter(pk=challenge.pk).update(
            onsite_start=timezone.localdate() - datetime.timedelta(days=7)
        )

    # 4. The written feedback: drafted, agreed, quality-assured, issued for accuracy.
    manager.goto(f"{base}/report/")
    assert_accessible(manager)
    manager.get_by_label("Executive summary").fill("A council that knows itself well.")
    manager.get_by_label("Key strengths").fill(
        "Leaders know their services well.\n\nSocial workers know their children."
    )
    manager.get_by_label("Areas for further development").fill("Step-down from the front door.")
    manager.get_by_label("Recommendations").fill("Review the step-down threshold.")
    manager.get_by_role("button", name="Save the report").click()
    manager.get_by_role("button", name="Save the report").wait_for()

    def step(user, label):
        page = new_page()
        sign_in(page, user)
        page.goto(f"{base}/report/")
        page.get_by_role("button", name=label).click()
        page.get_by_role("button", name=label).wait_for(state="detached")
        assert_accessible(page)
        return page

    step(leader, "Agree the report")
    manager.goto(f"{base}/report/")
    manager.get_by_role("button", name="Submit for quality assurance").click()
    manager.get_by_role("button", name="Issue the draft to the council").wait_for()
    manager.get_by_role("button", name="Issue the draft to the council").click()
    manager.get_by_text("There is a problem").wait_for()  # no sign-offs yet: refused
    programme = step(pm, re.compile("Sign off as"))
    step(pa, re.compile("Sign off as"))
    step(cia, re.compile("Sign off as"))
    manager.goto(f"{base}/report/")
    manager.get_by_role("button", name="Issue the draft to the council").click()
    manager.get_by_role(
        "link", name=re.compile("Download the draft for factual accuracy")
    ).wait_for()
    assert_accessible(manager)

    # 5. The DCS comments on a paragraph (never edits); the manager resolves it.
    director = new_page()
    sign_in(director, dcs)
    director.goto(f"{base}/report/")
    assert_accessible(director)
    assert director.get_by_role("button", name="Save the report").count() == 0
    director.get_by_text("Comment on this paragraph (key strengths, paragraph 1)").click()
    director.get_by_label("Your comment on paragraph 1 of the key strengths").fill(
        "Please name the edge-of-care team."
    )
    director.get_by_role("button", name="Send comment on paragraph 1 of the key strengths").click()
    director.get_by_text(
        re.compile("Your comment on paragraph 1 of the key strengths")
    ).first.wait_for()
    assert_accessible(director)
    manager.goto(f"{base}/report/")
    manager.get_by_label(re.compile("How the comment by Dora Derby was resolved")).fill(
        "Named in paragraph 1."
    )
    manager.get_by_role("button", name=re.compile("Resolve")).click()
    manager.get_by_text("Resolved").first.wait_for()

    # Ten working days pass: the window closes; the manager closes it, the PM issues.
    with scopes_disabled():
        FeedbackReport.objects.filter(challenge=challenge).update(
            accuracy_closes_on=timezone.localdate() - datetime.timedelta(days=1)
        )
    manager.goto(f"{base}/report/")
    manager.get_by_role("button", name="Close the factual-accuracy window").click()
    manager.get_by_role("button", name="Close the factual-accuracy window").wait_for(
        state="detached"
    )
    programme.goto(f"{base}/report/")
    programme.get_by_role("button", name="Issue the final version").click()
    programme.get_by_role("link", name=re.compile("Download the final report")).wait_for()
    assert_accessible(programme)

    # 6. The DCS downloads the final PDF: the strengths and recommendations are in it.
    director.goto(f"{base}/")
    assert director.locator("#task-written-feedback-status").inner_text() == "Completed"
    assert_accessible(director)
    with director.expect_download() as download:
        director.get_by_role(
            "link", name="Download the final written feedback report (PDF)"
        ).click()
    text = re.sub(
        r"\s+", " ", "".join(p.extract_text() for p in PdfReader(download.value.path()).pages)
    )
    assert "Leaders know their services well." in text
    assert "Review the step-down threshold." in text
    assert "FINAL" in text.upper()
    with scopes_disabled():
        challenge.refresh_from_db()
    assert challenge.stage == Stage.EVALUATION
    assert any("dora.dcs@example.org" in m.to for m in mailoutbox)


def lga_offer(alliance):
    from lga_cspc.models import Offer

    return Offer.objects.get(alliance=alliance, name="Children's Services Peer Challenge")
