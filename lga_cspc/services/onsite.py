"""On site: what the peer team records as the days go (the "no surprises" log of emerging
issues, notes of sessions, strengths, areas for further consideration, good practice and
case studies), the emerging issues shared with the council's sponsor, and the outline of
the feedback presentation generated from the notes."""

from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from peerchallenge.emails import email_send
from peerchallenge.models import Session

from ..models import Challenge, SiteNote, Stage
from ..permissions import my_council, named_adviser
from ..selectors import SITE_LOG_COUNTS, counted, site_log_summary, site_notes_of, sponsor_emails
from .stages import stage_advance
from .state import refuse_if_ended

Kind = SiteNote.Kind
TITLE_MAX = SiteNote._meta.get_field("title").max_length


# Who reads what ----------------------------------------------------------------------------


def reads_every_note(user, challenge: Challenge) -> bool:
    """The team and the LGA's planners (who record), and the advisers named on the
    challenge (who only read), see every note."""
    return user.has_perm("lga_cspc.record_on_site", challenge) or named_adviser(user, challenge)


def reads_shared_issues(user, challenge: Challenge) -> bool:
    """The host council's people see only the emerging issues shared with the sponsor."""
    return not reads_every_note(user, challenge) and my_council(user, challenge)


# Reads -------------------------------------------------------------------------------------


def site_notes(*, challenge: Challenge) -> QuerySet:
    """Every note of the challenge, newest first, author and session joined."""
    return (
        SiteNote.objects.filter(challenge=challenge)
        .select_related("author", "session")
        .order_by("-created_at", "-pk")
    )


def shared_issues(*, challenge: Challenge) -> QuerySet:
    """The "no surprises" log as the sponsor sees it: the emerging issues shared with them,
    the latest shared first."""
    return (
        SiteNote.objects.filter(
            challenge=challenge, kind=Kind.EMERGING_ISSUE, shared_with_sponsor_at__isnull=False
        )
        .select_related("session")
        .order_by("-shared_with_sponsor_at", "-pk")
    )


def notes_by_kind(notes) -> list[tuple[str, str, list[SiteNote]]]:
    """(kind, its label, its notes) for every kind, in the order of the kinds; the notes keep
    the order they come in (newest first from `site_notes`)."""
    grouped: dict[str, list[SiteNote]] = {kind: [] for kind in Kind.values}
    for note in notes:
        grouped.setdefault(note.kind, []).append(note)
    return [(kind, Kind(kind).label, grouped[kind]) for kind in Kind.values]


def site_log_counts(*, challenge: Challenge) -> dict:
    """How many notes of each kind (by kind value), the total, and how many emerging issues
    were shared with the sponsor, in one query (selectors.site_log_summary)."""
    return site_log_summary(counted(site_notes_of(challenge=challenge), SITE_LOG_COUNTS))


# Writes ------------------------------------------------------------------------------------


def _session_of_challenge(challenge: Challenge, session: Session) -> bool:
    return (
        session.alliance_id == challenge.alliance_id
        and session.challenge_type_id == ContentType.objects.get_for_model(Challenge).pk
        and session.challenge_id == challenge.pk
    )


def site_note_add(
    *,
    challenge: Challenge,
    author,
    kind: str,
    text: str,
    title: str = "",
    session: Session | None = None,
    for_presentation: bool = False,
) -> SiteNote:
    """Record a note of the on-site phase. The text is needed; the kind must be one of the
    log's; a session must be one of this challenge's timetable."""
    refuse_if_ended(challenge)
    errors = {}
    if kind not in Kind.values:
        errors["kind"] = "Choose what kind of note this is."
    text = (text or "").strip()
    if not text:
        errors["text"] = "Enter the note."
    title = (title or "").strip()
    if len(title) > TITLE_MAX:
        errors["title"] = f"The title must be {TITLE_MAX} characters or fewer."
    if session is not None and not _session_of_challenge(challenge, session):
        errors["session"] = "Choose a session of this challenge's timetable."
    if errors:
        raise ValidationError(errors)
    note = SiteNote(
        alliance_id=challenge.alliance_id,
        challenge=challenge,
        kind=kind,
        title=title,
        text=text,
        session=session,
        for_presentation=bool(for_presentation),
        author=author,
    )
    note._history_user = author
    note.save()
    stage_advance(challenge=challenge, to=Stage.ON_SITE, user=author)
    return note


