"""The advance documentation checklist: generated from the scope, uploaded by the host
council through the shared document machinery, reviewed by the peer challenge manager,
downloaded (and logged) by whoever sees the challenge — and who may open which page."""

import datetime
import importlib

import pytest
from django.apps import apps as django_apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from lga_cspc.models import AdvanceDocument, ScopeElement
from lga_cspc.services.documents import (
    checklist_generate,
    checklist_missing,
    checklist_review,
    checklist_upload,
)
from lga_cspc.views.documents import checklist_detail_context
from peerchallenge.models import AccessLog, Document, DocumentVersion, OutboundEmail
from tests.lga_cspc.factories import (
    AdvanceDocumentFactory,
    ChallengeFactory,
    ScopeElementFactory,
    TeamMemberFactory,
)
from tests.zipbomb import lying_docx

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64
State = AdvanceDocument.State

# The home page of a council organiser, with 1 or many documents sent back: 13 fixed queries,
# one of them the "more needed" items however many, plus the content-type lookup when its
# cache is cold. A literal that does not grow with the items.
ORGANISER_HOME_QUERIES = 14

STANDARD_TITLES = [
    "Children's Plan",
    "Corporate Plan",
    "Early Help Strategy",
    "Workforce Development Strategy",
    "Improvement Plan",
    "Position statement on the agreed lines of enquiry",
    "Data analysis (ChAT)",
    "Self-evaluation",
    "Performance data (last six months)",
    "Case audits (last six months)",
]


def url(name, lga, challenge, **kwargs):
    return reverse(
        f"lga_cspc:{name}",
        kwargs={"alliance": lga.alliance.slug, "challenge": challenge.pk, **kwargs},
    )


@pytest.fixture
def challenge(lga):
    challenge = ChallengeFactory(offer=lga.offer)  # Derby
    with scopes_disabled():  # fixture set-up
        TeamMemberFactory(
            challenge=challenge, user=lga.pcm, role="peer_challenge_manager", indicative_days=9
        )
    return challenge


def generate(lga, challenge) -> dict[str, AdvanceDocument]:
    with scope(alliance=lga.alliance):
        checklist_generate(challenge=challenge, user=lga.pm)
        return {item.title: item for item in challenge.advance_documents.all()}


def item_of(lga, pk) -> AdvanceDocument:
    with scopes_disabled():
        return AdvanceDocument.objects.get(pk=pk)


def upload_file(lga, item, name="plan.pdf", content=PDF):
    with scope(alliance=lga.alliance):
        return checklist_upload(
            item=item, upload=SimpleUploadedFile(name, content), uploaded_by=lga.derby_organiser
        )


# Generation --------------------------------------------------------------------------------


def test_generate_lists_the_manuals_evidence_and_the_documents_required(lga, challenge):
    challenge.documents_required = (
        "Children\N{RIGHT SINGLE QUOTATION MARK}s plan\n- Local Offer\n\n• SEND sufficiency plan\n"
    )
    challenge.save()
    with scopes_disabled():
        for position, name in enumerate(["Leadership and management", "Early help"]):
            ScopeElementFactory(
                alliance=lga.alliance,
                challenge=challenge,
                kind=ScopeElement.Kind.CORE,
                name=name,
                position=position,
            )
    items = generate(lga, challenge)
    # "Children's plan" (curly) is already on the list (case and apostrophe aside): not twice.
    assert list(items) == [*STANDARD_TITLES, "Local Offer", "SEND sufficiency plan"]
    four_weeks_before = challenge.onsite_start - datetime.timedelta(weeks=4)
    assert {item.due_date for item in items.values()} == {four_weeks_before}
    assert {item.state for item in items.values()} == {State.REQUESTED}
    assert items["Position statement on the agreed lines of enquiry"].guidance == (
        "Relating to the key lines of enquiry agreed at scoping for: "
        "Leadership and management; Early help."
    )
    assert "multi-agency audits" in items["Case audits (last six months)"].guidance


