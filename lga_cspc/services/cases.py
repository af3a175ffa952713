"""The case record review, about two weeks before on site: the peer challenge manager or
team leader adds about 25 cases by the council's case reference only, from the lists agreed
at scoping, and assigns each to a reviewer on the team; the reviewers record structured
findings; the peers' informal discussion with the sponsor and the key messages are
recorded; the case review report is rendered and shared with the team and the council.

Case files hold child-level data: only the council's case reference is ever entered here.
References that look like a name, a date (of birth) or an NHS number are refused."""

import re
from datetime import date, timedelta

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from peerchallenge import dates
from peerchallenge.concurrency import record_lock_unchanged
from peerchallenge.emails import email_send
from reports.models import ReportVersion
from reports.services import report_request

from ..models import CaseFile, CaseReview, Challenge, Stage
from ..selectors import CASE_COUNTS, case_files_of, counted, sponsor_emails
from .stages import stage_advance
from .state import refuse_if_ended

CASE_REVIEW_REPORT = "lga_cspc.case_review"
# The case record review takes place about two weeks before the first on-site day; the
# reminder machinery may use `case_review_due` below.
CASE_REVIEW_BEFORE_ONSITE = timedelta(weeks=2)
# "About 25 cases": at least one, never more than this many on one review.
MIN_CASES = 1
MAX_CASES = 40
TYPICAL_CASES = 25
REFERENCE_MAX = CaseFile._meta.get_field("reference").max_length

WHY_REFERENCES_ONLY = (
    "Enter only the council's case reference: case files hold child-level data, so names, "
    "dates of birth and NHS numbers must never be entered here."
)

_MONTHS = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_SEP = r"\s*[/.\-]\s*"
_DAY_SUFFIX = r"(?:st|nd|rd|th)?"
_DATE_PATTERNS = (
    re.compile(rf"\b\d{{1,2}}{_SEP}\d{{1,2}}{_SEP}\d{{2,4}}\b"),  # 12/03/2015, 12.3.15
    re.compile(rf"\b\d{{4}}{_SEP}\d{{1,2}}{_SEP}\d{{1,2}}\b"),  # 2015-03-12
    # 12 March 2015, 3rd Feb 15, 12-Mar-2015, 12th of March
    re.compile(rf"\b\d{{1,2}}{_DAY_SUFFIX}[\s/.\-]*(?:of\s+)?{_MONTHS}\b", re.IGNORECASE),
    # Feb 3, 2015; Mar-12-2015
    re.compile(
        rf"\b{_MONTHS}\.?[\s/.\-]*\d{{1,2}}{_DAY_SUFFIX}\b,?[\s/.\-]*\d{{2,4}}\b",
        re.IGNORECASE,
    ),
    # March 2015, 2015-Mar-12, Mar/2015: a month beside a year of this or the last century
    re.compile(rf"\b{_MONTHS}\.?[\s/.\-]*(?:19|20)\d{{2}}\b", re.IGNORECASE),
    re.compile(rf"\b(?:19|20)\d{{2}}[\s/.\-]*{_MONTHS}\b", re.IGNORECASE),
)
# An NHS number as it is usually written, 3-3-4, whatever its check digit.
_NHS_GROUPED = re.compile(r"(?<!\d)\d{3}[\s\-]+\d{3}[\s\-]+\d{4}(?!\d)")
# Any run of digits, allowing single spaces or hyphens between them ("943 476 5919").
_DIGIT_RUN = re.compile(r"\d(?:[\s\-]?\d)*")
_BIRTH_WORDS = re.compile(
    r"(?<![^\W\d_])(?:d\.?o\.?b|born|date of birth)(?![^\W\d_])", re.IGNORECASE
)
_LETTERS = re.compile(r"[^\W\d_]+")


def _name_shaped(run: str) -> bool:
    """Whether a run of letters looks like (part of) a name rather than a code: a capital
    followed by two or more small letters ("Jane", "JSmith", "McDonald"), or four or more
    small letters in a row ("smith"). A reference's prefix is short and in capitals
    ("CIN-2291", "LAC 4471", "EH/2291", "CP2291A"); a short small one ("cp-1001") passes."""
    for index, letter in enumerate(run):
        if letter.isupper() and len(run) - index >= 3 and run[index + 1 : index + 3].islower():
            return True
    lower = 0
    for letter in run:
        lower = lower + 1 if letter.islower() else 0
        if lower >= 4:
            return True
    return False


