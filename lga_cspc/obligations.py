"""What the LGA peer challenge asks of whom, and by when (peerchallenge.offers.obligations):
the home page's "What needs you now" and the reminders both come from here. Each
challenge's people see their next step at its stage:

- the LGA's planners (programme managers, coordinators): arrange the scoping meeting of a
  requested challenge, then send its scoping proposal; the programme manager also completes
  a team still short eight weeks before on site, signs off the report in quality assurance,
  issues the final report, and holds the DCS evaluation interview a month after;
- the council's sponsor (the named sponsor; until one is named, its DCS): accept the
  scoping proposal;
- whoever sends the council's advance documents (permissions.document_senders_q): send the
  documents still missing, and more of those the peer challenge manager sent back;
- the council's DCS and organisers: comment on the draft report's factual accuracy while
  the window is open;
- the peer challenge manager: review the documents the council sent, run the case record
  review (with the team leader), write the report, submit it for quality assurance, issue
  the draft to the council, resolve its comments and close the window;
- the team leader: agree the written report; every peer: accept the peer charter, and
  answer the evaluation questionnaire once the final report is out;
- the principal adviser and the children's improvement adviser: sign off the report in
  quality assurance; the improvement adviser then agrees the next steps with the council.

Withdrawn and closed challenges ask nothing: the others are the alliance overview's rows,
which say what is late in the words of LATE. Who acts and who is told are active people
only. A fixed number of queries (seven at most), whatever the number of challenges."""

import datetime
from collections import defaultdict
from dataclasses import replace

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Max, Q
from django.urls import reverse

from peerchallenge.dates import day_text
from peerchallenge.models import Action, Alliance, Role
from peerchallenge.offers.obligations import Obligation
from peerchallenge.recipients import PeopleInAlliances

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
from .permissions import document_senders_q, visible_challenges_q
from .selectors import challenge_organisers, challenge_sponsors
from .services.documents import MISSING_STATES
from .services.evaluation import INTERVIEW_AFTER
from .services.report import REQUIRED_SECTIONS
from .services.team import ROLE_MINIMUMS

CASE_REVIEW_BEFORE = datetime.timedelta(weeks=2)  # Challenge.case_review_date
# The longest on-site phase the scoping form allows, for the interview window's query.
LONGEST_ONSITE = datetime.timedelta(days=10)
# A team still incomplete this close to the first on-site day needs the programme manager.
TEAM_DEADLINE = datetime.timedelta(weeks=8)
# Challenges still running: a withdrawn or closed one asks nothing of anyone.
OVER = (Stage.WITHDRAWN, Stage.CLOSED)
BEFORE_ON_SITE = (Stage.REQUESTED, Stage.SCOPING, Stage.PREPARATION, Stage.CASE_REVIEW)
SIGNER_PHRASES = {
    QASignOff.By.PROGRAMME_MANAGER: "the LGA's programme manager",
    QASignOff.By.PRINCIPAL_ADVISER: "principal adviser",
    QASignOff.By.IMPROVEMENT_ADVISER: "children's improvement adviser",
}
LGA = (Alliance.Kind.NATIONAL,)  # the LGA's offer runs in the national alliance

# The overview's "late" sentence of each kind (peerchallenge.overview.late_by_challenge).
LATE = {
    "lga_cspc.case_review": "the case record review was due on {due}",
}

