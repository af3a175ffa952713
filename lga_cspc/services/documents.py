"""Preparation: the advance documentation checklist. It is generated from the scope; the
host council uploads each item (stored as a shared peerchallenge Document with versions);
the peer challenge manager accepts it or asks for more; only missing items are chased.

The on-site timetable lives elsewhere (views.timetable)."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Max, OuterRef, QuerySet, Subquery
from django.urls import reverse
from django.utils import timezone

from peerchallenge.emails import email_send
from peerchallenge.models import DocumentVersion
from peerchallenge.services import document_upload

from ..models import AdvanceDocument, Challenge
from ..selectors import (
    CHECKLIST_COUNTS,
    MISSING_STATES,
    advance_documents_of,
    counted,
    document_sender_emails,
)
from .state import refuse_if_ended

# The council sends the advance documents this long before the first on-site day, so the
# peers can read them before the case record review (two weeks before on site).
DUE_BEFORE_ONSITE = timedelta(weeks=4)

KEY_DOCUMENT_GUIDANCE = "A key document: the current version, as approved."
# The evidence the manual lists (section 1), in its order. The position statement's guidance
# names the scope's elements and is filled in at generation.
POSITION_STATEMENT = "Position statement on the agreed lines of enquiry"
STANDARD_ITEMS: tuple[tuple[str, str], ...] = (
    ("Children's Plan", KEY_DOCUMENT_GUIDANCE),
    ("Corporate Plan", KEY_DOCUMENT_GUIDANCE),
    ("Early Help Strategy", KEY_DOCUMENT_GUIDANCE),
    ("Workforce Development Strategy", KEY_DOCUMENT_GUIDANCE),
    ("Improvement Plan", KEY_DOCUMENT_GUIDANCE),
    (POSITION_STATEMENT, ""),
    (
        "Data analysis (ChAT)",
        "The council's analysis of its Child Analysis Tool (ChAT) data.",
    ),
    (
        "Self-evaluation",
        "The self-evaluation of practice prepared for the Ofsted annual conversation.",
    ),
    ("Performance data (last six months)", "Performance information for the last six months."),
    (
        "Case audits (last six months)",
        "A sample of the case audits the council carried out in the preceding six months, "
        "including multi-agency audits.",
    ),
)
TITLE_MAX = AdvanceDocument._meta.get_field("title").max_length


def _key(title: str) -> str:
    """Titles compared as people type them: case, curly apostrophes, hyphens and spaces
    ignored ("Self evaluation" is "Self-evaluation"). The database's unique constraint on an
    item's title (models.AdvanceDocument) compares the same way, but for spacing, which the
    service tidies before saving."""
    title = title.replace("\N{RIGHT SINGLE QUOTATION MARK}", "'").replace("-", " ")
    return " ".join(title.split()).casefold()


def _same_item(wanted: str, existing: str) -> bool:
    """The same document: the same title, or a title of at least two words that starts an
    item's title ("Position statement" is the manual's "Position statement on the agreed
    lines of enquiry"). Not the other way: "Improvement plan for SEND" is another document
    than the "Improvement Plan"."""
    if wanted == existing:
        return True
    short, long = wanted.split(), existing.split()
    return 2 <= len(short) < len(long) and long[: len(short)] == short


def _find(existing: dict[str, AdvanceDocument], title: str) -> AdvanceDocument | None:
    key = _key(title)
    if key in existing:
        return existing[key]
    return next((item for k, item in existing.items() if _same_item(key, k)), None)


def _required_lines(text: str) -> list[str]:
    """The scoping form's "documents required", one a line, without list bullets."""
    lines = []
    for line in (text or "").splitlines():
        title = line.strip().lstrip("-*\N{BULLET}").strip()[:TITLE_MAX].strip()
        if title:
            lines.append(" ".join(title.split()))
    return lines


def _position_statement_guidance(challenge: Challenge) -> str:
    names = [element.name for element in challenge.elements.all()]
    if not names:
        return "Relating to the key lines of enquiry agreed at scoping."
    return "Relating to the key lines of enquiry agreed at scoping for: " + "; ".join(names) + "."


def checklist_due_date(*, challenge: Challenge):
    return challenge.onsite_start - DUE_BEFORE_ONSITE


@transaction.atomic
def checklist_generate(*, challenge: Challenge, user) -> list[AdvanceDocument]:
    """Create the checklist items the scope calls for that the challenge does not have yet:
    the manual's standard evidence, then one item per line of the challenge's "documents
    required". Run when the sponsor accepts the scoping proposal (services.scoping), and
    again from the checklist's button when the scope changes; never by opening a page.
    Items already there (the same document: see `_same_item`) keep their state, note,
    due date and file; only the position statement's guidance follows the scope's elements.
    Safe to run again and at the same time (the challenge row is locked). Returns the items
    created; their history names `user`."""
    refuse_if_ended(Challenge.objects.select_for_update().get(pk=challenge.pk))
    existing = {_key(item.title): item for item in challenge.advance_documents.all()}
    position = max((item.position for item in existing.values()), default=-1) + 1
    due = checklist_due_date(challenge=challenge)
    wanted = [
        (title, _position_statement_guidance(challenge) if title == POSITION_STATEMENT else text)
        for title, text in STANDARD_ITEMS
    ]
    wanted += [
        (title, "Asked for at scoping.") for title in _required_lines(challenge.documents_required)
    ]

    created = []
    for title, guidance in wanted:
        item = _find(existing, title)
        if item is not None:
            if title == POSITION_STATEMENT and item.guidance != guidance:
                item.guidance = guidance
                item._history_user = user
                item.save(update_fields=["guidance"])
            continue
        item = AdvanceDocument(
            alliance_id=challenge.alliance_id,
            challenge=challenge,
            title=title,
            guidance=guidance,
            due_date=due,
            position=position,
        )
        item._history_user = user
        item.save()
        existing[_key(title)] = item
        created.append(item)
        position += 1
    return created


