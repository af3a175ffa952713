"""The written feedback report and its state machine, enforced here (views only ask).

    draft ─agree─▶ agreed ─submit_qa─▶ qa ─(3 sign-offs) issue_draft─▶ accuracy
          ─close_accuracy─▶ resolved ─issue_final─▶ final

- The peer challenge manager (or the LGA's planners) writes the text while it is a draft.
  Once the team leader has agreed it, the text is frozen for quality assurance; after the
  draft has gone to the council, the peer challenge manager alone may change it again, to
  resolve the council's factual-accuracy comments, until the final version is issued. The
  council never edits the text: it comments on paragraphs.
- Quality assurance needs three sign-offs, one per slot, by three different people: the
  LGA programme manager, the challenge's named principal adviser and its named children's
  improvement adviser. Each signs only their own slot.
- Issuing the draft opens the factual-accuracy window for the number of working days the
  peer challenge manager chooses (ACCURACY_WORKING_DAYS unless they choose otherwise,
  between ACCURACY_MIN_DAYS and ACCURACY_MAX_DAYS; Monday to Friday, England and Wales
  bank holidays not counted) and renders the draft PDF.
- Closing the window (peer challenge manager or programme manager) needs BOTH the window's
  last day to have passed AND every comment to be resolved: the council always keeps its
  full window, and nothing the council said is left unanswered. Closing early, even with
  every comment resolved, is refused.
- The final version (programme manager) needs the three sign-offs, a closed window and
  every comment resolved; it renders the final PDF and moves the challenge to evaluation.
- The team leader's agreement needs every section but good practice and case studies; the
  page warns (the service does not refuse) while the report has no case study.
- The council's sponsor may then share the final report with the council's regional
  alliance, choosing the audience there (its programme managers and planners, or everyone
  in it: permissions.SHARE_AUDIENCE_ROLES); each reader is emailed. The sponsor may stop
  sharing at any time (and share again).

Every state change (and every sign-off and sharing) writes a ReportEvent. A step taken out
of order raises ValidationError naming what is missing.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from peerchallenge.concurrency import values_check_unchanged
from peerchallenge.dates import day_text
from peerchallenge.emails import email_send
from peerchallenge.models import Role
from peerchallenge.permissions import roles_in
from peerchallenge.text_limits import LONG, refuse_long_text
from reports.models import ReportVersion
from reports.services import report_request

from .. import permissions as rules
from ..data.bank_holidays import is_working_day
from ..models import (
    AccuracyComment,
    Challenge,
    FeedbackReport,
    QASignOff,
    ReportEvent,
    ReportState,
    ShareAudience,
    Stage,
)
from ..selectors import regional_alliances_of, share_audience_label, shared_report_readers
from .evaluation import questionnaires_send
from .stages import after_onsite_refusal, stage_advance
from .state import challenge_ended_refusal, refuse_if_ended

FEEDBACK_REPORT = "lga_cspc.feedback_report"
DRAFT_TITLE = "Written feedback report (draft for factual accuracy)"
FINAL_TITLE = "Written feedback report (final)"
ACCURACY_WORKING_DAYS = 10
ACCURACY_MIN_DAYS = 5
ACCURACY_MAX_DAYS = 20

# The report's sections, in the order the report prints them.
SECTIONS: tuple[tuple[str, str], ...] = (
    ("executive_summary", "Executive summary"),
    ("strengths", "Key strengths"),
    ("areas_for_development", "Areas for further development"),
    ("recommendations", "Recommendations"),
    ("good_practice", "Good practice"),
    ("case_studies", "Case studies"),
)
SECTION_LABELS = dict(SECTIONS)
# What the team leader's agreement needs (good practice and case studies may be empty).
REQUIRED_SECTIONS = SECTIONS[:4]
NO_CASE_STUDY = (
    "The report has no case study: the team marks at least one case study on site for the "
    "presentation and the report."
)

ORDER = [state for state, _ in ReportState.choices]
# While the report is in a state, the step that takes it on (what is "missing").
STEP_MISSING = {
    ReportState.DRAFT: "the team leader's agreement of the drafted report",
    ReportState.AGREED: "the report submitted for quality assurance",
    ReportState.QA: "the three quality-assurance sign-offs and the draft issued to the council",
    ReportState.ACCURACY: "the factual-accuracy window closed with every comment resolved",
    ReportState.RESOLVED: "the final version issued by the programme manager",
}
# Once the report has entered a state, what a step that belongs before it is told.
ALREADY = {
    ReportState.AGREED: "The team leader has already agreed the report.",
    ReportState.QA: "The report has already been submitted for quality assurance.",
    ReportState.ACCURACY: "The draft has already been issued to the council.",
    ReportState.RESOLVED: "The factual-accuracy window has already been closed.",
    ReportState.FINAL: "The final version has already been issued.",
}
SLOT_NAMES = {
    QASignOff.By.PROGRAMME_MANAGER: "the LGA programme manager",
    QASignOff.By.PRINCIPAL_ADVISER: "the principal adviser",
    QASignOff.By.IMPROVEMENT_ADVISER: "the children's improvement adviser",
}

_BLANK_LINE = re.compile(r"\n[ \t]*\n")


def paragraphs(text: str) -> list[str]:
    """A section's paragraphs: its text split on blank lines, numbered from 1 by position."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    return [part.strip() for part in _BLANK_LINE.split(text) if part.strip()]