def nhs_number_valid(digits: str) -> bool:
    """Whether ten digits pass the NHS number's modulus 11 check."""
    if len(digits) != 10 or not digits.isdigit():
        return False
    total = sum(
        int(digit) * weight for digit, weight in zip(digits[:9], range(10, 1, -1), strict=True)
    )
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


# Reads (selectors) ------------------------------------------------------------------------


def case_review_due(*, challenge: Challenge) -> date:
    """The day the case record review is due: two weeks before the first on-site day."""
    return challenge.onsite_start - CASE_REVIEW_BEFORE_ONSITE


def case_review_of(*, challenge: Challenge) -> CaseReview | None:
    """The challenge's case review, or None before anything was recorded."""
    return CaseReview.objects.filter(challenge=challenge).first()


def case_files(*, review: CaseReview | None):
    """The review's cases by reference, with their reviewers."""
    if review is None:
        return CaseFile.objects.none()
    return CaseFile.objects.filter(review=review).select_related("reviewer").order_by("reference")


def case_counts(*, challenge: Challenge) -> dict[str, int]:
    """How far the review is: total cases, reviewed, assigned to a reviewer."""
    return counted(case_files_of(challenge=challenge), CASE_COUNTS)


def case_review_versions(*, challenge: Challenge):
    """The case review report's versions, newest first."""
    return ReportVersion.objects.filter(
        alliance_id=challenge.alliance_id,
        report=CASE_REVIEW_REPORT,
        subject_type=ContentType.objects.get_for_model(Challenge),
        subject_id=challenge.pk,
    ).order_by("-number")


def team_reviewers(*, challenge: Challenge) -> list:
    """The people on the team (who alone may review cases), by name."""
    return [
        member.user
        for member in challenge.team.select_related("user").order_by("user__full_name", "pk")
    ]


def personal_identifier_reason(reference: str) -> str:
    """Why this reference looks like a personal identifier rather than the council's case
    reference, or "" when it does not. A reference is a code with digits ("CR-10234",
    "EH/2291", "LAC 4471", "123456"); refused: dates in any common form, NHS numbers (3-3-4,
    or any ten digits that pass its check), "DOB" and the like, name-shaped words, and
    anything without a digit."""
    if any(pattern.search(reference) for pattern in _DATE_PATTERNS):
        return "looks like a date"
    if _NHS_GROUPED.search(reference) or any(
        nhs_number_valid(re.sub(r"\D", "", run)) for run in _DIGIT_RUN.findall(reference)
    ):
        return "looks like an NHS number"
    if _BIRTH_WORDS.search(reference):
        return "mentions a date of birth"
    if any(_name_shaped(run) for run in _LETTERS.findall(reference)):
        return "looks like a person's name"
    if not any(character.isdigit() for character in reference):
        return "has no digits, so it looks like a name rather than a case reference"
    return ""


def agreed_sources(*, challenge: Challenge) -> list[tuple[str, str]]:
    """The case lists agreed at scoping, as (value, label) in the catalogue's order."""
    agreed = set(challenge.case_lists)
    return [(value, label) for value, label in CaseFile.Source.choices if value in agreed]


def not_agreed_message(*, challenge: Challenge, source: str) -> str:
    labels = [label for _, label in agreed_sources(challenge=challenge)]
    agreed = ", ".join(labels) if labels else "none yet"
    return (
        f"Cases from “{CaseFile.Source(source).label}” were not agreed at scoping: add cases "
        f"only from the lists agreed ({agreed})."
    )


def case_review_share_recipients(*, challenge: Challenge) -> list[str]:
    """Who hears the case review report is shared: the peer team, the council's sponsor
    (until one is named, the council's DCS) and its organiser, once each."""
    emails = [
        email
        for email in challenge.team.filter(user__is_active=True)
        .order_by("user__full_name", "pk")
        .values_list("user__email", flat=True)
        if email
    ]
    emails += sponsor_emails(challenge=challenge)
    organiser = challenge.organiser
    if organiser is not None and organiser.is_active and organiser.email:
        emails.append(organiser.email)
    return list(dict.fromkeys(emails))


def _key(reference: str) -> str:
    return " ".join(reference.split()).casefold()


# Writes (services) ------------------------------------------------------------------------


# What an edit conflict compares (peerchallenge.concurrency).
DISCUSSION_FIELDS = ("sponsor_discussion_notes", "key_messages")
CASE_FINDINGS_FIELDS = ("voice_of_child", "strengths", "areas_for_development")