def checklist_items(*, challenge: Challenge) -> QuerySet:
    """The checklist in order, each item with its file's `version_count`, `latest_version`
    and `latest_name` (None until something is uploaded), in one query."""
    latest = DocumentVersion.objects.filter(document=OuterRef("document")).order_by("-number")
    return (
        AdvanceDocument.objects.filter(challenge=challenge)
        .select_related("reviewed_by")
        .annotate(
            version_count=Count("document__versions"),
            latest_version=Max("document__versions__number"),
            latest_name=Subquery(latest.values("original_name")[:1]),
        )
        .order_by("position", "pk")
    )


def checklist_missing(*, challenge: Challenge) -> QuerySet:
    """The items still to come from the council: requested, or sent back for more. The only
    ones reminders chase."""
    return AdvanceDocument.objects.filter(challenge=challenge, state__in=MISSING_STATES).order_by(
        "position", "pk"
    )


def checklist_counts(*, challenge: Challenge) -> dict[str, int]:
    """How far the checklist is: total, accepted, uploaded (awaiting review), missing."""
    return counted(advance_documents_of(challenge=challenge), CHECKLIST_COUNTS)


@transaction.atomic
def checklist_upload(*, item: AdvanceDocument, upload, uploaded_by) -> DocumentVersion:
    """Store the file as the item's document on the challenge (for the host council, titled
    like the item; a second upload adds a version) and mark the item uploaded, ready for
    review. A refused file (wrong type, empty, too big) raises ValidationError on "file" and
    changes nothing."""
    challenge = item.challenge
    refuse_if_ended(challenge)
    version = document_upload(
        challenge=challenge,
        local_authority=challenge.local_authority,
        title=item.title,
        upload=upload,
        uploaded_by=uploaded_by,
    )
    item.document = version.document
    item.state = AdvanceDocument.State.UPLOADED
    item.updated_at = timezone.now()
    item._history_user = uploaded_by
    item.save(update_fields=["document", "state", "updated_at"])
    return version


ACCEPT = "accept"
MORE = "more"


@transaction.atomic
def checklist_review(
    *, item: AdvanceDocument, reviewer, decision: str, note: str = ""
) -> AdvanceDocument:
    """Accept an uploaded item, or send it back with a note saying what more is needed.
    Only an uploaded item can be reviewed (the row is locked, so two reviewers cannot both
    decide). Records who reviewed it and when. Asking for more queues an email with the note
    to the council's organiser (until one is named, the council's organisers and DCS)."""
    refuse_if_ended(item.challenge)
    locked = AdvanceDocument.objects.select_for_update().get(pk=item.pk)
    if locked.state != AdvanceDocument.State.UPLOADED:
        raise ValidationError(
            {
                "state": f"Only an uploaded document can be reviewed: “{locked.title}” is "
                f"{locked.get_state_display().lower()}."
            }
        )
    note = (note or "").strip()
    if decision == ACCEPT:
        locked.state = AdvanceDocument.State.ACCEPTED
        locked.note = ""
    elif decision == MORE:
        if not note:
            raise ValidationError({"note": "Say what more is needed."})
        locked.state = AdvanceDocument.State.MORE_NEEDED
        locked.note = note
    else:
        raise ValidationError({"decision": "Choose whether to accept it or ask for more."})
    locked.reviewed_by = reviewer
    locked.updated_at = timezone.now()
    locked._history_user = reviewer
    locked.save(update_fields=["state", "note", "reviewed_by", "updated_at"])
    if locked.state == AdvanceDocument.State.MORE_NEEDED:
        _more_needed_announce(locked, challenge=item.challenge, reviewer=reviewer)
    return locked


def _more_needed_announce(item: AdvanceDocument, *, challenge: Challenge, reviewer) -> None:
    """Queue (in the outbox, with the review) one email to each of the document's senders
    (selectors.document_sender_emails) with the note and a link to upload a new version.
    Until they do, the same people see "More needed" on their home page (needs.py)."""
    context = {
        "title": item.title,
        "note": item.note,
        "due_date": item.due_date,
        "offer": challenge.offer.name,
        "council": challenge.local_authority.name,
        "reviewer": reviewer.full_name or reviewer.email,
        "path": reverse(
            "lga_cspc:checklist_upload",
            kwargs={
                "alliance": challenge.alliance.slug,
                "challenge": challenge.pk,
                "item": item.pk,
            },
        ),
    }
    # One review, one message each (a replayed review sends nothing more).
    review = f"{item.pk}:{item.updated_at.isoformat()}"
    for email in document_sender_emails(challenge=challenge):
        email_send(
            template="cspc_document_more_needed",
            to=[email],
            context=context,
            dedupe_key=f"document-more-needed:{review}:{email.lower()}",
        )