REMINDER_KINDS = [
    {
        "key": "cspc_proposal",
        "label": "Scoping proposal awaiting acceptance",
        "default_days": 5,
        "description": "Tells the council's sponsor once, this many days after the scoping "
        "proposal was sent, if they have not accepted it.",
        "after_due": True,
        "alliance_kinds": LGA,
    },
    {
        "key": "cspc_documents",
        "label": "Advance documents missing",
        "default_days": 7,
        "description": "Reminds the council's organiser of the advance documents still "
        "requested, or sent back for more, before they are due.",
        "alliance_kinds": LGA,
    },
    {
        "key": "cspc_documents_overdue",
        "label": "Advance documents overdue",
        "default_days": 3,
        "description": "Chases the council's organiser once, this many days after advance "
        "documents were due, for those still not sent (or sent back for more), until the "
        "on-site days start.",
        "after_due": True,
        "alliance_kinds": LGA,
    },
    {
        "key": "cspc_case_review",
        "label": "Case record review",
        "default_days": 7,
        "description": "Reminds the peer challenge manager and the team leader before the case "
        "record review, two weeks before on site, until its report is shared.",
        "alliance_kinds": LGA,
    },
    {
        "key": "cspc_qa_sign_off",
        "label": "Quality-assurance sign-off outstanding",
        "default_days": 3,
        "description": "Tells each of the programme manager, principal adviser and children's "
        "improvement adviser who has not signed off the feedback report, this many days after "
        "it went into quality assurance.",
        "after_due": True,
        "alliance_kinds": LGA,
    },
    {
        "key": "cspc_accuracy_closing",
        "label": "Factual accuracy closing",
        "default_days": 2,
        "description": "Reminds the council's DCS and organisers before the factual-accuracy "
        "window on the draft feedback report closes.",
        "alliance_kinds": LGA,
    },
    {
        "key": "cspc_evaluation_due",
        "label": "Evaluation interview due",
        "default_days": 7,
        "description": "Reminds the programme manager before the DCS evaluation interview is "
        "due, until it is recorded.",
        "alliance_kinds": LGA,
    },
]


def _url(name: str, challenge: Challenge, **kwargs) -> str:
    return reverse(
        f"lga_cspc:{name}",
        kwargs={"alliance": challenge.alliance.slug, "challenge": challenge.pk, **kwargs},
    )


def _place(challenge: Challenge) -> str:
    """ "Children's Services Peer Challenge in Derby" """
    return f"{challenge.offer.name} in {challenge.local_authority.name}"


def _whose(challenge: Challenge) -> str:
    """ "Derby's Children's Services Peer Challenge" (the reminders' wording)"""
    return f"{challenge.local_authority.name}'s {challenge.offer.name}"


def _active(*people) -> tuple:
    return tuple(person for person in people if person is not None and person.is_active)


def _sponsors_of(challenge: Challenge, people: PeopleInAlliances) -> tuple:
    """The challenge's sponsor (selectors.challenge_sponsors)."""
    return tuple(
        challenge_sponsors(challenge=challenge, people=people.in_alliance(challenge.alliance_id))
    )


def _document_senders(challenge: Challenge, people: PeopleInAlliances) -> tuple:
    """Who sends the advance documents (selectors.challenge_organisers)."""
    return tuple(
        challenge_organisers(challenge=challenge, people=people.in_alliance(challenge.alliance_id))
    )


# Which challenges ----------------------------------------------------------------------------


def _challenges(*, alliances, today, user, reminder_days) -> list[Challenge]:
    running = Challenge.objects.filter(alliance__in=alliances).exclude(stage__in=OVER)
    if user is not None:  # the challenges this person plays a part in
        wanted = Q(pk__in=[])
        for alliance_id in alliances:
            part = visible_challenges_q(user, alliance_id)
            if part:  # not a planner there (for whom it is Q(): every challenge)
                part |= document_senders_q(user, alliance_id) | Q(sponsor=user)
            wanted |= Q(alliance=alliance_id) & part
        running = running.filter(pk__in=Challenge.objects.filter(wanted).values("pk"))
    if reminder_days is not None:  # those of which a reminder may be due today
        running = running.filter(_reminder_windows(today, reminder_days))
    return list(
        running.select_related(
            "alliance",
            "offer",
            "local_authority",
            "sponsor",
            "organiser",
            "principal_adviser",
            "improvement_adviser",
            "case_review",
            "evaluation",
        ).order_by("onsite_start", "pk")
    )