def test_a_document_asked_for_at_scoping_is_not_listed_twice(lga, challenge):
    """Lines that name one of the manual's documents another way (hyphen, case, the start
    of its title) are that document, not another item."""
    challenge.documents_required = (
        "Self evaluation\nPOSITION STATEMENT\nCase audits\nImprovement plan for SEND\n"
        "Self-Evaluation"
    )
    challenge.save()
    items = generate(lga, challenge)
    assert list(items) == [*STANDARD_TITLES, "Improvement plan for SEND"]


def test_the_database_refuses_the_same_document_twice(lga, challenge):
    items = generate(lga, challenge)
    with scopes_disabled(), pytest.raises(IntegrityError), transaction.atomic():
        # Raw on purpose: the point is the database's unique constraint refusing the row.
        AdvanceDocument.objects.create(
            alliance=lga.alliance,
            challenge=challenge,
            title="self evaluation",
            due_date=items["Self-evaluation"].due_date,
        )


def test_the_migration_removes_untouched_duplicates_and_keeps_files(lga, challenge):
    """0007: "Position statement" beside the manual's longer title goes when nobody touched
    it; one with a file or a note stays."""
    migration = importlib.import_module(
        "lga_cspc.migrations.0007_advance_documents_once_case_lists_unticked"
    )
    items = generate(lga, challenge)
    with scopes_disabled():
        due = items["Self-evaluation"].due_date
        short = AdvanceDocumentFactory(
            alliance=lga.alliance, challenge=challenge, title="Position statement", due_date=due
        )
        noted = AdvanceDocumentFactory(
            alliance=lga.alliance,
            challenge=challenge,
            title="Case audits",
            due_date=due,
            note="Sent by post",
        )
        migration.remove_duplicate_advance_documents(django_apps, None)
        titles = set(AdvanceDocument.objects.values_list("title", flat=True))
    assert short.title not in titles and noted.title in titles
    assert len(titles) == 11


def test_generate_again_keeps_states_and_adds_only_new_lines(lga, challenge):
    items = generate(lga, challenge)
    upload_file(lga, items["Corporate Plan"])
    with scope(alliance=lga.alliance):
        checklist_review(item=items["Corporate Plan"], reviewer=lga.pm, decision="accept")
        AdvanceDocument.objects.filter(pk=items["Self-evaluation"].pk).update(
            due_date=challenge.onsite_start - datetime.timedelta(weeks=10)
        )
    challenge.documents_required = "Corporate plan\nYouth justice plan"
    challenge.save()
    with scope(alliance=lga.alliance):
        created = checklist_generate(challenge=challenge, user=lga.pm)
        assert [item.title for item in created] == ["Youth justice plan"]
        assert checklist_generate(challenge=challenge, user=lga.pm) == []
        again = {item.title: item for item in challenge.advance_documents.all()}
    assert list(again) == [*STANDARD_TITLES, "Youth justice plan"]
    assert again["Corporate Plan"].state == State.ACCEPTED
    assert again["Corporate Plan"].document_id is not None
    assert again["Self-evaluation"].due_date == challenge.onsite_start - datetime.timedelta(
        weeks=10
    )


def test_opening_the_page_never_writes_the_button_does(client, lga, challenge):
    for person in (lga.derby_organiser, lga.pcm, lga.pm):
        client.force_login(person)
        page = client.get(url("checklist", lga, challenge)).content.decode()
        assert (
            "There is no checklist yet: it is drawn up from the agreed scope when the sponsor "
            "accepts the scoping proposal." in page
        )
        with scopes_disabled():
            assert not AdvanceDocument.objects.exists()
    client.force_login(lga.derby_organiser)
    assert client.post(url("checklist", lga, challenge)).status_code == 403
    client.force_login(lga.pcm)
    response = client.post(url("checklist", lga, challenge), follow=True)
    page = response.content.decode()
    assert "0 of 10 accepted, 0 awaiting review, 10 missing." in page
    # The button adds what the scope now asks for.
    challenge.documents_required = "Local Offer"
    challenge.save()
    response = client.post(url("checklist", lga, challenge), follow=True)
    assert "Added to the checklist: “Local Offer”." in response.content.decode()
    with scopes_disabled():
        assert AdvanceDocument.objects.filter(challenge=challenge).count() == 11


