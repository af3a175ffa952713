"""Scoping a CSPC: the meeting, the advisers, the agreed focus and dates, the case lists the
case record review draws on; the scope (core elements and thematic modules, each with its
lines of enquiry); the proposal, sent to the sponsor as a PDF and accepted by them.

Whoever takes part in the scoping meeting (the sponsor and the named advisers) is emailed
its date, time and place when it is set or moved, and finds it in their calendar feed.

The lines of enquiry are the shared `KeyLineOfEnquiry` rows on the challenge (titled by
their element), so the core KLOE machinery works on them like on any other challenge's.
"""

import datetime
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from peerchallenge import dates
from peerchallenge.concurrency import record_lock_unchanged
from peerchallenge.emails import email_send
from peerchallenge.models import KeyLineOfEnquiry, Membership, Role, User
from reports.models import ReportVersion
from reports.services import report_request

from ..data import focus_areas
from ..models import CaseFile, Challenge, ScopeElement, Stage
from ..selectors import sponsor_emails
from .documents import checklist_generate
from .state import refuse_if_ended

PROPOSAL_REPORT = "lga_cspc.scoping_proposal"
MAX_DAYS = 10
# Scoping stays open through the case record review (adding the first case does not settle
# it: only a list cases already came from must stay); it is settled once the on-site phase
# begins, by its stage or by its first day coming (see `scoping_open`).
SCOPING_STAGES = frozenset({Stage.REQUESTED, Stage.SCOPING, Stage.PREPARATION, Stage.CASE_REVIEW})


# Reads (selectors) ------------------------------------------------------------------------


def advisers_in(*, alliance_id: int, role: str):
    """The people holding `role` in the alliance, by name."""
    return (
        User.objects.filter(
            pk__in=Membership.objects.filter(alliance_id=alliance_id, role=role).values("user")
        )
        .order_by("full_name", "pk")
        .distinct()
    )


def challenge_probes(*, challenge: Challenge):
    """The challenge's lines of enquiry, in the order they were written."""
    return KeyLineOfEnquiry.objects.filter(
        challenge_type=ContentType.objects.get_for_model(Challenge), challenge_id=challenge.pk
    ).order_by("pk")


def scope_elements_with_probes(*, challenge: Challenge) -> list[tuple[ScopeElement, list]]:
    """Each element in scope (core first) with its probes, in two queries."""
    by_title: dict[str, list] = {}
    for kloe in challenge_probes(challenge=challenge):
        by_title.setdefault(kloe.title, []).append(kloe)
    return [
        (element, by_title.get(element.name, []))
        for element in ScopeElement.objects.filter(challenge=challenge)
    ]


def scope_elements_with_probe_counts(*, challenge: Challenge) -> list[tuple[ScopeElement, int]]:
    """Each element in scope (core first) with the number of its probes, in one query."""
    probes = (
        challenge_probes(challenge=challenge)
        .filter(title=OuterRef("name"))
        .order_by()
        .values("title")
        .annotate(n=Count("pk"))
        .values("n")
    )
    elements = ScopeElement.objects.filter(challenge=challenge).annotate(
        probe_count=Coalesce(Subquery(probes), 0)
    )
    return [(element, element.probe_count) for element in elements]


def proposal_versions(*, challenge: Challenge):
    """The scoping proposal's versions, newest first."""
    return ReportVersion.objects.filter(
        alliance_id=challenge.alliance_id,
        report=PROPOSAL_REPORT,
        subject_type=ContentType.objects.get_for_model(Challenge),
        subject_id=challenge.pk,
    ).order_by("-number")