def case_review_ensure(*, challenge: Challenge) -> CaseReview:
    """The challenge's case review, created on first use."""
    review, _ = CaseReview.objects.get_or_create(
        challenge=challenge, defaults={"alliance_id": challenge.alliance_id}
    )
    return review


def split_references(text: str) -> list[str]:
    """The references typed one a line, blank lines ignored."""
    return [part.strip() for part in (text or "").splitlines() if part.strip()]


@transaction.atomic
def cases_add(*, challenge: Challenge, references: list[str], source: str, user) -> list[CaseFile]:
    """Add cases by the council's case reference, all from one list (`source`), which must
    be one of the lists agreed at scoping. All or nothing: a reference that looks like a
    personal identifier, one already on the review (or twice in the batch), one too long,
    or a total outside 1 to MAX_CASES refuses the whole batch with a message on
    "references"."""
    # Lock the challenge so two people adding at once cannot pass the limit together.
    refuse_if_ended(Challenge.objects.select_for_update().get(pk=challenge.pk))
    references = [" ".join(reference.split()) for reference in references if reference.strip()]
    if source not in CaseFile.Source.values:
        raise ValidationError({"source": "Choose the list the cases come from."})
    if source not in challenge.case_lists:
        raise ValidationError({"source": not_agreed_message(challenge=challenge, source=source)})
    if not references:
        raise ValidationError({"references": "Enter at least one case reference, one a line."})
    review = case_review_ensure(challenge=challenge)
    existing = {_key(ref) for ref in review.cases.values_list("reference", flat=True)}
    total = len(existing) + len(references)
    if total > MAX_CASES:
        already = f" ({len(existing)} already on the review)" if existing else ""
        raise ValidationError(
            {
                "references": f"You entered {len(references)} case references{already}: a "
                f"case record review looks at about {TYPICAL_CASES} cases, at most "
                f"{MAX_CASES}. Nothing was added."
            }
        )
    problems = []
    seen = set(existing)
    for reference in references:
        reason = personal_identifier_reason(reference)
        if reason:
            problems.append(f"“{reference}” {reason}. {WHY_REFERENCES_ONLY}")
        elif len(reference) > REFERENCE_MAX:
            problems.append(
                f"“{reference[:REFERENCE_MAX]}…” is longer than {REFERENCE_MAX} characters: "
                "enter the council's case reference."
            )
        elif _key(reference) in seen:
            where = "already on the review" if _key(reference) in existing else "entered twice"
            problems.append(f"“{reference}” is {where}: each case is added once.")
        seen.add(_key(reference))
    if problems:
        raise ValidationError({"references": [*problems, "Nothing was added."]})
    created = []
    for reference in references:
        case = CaseFile(
            alliance_id=challenge.alliance_id, review=review, reference=reference, source=source
        )
        case._history_user = user
        case.save()
        created.append(case)
    stage_advance(challenge=challenge, to=Stage.CASE_REVIEW, user=user)
    return created


@transaction.atomic
def case_delete(*, case: CaseFile, user) -> None:
    refuse_if_ended(case.review.challenge)
    case._history_user = user
    case.delete()


@transaction.atomic
def cases_assign(*, challenge: Challenge, assignments: dict[int, object], user) -> int:
    """Set each case's reviewer ({case pk: user or None}); only people on the team may
    review. Returns how many cases changed. A reviewer not on the team is refused on the
    case's field "reviewer_<pk>" and nothing changes."""
    refuse_if_ended(challenge)
    team = set(challenge.team.values_list("user_id", flat=True))
    cases = {
        case.pk: case
        for case in CaseFile.objects.select_for_update().filter(
            review__challenge=challenge, pk__in=list(assignments)
        )
    }
    errors = {}
    for pk, reviewer in assignments.items():
        case = cases.get(pk)
        if case is not None and reviewer is not None and reviewer.pk not in team:
            errors[f"reviewer_{pk}"] = (
                f"{reviewer.full_name or reviewer.email} is not on the peer team: only the "
                f"team's peers review cases (case {case.reference})."
            )
    if errors:
        raise ValidationError(errors)
    changed = 0
    for pk, reviewer in assignments.items():
        case = cases.get(pk)
        reviewer_id = reviewer.pk if reviewer is not None else None
        if case is None or case.reviewer_id == reviewer_id:
            continue
        case.reviewer_id = reviewer_id
        case._history_user = user
        case.save(update_fields=["reviewer"])
        changed += 1
    return changed