# Upload ------------------------------------------------------------------------------------


def test_the_organiser_uploads_a_pdf_and_again_a_new_version(client, lga, challenge):
    items = generate(lga, challenge)
    item = items["Children's Plan"]
    client.force_login(lga.derby_organiser)
    upload = url("checklist_upload", lga, challenge, item=item.pk)
    response = client.post(upload, {"file": SimpleUploadedFile("plan.pdf", PDF)}, follow=True)
    assert "The document “Children&#x27;s Plan” was uploaded." in response.content.decode()
    item = item_of(lga, item.pk)
    assert item.state == State.UPLOADED
    with scopes_disabled():
        document = Document.objects.get()
        assert (document.title, document.local_authority, document.challenge) == (
            "Children's Plan",
            challenge.local_authority,
            challenge,
        )
    assert item.document == document
    response = client.post(upload, {"file": SimpleUploadedFile("plan-v2.pdf", PDF)}, follow=True)
    page = response.content.decode()
    assert "A new version of “Children&#x27;s Plan” was uploaded." in page
    assert "plan-v2.pdf" in page and "2 versions" in page
    with scopes_disabled():
        assert list(
            document.versions.order_by("number").values_list("number", "original_name")
        ) == [
            (1, "plan.pdf"),
            (2, "plan-v2.pdf"),
        ]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("virus.pdf", EXE, "must be a PDF"),
        ("empty.pdf", b"", "The selected file is empty"),
        # Declares 1 KB, expands past 1 GB: only counting the real output finds it.
        ("lying.docx", lying_docx(), "cannot be opened safely: it expands to far more data"),
    ],
)
def test_bad_files_are_refused_and_the_item_stays_as_it_was(
    client, lga, challenge, name, content, message
):
    item = generate(lga, challenge)["Self-evaluation"]
    client.force_login(lga.derby_organiser)
    response = client.post(
        url("checklist_upload", lga, challenge, item=item.pk),
        {"file": SimpleUploadedFile(name, content)},
    )
    assert response.status_code == 200
    assert message in response.context["form"].errors["file"][0]
    page = response.content.decode()
    assert "govuk-error-summary" in page and message in page
    assert item_of(lga, item.pk).state == State.REQUESTED
    assert item_of(lga, item.pk).document_id is None
    with scopes_disabled():
        assert not DocumentVersion.objects.exists()


def test_an_oversize_file_is_refused(client, lga, challenge, settings):
    settings.PEERCHALLENGE_UPLOAD_MAX_BYTES = 1024 * 1024
    item = generate(lga, challenge)["Self-evaluation"]
    client.force_login(lga.derby_organiser)
    response = client.post(
        url("checklist_upload", lga, challenge, item=item.pk),
        {"file": SimpleUploadedFile("big.pdf", PDF + b"0" * (2 * 1024 * 1024))},
    )
    assert "smaller than 1 MB" in response.context["form"].errors["file"][0]
    assert item_of(lga, item.pk).state == State.REQUESTED


# Review ------------------------------------------------------------------------------------


def test_the_pcm_accepts_an_uploaded_item(client, lga, challenge):
    item = generate(lga, challenge)["Improvement Plan"]
    upload_file(lga, item)
    client.force_login(lga.pcm)
    review = url("checklist_review", lga, challenge, item=item.pk)
    assert "plan.pdf" in client.get(review).content.decode()
    response = client.post(review, {"decision": "accept", "note": ""}, follow=True)
    assert "“Improvement Plan” accepted." in response.content.decode()
    item = item_of(lga, item.pk)
    assert (item.state, item.reviewed_by, item.note) == (State.ACCEPTED, lga.pcm, "")
    assert item.updated_at > item.document.created_at