def _reminder_windows(today: datetime.date, days: dict) -> Q:
    def within(kind):
        return today, today + datetime.timedelta(days=days[kind])

    missing = AdvanceDocument.objects.filter(state__in=MISSING_STATES)
    windows = Q(pk__in=[])
    if "cspc_proposal" in days:
        windows |= Q(proposal_sent_at__isnull=False, proposal_accepted_at__isnull=True)
    if "cspc_documents" in days:
        first, last = within("cspc_documents")
        windows |= Q(
            pk__in=missing.filter(due_date__gte=first, due_date__lte=last).values("challenge")
        )
    if "cspc_documents_overdue" in days:
        since = today - datetime.timedelta(days=days["cspc_documents_overdue"])
        windows |= Q(
            pk__in=missing.filter(due_date__lte=since).values("challenge"), onsite_start__gt=today
        )
    if "cspc_case_review" in days:
        first, last = within("cspc_case_review")
        windows |= Q(
            onsite_start__gte=first + CASE_REVIEW_BEFORE,
            onsite_start__lte=last + CASE_REVIEW_BEFORE,
        )
    if "cspc_qa_sign_off" in days:
        windows |= Q(feedback_report__state=ReportState.QA)
    if "cspc_accuracy_closing" in days:
        first, last = within("cspc_accuracy_closing")
        windows |= Q(
            feedback_report__state=ReportState.ACCURACY,
            feedback_report__accuracy_closes_on__gte=first,
            feedback_report__accuracy_closes_on__lte=last,
        )
    if "cspc_evaluation_due" in days:
        first, last = within("cspc_evaluation_due")
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
    return windows


# What they ask -------------------------------------------------------------------------------


def obligations(
    *, alliances, today, user=None, reminder_days=None, people=True
) -> list[Obligation]:
    challenges = _challenges(
        alliances=alliances, today=today, user=user, reminder_days=reminder_days
    )
    if not challenges:
        return []
    ids = [challenge.pk for challenge in challenges]
    who = PeopleInAlliances(
        alliances=alliances,
        council_ids={challenge.local_authority_id for challenge in challenges},
        user=user,
        people=people,
    )
    team = defaultdict(list)
    for member in TeamMember.objects.filter(challenge__in=ids).select_related(
        "user", "questionnaire"
    ):
        team[member.challenge_id].append(member)
    documents = defaultdict(list)
    for item in (
        AdvanceDocument.objects.filter(
            challenge__in=ids, state__in=[*MISSING_STATES, AdvanceDocument.State.UPLOADED]
        )
        .order_by("challenge_id", "due_date", "position", "pk")
        .only("pk", "challenge_id", "title", "due_date", "state")
    ):
        documents[item.challenge_id].append(item)
    reports = {
        report.challenge_id: report
        for report in FeedbackReport.objects.filter(challenge__in=ids).annotate(
            qa_since=Max("events__at", filter=Q(events__to_state=ReportState.QA)),
            unresolved=Count("comments", filter=Q(comments__resolved_at__isnull=True)),
        )
    }
    signed = defaultdict(dict)  # report -> slot -> the user id who signed it
    in_qa = [report.pk for report in reports.values() if report.state == ReportState.QA]
    if in_qa:
        for report_id, by, user_id in QASignOff.objects.filter(report__in=in_qa).values_list(
            "report_id", "by", "user_id"
        ):
            signed[report_id][by] = user_id
    with_next_steps = set()
    if reminder_days is None and any(
        challenge.stage == Stage.EVALUATION and challenge.improvement_adviser_id
        for challenge in challenges
    ):
        with_next_steps = set(
            Action.objects.filter(
                source_type=ContentType.objects.get_for_model(Challenge),
                source_id__in=ids,
                removed_at__isnull=True,
            ).values_list("source_id", flat=True)
        )

    found: list[Obligation] = []
    for challenge in challenges:
        members = team[challenge.pk]
        report = reports.get(challenge.pk)
        batch = [
            *_scoping(challenge, who),
            *_team(challenge, members, today, who),
            *_documents(challenge, documents[challenge.pk], today, who, members),
            *_case_review(challenge, members),
            *_report(challenge, report, members, today, who, signed),
            *_after(challenge, members, today, who, with_next_steps),
        ]
        found += [
            replace(o, challenge=challenge) if o.subject is not challenge else o for o in batch
        ]
    if not people and user is None:  # the team's names came with the team: drop them too
        found = [replace(o, actors=(), told=None) for o in found]
    if reminder_days is not None:
        found = [o for o in found if any(kind in reminder_days for kind in o.reminders)]
    if user is not None:
        found = [o for o in found if o.is_for(user)]
    return found


def _leads(members, *roles) -> tuple:
    return tuple(m.user for m in members if m.role in roles and m.user.is_active)