def add_working_days(start: date, days: int) -> date:
    """The date `days` working days after `start`: Monday to Friday, England and Wales bank
    holidays not counted."""
    current = start
    while days > 0:
        current += timedelta(days=1)
        if is_working_day(current):
            days -= 1
    return current


def _today(today: date | None) -> date:
    return today or timezone.localdate()


# Who ---------------------------------------------------------------------------------------


def is_drafter(user, challenge: Challenge, *, places: frozenset[str] | None = None) -> bool:
    """The LGA's planners and the challenge's peer challenge manager (`places`: the
    person's team roles, when the caller has them: permissions.team_roles)."""
    return bool(roles_in(user, challenge.alliance_id) & rules.PLANNERS) or (
        rules.peer_challenge_manager(user, challenge, places=places)
    )


def is_programme_manager(user, challenge: Challenge) -> bool:
    return Role.PROGRAMME_MANAGER in roles_in(user, challenge.alliance_id)


def may_close_accuracy(user, challenge: Challenge, *, places: frozenset[str] | None = None) -> bool:
    """The peer challenge manager or the LGA programme manager."""
    return rules.peer_challenge_manager(user, challenge, places=places) or (
        is_programme_manager(user, challenge)
    )


def sign_off_slots(user, challenge: Challenge) -> list[str]:
    """The quality-assurance slots this person holds on this challenge, in slot order."""
    slots = []
    if is_programme_manager(user, challenge):
        slots.append(QASignOff.By.PROGRAMME_MANAGER)
    if user.pk is not None and user.pk == challenge.principal_adviser_id:
        slots.append(QASignOff.By.PRINCIPAL_ADVISER)
    if user.pk is not None and user.pk == challenge.improvement_adviser_id:
        slots.append(QASignOff.By.IMPROVEMENT_ADVISER)
    return slots


# Reading -----------------------------------------------------------------------------------


def report_of(*, challenge: Challenge) -> FeedbackReport | None:
    return FeedbackReport.objects.filter(challenge=challenge).first()


def report_versions(*, challenge: Challenge) -> QuerySet:
    """The report's PDF versions (drafts and final), newest first."""
    return ReportVersion.objects.filter(
        alliance_id=challenge.alliance_id,
        report=FEEDBACK_REPORT,
        subject_type=ContentType.objects.get_for_model(Challenge),
        subject_id=challenge.pk,
    ).order_by("-number")


def is_final_version(version: ReportVersion) -> bool:
    return version.title == FINAL_TITLE


def final_version(
    *, challenge: Challenge, versions: list[ReportVersion] | None = None
) -> ReportVersion | None:
    """The latest rendered final version, if any. `versions`: the report's, newest first, as
    a caller read them (selectors.challenge_page_load); else one query."""
    if versions is None:
        versions = report_versions(challenge=challenge).filter(
            title=FINAL_TITLE, status=ReportVersion.Status.RENDERED
        )[:1]
    return next((v for v in versions if is_final_version(v) and v.is_rendered), None)