def proposal_missing(*, challenge: Challenge, element_names=None) -> dict[str, str]:
    """What must still be recorded before the proposal can be sent, by field."""
    if element_names is None:
        element_names = set(
            ScopeElement.objects.filter(challenge=challenge).values_list("name", flat=True)
        )
    missing = {}
    if challenge.scoping_meeting_at is None:
        missing["scoping_date"] = "Schedule the scoping meeting before sending the proposal."
    if not challenge.focus.strip():
        missing["focus"] = "Record the agreed focus before sending the proposal."
    if not challenge.onsite_start or not 1 <= (challenge.days or 0) <= MAX_DAYS:
        missing["onsite_start"] = "Record the on-site dates before sending the proposal."
    if not challenge.case_lists:
        missing["case_lists"] = (
            "Choose the case lists for the case record review before sending the proposal."
        )
    if not set(focus_areas.CORE_NAMES) <= set(element_names):
        missing["elements"] = (
            "Record the scope (at least the three core elements) before sending the proposal."
        )
    return missing


def scoping_open(*, challenge: Challenge) -> bool:
    """Whether the scoping (meeting, focus, dates, case lists, scope, proposal) may still
    change: through the case record review, until the challenge is moved on site. (Adding
    cases does not settle it; the stage does, so a record of past work can still be made.)"""
    return challenge.stage in SCOPING_STAGES


def case_list_labels(lists) -> list[str]:
    """The names of these case lists (CaseFile.Source values), in the catalogue's order."""
    chosen = set(lists)
    return [label for value, label in CaseFile.Source.choices if value in chosen]


def scoping_meeting_recipients(*, challenge: Challenge) -> list[str]:
    """Who is told of the scoping meeting: the sponsor (until one is named, the council's
    DCS), the children's improvement adviser and the principal adviser, once each."""
    emails = list(sponsor_emails(challenge=challenge))
    for adviser in (challenge.improvement_adviser, challenge.principal_adviser):
        if adviser is not None and adviser.is_active and adviser.email:
            emails.append(adviser.email)
    return list(dict.fromkeys(emails))


# Writes (services) ------------------------------------------------------------------------


def _refuse_if_settled(challenge: Challenge) -> None:
    refuse_if_ended(challenge)
    if challenge.stage not in SCOPING_STAGES:
        raise ValidationError(
            f"This peer challenge is at the stage “{challenge.get_stage_display()}”: its "
            "scoping can no longer be changed."
        )


def _is_member_as(user: User | None, *, alliance_id: int, role: str) -> bool:
    return (
        user is not None
        and Membership.objects.filter(alliance_id=alliance_id, user=user, role=role).exists()
    )


def _kloe(challenge: Challenge, *, title: str, question: str, user: User | None):
    return KeyLineOfEnquiry(
        alliance_id=challenge.alliance_id,
        local_authority_id=challenge.local_authority_id,
        challenge_type=ContentType.objects.get_for_model(Challenge),
        challenge_id=challenge.pk,
        title=title,
        question=question,
        created_by=user,
    )


def _element_add(challenge: Challenge, element: focus_areas.Element, *, kind: str, user) -> None:
    catalogue = focus_areas.CORE_ELEMENTS if kind == ScopeElement.Kind.CORE else focus_areas.MODULES
    ScopeElement.objects.create(
        alliance_id=challenge.alliance_id,
        challenge=challenge,
        kind=kind,
        name=element.name,
        position=catalogue.index(element),
    )
    KeyLineOfEnquiry.objects.bulk_create(
        [
            _kloe(challenge, title=element.name, question=probe, user=user)
            for probe in element.default_probes
        ]
    )


@transaction.atomic
def scope_core_ensure(*, challenge: Challenge, user: User | None) -> None:
    """Add whichever of the three core elements the challenge lacks, each with its default
    lines of enquiry. Core elements are never removed."""
    present = set(ScopeElement.objects.filter(challenge=challenge).values_list("name", flat=True))
    for element in focus_areas.CORE_ELEMENTS:
        if element.name not in present:
            _element_add(challenge, element, kind=ScopeElement.Kind.CORE, user=user)


# The long texts of the scoping form: what an edit conflict compares.
SCOPING_TEXTS = ("focus", "team_needed", "documents_required")