def _scoping(challenge, people) -> list[Obligation]:
    place = _place(challenge)
    if challenge.stage == Stage.REQUESTED:
        return [
            Obligation(
                kind="lga_cspc.arrange_scoping",
                subject=challenge,
                alliance=challenge.alliance,
                council=challenge.local_authority,
                title=f"Arrange the scoping meeting for the {place}",
                url=_url("proposal", challenge),
                due=challenge.onsite_start,
                actors=people.planners_of(challenge.alliance_id),
            )
        ]
    if challenge.proposal_sent_at is None:
        if challenge.stage != Stage.SCOPING:
            return []
        return [
            Obligation(
                kind="lga_cspc.send_proposal",
                subject=challenge,
                alliance=challenge.alliance,
                council=challenge.local_authority,
                title=f"Send the scoping proposal for the {place}",
                url=_url("scoping", challenge),
                actors=people.planners_of(challenge.alliance_id),
            )
        ]
    if challenge.proposal_accepted_at is not None:
        return []
    # Dated from when it was sent: the reminder goes that many days after.
    sent = challenge.proposal_sent_at.date()
    return [
        Obligation(
            kind="lga_cspc.accept_proposal",
            subject=challenge,
            alliance=challenge.alliance,
            council=challenge.local_authority,
            title=f"Read and accept the scoping proposal for the {place}",
            url=_url("proposal", challenge),
            since=sent,
            actors=_sponsors_of(challenge, people),
            reminders={
                "cspc_proposal": f"Accept the scoping proposal for {_whose(challenge)}, sent "
                f"on {day_text(sent)}"
            },
            todo="Read the scoping proposal and accept it in Peer Challenge, or tell the LGA's "
            "programme manager what should change.",
        )
    ]


def _team(challenge, members, today, people) -> list[Obligation]:
    found = []
    place = _place(challenge)
    if today <= challenge.onsite_start <= today + TEAM_DEADLINE:
        held = defaultdict(int)
        for member in members:
            held[member.role] += 1
        if any(held[role] < needed for role, needed in ROLE_MINIMUMS.items()):
            found.append(
                Obligation(
                    kind="lga_cspc.complete_team",
                    subject=challenge,
                    alliance=challenge.alliance,
                    council=challenge.local_authority,
                    title=f"Complete the peer team for the {place}",
                    url=_url("team", challenge),
                    due=challenge.onsite_start,
                    actors=people.planners_of(challenge.alliance_id, Role.PROGRAMME_MANAGER),
                )
            )
    for member in members:
        if member.charter_accepted_at is None:
            found.append(
                Obligation(
                    kind="lga_cspc.accept_charter",
                    subject=member,
                    alliance=challenge.alliance,
                    council=challenge.local_authority,
                    title=f"Accept the peer charter for the {place}",
                    url=_url("charter", challenge, member=member.pk),
                    due=challenge.onsite_start,
                    actors=_active(member.user),
                )
            )
    return found


def _documents(challenge, items, today, people, members) -> list[Obligation]:
    """The documents still to send, one obligation per due date (a checklist has one),
    reminded before and, until on site, after; each sent back for more, to its sender until
    a new version comes; those sent, to the peer challenge manager to review."""
    found = []
    place, whose = _place(challenge), _whose(challenge)
    senders = _document_senders(challenge, people)
    missing = defaultdict(list)
    for item in items:
        if item.state in MISSING_STATES and (
            item.due_date >= today or challenge.onsite_start > today
        ):
            missing[item.due_date].append(item)
    for due, group in missing.items():
        count = len(group)
        documents = f"{count} advance document{'s' if count != 1 else ''}"
        reminders = {"cspc_documents": f"Send {documents} for {whose} by {day_text(due)}"}
        if challenge.onsite_start > today:  # chased until the on-site days start
            reminders["cspc_documents_overdue"] = (
                f"{documents} for {whose} were due on {day_text(due)}: please send them"
            )
        found.append(
            Obligation(
                kind="lga_cspc.send_documents",
                subject=challenge,
                alliance=challenge.alliance,
                council=challenge.local_authority,
                title=f"Send {documents} for the {place}",
                url=_url("checklist", challenge) + "?show=missing",
                due=due,
                actors=senders,
                reminders=reminders,
                todo="Still to come: " + "; ".join(item.title for item in group) + ".",
            )
        )
    for item in items:
        if item.state == AdvanceDocument.State.MORE_NEEDED:
            found.append(
                Obligation(
                    kind="lga_cspc.more_needed",
                    subject=item,
                    alliance=challenge.alliance,
                    council=challenge.local_authority,
                    title=f"More needed: “{item.title}” for the {place}",
                    url=_url("checklist_upload", challenge, item=item.pk),
                    due=item.due_date,
                    actors=senders,
                )
            )
    sent = [item for item in items if item.state == AdvanceDocument.State.UPLOADED]
    if sent:
        count = len(sent)
        found.append(
            Obligation(
                kind="lga_cspc.review_documents",
                subject=challenge,
                alliance=challenge.alliance,
                council=challenge.local_authority,
                title=f"Review {count} advance document{'s' if count != 1 else ''} sent for "
                f"the {place}",
                url=_url("checklist", challenge),
                actors=_leads(members, TeamRole.PEER_CHALLENGE_MANAGER),
            )
        )
    return found