def missing_sign_offs(signed: set[str]) -> list[str]:
    return [by for by in QASignOff.By.values if by not in signed]


def window_closed(report: FeedbackReport, *, today: date | None = None) -> bool:
    """The factual-accuracy window's last day has passed."""
    return report.accuracy_closes_on is not None and _today(today) > report.accuracy_closes_on


def final_missing(
    report: FeedbackReport | None,
    *,
    signed: set[str] | None = None,
    unresolved: int | None = None,
    today: date | None = None,
) -> list[str]:
    """Everything still missing before the final version may be issued (empty: nothing)."""
    if report is None or report.pk is None:
        return [STEP_MISSING[state] for state in ORDER[:-1]]
    if signed is None:
        signed = set(report.sign_offs.values_list("by", flat=True))
    if unresolved is None:
        unresolved = report.comments.filter(resolved_at__isnull=True).count()
    index = ORDER.index(report.state)
    missing = []
    if index < ORDER.index(ReportState.AGREED):
        missing.append(STEP_MISSING[ReportState.DRAFT])
    if index < ORDER.index(ReportState.QA):
        missing.append(STEP_MISSING[ReportState.AGREED])
    still = missing_sign_offs(signed)
    if still:
        names = ", ".join(SLOT_NAMES[by] for by in still)
        missing.append(f"the quality-assurance sign-off of {names}")
    if index < ORDER.index(ReportState.ACCURACY):
        missing.append("the draft issued to the council for factual accuracy")
    elif not window_closed(report, today=today):
        missing.append(
            "a closed factual-accuracy window (it is open until "
            f"{day_text(report.accuracy_closes_on)})"
        )
    if unresolved:
        missing.append(
            f"{unresolved} unresolved factual-accuracy comment{'s' if unresolved != 1 else ''}"
        )
    if not missing and report.state == ReportState.ACCURACY:
        missing.append("the factual-accuracy window closed by the peer challenge manager")
    return missing


# What one person may do now ---------------------------------------------------------------

# The council reads the text from the draft issued to it.
COUNCIL_SEES_TEXT = (ReportState.ACCURACY, ReportState.RESOLVED, ReportState.FINAL)


@dataclass(frozen=True)
class ReportSteps:
    """What one person may read and do on a challenge's written feedback now: what the report
    page offers them. The step services below refuse by the same rules whatever is offered."""

    internal: bool  # the LGA's planners, the team and the named advisers
    council: bool  # the host council's people
    reads_text: bool  # the internal people always; the council from the draft issued to it
    edit: bool  # change the text (report_save)
    comment: bool  # comment on a paragraph (report_comment)
    resolve: bool  # resolve the council's comments (report_resolve_comment)
    actions: tuple[tuple[str, str], ...]  # the state's next steps theirs to take: (step, button)
    share: bool  # share the final report with the region, or stop sharing (report_share)
    every_version: bool  # sees versions still being produced, or failed (the planners)

    def may(self, step: str) -> bool:
        return any(name == step for name, _ in self.actions)