@transaction.atomic
def scoping_save(
    *,
    challenge: Challenge,
    user: User,
    scoping_meeting_at: datetime.datetime | None,
    scoping_location: str,
    principal_adviser: User | None,
    improvement_adviser: User | None,
    focus: str,
    onsite_start: datetime.date,
    days: int,
    team_needed: str,
    documents_required: str,
    confidentiality_required: bool,
    case_lists: list[str] | None = None,
    base_version: str | None = None,
) -> Challenge:
    """Record the scoping meeting, the region's advisers, the agreed focus, the on-site
    dates, the team and documents needed, whether peers sign a confidentiality agreement
    and the case lists agreed (None leaves them as they are). Adds the core elements if
    missing and moves a requested challenge to scoping. When the meeting's date or time is
    set or changed, emails it to the sponsor and the named advisers once the transaction
    commits.

    Refuses a first on-site day in the past (unless it is the date already recorded) or
    more than three years ahead, a scoping meeting on or after the first on-site day,
    on-site days outside 1..10, advisers who do not hold the adviser's role in the
    alliance, no case list or an unknown one, and dropping a list cases were already
    added from. Raises EditConflict if someone saved the long texts (focus, team, documents)
    since `base_version` (peerchallenge.concurrency)."""
    _refuse_if_settled(challenge)
    record_lock_unchanged(record=challenge, fields=SCOPING_TEXTS, base_version=base_version)
    errors = {}
    if case_lists is not None:
        case_lists = list(dict.fromkeys(case_lists))
        case_list_error = _case_lists_error(challenge, case_lists)
        if case_list_error:
            errors["case_lists"] = case_list_error
    if onsite_start < timezone.localdate() and onsite_start != challenge.onsite_start:
        errors["onsite_start"] = "The first on-site day must be today or in the future."
    elif far := dates.too_far_ahead(onsite_start, what="The first on-site day"):
        errors["onsite_start"] = far
    if scoping_meeting_at is not None:
        meeting_error = dates.too_far_ahead(scoping_meeting_at, what="The scoping meeting")
        if not meeting_error and "onsite_start" not in errors:
            meeting_error = dates.not_after(
                scoping_meeting_at,
                onsite_start,
                what="The scoping meeting",
                limit_what="the first on-site day",
                strictly=True,
            )
        if meeting_error:
            errors["scoping_date"] = meeting_error
    if not 1 <= days <= MAX_DAYS:
        errors["days"] = f"The on-site phase must last between 1 and {MAX_DAYS} days."
    if principal_adviser is not None and not _is_member_as(
        principal_adviser, alliance_id=challenge.alliance_id, role=Role.PRINCIPAL_ADVISER
    ):
        errors["principal_adviser"] = "Choose one of the LGA's principal advisers."
    if improvement_adviser is not None and not _is_member_as(
        improvement_adviser, alliance_id=challenge.alliance_id, role=Role.IMPROVEMENT_ADVISER
    ):
        errors["improvement_adviser"] = "Choose one of the LGA's children's improvement advisers."
    if errors:
        raise ValidationError(errors)

    previous_meeting_at = challenge.scoping_meeting_at
    challenge.scoping_meeting_at = scoping_meeting_at
    challenge.scoping_location = scoping_location.strip()
    challenge.principal_adviser = principal_adviser
    challenge.improvement_adviser = improvement_adviser
    challenge.focus = focus.strip()
    challenge.onsite_start = onsite_start
    challenge.days = days
    challenge.team_needed = team_needed.strip()
    challenge.documents_required = documents_required.strip()
    challenge.confidentiality_required = confidentiality_required
    if case_lists is not None:
        challenge.case_lists = case_lists
    if challenge.stage == Stage.REQUESTED:
        challenge.stage = Stage.SCOPING
    challenge._history_user = user
    challenge.save()
    scope_core_ensure(challenge=challenge, user=user)
    if scoping_meeting_at is not None and scoping_meeting_at != previous_meeting_at:
        _scoping_meeting_announce(challenge, user=user, moved=previous_meeting_at is not None)
    return challenge