def test_asking_for_more_needs_a_note(client, lga, challenge):
    item = generate(lga, challenge)["Performance data (last six months)"]
    upload_file(lga, item, name="data.pdf")
    client.force_login(lga.pcm)
    review = url("checklist_review", lga, challenge, item=item.pk)
    response = client.post(review, {"decision": "more", "note": "  "})
    assert response.status_code == 200
    assert response.context["form"].errors == {"note": ["Say what more is needed."]}
    assert "govuk-error-summary" in response.content.decode()
    assert item_of(lga, item.pk).state == State.UPLOADED
    client.post(review, {"decision": "more", "note": "Add the timeliness figures for March."})
    item = item_of(lga, item.pk)
    assert (item.state, item.note, item.reviewed_by) == (
        State.MORE_NEEDED,
        "Add the timeliness figures for March.",
        lga.pcm,
    )
    page = client.get(url("checklist", lga, challenge)).content.decode()
    assert "More needed" in page and "Add the timeliness figures for March." in page


def test_only_an_uploaded_item_can_be_reviewed(client, lga, challenge):
    item = generate(lga, challenge)["Corporate Plan"]
    message = "Only an uploaded document can be reviewed: “Corporate Plan” is requested."
    with (
        scope(alliance=lga.alliance),
        pytest.raises(ValidationError, match="Only an uploaded document can be reviewed") as error,
    ):
        checklist_review(item=item, reviewer=lga.pm, decision="accept")
    assert error.value.message_dict == {"state": [message]}
    client.force_login(lga.pcm)
    review = url("checklist_review", lga, challenge, item=item.pk)
    assert message in client.get(review).content.decode()
    response = client.post(review, {"decision": "accept"})
    assert response.context["form"].non_field_errors() == [message]
    assert item_of(lga, item.pk).state == State.REQUESTED


# Missing items -----------------------------------------------------------------------------


def test_missing_means_requested_or_more_needed(client, lga, challenge):
    items = generate(lga, challenge)
    for title in STANDARD_TITLES[:3]:
        upload_file(lga, items[title])
    with scope(alliance=lga.alliance):
        checklist_review(item=items[STANDARD_TITLES[0]], reviewer=lga.pcm, decision="accept")
        checklist_review(
            item=items[STANDARD_TITLES[1]], reviewer=lga.pcm, decision="more", note="Sign-off"
        )
        missing = [item.title for item in checklist_missing(challenge=challenge)]
        counts = checklist_detail_context(challenge=challenge, user=lga.pcm)
    assert missing == [STANDARD_TITLES[1], *STANDARD_TITLES[3:]]
    assert counts == {"checklist_counts": {"total": 10, "accepted": 1, "uploaded": 1, "missing": 8}}
    client.force_login(lga.derby_organiser)
    response = client.get(url("checklist", lga, challenge) + "?show=missing")
    assert [item.title for item in response.context["items"]] == missing
    page = response.content.decode()
    assert "1 of 10 accepted, 1 awaiting review, 8 missing." in page
    assert "Missing only (8)" in page
    summary = client.get(url("challenge_detail", lga, challenge)).content.decode()
    assert "1 of 10 accepted, 8 missing, 1 awaiting review" in summary  # the task's hint
    status = 'id="task-documents-status"><strong class="govuk-tag govuk-tag--light-blue">'
    assert status + "In progress" in summary


# Download ----------------------------------------------------------------------------------


def test_download_streams_the_file_and_logs_it(client, lga, challenge):
    item = generate(lga, challenge)["Self-evaluation"]
    upload_file(lga, item, name="sef.pdf")
    client.force_login(lga.pcm)
    response = client.get(url("checklist_download", lga, challenge, item=item.pk, version=1))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="sef.pdf"'
    assert response["Cache-Control"] == "private, no-store"
    with scopes_disabled():
        log = AccessLog.objects.get()
    assert (log.user, log.action, log.object_type, log.object_repr) == (
        lga.pcm,
        "download",
        "peerchallenge.DocumentVersion",
        "Self-evaluation (version 1)",
    )


def test_download_of_anything_but_this_items_versions_is_404(client, lga, challenge):
    items = generate(lga, challenge)
    upload_file(lga, items["Self-evaluation"])
    later = challenge.onsite_start + datetime.timedelta(weeks=17)
    other = ChallengeFactory(offer=lga.offer, onsite_start=later)
    other_items = generate(lga, other)
    upload_file(lga, other_items["Self-evaluation"])
    client.force_login(lga.pm)
    for item, version in [
        (other_items["Self-evaluation"].pk, 1),  # another challenge's item
        (items["Self-evaluation"].pk, 2),  # no such version
        (items["Corporate Plan"].pk, 1),  # nothing uploaded
        (999999, 1),
    ]:
        response = client.get(url("checklist_download", lga, challenge, item=item, version=version))
        assert response.status_code == 404
    with scopes_disabled():
        assert not AccessLog.objects.exists()