def report_steps_for(
    *,
    user,
    challenge: Challenge,
    report: FeedbackReport | None,
    sign_offs: Iterable[QASignOff] | None = None,
    today: date | None = None,
) -> ReportSteps:
    """What `user` may read and do on the challenge's report (None: not started) now, from
    the rules of permissions.py and the report's state; nothing changes on a withdrawn or
    closed challenge, except the sponsor's sharing of the final report. `sign_offs`: the
    report's, when the caller has loaded them. One query (the person's team places), two
    more in quality assurance when `sign_offs` is not given."""
    roles = roles_in(user, challenge.alliance_id)
    planner = bool(rules.PLANNERS & roles)
    places = rules.team_roles(user, challenge)
    pcm = rules.peer_challenge_manager(user, challenge, places=places)
    council = rules.my_council(user, challenge)
    internal = (
        planner
        or rules.on_the_team(user, challenge, places=places)
        or rules.named_adviser(user, challenge)
    )
    state = report.state if report is not None else None
    final = state == ReportState.FINAL
    share = final and rules.council_sponsor(user, challenge)
    reads_text = internal or (council and state in COUNCIL_SEES_TEXT)
    if challenge_ended_refusal(challenge=challenge):
        return ReportSteps(
            internal=internal,
            council=council,
            reads_text=reads_text,
            edit=False,
            comment=False,
            resolve=False,
            actions=(),
            share=share,
            every_version=planner,
        )
    drafter = is_drafter(user, challenge, places=places)
    window_open = state == ReportState.ACCURACY and not window_closed(report, today=today)
    actions = []
    if state == ReportState.DRAFT and rules.team_leader(user, challenge, places=places):
        actions.append(("agree", "Agree the report"))
    if state == ReportState.AGREED and drafter:
        actions.append(("submit_qa", "Submit for quality assurance"))
    if state == ReportState.QA:
        if sign_offs is None:
            sign_offs = report.sign_offs.all()
        sign_offs = list(sign_offs)
        signed = {sign_off.by for sign_off in sign_offs}
        open_slots = [slot for slot in sign_off_slots(user, challenge) if slot not in signed]
        if open_slots and not any(sign_off.user_id == user.pk for sign_off in sign_offs):
            actions.append(("sign_off", f"Sign off as {SLOT_NAMES[open_slots[0]]}"))
        if drafter:
            actions.append(("issue_draft", "Issue the draft to the council"))
    if (
        state == ReportState.ACCURACY
        and not window_open
        and may_close_accuracy(user, challenge, places=places)
    ):
        actions.append(("close_accuracy", "Close the factual-accuracy window"))
    if state == ReportState.RESOLVED and is_programme_manager(user, challenge):
        actions.append(("issue_final", "Issue the final version"))
    return ReportSteps(
        internal=internal,
        council=council,
        reads_text=reads_text,
        edit=drafter and not report_edit_refusal(report, user, challenge, pcm=pcm),
        comment=window_open and council,
        resolve=state == ReportState.ACCURACY and pcm,
        actions=tuple(actions),
        share=share,
        every_version=planner,
    )


# Writing -----------------------------------------------------------------------------------


def _locked(challenge: Challenge) -> FeedbackReport | None:
    return FeedbackReport.objects.select_for_update().filter(challenge=challenge).first()


def _event(
    report: FeedbackReport, user, to_state: str, note: str = "", from_state: str | None = None
) -> ReportEvent:
    return ReportEvent.objects.create(
        alliance_id=report.alliance_id,
        report=report,
        from_state=report.state if from_state is None else from_state,
        to_state=to_state,
        user=user,
        note=note[:300],
    )


def _move(report: FeedbackReport, user, to_state: str, note: str = "", fields=()) -> None:
    """Log the change, then make it (the report row is locked by the caller)."""
    _event(report, user, to_state, note)
    report.state = to_state
    report._history_user = user
    report.save(update_fields=["state", *fields])


def _require(report: FeedbackReport | None, state: str, doing: str) -> FeedbackReport:
    """The report, in `state`; otherwise a ValidationError naming the steps missing (or the
    step already taken)."""
    current = report.state if report is not None else None
    if current == state:
        return report
    target = ORDER.index(state)
    if current is None or ORDER.index(current) < target:
        start = 0 if current is None else ORDER.index(current)
        missing = [STEP_MISSING[step] for step in ORDER[start:target]]
        if current is None:
            missing.insert(0, "a drafted report")
        raise ValidationError({"state": f"You cannot {doing} yet. Missing: {'; '.join(missing)}."})
    raise ValidationError({"state": ALREADY[ORDER[target + 1]]})


def _refuse(field: str, message: str):
    raise ValidationError({field: message})