def may_record_findings(user, case: CaseFile, challenge: Challenge) -> bool:
    """The case's reviewer (on the team), or whoever manages the cases."""
    if user.has_perm("lga_cspc.manage_cases", challenge):
        return True
    return case.reviewer_id == user.pk and user.has_perm("lga_cspc.record_findings", challenge)


@transaction.atomic
def case_findings_save(
    *,
    case: CaseFile,
    user,
    quality: str,
    voice_of_child: str = "",
    strengths: str = "",
    areas_for_development: str = "",
    escalated: bool = False,
    base_version: str | None = None,
) -> CaseFile:
    """Record a case's findings and mark it reviewed (now). Raises EditConflict if someone
    (its reviewer, whoever manages the cases) saved them since `base_version`."""
    refuse_if_ended(case.review.challenge)
    if quality not in CaseFile.Quality.values:
        raise ValidationError({"quality": "Choose the overall quality of practice in this case."})
    record_lock_unchanged(record=case, fields=CASE_FINDINGS_FIELDS, base_version=base_version)
    case.quality = quality
    case.voice_of_child = (voice_of_child or "").strip()
    case.strengths = (strengths or "").strip()
    case.areas_for_development = (areas_for_development or "").strip()
    case.escalated = bool(escalated)
    case.reviewed_at = timezone.now()
    case._history_user = user
    case.save()
    return case


@transaction.atomic
def case_review_discussion_save(
    *,
    challenge: Challenge,
    user,
    discussion_at,
    notes: str = "",
    key_messages: str = "",
    base_version: str | None = None,
) -> CaseReview:
    """Record the peers' informal summary discussion with the sponsor and the key messages.
    The discussion falls between the scoping meeting and the last on-site day.
    Raises EditConflict if someone saved them since `base_version`."""
    refuse_if_ended(challenge)
    notes = (notes or "").strip()
    if notes and discussion_at is None:
        raise ValidationError(
            {"discussion_date": "Enter the date of the discussion with the sponsor."}
        )
    if discussion_at is not None:
        what = "The discussion with the sponsor"
        refusal = (
            dates.too_far_ahead(discussion_at, what=what)
            or dates.not_before(
                discussion_at,
                challenge.scoping_meeting_at,
                what=what,
                limit_what="the scoping meeting",
            )
            or dates.not_after(
                discussion_at,
                challenge.onsite_end,
                what=what,
                limit_what="the last on-site day",
            )
        )
        if refusal:
            raise ValidationError({"discussion_date": refusal})
    review = case_review_ensure(challenge=challenge)
    record_lock_unchanged(record=review, fields=DISCUSSION_FIELDS, base_version=base_version)
    review.sponsor_discussion_at = discussion_at
    review.sponsor_discussion_notes = notes
    review.key_messages = (key_messages or "").strip()
    review._history_user = user
    review.save()
    return review


@transaction.atomic
def case_review_share(*, challenge: Challenge, user) -> ReportVersion:
    """Render the case review report (a new version each time), record when it was shared
    with the team and the council, and email the team, the sponsor and the organiser the
    link once the transaction commits. Refused until there are cases, every case is
    reviewed and the key messages are written."""
    refuse_if_ended(Challenge.objects.select_for_update().get(pk=challenge.pk))
    review = case_review_of(challenge=challenge)
    counts = case_counts(challenge=challenge)
    errors = {}
    if not counts["total"]:
        errors["references"] = "Add the cases before sharing the case review report."
    elif counts["reviewed"] < counts["total"]:
        left = counts["total"] - counts["reviewed"]
        errors["references"] = (
            f"{left} of {counts['total']} cases {'is' if left == 1 else 'are'} not reviewed "
            "yet: share the report when every case has its findings."
        )
    if review is None or not review.key_messages.strip():
        errors["key_messages"] = "Write the key messages before sharing the case review report."
    if errors:
        raise ValidationError(errors)
    review.shared_at = timezone.now()
    review._history_user = user
    review.save(update_fields=["shared_at"])
    version = report_request(identifier=CASE_REVIEW_REPORT, subject=challenge, requested_by=user)
    context = {
        "offer": challenge.offer.name,
        "council": challenge.local_authority.name,
        "version": version.number,
        "shared_by": user.full_name or user.email,
        "path": reverse(
            "lga_cspc:case_review",
            kwargs={"alliance": challenge.alliance.slug, "challenge": challenge.pk},
        ),
    }
    for email in case_review_share_recipients(challenge=challenge):
        # One message each (recipients do not see each other), queued in the outbox with
        # the sharing: recorded whatever the mail server does.
        email_send(template="cspc_case_review_shared", to=[email], context=context)
    return version