def _case_lists_error(challenge: Challenge, case_lists: list[str]) -> str:
    if not case_lists:
        return "Choose at least one list the cases for the case record review come from."
    if not set(case_lists) <= set(CaseFile.Source.values):
        return "Choose the case lists from the list."
    # Scoping stays open during the case record review: a list cases came from must stay.
    used = set(
        CaseFile.objects.filter(review__challenge=challenge).values_list("source", flat=True)
    )
    dropped = case_list_labels(used - set(case_lists))
    if dropped:
        return (
            f"Cases from {' and '.join(dropped)} are already on the case record review: keep "
            f"{'that list' if len(dropped) == 1 else 'those lists'}."
        )
    return ""


def _scoping_meeting_announce(challenge: Challenge, *, user: User, moved: bool) -> None:
    """Email the meeting's date, time and place to whoever takes part, each on their own,
    once the transaction commits (robust: the meeting is saved whatever the mail server
    does)."""
    meeting = timezone.localtime(challenge.scoping_meeting_at)
    context = {
        "offer": challenge.offer.name,
        "council": challenge.local_authority.name,
        "meeting": date_format(meeting, "l j F Y, H:i"),
        "moved": moved,
        "location": challenge.scoping_location,
        "principal_adviser": challenge.principal_adviser,
        "improvement_adviser": challenge.improvement_adviser,
        "arranged_by": user.full_name or user.email,
        "path": reverse(
            "lga_cspc:challenge_detail",
            kwargs={"alliance": challenge.alliance.slug, "challenge": challenge.pk},
        ),
    }
    for email in scoping_meeting_recipients(challenge=challenge):
        email_send(template="cspc_scoping_meeting", to=[email], context=context)


@dataclass
class ScopeChange:
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)


def _probes_replace(challenge: Challenge, name: str, lines: list[str], existing, user) -> None:
    """Make the element's probes read `lines`, in order, keeping the rows (and any comments
    on them) of lines that stay where they were. What a line carries beside its question
    (why it matters, the evidence: a line taken from a data pack's flag) goes with its text
    when lines move or others are removed, and stays with an edited line in its place."""
    carried = {}
    for kloe in existing:
        carried.setdefault(kloe.question, (kloe.why_it_matters, kloe.evidence))
    kept = set(lines)
    for index, line in enumerate(lines):
        if index < len(existing):
            kloe = existing[index]
            if kloe.question == line:
                continue
            # Moved here from another row, or this row's own line reworded, or a new line.
            why, evidence = carried.get(
                line,
                (kloe.why_it_matters, kloe.evidence) if kloe.question not in kept else ("", ""),
            )
            kloe.question, kloe.why_it_matters, kloe.evidence = line, why, evidence
            kloe.save(update_fields=["question", "why_it_matters", "evidence"])
        else:
            kloe = _kloe(challenge, title=name, question=line, user=user)
            kloe.why_it_matters, kloe.evidence = carried.get(line, ("", ""))
            kloe.save()
    for kloe in existing[len(lines) :]:
        kloe.delete()


