"""The CSPC's reminders, sent by the shared reminder machinery (peerchallenge.reminders):
the scoping proposal awaiting the sponsor's acceptance, advance documents still missing, the
case record review two weeks before on site, quality-assurance sign-offs outstanding, the
factual-accuracy window closing, the DCS evaluation interview due. Registered from
LgaCspcConfig.ready(); each stops once the thing is done, since the source only returns what
is still to do. Missing documents are chased once more after their due date. The source
runs a constant number of queries (eleven at most)."""

import datetime
from collections import defaultdict

from django.db.models import Max, Q
from django.urls import reverse

from peerchallenge.models import Alliance, Role
from peerchallenge.recipients import people_of
from peerchallenge.reminders import Due, register_kind, register_source

from .models import (
    AdvanceDocument,
    Challenge,
    FeedbackReport,
    QASignOff,
    ReportState,
    Stage,
    TeamMember,
    TeamRole,
)
from .selectors import challenge_organisers, challenge_sponsors
from .services_after import INTERVIEW_AFTER
from .services_prep import MISSING_STATES

CASE_REVIEW_BEFORE = datetime.timedelta(weeks=2)  # Challenge.case_review_date
# The longest on-site phase the scoping form allows, for the interview window's query.
LONGEST_ONSITE = datetime.timedelta(days=10)
# Challenges still running: reminders say nothing of a withdrawn or closed one.
OVER = (Stage.WITHDRAWN, Stage.CLOSED)
SIGNER_PHRASES = {
    QASignOff.By.PROGRAMME_MANAGER: "the LGA's programme manager",
    QASignOff.By.PRINCIPAL_ADVISER: "principal adviser",
    QASignOff.By.IMPROVEMENT_ADVISER: "children's improvement adviser",
}

KINDS = {
    "cspc_proposal": (
        "Scoping proposal awaiting acceptance",
        5,
        "Tells the council's sponsor once, this many days after the scoping proposal was sent, "
        "if they have not accepted it.",
        True,
    ),
    "cspc_documents": (
        "Advance documents missing",
        7,
        "Reminds the council's organiser of the advance documents still requested, or sent "
        "back for more, before they are due.",
        False,
    ),
    "cspc_documents_overdue": (
        "Advance documents overdue",
        3,
        "Chases the council's organiser once, this many days after advance documents were "
        "due, for those still not sent (or sent back for more), until the on-site days start.",
        True,
    ),
    "cspc_case_review": (
        "Case record review",
        7,
        "Reminds the peer challenge manager and the team leader before the case record review, "
        "two weeks before on site, until its report is shared.",
        False,
    ),
    "cspc_qa_sign_off": (
        "Quality-assurance sign-off outstanding",
        3,
        "Tells each of the programme manager, principal adviser and children's improvement "
        "adviser who has not signed off the feedback report, this many days after it went "
        "into quality assurance.",
        True,
    ),
    "cspc_accuracy_closing": (
        "Factual accuracy closing",
        2,
        "Reminds the council's DCS and organisers before the factual-accuracy window on the "
        "draft feedback report closes.",
        False,
    ),
    "cspc_evaluation_due": (
        "Evaluation interview due",
        7,
        "Reminds the programme manager before the DCS evaluation interview is due, until it is "
        "recorded.",
        False,
    ),
}


def _when(day: datetime.date) -> str:
    return f"{day.day} {day:%B %Y}"


def _path(alliance, name: str, challenge_id: int) -> str:
    return reverse(
        f"lga_cspc:{name}", kwargs={"alliance": alliance.slug, "challenge": challenge_id}
    )


def _window(today: datetime.date, days: int) -> tuple[datetime.date, datetime.date]:
    return today, today + datetime.timedelta(days=days)