# Who may do what ---------------------------------------------------------------------------


@pytest.fixture
def uploaded(lga, challenge):
    item = generate(lga, challenge)["Children's Plan"]
    upload_file(lga, item)
    return item


def statuses(client, lga, challenge, item):
    pages = {
        "checklist": url("checklist", lga, challenge),
        "upload": url("checklist_upload", lga, challenge, item=item.pk),
        "review": url("checklist_review", lga, challenge, item=item.pk),
        "download": url("checklist_download", lga, challenge, item=item.pk, version=1),
    }
    return {name: client.get(page).status_code for name, page in pages.items()}


@pytest.mark.parametrize(
    ("who", "on_team", "expected"),
    [
        ("pm", None, {"checklist": 200, "upload": 200, "review": 200, "download": 200}),
        (
            "derby_organiser",
            None,
            {"checklist": 200, "upload": 200, "review": 403, "download": 200},
        ),
        ("derby_dcs", None, {"checklist": 200, "upload": 200, "review": 403, "download": 200}),
        ("pcm", None, {"checklist": 200, "upload": 403, "review": 200, "download": 200}),
        (
            "peer",
            "senior_manager",
            {"checklist": 200, "upload": 403, "review": 403, "download": 200},
        ),
        ("peer", None, {"checklist": 404, "upload": 404, "review": 404, "download": 404}),
        ("leicester_dcs", None, {"checklist": 404, "upload": 404, "review": 404, "download": 404}),
    ],
)
def test_role_matrix(client, lga, challenge, uploaded, who, on_team, expected):
    person = getattr(lga, who)
    if on_team:
        with scopes_disabled():  # test set-up
            TeamMemberFactory(challenge=challenge, user=person, role=on_team, indicative_days=6)
    client.force_login(person)
    assert statuses(client, lga, challenge, uploaded) == expected


def test_outsiders_cannot_post_either(client, lga, challenge, uploaded):
    client.force_login(lga.leicester_dcs)
    upload = url("checklist_upload", lga, challenge, item=uploaded.pk)
    review = url("checklist_review", lga, challenge, item=uploaded.pk)
    assert client.post(upload, {"file": SimpleUploadedFile("x.pdf", PDF)}).status_code == 404
    assert client.post(review, {"decision": "accept"}).status_code == 404
    assert client.post(url("checklist", lga, challenge)).status_code == 404
    with scopes_disabled():
        TeamMemberFactory(
            challenge=challenge, user=lga.peer, role="senior_manager", indicative_days=6
        )
    client.force_login(lga.peer)
    assert client.post(review, {"decision": "accept"}).status_code == 403
    assert client.post(url("checklist", lga, challenge)).status_code == 403
    assert item_of(lga, uploaded.pk).state == State.UPLOADED


# Queries -----------------------------------------------------------------------------------


@pytest.mark.parametrize("count", [5, 20])
def test_checklist_page_queries_do_not_grow(
    client, lga, challenge, count, django_assert_max_num_queries
):
    with scopes_disabled():  # test set-up
        items = [
            AdvanceDocumentFactory(
                alliance=lga.alliance,
                challenge=challenge,
                title=f"Document {n}",
                due_date=challenge.onsite_start - datetime.timedelta(weeks=4),
                position=n,
            )
            for n in range(count)
        ]
    for item in items[::2]:
        upload_file(lga, item, name=f"{item.title}.pdf")
    with scope(alliance=lga.alliance):
        for item in items[::4]:
            checklist_review(item=item, reviewer=lga.pcm, decision="accept")
    client.force_login(lga.pcm)
    with django_assert_max_num_queries(12):
        response = client.get(url("checklist", lga, challenge))
    assert response.status_code == 200
    assert len(response.context["items"]) == count