def _case_review(challenge, members) -> list[Obligation]:
    if challenge.stage not in BEFORE_ON_SITE:
        return []
    review = getattr(challenge, "case_review", None)
    due = challenge.case_review_date
    return [
        Obligation(
            kind="lga_cspc.case_review",
            subject=challenge,
            alliance=challenge.alliance,
            council=challenge.local_authority,
            title=f"Carry out the case record review for the {_place(challenge)} and share "
            "its report",
            url=_url("case_review", challenge),
            due=due,
            done=review is not None and review.shared_at is not None,
            actors=_leads(members, TeamRole.PEER_CHALLENGE_MANAGER, TeamRole.TEAM_LEADER),
            reminders={
                "cspc_case_review": f"The case record review of {_whose(challenge)} is due by "
                f"{day_text(due)}"
            },
            todo="Select the cases from the lists agreed at scoping, assign them to the "
            "reviewers, and share the case review report before on site.",
        )
    ]


def _report(challenge, report, members, today, people, signed) -> list[Obligation]:
    """The written feedback, at each state the step that takes it on (services.report)."""
    place = _place(challenge)
    url = _url("report", challenge)
    manager = _leads(members, TeamRole.PEER_CHALLENGE_MANAGER)

    def step(kind, title, actors, **more):
        return Obligation(
            kind=f"lga_cspc.{kind}",
            subject=report if report is not None else challenge,
            alliance=challenge.alliance,
            council=challenge.local_authority,
            title=title,
            url=url,
            actors=actors,
            **more,
        )

    state = report.state if report is not None else None
    if state in (None, ReportState.DRAFT):
        if challenge.stage not in (Stage.ON_SITE, Stage.REPORT):
            return []
        written = report is not None and all(
            getattr(report, key).strip() for key, _label in REQUIRED_SECTIONS
        )
        if not written:
            return [step("write_report", f"Write the feedback report for the {place}", manager)]
        return [
            step(
                "agree_report",
                f"Read and agree the feedback report for the {place}",
                _leads(members, TeamRole.TEAM_LEADER),
            )
        ]
    if state == ReportState.AGREED:
        return [
            step(
                "submit_report",
                f"Submit the feedback report for the {place} for quality assurance",
                manager,
            )
        ]
    if state == ReportState.QA:
        return _sign_offs(challenge, report, url, people, signed[report.pk], step, manager)
    if state == ReportState.ACCURACY:
        found = []
        closes = report.accuracy_closes_on
        if closes is not None and today <= closes:
            found.append(
                step(
                    "comment_accuracy",
                    f"Comment on the factual accuracy of the draft feedback report for the {place}",
                    people.council(challenge.alliance_id, challenge.local_authority_id),
                    due=closes,
                    reminders={
                        "cspc_accuracy_closing": "Comments on the factual accuracy of "
                        f"{challenge.local_authority.name}'s draft feedback report close on "
                        f"{day_text(closes)}"
                    },
                    todo="Comment on any paragraph that is not factually accurate before the "
                    "window closes.",
                )
            )
        if report.unresolved:
            n = report.unresolved
            found.append(
                step(
                    "resolve_comments",
                    f"Resolve {n} factual-accuracy comment{'s' if n != 1 else ''} on the "
                    f"feedback report for the {place}",
                    manager,
                )
            )
        elif closes is None or today > closes:
            found.append(
                step(
                    "close_accuracy",
                    f"Close the factual-accuracy window of the feedback report for the {place}",
                    manager,
                )
            )
        return found
    if state == ReportState.RESOLVED:
        return [
            step(
                "issue_final",
                f"Issue the final feedback report for the {place}",
                people.planners_of(challenge.alliance_id, Role.PROGRAMME_MANAGER),
            )
        ]
    return []