def cspc_dues(alliance, today: datetime.date, days_by_kind: dict) -> list[Due]:
    """What is still to do in the alliance's running challenges, around today."""
    wanted = {kind for kind in KINDS if kind in days_by_kind}
    if not wanted:
        return []
    running = Challenge.objects.filter(alliance=alliance).exclude(stage__in=OVER)
    related = ("offer", "local_authority", "sponsor", "organiser")

    # The challenges each kind may concern, in one query.
    windows = Q(pk__in=[])
    if "cspc_proposal" in wanted:
        windows |= Q(proposal_sent_at__isnull=False, proposal_accepted_at__isnull=True)
    if "cspc_case_review" in wanted:
        first, last = _window(today, days_by_kind["cspc_case_review"])
        windows |= Q(
            onsite_start__gte=first + CASE_REVIEW_BEFORE,
            onsite_start__lte=last + CASE_REVIEW_BEFORE,
        ) & ~Q(case_review__shared_at__isnull=False)
    if "cspc_evaluation_due" in wanted:
        first, last = _window(today, days_by_kind["cspc_evaluation_due"])
        windows |= Q(
            evaluation__interview_due__gte=first,
            evaluation__interview_due__lte=last,
            evaluation__recorded_at__isnull=True,
        ) | Q(
            # Not scheduled yet: due by default a month after the last on-site day.
            evaluation__isnull=True,
            onsite_start__gte=first - INTERVIEW_AFTER - LONGEST_ONSITE,
            onsite_start__lte=last - INTERVIEW_AFTER,
        )
    challenges = {
        challenge.pk: challenge
        for challenge in running.filter(windows)
        .select_related(*related, "evaluation", "case_review")
        .distinct()
    }

    missing = []
    if "cspc_documents" in wanted:
        first, last = _window(today, days_by_kind["cspc_documents"])
        missing = list(
            AdvanceDocument.objects.filter(
                alliance=alliance,
                state__in=MISSING_STATES,
                due_date__gte=first,
                due_date__lte=last,
                challenge__in=running,
            )
            .select_related(*(f"challenge__{name}" for name in related))
            .order_by("challenge_id", "due_date", "position", "pk")
        )

    late = []
    if "cspc_documents_overdue" in wanted:
        since = today - datetime.timedelta(days=days_by_kind["cspc_documents_overdue"])
        late = list(
            AdvanceDocument.objects.filter(
                alliance=alliance,
                state__in=MISSING_STATES,
                due_date__lte=since,
                challenge__in=running.filter(onsite_start__gt=today),
            )
            .select_related(*(f"challenge__{name}" for name in related))
            .order_by("challenge_id", "due_date", "position", "pk")
        )

    reports = []
    if {"cspc_qa_sign_off", "cspc_accuracy_closing"} & wanted:
        states = Q(pk__in=[])
        if "cspc_qa_sign_off" in wanted:
            states |= Q(state=ReportState.QA)
        if "cspc_accuracy_closing" in wanted:
            first, last = _window(today, days_by_kind["cspc_accuracy_closing"])
            states |= Q(
                state=ReportState.ACCURACY,
                accuracy_closes_on__gte=first,
                accuracy_closes_on__lte=last,
            )
        reports = list(
            FeedbackReport.objects.filter(alliance=alliance, challenge__in=running)
            .filter(states)
            .annotate(
                qa_since=Max("events__at", filter=Q(events__to_state=ReportState.QA)),
            )
            .select_related(*(f"challenge__{name}" for name in related))
            .select_related("challenge__principal_adviser", "challenge__improvement_adviser")
        )
    signed = defaultdict(set)
    qa_reports = [report.pk for report in reports if report.state == ReportState.QA]
    if qa_reports:
        for report_id, by in QASignOff.objects.filter(report_id__in=qa_reports).values_list(
            "report_id", "by"
        ):
            signed[report_id].add(by)

    leads = defaultdict(list)
    if "cspc_case_review" in wanted and challenges:
        for member in TeamMember.objects.filter(
            challenge_id__in=list(challenges),
            role__in=[TeamRole.PEER_CHALLENGE_MANAGER, TeamRole.TEAM_LEADER],
            user__is_active=True,
        ).select_related("user"):
            leads[member.challenge_id].append(member.user)

    council_ids = {c.local_authority_id for c in challenges.values()}
    council_ids |= {item.challenge.local_authority_id for item in [*missing, *late]}
    council_ids |= {report.challenge.local_authority_id for report in reports}
    # The programme managers, and each council's DCS and organisers, in one query.
    people = people_of(alliance=alliance, council_ids=council_ids, roles=[Role.PROGRAMME_MANAGER])

    dues = []
    for challenge in challenges.values():
        dues += _challenge_dues(alliance, challenge, today, wanted, days_by_kind, people, leads)
    dues += _document_dues(alliance, missing, people)
    dues += _document_dues(alliance, late, people, overdue=True)
    for report in reports:
        dues += _report_dues(alliance, report, today, wanted, people, signed[report.pk])
    return dues