def test_asking_for_more_emails_the_organiser(
    client, lga, challenge, mailoutbox, django_capture_on_commit_callbacks
):
    with scopes_disabled():  # the council named its organiser
        challenge.organiser = lga.derby_organiser
        challenge.save(update_fields=["organiser"])
    item = generate(lga, challenge)["Performance data (last six months)"]
    upload_file(lga, item, name="data.pdf")
    client.force_login(lga.pcm)
    review = url("checklist_review", lga, challenge, item=item.pk)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(review, {"decision": "more", "note": "Add the timeliness figures for March."})
    assert [m.to for m in mailoutbox] == [[lga.derby_organiser.email]]
    message = mailoutbox[0]
    assert message.subject == (
        "[Action required] More needed for “Performance data (last six months)”: "
        "Children's Services Peer Challenge in Derby"
    )
    assert "Add the timeliness figures for March." in message.body
    assert url("checklist", lga, challenge) in message.body
    # Accepting sends nothing.
    upload_file(lga, item_of(lga, item.pk), name="data2.pdf")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(review, {"decision": "accept", "note": ""})
    assert len(mailoutbox) == 1


# Asking for more: who is told, and the home page -----------------------------------------

MORE_NEEDED_ON_HOME = (
    "More needed: “Performance data (last six months)” for the Children's Services Peer "
    "Challenge in Derby"
)


def ask_for_more(lga, item, note="Add the timeliness figures for March."):
    upload_file(lga, item, name="data.pdf")
    with scope(alliance=lga.alliance):
        return checklist_review(item=item, reviewer=lga.pcm, decision="more", note=note)


def test_asking_for_more_without_a_named_organiser_emails_the_councils_people(
    lga, challenge, mailoutbox, django_capture_on_commit_callbacks
):
    item = generate(lga, challenge)["Performance data (last six months)"]
    with django_capture_on_commit_callbacks(execute=True):
        ask_for_more(lga, item)
    # Derby's organiser and DCS; not Leicester's DCS, not the LGA.
    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        [lga.derby_organiser.email, lga.derby_dcs.email]
    )
    assert all(len(m.to) == 1 for m in mailoutbox)
    upload = url("checklist_upload", lga, challenge, item=item.pk)
    assert f"{settings.SITE_URL}{upload}\n" in mailoutbox[0].body
    with scopes_disabled():  # queued in the outbox with the review
        assert OutboundEmail.objects.filter(template="cspc_document_more_needed").count() == 2


def test_more_needed_shows_on_the_organisers_home_page_until_a_new_version(client, lga, challenge):
    with scopes_disabled():  # the council named its organiser
        challenge.organiser = lga.derby_organiser
        challenge.save(update_fields=["organiser"])
    item = generate(lga, challenge)["Performance data (last six months)"]
    upload = url("checklist_upload", lga, challenge, item=item.pk)
    ask_for_more(lga, item)
    client.force_login(lga.derby_organiser)
    page = client.get(reverse("home")).content.decode()
    assert f'<a class="govuk-link" href="{upload}">{MORE_NEEDED_ON_HOME}</a>' in page.replace(
        "&#x27;", "'"
    )
    # The organiser is named: the DCS is not asked; nor is another council, nor the LGA.
    for person in (lga.derby_dcs, lga.leicester_dcs, lga.pcm, lga.pm):
        client.force_login(person)
        assert "More needed:" not in client.get(reverse("home")).content.decode()
    # A new version answers it.
    upload_file(lga, item_of(lga, item.pk), name="data-2.pdf")
    client.force_login(lga.derby_organiser)
    assert "More needed:" not in client.get(reverse("home")).content.decode()


@pytest.mark.parametrize("count", [1, 8])
def test_the_organisers_home_page_query_count_stays_constant(
    client, lga, challenge, count, django_assert_max_num_queries
):
    items = list(generate(lga, challenge).values())[:count]
    for item in items:
        ask_for_more(lga, item, note=f"More of {item.title}")
    client.force_login(lga.derby_organiser)
    with django_assert_max_num_queries(ORGANISER_HOME_QUERIES):
        page = client.get(reverse("home")).content.decode()
    assert page.count("More needed:") == count