def report_edit_refusal(
    report: FeedbackReport | None, user, challenge: Challenge, *, pcm: bool | None = None
) -> str:
    """Why this person may not change the text now ("" when they may). `pcm`: whether they
    are the peer challenge manager, when the caller already knows."""
    if pcm is None:
        pcm = rules.peer_challenge_manager(user, challenge)
    state = report.state if report is not None else ReportState.DRAFT
    if state == ReportState.DRAFT:
        if pcm or roles_in(user, challenge.alliance_id) & rules.PLANNERS:
            return ""
        if rules.my_council(user, challenge):
            return "The council comments on the draft's paragraphs; it does not edit the text."
        return "Only the peer challenge manager and the LGA's programme team write the draft."
    if state in (ReportState.AGREED, ReportState.QA):
        return (
            "The team leader has agreed the text and it is in quality assurance: it cannot be "
            "changed until the council's factual-accuracy comments are resolved."
        )
    if state in (ReportState.ACCURACY, ReportState.RESOLVED):
        if pcm:
            return ""
        return (
            "Only the peer challenge manager changes the text while the council's "
            "factual-accuracy comments are resolved."
        )
    return "The final version has been issued: the text cannot be changed."


def report_sections_text(report: FeedbackReport | None) -> dict[str, str]:
    """Every section's saved text (empty before the first save): what an edit conflict
    compares (peerchallenge.concurrency)."""
    return {key: getattr(report, key) if report else "" for key, _ in SECTIONS}


@transaction.atomic
def report_save(
    *, challenge: Challenge, user, base_version: str | None = None, **sections: str
) -> FeedbackReport:
    """Save the sections' text (only the SECTIONS keys; each stripped). Starts the report
    (state draft, logged) on the first save. Refused when this person may not edit now.
    Raises EditConflict if someone (a planner, the peer challenge manager) saved the text
    since `base_version`, the version of `report_sections_text` the form was filled from."""
    unknown = set(sections) - set(SECTION_LABELS)
    if unknown:
        raise TypeError(f"Unknown sections: {', '.join(sorted(unknown))}")
    refuse_if_ended(Challenge.objects.select_for_update().get(pk=challenge.pk))
    refuse_long_text(**{key: (SECTION_LABELS[key], value, LONG) for key, value in sections.items()})
    report = _locked(challenge)
    refusal = report_edit_refusal(report, user, challenge)
    if refusal:
        _refuse("state", refusal)
    values_check_unchanged(
        current=report_sections_text(report), labels=SECTION_LABELS, base_version=base_version
    )
    if report is None:
        report = FeedbackReport(
            alliance_id=challenge.alliance_id, challenge=challenge, state=ReportState.DRAFT
        )
        for key, value in sections.items():
            setattr(report, key, (value or "").strip())
        report._history_user = user
        report.save()
        _event(report, user, ReportState.DRAFT, "Drafting started", from_state="")
        stage_advance(challenge=challenge, to=Stage.REPORT, user=user)
        return report
    for key, value in sections.items():
        setattr(report, key, (value or "").strip())
    report._history_user = user
    report.save(update_fields=list(sections))
    return report


def report_agree_warnings(report: FeedbackReport | None) -> list[str]:
    """What the team leader is warned of (but may still agree with): no case study."""
    if report is None or report.case_studies.strip():
        return []
    return [NO_CASE_STUDY]


@transaction.atomic
def report_agree(*, challenge: Challenge, user) -> FeedbackReport:
    """The team leader agrees the draft: it needs every section but good practice and case
    studies (without a case study the agreement is logged with a warning; see
    report_agree_warnings)."""
    refuse_if_ended(challenge)
    report = _require(_locked(challenge), ReportState.DRAFT, "agree the report")
    if not rules.team_leader(user, challenge):
        _refuse("state", "Only the challenge's team leader agrees the report.")
    missing = {
        key: f"Write the {label.lower()} before the team leader agrees the report."
        for key, label in REQUIRED_SECTIONS
        if not getattr(report, key).strip()
    }
    if missing:
        raise ValidationError(missing)
    note = "Agreed by the team leader"
    if report_agree_warnings(report):
        note += " (with no case study)"
    _move(report, user, ReportState.AGREED, note)
    return report


@transaction.atomic
def report_submit_qa(*, challenge: Challenge, user) -> FeedbackReport:
    refuse_if_ended(challenge)
    report = _require(_locked(challenge), ReportState.AGREED, "submit the report for QA")
    if not is_drafter(user, challenge):
        _refuse("state", "Only the peer challenge manager submits the report for QA.")
    _move(report, user, ReportState.QA, "Submitted for quality assurance")
    return report