def _sign_offs(challenge, report, url, people, signed: dict, step, manager) -> list[Obligation]:
    """Each slot still open, to whoever holds it and has not signed another (three
    different people sign); once all three are in, the draft goes to the council."""
    if all(by in signed for by in QASignOff.By.values):
        return [
            step(
                "issue_draft",
                f"Issue the draft feedback report for the {_place(challenge)} to the council "
                "for factual accuracy",
                manager,
            )
        ]
    since = report.qa_since.date() if report.qa_since else None
    holders = {
        QASignOff.By.PROGRAMME_MANAGER: people.planners_of(
            challenge.alliance_id, Role.PROGRAMME_MANAGER
        ),
        QASignOff.By.PRINCIPAL_ADVISER: _active(challenge.principal_adviser),
        QASignOff.By.IMPROVEMENT_ADVISER: _active(challenge.improvement_adviser),
    }
    signers = set(signed.values())
    found = []
    for by, actors in holders.items():
        if by in signed:
            continue
        title = f"Sign off the feedback report of {_whose(challenge)} as {SIGNER_PHRASES[by]}"
        found.append(
            Obligation(
                kind="lga_cspc.sign_off",
                subject=report,
                alliance=challenge.alliance,
                council=challenge.local_authority,
                title=title,
                url=url,
                since=since,
                actors=tuple(person for person in actors if person.pk not in signers),
                reminders={"cspc_qa_sign_off": title},
                todo="Read the draft feedback report and sign it off, or tell the peer "
                "challenge manager what should change.",
            )
        )
    return found


def _after(challenge, members, today, people, with_next_steps) -> list[Obligation]:
    found = []
    place = _place(challenge)
    evaluation = getattr(challenge, "evaluation", None)
    if evaluation is not None or today > challenge.onsite_end:
        if evaluation is not None:
            due, done = evaluation.interview_due, evaluation.recorded_at is not None
        else:  # not scheduled yet: due by default a month after the last on-site day
            due, done = challenge.onsite_end + INTERVIEW_AFTER, False
        found.append(
            Obligation(
                kind="lga_cspc.evaluation",
                subject=challenge,
                alliance=challenge.alliance,
                council=challenge.local_authority,
                title=f"Hold and record the DCS evaluation interview for the {place}",
                url=_url("evaluation", challenge),
                due=due,
                done=done,
                actors=people.planners_of(challenge.alliance_id, Role.PROGRAMME_MANAGER),
                reminders={
                    "cspc_evaluation_due": "Hold and record the DCS evaluation interview of "
                    f"{_whose(challenge)} by {day_text(due)}"
                }
                if due is not None
                else {},
                todo="Interview the director of children's services about the peer challenge "
                "and record what they said.",
            )
        )
    if challenge.stage != Stage.EVALUATION:
        return found
    for member in members:
        questionnaire = getattr(member, "questionnaire", None)
        if questionnaire is not None and questionnaire.submitted_at is None:
            found.append(
                Obligation(
                    kind="lga_cspc.questionnaire",
                    subject=questionnaire,
                    alliance=challenge.alliance,
                    council=challenge.local_authority,
                    title=f"Answer the evaluation questionnaire for the {place}",
                    url=_url("questionnaire", challenge, member=member.pk),
                    actors=_active(member.user),
                )
            )
    if challenge.improvement_adviser_id:
        found.append(
            Obligation(
                kind="lga_cspc.next_steps",
                subject=challenge,
                alliance=challenge.alliance,
                council=challenge.local_authority,
                title=f"Agree the next steps with {challenge.local_authority.name} after the "
                f"{challenge.offer.name}",
                url=_url("next_steps", challenge),
                done=challenge.pk in with_next_steps,
                actors=_active(challenge.improvement_adviser),
            )
        )
    return found