@transaction.atomic
def site_note_share(*, note: SiteNote, user) -> bool:
    """Share an emerging issue with the council's sponsor (no surprises): record when, and
    email them once the transaction commits. Only an emerging issue can be shared; sharing
    again does nothing (returns False)."""
    refuse_if_ended(note.challenge)
    locked = SiteNote.objects.select_for_update().get(pk=note.pk)
    if locked.kind != Kind.EMERGING_ISSUE:
        raise ValidationError(
            {
                "kind": "Only an emerging issue can be shared with the sponsor: this note is "
                f"a {locked.get_kind_display().lower()}."
            }
        )
    if locked.shared_with_sponsor_at is not None:
        note.shared_with_sponsor_at = locked.shared_with_sponsor_at
        return False
    locked.shared_with_sponsor_at = timezone.now()
    locked._history_user = user
    locked.save(update_fields=["shared_with_sponsor_at"])
    note.shared_with_sponsor_at = locked.shared_with_sponsor_at

    challenge = Challenge.objects.select_related("offer", "local_authority", "sponsor").get(
        pk=locked.challenge_id
    )
    recipients = sponsor_emails(challenge=challenge)
    context = _share_context(note=locked, challenge=challenge, user=user)
    for email in recipients:  # one message each: recipients do not see each other
        # Queued in the outbox with the sharing: recorded whatever the mail server does.
        email_send(template="cspc_no_surprises", to=[email], context=context)
    return True


def _share_context(*, note: SiteNote, challenge: Challenge, user) -> dict:
    # Rendered after commit, perhaps outside the request's scope: plain values only.
    path = reverse(
        "lga_cspc:site_log",
        kwargs={"alliance": challenge.alliance.slug, "challenge": challenge.pk},
    )
    return {
        "offer": challenge.offer.name,
        "council": challenge.local_authority.name,
        "title": note.title,
        "text": note.text,
        "shared_by": getattr(user, "full_name", "") or user.email,
        "path": path,
    }


# The feedback presentation -----------------------------------------------------------------


@dataclass
class OutlineSection:
    kind: str
    heading: str
    notes: list = field(default_factory=list)
    recorded: int = 0  # notes of this kind recorded, marked or not
    fallback: bool = False  # none marked: every note of the kind is shown


# The presentation's sections in order; strengths and areas fall back to every note of
# their kind when none is marked for the presentation.
OUTLINE = (
    (Kind.STRENGTH, "Strengths", True),
    (Kind.AREA, "Areas for further consideration", True),
    (Kind.GOOD_PRACTICE, "Good practice to share in the region", False),
    (Kind.CASE_STUDY, "Case studies", False),
)


def presentation_outline(*, challenge: Challenge) -> list[OutlineSection]:
    """The outline of the feedback presentation from what the team recorded: the notes
    marked for the presentation, oldest first, section by section."""
    notes = list(
        SiteNote.objects.filter(challenge=challenge, kind__in=[kind for kind, _, _ in OUTLINE])
        .select_related("session")
        .order_by("created_at", "pk")
    )
    sections = []
    for kind, heading, falls_back in OUTLINE:
        of_kind = [note for note in notes if note.kind == kind]
        marked = [note for note in of_kind if note.for_presentation]
        fallback = falls_back and not marked and bool(of_kind)
        sections.append(
            OutlineSection(
                kind=kind,
                heading=heading,
                notes=of_kind if fallback else marked,
                recorded=len(of_kind),
                fallback=fallback,
            )
        )
    return sections