def _challenge_dues(alliance, challenge, today, wanted, days_by_kind, people, leads) -> list[Due]:
    dues = []
    council = challenge.local_authority.name
    if (
        "cspc_proposal" in wanted
        and challenge.proposal_sent_at is not None
        and challenge.proposal_accepted_at is None
    ):
        sent = challenge.proposal_sent_at.date()
        dues.append(
            Due(
                kind="cspc_proposal",
                subject=challenge,
                recipients=challenge_sponsors(challenge=challenge, people=people),
                due_date=sent,
                summary=f"Accept the scoping proposal for {council}'s {challenge.offer.name}, "
                f"sent on {_when(sent)}",
                path=_path(alliance, "challenge_detail", challenge.pk),
                context={
                    "todo": "Read the scoping proposal and accept it in Peer Challenge, or tell "
                    "the LGA's programme manager what should change."
                },
            )
        )
    review = challenge.case_review_date
    first, last = _window(today, days_by_kind.get("cspc_case_review", 0))
    case_review = getattr(challenge, "case_review", None)
    shared = case_review is not None and case_review.shared_at is not None
    if "cspc_case_review" in wanted and first <= review <= last and not shared:
        dues.append(
            Due(
                kind="cspc_case_review",
                subject=challenge,
                recipients=leads.get(challenge.pk, []),
                due_date=review,
                summary=f"The case record review of {council}'s {challenge.offer.name} is due "
                f"by {_when(review)}",
                path=_path(alliance, "challenge_detail", challenge.pk),
                context={
                    "todo": "Select the cases from the lists agreed at scoping, assign them to "
                    "the reviewers, and share the case review report before on site."
                },
            )
        )
    evaluation = getattr(challenge, "evaluation", None)
    if evaluation is not None:
        due = evaluation.interview_due if evaluation.recorded_at is None else None
    else:
        due = challenge.onsite_end + INTERVIEW_AFTER
    first, last = _window(today, days_by_kind.get("cspc_evaluation_due", 0))
    if "cspc_evaluation_due" in wanted and due is not None and first <= due <= last:
        dues.append(
            Due(
                kind="cspc_evaluation_due",
                subject=challenge,
                recipients=people.holding(Role.PROGRAMME_MANAGER),
                due_date=due,
                summary=f"Hold and record the DCS evaluation interview of {council}'s "
                f"{challenge.offer.name} by {_when(due)}",
                path=_path(alliance, "evaluation", challenge.pk),
                context={
                    "todo": "Interview the director of children's services about the peer "
                    "challenge and record what they said."
                },
            )
        )
    return dues


def _document_dues(
    alliance, missing: list[AdvanceDocument], people, *, overdue: bool = False
) -> list[Due]:
    by_challenge: dict[int, list[AdvanceDocument]] = defaultdict(list)
    for item in missing:
        by_challenge[item.challenge_id].append(item)
    dues = []
    for items in by_challenge.values():
        challenge = items[0].challenge
        due = min(item.due_date for item in items)
        titles = "; ".join(item.title for item in items)
        count = len(items)
        documents = f"{count} advance document{'s' if count != 1 else ''}"
        where = f"{challenge.local_authority.name}'s {challenge.offer.name}"
        dues.append(
            Due(
                kind="cspc_documents_overdue" if overdue else "cspc_documents",
                subject=challenge,
                recipients=challenge_organisers(challenge=challenge, people=people),
                due_date=due,
                summary=(
                    f"{documents} for {where} were due on {_when(due)}: please send them"
                    if overdue
                    else f"Send {documents} for {where} by {_when(due)}"
                ),
                path=_path(alliance, "checklist", challenge.pk) + "?show=missing",
                context={"todo": f"Still to come: {titles}."},
            )
        )
    return dues


def _report_dues(alliance, report, today, wanted, people, signed: set) -> list[Due]:
    challenge = report.challenge
    council = challenge.local_authority.name
    path = _path(alliance, "report", challenge.pk)
    dues = []
    if report.state == ReportState.QA and "cspc_qa_sign_off" in wanted:
        since = report.qa_since.date() if report.qa_since else today
        signers = {
            QASignOff.By.PROGRAMME_MANAGER: people.holding(Role.PROGRAMME_MANAGER),
            QASignOff.By.PRINCIPAL_ADVISER: [challenge.principal_adviser]
            if challenge.principal_adviser
            else [],
            QASignOff.By.IMPROVEMENT_ADVISER: [challenge.improvement_adviser]
            if challenge.improvement_adviser
            else [],
        }
        for by, recipients in signers.items():
            if by in signed:
                continue
            dues.append(
                Due(
                    kind="cspc_qa_sign_off",
                    subject=report,
                    recipients=[person for person in recipients if person.is_active],
                    due_date=since,
                    summary=f"Sign off the feedback report of {council}'s "
                    f"{challenge.offer.name} as {SIGNER_PHRASES[by]}",
                    path=path,
                    context={
                        "todo": "Read the draft feedback report and sign it off, or tell the "
                        "peer challenge manager what should change."
                    },
                )
            )
    if report.state == ReportState.ACCURACY and "cspc_accuracy_closing" in wanted:
        closes = report.accuracy_closes_on
        dues.append(
            Due(
                kind="cspc_accuracy_closing",
                subject=report,
                recipients=people.council(challenge.local_authority_id),
                due_date=closes,
                summary=f"Comments on the factual accuracy of {council}'s draft feedback report "
                f"close on {_when(closes)}",
                path=path,
                context={
                    "todo": "Comment on any paragraph that is not factually accurate before "
                    "the window closes."
                },
            )
        )
    return dues


def register() -> None:
    for key, (label, days, description, after_due) in KINDS.items():
        register_kind(
            key,
            label=label,
            default_days=days,
            description=description,
            after_due=after_due,
            alliance_kinds=(Alliance.Kind.NATIONAL,),  # the LGA's offer
        )
    register_source(cspc_dues)