@transaction.atomic
def report_sign_off(*, challenge: Challenge, user) -> QASignOff:
    """Record this person's quality-assurance sign-off in their slot (the first of theirs
    still open). One sign-off per slot, and one slot per person."""
    refuse_if_ended(challenge)
    report = _require(_locked(challenge), ReportState.QA, "sign off the report")
    slots = sign_off_slots(user, challenge)
    if not slots:
        _refuse(
            "state",
            "Only the LGA programme manager and the challenge's named principal adviser and "
            "children's improvement adviser sign off the report.",
        )
    existing = {sign_off.by: sign_off for sign_off in report.sign_offs.select_related("user")}
    mine = [sign_off for sign_off in existing.values() if sign_off.user_id == user.pk]
    if mine:
        _refuse(
            "state",
            f"You have already signed off as {SLOT_NAMES[mine[0].by]}: the three sign-offs are "
            "given by three different people.",
        )
    open_slots = [slot for slot in slots if slot not in existing]
    if not open_slots:
        taken = existing[slots[0]]
        _refuse(
            "state",
            f"The sign-off of {SLOT_NAMES[taken.by]} was already given by {taken.user} on "
            f"{day_text(timezone.localdate(taken.signed_at))}.",
        )
    by = open_slots[0]
    sign_off = QASignOff.objects.create(
        alliance_id=report.alliance_id, report=report, by=by, user=user
    )
    _event(report, user, ReportState.QA, f"Signed off as {SLOT_NAMES[by]}")
    return sign_off


def _request_version(challenge: Challenge, user, title: str) -> ReportVersion:
    version = report_request(identifier=FEEDBACK_REPORT, subject=challenge, requested_by=user)
    # Rendered after this transaction commits: the task reads the title set here.
    ReportVersion.objects.filter(pk=version.pk).update(title=title)
    version.title = title
    return version


def accuracy_days_refusal(working_days) -> str:
    """Why this length of factual-accuracy window is refused ("" when it is not)."""
    if (
        isinstance(working_days, bool)
        or not isinstance(working_days, int)
        or not ACCURACY_MIN_DAYS <= working_days <= ACCURACY_MAX_DAYS
    ):
        return (
            f"The factual-accuracy window must be between {ACCURACY_MIN_DAYS} and "
            f"{ACCURACY_MAX_DAYS} working days."
        )
    return ""


@transaction.atomic
def report_issue_draft(
    *,
    challenge: Challenge,
    user,
    working_days: int = ACCURACY_WORKING_DAYS,
    today: date | None = None,
) -> ReportVersion:
    """Issue the quality-assured draft to the council: opens the factual-accuracy window for
    `working_days` working days (ACCURACY_MIN_DAYS to ACCURACY_MAX_DAYS; bank holidays not
    counted) and renders the draft PDF (the DCS is emailed when it is ready)."""
    refuse_if_ended(challenge)
    report = _require(_locked(challenge), ReportState.QA, "issue the draft to the council")
    if not is_drafter(user, challenge):
        _refuse("state", "Only the peer challenge manager issues the draft to the council.")
    refusal = accuracy_days_refusal(working_days)
    if refusal:
        _refuse("working_days", refusal)
    still = missing_sign_offs(set(report.sign_offs.values_list("by", flat=True)))
    if still:
        _refuse(
            "sign_offs",
            "Quality assurance is not complete: still to sign off: "
            + ", ".join(SLOT_NAMES[by] for by in still)
            + ".",
        )
    today = _today(today)
    refusal = after_onsite_refusal(
        challenge=challenge, doing="issue the draft to the council", today=today
    )
    if refusal:
        _refuse("state", refusal)
    report.accuracy_opens_at = timezone.now()
    report.accuracy_closes_on = add_working_days(today, working_days)
    version = _request_version(challenge, user, DRAFT_TITLE)
    _move(
        report,
        user,
        ReportState.ACCURACY,
        f"Draft (version {version.number}) issued to the council; factual-accuracy comments "
        f"close on {day_text(report.accuracy_closes_on)} ({working_days} working days)",
        fields=["accuracy_opens_at", "accuracy_closes_on"],
    )
    return version