@transaction.atomic
def scope_save(
    *,
    challenge: Challenge,
    user: User,
    modules: list[str],
    probes: dict[str, list[str]],
) -> ScopeChange:
    """Set the thematic modules (0 to 4 from the manual's list) beside the three core
    elements, and the lines of enquiry of the elements named in `probes` (element name ->
    one probe a line). A newly chosen module starts with its default probes unless `probes`
    gives its own; a module no longer chosen is removed with its probes."""
    _refuse_if_settled(challenge)
    modules = list(dict.fromkeys(modules))
    errors = {}
    # A module already on the challenge stays choosable even if the catalogue dropped it.
    choosable = set(focus_areas.MODULE_NAMES) | set(
        ScopeElement.objects.filter(challenge=challenge, kind=ScopeElement.Kind.MODULE).values_list(
            "name", flat=True
        )
    )
    unknown = [name for name in modules if name not in choosable]
    if unknown:
        errors["modules"] = "Choose thematic modules from the list."
    elif len(modules) > focus_areas.MAX_MODULES:
        errors["modules"] = (
            f"Choose at most {focus_areas.MAX_MODULES} thematic modules: you chose {len(modules)}. "
            "A peer challenge must stay tightly focused to fit the on-site days."
        )
    in_scope = set(focus_areas.CORE_NAMES) | set(modules)
    for name, lines in probes.items():
        if name not in in_scope:
            continue
        key = focus_areas.field_key(name)
        if not lines:
            errors[key] = f"Enter at least one line of enquiry for “{name}”, one a line."
        elif len(lines) > focus_areas.MAX_PROBES:
            errors[key] = (
                f"Enter at most {focus_areas.MAX_PROBES} lines of enquiry for “{name}”: "
                f"there are {len(lines)}."
            )
    if errors:
        raise ValidationError(errors)

    scope_core_ensure(challenge=challenge, user=user)
    elements = {e.name: e for e in ScopeElement.objects.filter(challenge=challenge)}
    change = ScopeChange()
    for name, element in elements.items():
        if element.kind == ScopeElement.Kind.MODULE and name not in modules:
            challenge_probes(challenge=challenge).filter(title=name).delete()
            element.delete()
            change.removed.append(name)
    for name in modules:
        if name not in elements:
            _element_add(
                challenge, focus_areas.BY_NAME[name], kind=ScopeElement.Kind.MODULE, user=user
            )
            change.added.append(name)

    existing: dict[str, list] = {}
    for kloe in challenge_probes(challenge=challenge).select_for_update():
        existing.setdefault(kloe.title, []).append(kloe)
    for name, lines in probes.items():
        if name in in_scope:
            _probes_replace(challenge, name, lines, existing.get(name, []), user)
    return change


@transaction.atomic
def proposal_send(*, challenge: Challenge, user: User) -> ReportVersion:
    """Request a new version of the scoping proposal PDF (the registry emails the sponsor
    once it is rendered), record when it was sent and clear any earlier acceptance. Refuses
    while the meeting, focus, on-site dates or core elements are missing."""
    _refuse_if_settled(challenge)
    missing = proposal_missing(challenge=challenge)
    if missing:
        raise ValidationError(missing)
    challenge.proposal_sent_at = timezone.now()
    challenge.proposal_accepted_at = None
    challenge.proposal_accepted_by = None
    if challenge.stage == Stage.REQUESTED:
        challenge.stage = Stage.SCOPING
    challenge.save()
    return report_request(identifier=PROPOSAL_REPORT, subject=challenge, requested_by=user)


@transaction.atomic
def proposal_accept(*, challenge: Challenge, user: User) -> Challenge:
    """Record the sponsor's acceptance of the latest proposal, move the challenge on to
    preparation and generate its advance documents checklist from the accepted scope (the
    council starts sending them now). Refuses before a version has been rendered, and a
    second acceptance."""
    refuse_if_ended(challenge)
    latest = proposal_versions(challenge=challenge).first()
    if challenge.proposal_sent_at is None or latest is None:
        raise ValidationError(
            "There is no scoping proposal to accept yet: the LGA programme manager sends it "
            "after the scoping meeting."
        )
    if latest.status == ReportVersion.Status.FAILED:
        raise ValidationError(
            "The latest scoping proposal could not be produced. The LGA programme manager "
            "will send it again."
        )
    if not latest.is_rendered:
        raise ValidationError(
            "The scoping proposal is still being prepared. Try again in a few minutes."
        )
    if challenge.proposal_accepted_at is not None:
        when = date_format(timezone.localtime(challenge.proposal_accepted_at), "j F Y")
        raise ValidationError(f"The scoping proposal was already accepted on {when}.")
    challenge.proposal_accepted_at = timezone.now()
    challenge.proposal_accepted_by = user
    if challenge.stage in (Stage.REQUESTED, Stage.SCOPING):
        challenge.stage = Stage.PREPARATION
    challenge.save()
    checklist_generate(challenge=challenge, user=user)
    return challenge
