"""Key lines of enquiry in the browser: a council drafts one (a missing question is refused
with a message), its consultant comments, the council shares it; a council of the same
triad reads it; a council outside the triad gets "Page not found"."""

import datetime
import re

from django_scopes import scope

from peerchallenge.models import LocalAuthority, Role
from tests.e2e.conftest import assert_accessible, fill_date, sign_in
from tests.factories import AllianceFactory, MembershipFactory, UserFactory, council, region
from tests.triads.factories import CycleFactory, make_triads
from triads.services.cycles import triad_assign_consultant


def test_a_council_drafts_and_shares_a_kloe_with_its_triad_only(new_page, site):
    alliance = AllianceFactory(
        name="East Midlands RIIA",
        short_name="East Midlands RIIA",
        slug="east-midlands",
        regions=[region("East Midlands")],
    )
    em = list(LocalAuthority.objects.filter(region__name="East Midlands").order_by("name"))
    cycle = CycleFactory(alliance=alliance, name="Peer challenge, March 2028")
    triad1, _, _ = make_triads(cycle, [em[:3], em[4:7], [em[3], *em[7:]]])  # Derby's triad

    def person(email, name, role, la=None):
        user = UserFactory(email=email, full_name=name)
        MembershipFactory(alliance=alliance, user=user, role=role, local_authority=la)
        return user

    derby = person("olu.derby@example.org", "Olu Derby", Role.LA_ORGANISER, council("Derby"))
    derbyshire = person("dana@example.org", "Dana Shire", Role.LA_ORGANISER, council("Derbyshire"))
    lincs = person("lin@example.org", "Lin Lincs", Role.DCS, council("Lincolnshire"))
    ruth = person("ruth@example.org", "Ruth Consultant", Role.CONSULTANT)
    with scope(alliance=alliance):
        triad_assign_consultant(triad=triad1, consultant=ruth)
    triad_path = f"/a/east-midlands/triads/{cycle.pk}/triads/{triad1.pk}/"

    # Derby drafts a KLOE.
    page = new_page()
    sign_in(page, derby)
    page.goto(triad_path)
    page.get_by_role("heading", name="Triad 1").wait_for()
    assert_accessible(page)
    page.get_by_role("button", name="Write a key line of enquiry").click()
    page.get_by_role("heading", name="Write a key line of enquiry").wait_for()
    assert_accessible(page)
    page.get_by_label("Title").fill("Early help")
    page.get_by_label("Why it matters").fill("Families wait too long for support.")
    page.get_by_role("button", name="Save key line of enquiry").click()
    page.get_by_text("There is a problem").wait_for()
    assert (
        page.get_by_label("Why it matters").input_value() == "Families wait too long for support."
    )
    assert_accessible(page)
    page.get_by_label("The line of enquiry").fill("How well does early help reach families?")
    page.get_by_role("button", name="Save key line of enquiry").click()
    page.get_by_text("Key line of enquiry saved as a draft.").wait_for()
    assert_accessible(page)

    # Derby uploads evidence: an .exe renamed .pdf is refused, a real PDF is kept.
    page.get_by_role("button", name="Upload a document").click()
    page.get_by_role("heading", name="Upload a document").wait_for()
    assert_accessible(page)
    page.get_by_label("Title").fill("Self-evaluation 2028")
    exe = {
        "name": "self-evaluation.pdf",
        "mimeType": "application/pdf",
        "buffer": b"MZ\x90\x00\x03" + b"\x00" * 200,
    }
    page.get_by_label("File", exact=True).set_input_files(exe)
    page.get_by_role("button", name="Upload document").click()
    page.get_by_text("There is a problem").wait_for()
    assert "must be a PDF, Word, Excel" in page.locator("main").inner_text()
    assert_accessible(page)
    pdf = {
        "name": "self-evaluation.pdf",
        "mimeType": "application/pdf",
        "buffer": b"%PDF-1.7\nDerby self-evaluation\n%%EOF\n",
    }
    page.get_by_label("File", exact=True).set_input_files(pdf)
    page.get_by_role("button", name="Upload document").click()
    page.get_by_text("“Self-evaluation 2028” was uploaded").wait_for()
    assert_accessible(page)

    # The consultant sees the draft and comments.
    consultant = new_page()
    sign_in(consultant, ruth)
    consultant.goto(triad_path)
    consultant.get_by_label("Comment on “Early help”").fill("Bring the step-down audit.")
    consultant.get_by_role("button", name="Add comment on Early help").click()
    consultant.get_by_text("Comment added.").wait_for()
    assert_accessible(consultant)

    # Derbyshire (same triad) cannot see the draft yet; Derby shares it; now it can.
    neighbour = new_page()
    sign_in(neighbour, derbyshire)
    neighbour.goto(triad_path)
    assert "Early help" not in neighbour.locator("main").inner_text()
    page.reload()
    page.get_by_role("button", name=re.compile(r"Share with the triad\s*: Early help")).click()
    page.get_by_text("is now shared with your triad").wait_for()
    assert_accessible(page)
    neighbour.reload()
    body = neighbour.locator("main").inner_text()
    assert "How well does early help reach families?" in body
    assert "Bring the step-down audit." in body
    assert_accessible(neighbour)
    with neighbour.expect_download() as download:
        neighbour.get_by_role("link", name=re.compile("Self-evaluation 2028")).click()
    assert download.value.suggested_filename == "self-evaluation.pdf"
    with open(download.value.path(), "rb") as handle:
        assert handle.read().startswith(b"%PDF-1.7\nDerby self-evaluation")

    # Lincolnshire is in another triad: the page does not exist for them.
    outsider = new_page()
    sign_in(outsider, lincs)
    response = outsider.goto(triad_path)
    assert response.status == 404
    assert "Early help" not in outsider.content()
    assert_accessible(outsider)

    # After the event Derby completes its template: a due date before the event is refused.
    page.goto(triad_path)
    page.get_by_role("link", name=re.compile(r"Event-day template\s+of Derby$")).click()
    page.get_by_role("heading", name="Event-day template: Derby").wait_for()
    assert_accessible(page)
    page.get_by_label("What the council will do").fill("Audit step-down decisions")
    page.get_by_label("Owner").fill("Head of early help")
    fill_date(page, "Due by", datetime.date(cycle.event_date.year, 1, 1))
    page.get_by_role("button", name="Add action").click()
    page.get_by_text("There is a problem").wait_for()
    assert page.get_by_label("Owner").input_value() == "Head of early help"
    assert_accessible(page)
    fill_date(page, "Due by", datetime.date(cycle.event_date.year, 6, 30))
    page.get_by_role("button", name="Add action").click()
    page.get_by_text("Action added.").wait_for()
    page.get_by_label("Next steps").fill("Report progress to the Safeguarding group.")
    page.get_by_label("The template is complete").check()
    page.get_by_role("button", name="Save next steps").click()
    page.get_by_text("Template saved.").wait_for()
    assert "Complete" in page.locator("main").inner_text()
    assert_accessible(page)

    # The action now sits in Derby's improvement plan.
    page.goto("/a/east-midlands/councils/E06000015/")
    page.get_by_role("link", name="Improvement plan of Derby").click()
    page.get_by_role("heading", name="Improvement plan").wait_for()
    assert "Audit step-down decisions" in page.locator("main").inner_text()
    assert_accessible(page)