@transaction.atomic
def report_comment(
    *,
    challenge: Challenge,
    user,
    section: str,
    paragraph: int,
    text: str,
    today: date | None = None,
) -> AccuracyComment:
    """The council's factual-accuracy comment on one paragraph of the draft, while the
    window is open (to its last day included)."""
    refuse_if_ended(challenge)
    report = FeedbackReport.objects.filter(challenge=challenge).first()
    state = report.state if report is not None else None
    if state in (ReportState.RESOLVED, ReportState.FINAL) or (
        state == ReportState.ACCURACY and _today(today) > report.accuracy_closes_on
    ):
        _refuse(
            "text", f"The factual-accuracy window closed on {day_text(report.accuracy_closes_on)}."
        )
    if state != ReportState.ACCURACY:
        _refuse(
            "text",
            "The draft has not been issued to the council yet: there is nothing to comment on.",
        )
    if not rules.my_council(user, challenge):
        _refuse("text", "Only the council's people comment on the draft.")
    if section not in SECTION_LABELS:
        _refuse("section", "Choose a section of the report to comment on.")
    count = len(paragraphs(getattr(report, section)))
    if not isinstance(paragraph, int) or not 1 <= paragraph <= count:
        _refuse(
            "paragraph",
            f"There is no paragraph {paragraph} in the {SECTION_LABELS[section].lower()}.",
        )
    text = (text or "").strip()
    if not text:
        _refuse("text", "Enter your comment.")
    return AccuracyComment.objects.create(
        alliance_id=report.alliance_id,
        report=report,
        section=section,
        paragraph=paragraph,
        text=text,
        author=user,
    )


@transaction.atomic
def report_resolve_comment(*, comment: AccuracyComment, user, resolution: str) -> AccuracyComment:
    """The peer challenge manager says how a comment was resolved (once)."""
    locked = AccuracyComment.objects.select_for_update().select_related("report").get(pk=comment.pk)
    report = locked.report
    challenge = report.challenge
    refuse_if_ended(challenge)
    if report.state != ReportState.ACCURACY:
        _refuse("resolution", "Comments are resolved only while the draft is with the council.")
    if not rules.peer_challenge_manager(user, challenge):
        _refuse("resolution", "Only the peer challenge manager resolves the council's comments.")
    if locked.resolved_at is not None:
        _refuse(
            "resolution",
            f"This comment was already resolved on {day_text(locked.resolved_at)}.",
        )
    resolution = (resolution or "").strip()
    if not resolution:
        _refuse("resolution", "Say how the comment was resolved.")
    locked.resolution = resolution
    locked.resolved_by = user
    locked.resolved_at = timezone.now()
    locked.save(update_fields=["resolution", "resolved_by", "resolved_at"])
    return locked


@transaction.atomic
def report_close_accuracy(
    *, challenge: Challenge, user, today: date | None = None
) -> FeedbackReport:
    """Close the factual-accuracy window: only after its last day AND with every comment
    resolved (see the module's docstring)."""
    refuse_if_ended(challenge)
    report = _require(_locked(challenge), ReportState.ACCURACY, "close the factual-accuracy window")
    if not may_close_accuracy(user, challenge):
        _refuse(
            "state",
            "Only the peer challenge manager or the LGA programme manager closes the "
            "factual-accuracy window.",
        )
    errors = {}
    if not window_closed(report, today=today):
        errors["state"] = (
            f"The factual-accuracy window is open until {day_text(report.accuracy_closes_on)}: the "
            "council may still comment."
        )
    unresolved = report.comments.filter(resolved_at__isnull=True).count()
    if unresolved:
        errors["comments"] = (
            f"{unresolved} factual-accuracy comment{'s are' if unresolved != 1 else ' is'} "
            "not resolved yet."
        )
    if errors:
        raise ValidationError(errors)
    _move(report, user, ReportState.RESOLVED, "Factual-accuracy window closed")
    return report


