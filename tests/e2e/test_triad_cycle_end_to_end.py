"""One triad cycle from start to finish, every role in its own browser, each led from its
home page's "what needs you now" panel where it has one:

the programme manager plans the cycle and its triads and assigns a consultant; the three
councils of triad 1 draft, upload and share; their consultant reads a draft and comments; a
council of another triad cannot open triad 1; after the event each council completes its
template; the consultant writes the summary and the programme manager issues it; a director
downloads the PDF; a Tier 2 member follows up the overdue action. axe runs on every page.
"""

import datetime
import re

from django.utils import timezone
from django_scopes import scope, scopes_disabled
from pypdf import PdfReader

from peerchallenge.models import Role
from tests.e2e.conftest import assert_accessible, fill_date, sign_in
from tests.factories import (
    AllianceFactory,
    MembershipFactory,
    Tier2GroupFactory,
    UserFactory,
    council,
    region,
)
from triads.models import Cycle

TRIADS = {
    "Triad 1": ["Derby", "Derbyshire", "Leicester"],
    "Triad 2": ["Leicestershire", "Lincolnshire", "North Northamptonshire"],
    "Triad 3": ["Nottingham", "Nottinghamshire", "Rutland", "West Northamptonshire"],
}
KLOES = {
    "Derby": ("Early help", "How well does early help reach families who need it?"),
    "Derbyshire": ("Care leavers", "Do care leavers have a home and a trusted adult?"),
    "Leicester": ("Workforce", "How stable is the social work workforce?"),
}


def pdf_file(name: str) -> dict:
    body = f"%PDF-1.7\n{name} self-evaluation\n%%EOF\n".encode()
    return {
        "name": f"{name.lower()}-self-evaluation.pdf",
        "mimeType": "application/pdf",
        "buffer": body,
    }


def home_need(page, text: str):
    """Go home and follow the "what needs you now" item whose text matches."""
    page.goto("/")
    panel = page.locator(".pc-needs")
    link = panel.get_by_role("link", name=re.compile(text))
    link.wait_for()
    assert_accessible(page)
    link.click()