@transaction.atomic
def report_issue_final(*, challenge: Challenge, user, today: date | None = None) -> ReportVersion:
    """The programme manager issues the final version: only with the three QA sign-offs, a
    closed factual-accuracy window and every comment resolved. Renders the final PDF (the
    DCS is emailed) and moves the challenge on to evaluation."""
    refuse_if_ended(challenge)
    report = _locked(challenge)
    if not is_programme_manager(user, challenge):
        _refuse("state", "Only the LGA programme manager issues the final version.")
    if report is not None and report.state == ReportState.FINAL:
        _refuse("state", ALREADY[ReportState.FINAL])
    missing = final_missing(report, today=today)
    if missing or report.state != ReportState.RESOLVED:
        missing = missing or [STEP_MISSING[ReportState.ACCURACY]]
        _refuse(
            "state",
            "The final version cannot be issued yet. Missing: " + "; ".join(missing) + ".",
        )
    refusal = after_onsite_refusal(
        challenge=challenge,
        doing="issue the final report and move the challenge to evaluation",
        today=_today(today),
    )
    if refusal:
        _refuse("state", refusal)
    version = _request_version(challenge, user, FINAL_TITLE)
    _move(report, user, ReportState.FINAL, f"Final version (version {version.number}) issued")
    challenge.stage = Stage.EVALUATION
    challenge._history_user = user
    challenge.save(update_fields=["stage"])
    # After the final report each peer receives the evaluation questionnaire.
    questionnaires_send(challenge=challenge, user=user)
    return version


AUDIENCE_MISSING = "Choose who in the region may read the report."


@transaction.atomic
def report_share(*, challenge: Challenge, user, audience: str) -> FeedbackReport:
    """The council's sponsor shares the final report with the council's regional alliance,
    with the audience they choose (ShareAudience). Records when, by whom and with whom, logs
    it, and queues one email to each reader (selectors.shared_report_readers) with a link to
    the region's shared-reports page. Sharing is the council's and carries on once the
    challenge is closed (services.state)."""
    report = _locked(challenge)
    if report is None or report.state != ReportState.FINAL:
        _refuse("state", "Only the final report can be shared with the region.")
    if not rules.council_sponsor(user, challenge):
        _refuse("state", "Only the council's sponsor shares the report with the region.")
    if report.shared_with_region_at is not None:
        _refuse(
            "state",
            "The report was already shared with the region on "
            f"{day_text(timezone.localdate(report.shared_with_region_at))}.",
        )
    if audience not in ShareAudience.values:
        _refuse("audience", AUDIENCE_MISSING)
    report.shared_with_region_at = timezone.now()
    report.shared_by = user
    report.share_audience = audience
    report._history_user = user
    report.save(update_fields=["shared_with_region_at", "shared_by", "share_audience"])
    alliances = regional_alliances_of(challenge=challenge)
    label = share_audience_label(audience=audience, alliances=alliances)
    event = _event(report, user, ReportState.FINAL, f"Shared with the region: {label}")
    _share_announce(challenge=challenge, user=user, audience=audience, event=event)
    return report


def _share_announce(*, challenge: Challenge, user, audience: str, event: ReportEvent) -> None:
    # Plain values only: the message is rendered now, in the LGA's scope.
    context = {
        "council": challenge.local_authority.name,
        "offer": challenge.offer.name,
        "shared_by": user.full_name or user.email,
    }
    for reader in shared_report_readers(challenge=challenge, audience=audience):
        path = reverse("lga_cspc:shared_reports", kwargs={"alliance": reader.alliance_slug})
        email_send(  # one message each: readers do not see each other
            template="cspc_report_shared",
            to=[reader.email],
            context={**context, "path": path},
            dedupe_key=f"report-shared:{event.pk}:{reader.email.lower()}",
        )


@transaction.atomic
def report_unshare(*, challenge: Challenge, user) -> bool:
    """The council's sponsor stops sharing the final report with the region: nobody there
    reads it any more (nobody is emailed). Logged. Returns False, and does nothing, when it
    is not shared (a second "Yes, stop sharing" is harmless)."""
    report = _locked(challenge)
    if not rules.council_sponsor(user, challenge):
        _refuse("state", "Only the council's sponsor stops sharing the report with the region.")
    if report is None or report.shared_with_region_at is None:
        return False
    report.shared_with_region_at = None
    report.shared_by = None
    report.share_audience = ""
    report._history_user = user
    report.save(update_fields=["shared_with_region_at", "shared_by", "share_audience"])
    _event(report, user, ReportState.FINAL, "Sharing with the region stopped")
    return True