def test_a_triad_cycle_from_planning_to_tier2_follow_up(new_page, site, mailoutbox):
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
    ruth = person("ruth.c@example.org", "Ruth Consultant", Role.CONSULTANT)
    organisers = {
        la: person(f"org.{la.lower()}@example.org", f"Org {la}", Role.LA_ORGANISER, council(la))
        for la in TRIADS["Triad 1"]
    }
    derby_dcs = person("dee.dcs@example.org", "Dee Director", Role.DCS, council("Derby"))
    lincs = person("lin.dcs@example.org", "Lin Lincs", Role.DCS, council("Lincolnshire"))
    tia = person("tia.t2@example.org", "Tia Tier", Role.TIER2_MEMBER)
    with scope(alliance=alliance):
        safeguarding = Tier2GroupFactory(alliance=alliance, name="Safeguarding")
        safeguarding.members.add(tia)
    today = timezone.localdate()
    event = today + datetime.timedelta(days=42)

    # 1. The programme manager plans the cycle, arranges the triads, assigns a consultant.
    manager = new_page()
    sign_in(manager, pm)
    manager.goto("/a/east-midlands/triads/")
    assert_accessible(manager)
    manager.get_by_role("button", name="Plan a new cycle").click()
    manager.get_by_role("heading", name="Plan a new cycle").wait_for()
    manager.get_by_label("Name").fill("Children's social care peer challenge, spring")
    fill_date(manager, "Date of the event", event)
    manager.get_by_label("Venue").fill("Leicester City Hall")
    manager.get_by_role("button", name="Save cycle").click()
    manager.get_by_role("heading", name="Children's social care peer challenge, spring").wait_for()
    assert_accessible(manager)
    with scopes_disabled():
        cycle = Cycle.objects.get(alliance=alliance)
    home_need(manager, "Put the councils of .* into triads")
    manager.get_by_text("This is a suggested grouping").wait_for()
    assert_accessible(manager)
    for triad, councils in TRIADS.items():
        for name in councils:
            manager.get_by_label(f"Triad for {name}", exact=True).select_option(label=triad)
    manager.get_by_role("button", name="Save triads").click()
    manager.get_by_text("Triads saved.").wait_for()
    assert_accessible(manager)
    manager.get_by_role("link", name="Choose consultant for Triad 1").click()
    manager.get_by_label("Independent consultant").select_option(label="Ruth Consultant")
    manager.get_by_role("button", name="Save consultant").click()
    manager.get_by_text("Consultant for Triad 1 saved.").wait_for()
    assert_accessible(manager)
    with scopes_disabled():
        triad1 = cycle.triads.get(number=1)
    triad_path = f"/a/east-midlands/triads/{cycle.pk}/triads/{triad1.pk}/"

    # 2. Each council of triad 1 drafts a KLOE and uploads its self-evaluation; Derby keeps
    # its draft until the consultant has read it, the other two share at once.
    pages = {}
    for la, user in organisers.items():
        page = pages[la] = new_page()
        sign_in(page, user)
        home_need(page, f"Share {la}'s key lines of enquiry")
        page.get_by_role("heading", name="Triad 1").wait_for()
        assert_accessible(page)
        title, question = KLOES[la]
        page.get_by_role("button", name="Write a key line of enquiry").click()
        page.get_by_label("Title").fill(title)
        page.get_by_label("The line of enquiry").fill(question)
        page.get_by_role("button", name="Save key line of enquiry").click()
        page.get_by_text("Key line of enquiry saved as a draft.").wait_for()
        page.get_by_role("button", name="Upload a document").click()
        page.get_by_role("heading", name="Upload a document").wait_for()
        assert_accessible(page)
        page.get_by_label("Title").fill(f"{la} self-evaluation")
        page.get_by_label("File", exact=True).set_input_files(pdf_file(la))
        page.get_by_role("button", name="Upload document").click()
        page.get_by_text(f"“{la} self-evaluation” was uploaded").wait_for()
        assert_accessible(page)
        if la != "Derby":
            page.get_by_role(
                "button", name=re.compile(rf"Share with the triad\s*: {title}")
            ).click()
            page.get_by_text("is now shared with your triad").wait_for()

    # 3. The consultant is asked to read Derby's draft, and comments; then Derby shares it.
    consultant = new_page()
    sign_in(consultant, ruth)
    home_need(consultant, "Read Derby's 1 draft key line of enquiry")
    consultant.get_by_label("Comment on “Early help”").fill("Bring the step-down audit.")
    consultant.get_by_role("button", name="Add comment on Early help").click()
    consultant.get_by_text("Comment added.").wait_for()
    assert_accessible(consultant)
    derby = pages["Derby"]
    derby.reload()
    assert "Bring the step-down audit." in derby.locator("main").inner_text()
    derby.get_by_role("button", name=re.compile(r"Share with the triad\s*: Early help")).click()
    derby.get_by_text("is now shared with your triad").wait_for()
    assert_accessible(derby)
    consultant.goto("/")
    assert "draft key line" not in consultant.locator(".pc-needs").inner_text()

    # Everyone in triad 1 reads every council's shared KLOE and evidence.
    leicester = pages["Leicester"]
    leicester.reload()
    body = leicester.locator("main").inner_text()
    for _title, question in KLOES.values():
        assert question in body
    with leicester.expect_download() as download:
        leicester.get_by_role("link", name=re.compile("Derby self-evaluation")).click()
    with open(download.value.path(), "rb") as handle:
        assert handle.read().startswith(b"%PDF-1.7\nDerby self-evaluation")

    # 4. Lincolnshire, in triad 2, cannot open triad 1, its KLOEs or Derby's template.
    outsider = new_page()
    sign_in(outsider, lincs)
    for path in (triad_path, f"/a/east-midlands/triads/{cycle.pk}/councils/E06000015/template/"):
        response = outsider.goto(path)
        assert response.status == 404, path
        assert "Early help" not in outsider.content()
    assert_accessible(outsider)

    # The event takes place: move the cycle's dates into the past.
    with scopes_disabled():
        Cycle.objects.filter(pk=cycle.pk).update(
            event_date=today - datetime.timedelta(days=60),
            kloes_due=today - datetime.timedelta(days=88),
            templates_due=today - datetime.timedelta(days=53),
            report_due=today + datetime.timedelta(days=7),
        )
    overdue_by = today - datetime.timedelta(days=10)

    # 5. Each council completes its event-day template; Derby's action is now overdue.
    for la, page in pages.items():
        home_need(page, f"Complete {la}'s event-day template")
        page.get_by_role("heading", name=f"Event-day template: {la}").wait_for()
        assert_accessible(page)
        page.get_by_label("What the council will do").fill(f"{la}: audit step-down decisions")
        page.get_by_label("Owner").fill("Head of early help")
        due = overdue_by if la == "Derby" else today + datetime.timedelta(days=90)
        fill_date(page, "Due by", due)
        page.get_by_label("Monitored by").select_option(label="Safeguarding")
        page.get_by_role("button", name="Add action").click()
        page.get_by_text("Action added.").wait_for()
        page.get_by_label("Next steps").fill(f"{la} reports progress to Safeguarding.")
        page.get_by_label("The template is complete").check()
        page.get_by_role("button", name="Save next steps").click()
        page.get_by_text("Template saved.").wait_for()
        assert_accessible(page)

    # 6. The consultant writes the summary; the programme manager adds support and issues it.
    consultant.goto(f"/a/east-midlands/triads/{cycle.pk}/summary/")
    consultant.get_by_role("heading", name="Summary report").wait_for()
    assert_accessible(consultant)
    consultant.get_by_label("Overview").fill("Ten councils met in three triads at City Hall.")
    consultant.get_by_label(re.compile("Triad 1: ")).fill("Derby, Derbyshire and Leicester met.")
    consultant.get_by_label("Recommendations for addressing identified challenges").fill(
        "Share the neglect toolkit across the region."
    )
    consultant.get_by_role("button", name="Save summary").click()
    consultant.get_by_text("Summary saved.").wait_for()
    assert "The programme manager issues the report." in consultant.locator("main").inner_text()
    assert_accessible(consultant)

    home_need(manager, "Issue the summary report of")
    manager.get_by_role("heading", name="Summary report").wait_for()
    manager.get_by_label("Council offering support").select_option(label="Leicester")
    manager.get_by_label("Council receiving support").select_option(label="Rutland")
    manager.get_by_label("On", exact=True).fill("reducing agency staff")
    manager.get_by_role("button", name="Add support offer").click()
    manager.get_by_text("Leicester offers Rutland support on reducing agency staff").wait_for()
    manager.get_by_role("button", name="Issue the summary report").click()
    manager.get_by_text("Version 1 of the summary report is being produced").wait_for()
    assert_accessible(manager)
    assert "dee.dcs@example.org" in {address for m in mailoutbox for address in m.to}

    # 7. Derby's director downloads the PDF: triads, recommendations and actions are in it.
    director = new_page()
    sign_in(director, derby_dcs)
    director.goto(f"/a/east-midlands/triads/{cycle.pk}/")
    assert_accessible(director)
    with director.expect_download() as download:
        director.get_by_role("link", name="Download the summary report, version 1").click()
    text = "".join(p.extract_text() for p in PdfReader(download.value.path()).pages)
    text = re.sub(r"\s+", " ", text)
    for expected in (
        "Triad 1",
        "Derby, Derbyshire and Leicester met.",
        "Share the neglect toolkit across the region.",
        "Derby: audit step-down decisions",
        "Leicester Rutland reducing agency staff",
    ):
        assert expected in text, expected

    # 8. The Tier 2 member is told of the overdue action, filters to it and adds a note.
    monitor = new_page()
    sign_in(monitor, tia)
    home_need(monitor, "1 action is overdue in Safeguarding")
    monitor.get_by_role("heading", name="1 action").wait_for()
    body = monitor.locator("main").inner_text()
    assert "Derby: audit step-down decisions" in body
    assert "Leicester: audit step-down decisions" not in body
    assert_accessible(monitor)
    monitor.get_by_role("link", name="Derby: audit step-down decisions").click()
    monitor.get_by_role("heading", name="Agreed action").wait_for()
    monitor.get_by_label("Monitoring note").fill("Ask Derby for the audit at the next meeting.")
    monitor.get_by_role("button", name="Add monitoring note").click()
    monitor.get_by_text("Update added.").wait_for()
    assert "Ask Derby for the audit" in monitor.locator("main").inner_text()
    assert_accessible(monitor)
