"""The CSPC's reminders: each kind goes once to the right people on its day, not again on a
second scan, and not at all once the thing is done."""

import datetime

import pytest
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from lga_cspc.models import AdvanceDocument, Evaluation, FeedbackReport, QASignOff, ReportState
from lga_cspc.obligations import obligations
from peerchallenge.models import ReminderLog
from peerchallenge.reminders import reminders_queue
from tests.lga_cspc.factories import (
    AdvanceDocumentFactory,
    CaseReviewFactory,
    ChallengeFactory,
    EvaluationFactory,
    FeedbackReportFactory,
    QASignOffFactory,
    ReportEventFactory,
    TeamMemberFactory,
)
from tests.outbox import deliver_queued

DAY = datetime.timedelta(days=1)
ALL_KINDS = {
    "cspc_proposal": 5,
    "cspc_documents": 7,
    "cspc_documents_overdue": 3,
    "cspc_case_review": 7,
    "cspc_qa_sign_off": 3,
    "cspc_accuracy_closing": 2,
    "cspc_evaluation_due": 7,
}


@pytest.fixture
def challenge(lga):
    """Derby, on site from 10 May 2027 (case review due 26 April; interview by 12 June): the
    scenarios' days are written against these dates, so the challenge fixes them rather than
    take the factory's."""
    return ChallengeFactory(
        offer=lga.offer,
        onsite_start=datetime.date(2027, 5, 10),
        organiser=lga.derby_organiser,
        principal_adviser=lga.principal_adviser,
        improvement_adviser=lga.cia,
    )


def send(lga, today):
    with scope(alliance=lga.alliance):
        queued = reminders_queue(alliance=lga.alliance, today=today)
    deliver_queued()  # the outbox delivers what the scan queued
    return queued


def recipients(mailoutbox) -> list[str]:
    return sorted(address for message in mailoutbox for address in message.to)


def logs(lga):
    with scopes_disabled():
        return list(ReminderLog.objects.filter(alliance=lga.alliance).order_by("recipient__email"))


# The scenarios: (set-up, the day it is due, who hears, the subject, how it gets done) ----------


def proposal(lga, challenge):
    challenge.proposal_sent_at = timezone.make_aware(datetime.datetime(2027, 1, 4, 10))
    challenge.save()


def proposal_done(lga, challenge):
    challenge.proposal_accepted_at = timezone.now()
    challenge.save()


def documents(lga, challenge):
    with scopes_disabled():
        for position, (title, state) in enumerate(
            [
                ("Children's Plan", AdvanceDocument.State.REQUESTED),
                ("Self-evaluation", AdvanceDocument.State.MORE_NEEDED),
                ("Corporate Plan", AdvanceDocument.State.ACCEPTED),
                ("Improvement Plan", AdvanceDocument.State.UPLOADED),
            ]
        ):
            AdvanceDocumentFactory(
                alliance=lga.alliance,
                challenge=challenge,
                title=title,
                due_date=datetime.date(2027, 4, 12),
                state=state,
                position=position,
            )


def documents_done(lga, challenge):
    with scopes_disabled():
        challenge.advance_documents.update(state=AdvanceDocument.State.UPLOADED)


def case_review(lga, challenge):
    with scopes_disabled():
        TeamMemberFactory(
            challenge=challenge, user=lga.pcm, role="peer_challenge_manager", indicative_days=9
        )
        TeamMemberFactory(challenge=challenge, user=lga.peer, role="team_leader", indicative_days=6)
        TeamMemberFactory(  # a senior manager is not reminded
            challenge=challenge, user=lga.coordinator, role="senior_manager", indicative_days=6
        )


def case_review_done(lga, challenge):
    with scopes_disabled():
        CaseReviewFactory(alliance=lga.alliance, challenge=challenge, shared_at=timezone.now())


def qa(lga, challenge):
    with scopes_disabled():
        report = FeedbackReportFactory(
            alliance=lga.alliance, challenge=challenge, state=ReportState.QA
        )
        ReportEventFactory(
            alliance=lga.alliance,
            report=report,
            from_state=ReportState.AGREED,
            to_state=ReportState.QA,
            at=timezone.make_aware(datetime.datetime(2027, 6, 1, 9)),
        )
        # The principal adviser has signed: only the other two are reminded.
        QASignOffFactory(
            alliance=lga.alliance,
            report=report,
            by=QASignOff.By.PRINCIPAL_ADVISER,
            user=lga.principal_adviser,
        )


def qa_done(lga, challenge):
    with scopes_disabled():
        report = challenge.feedback_report
        for by, user in [
            (QASignOff.By.PROGRAMME_MANAGER, lga.pm),
            (QASignOff.By.IMPROVEMENT_ADVISER, lga.cia),
        ]:
            QASignOffFactory(alliance=lga.alliance, report=report, by=by, user=user)


def accuracy(lga, challenge):
    with scopes_disabled():
        FeedbackReportFactory(
            alliance=lga.alliance,
            challenge=challenge,
            state=ReportState.ACCURACY,
            accuracy_closes_on=datetime.date(2027, 6, 20),
        )


def accuracy_done(lga, challenge):
    with scopes_disabled():
        FeedbackReport.objects.filter(challenge=challenge).update(state=ReportState.RESOLVED)


def evaluation(lga, challenge):
    with scopes_disabled():
        EvaluationFactory(
            alliance=lga.alliance, challenge=challenge, interview_due=datetime.date(2027, 6, 14)
        )


def evaluation_done(lga, challenge):
    with scopes_disabled():
        Evaluation.objects.filter(challenge=challenge).update(recorded_at=timezone.now())


def evaluation_by_default(lga, challenge):
    """Never scheduled: due by default a month after the last on-site day (12 June)."""


def evaluation_by_default_done(lga, challenge):
    with scopes_disabled():
        EvaluationFactory(alliance=lga.alliance, challenge=challenge, recorded_at=timezone.now())


SCENARIOS = {
    "proposal": (
        proposal,
        proposal_done,
        "cspc_proposal",
        datetime.date(2027, 1, 9),  # five days after it was sent
        datetime.date(2027, 1, 8),
        ["dora.lga@example.org"],  # no sponsor named yet: the council's DCS
        "[Action required] Accept the scoping proposal for Derby's Children's Services Peer "
        "Challenge, sent on 4 January 2027",
    ),
    "documents": (
        documents,
        documents_done,
        "cspc_documents",
        datetime.date(2027, 4, 5),
        datetime.date(2027, 4, 4),
        ["owen.lga@example.org"],
        "[Action required] Send 2 advance documents for Derby's Children's Services Peer "
        "Challenge by 12 April 2027",
    ),
    "documents_overdue": (
        documents,
        documents_done,
        "cspc_documents_overdue",
        datetime.date(2027, 4, 15),  # three days after they were due
        datetime.date(2027, 4, 14),
        ["owen.lga@example.org"],
        "[Action required] 2 advance documents for Derby's Children's Services Peer "
        "Challenge were due on 12 April 2027: please send them",
    ),
    "case_review": (
        case_review,
        case_review_done,
        "cspc_case_review",
        datetime.date(2027, 4, 19),
        datetime.date(2027, 4, 18),
        ["maya.lga@example.org", "pete.lga@example.org"],
        "[Action required] The case record review of Derby's Children's Services Peer "
        "Challenge is due by 26 April 2027",
    ),
    "qa": (
        qa,
        qa_done,
        "cspc_qa_sign_off",
        datetime.date(2027, 6, 4),  # three days after it went into QA
        datetime.date(2027, 6, 3),
        ["ciaran.lga@example.org", "petra.lga@example.org"],
        "[Action required] Sign off the feedback report of Derby's Children's Services Peer "
        "Challenge as",
    ),
    "accuracy": (
        accuracy,
        accuracy_done,
        "cspc_accuracy_closing",
        datetime.date(2027, 6, 18),
        datetime.date(2027, 6, 17),
        ["dora.lga@example.org", "owen.lga@example.org"],
        "[Action required] Comments on the factual accuracy of Derby's draft feedback report "
        "close on 20 June 2027",
    ),
    "evaluation": (
        evaluation,
        evaluation_done,
        "cspc_evaluation_due",
        datetime.date(2027, 6, 7),
        datetime.date(2027, 6, 6),
        ["petra.lga@example.org"],
        "[Action required] Hold and record the DCS evaluation interview of Derby's Children's "
        "Services Peer Challenge by 14 June 2027",
    ),
    "evaluation_by_default": (
        evaluation_by_default,
        evaluation_by_default_done,
        "cspc_evaluation_due",
        datetime.date(2027, 6, 5),
        datetime.date(2027, 6, 4),
        ["petra.lga@example.org"],
        "[Action required] Hold and record the DCS evaluation interview of Derby's Children's "
        "Services Peer Challenge by 12 June 2027",
    ),
}


@pytest.mark.parametrize("name", SCENARIOS)
def test_sent_once_to_the_right_people(lga, challenge, mailoutbox, name):
    set_up, _done, kind, day, day_before, people, subject = SCENARIOS[name]
    set_up(lga, challenge)
    assert send(lga, day_before) == 0
    assert mailoutbox == []

    assert send(lga, day) == len(people)

    assert recipients(mailoutbox) == people
    for message in mailoutbox:
        assert message.subject.startswith(subject)
    assert {(log.kind, log.status) for log in logs(lga)} == {(kind, "sent")}
    # A second scan, that day or the next, sends nothing more.
    assert send(lga, day) == 0
    send(lga, day + DAY)  # the next day, other kinds may fall due (the QA case: evaluation)
    assert sum(1 for log in logs(lga) if log.kind == kind) == len(people)
    assert sum(1 for m in mailoutbox if m.subject.startswith(subject)) == len(people)


@pytest.mark.parametrize("name", SCENARIOS)
def test_not_sent_once_done(lga, challenge, mailoutbox, name):
    set_up, done, _kind, day, _day_before, _people, _subject = SCENARIOS[name]
    set_up(lga, challenge)
    done(lga, challenge)
    assert send(lga, day) == 0
    assert mailoutbox == []


def test_the_documents_reminder_lists_only_what_is_missing(lga, challenge, mailoutbox):
    documents(lga, challenge)
    send(lga, datetime.date(2027, 4, 5))
    [message] = mailoutbox
    assert "Still to come: Children's Plan; Self-evaluation." in message.body
    assert f"/a/lga/cspc/{challenge.pk}/documents/?show=missing" in message.body


def test_qa_reminders_name_each_signers_slot(lga, challenge, mailoutbox):
    qa(lga, challenge)
    send(lga, datetime.date(2027, 6, 4))
    subjects = {message.to[0]: message.subject for message in mailoutbox}
    assert subjects["petra.lga@example.org"].endswith("as the LGA's programme manager")
    assert subjects["ciaran.lga@example.org"].endswith("as children's improvement adviser")


def test_a_named_sponsor_is_reminded_instead_of_every_dcs(lga, challenge, mailoutbox):
    challenge.sponsor = lga.derby_organiser
    challenge.save()
    proposal(lga, challenge)
    assert send(lga, datetime.date(2027, 1, 9)) == 1
    assert recipients(mailoutbox) == ["owen.lga@example.org"]


def test_withdrawn_challenges_are_not_reminded(lga, challenge, mailoutbox):
    proposal(lga, challenge)
    challenge.stage = "withdrawn"
    challenge.save()
    assert send(lga, datetime.date(2027, 1, 9)) == 0


@pytest.mark.parametrize("count", [1, 6])
def test_the_source_runs_a_constant_number_of_queries(lga, count, django_assert_max_num_queries):
    for n in range(count):
        challenge = ChallengeFactory(
            offer=lga.offer,
            onsite_start=datetime.date(2027, 5, 10) + n * DAY,
            improvement_adviser=lga.cia,
        )
        for set_up in (proposal, documents, case_review, evaluation):
            if set_up is case_review:
                continue  # one person may be on one team only once: enough with the rest
            set_up(lga, challenge)
        qa(lga, challenge)
    with scope(alliance=lga.alliance), django_assert_max_num_queries(8):
        found = obligations(
            alliances=[lga.alliance.pk], today=datetime.date(2027, 6, 4), reminder_days=ALL_KINDS
        )
    assert len(found) >= count


def test_a_regional_alliance_is_not_offered_the_lga_reminders(lga):
    from peerchallenge.models import Alliance
    from peerchallenge.reminders import reminder_settings_of
    from tests.factories import AllianceFactory

    regional = AllianceFactory(kind=Alliance.Kind.REGIONAL)
    with scope(alliance=regional):
        regional_kinds = {s.kind.key for s in reminder_settings_of(alliance=regional)}
    with scope(alliance=lga.alliance):
        lga_kinds = {s.kind.key for s in reminder_settings_of(alliance=lga.alliance)}
    assert "cspc_qa_sign_off" in lga_kinds
    assert not {kind for kind in regional_kinds if kind.startswith("cspc_")}


def test_missing_documents_are_not_chased_once_on_site_has_started(lga, challenge, mailoutbox):
    documents(lga, challenge)  # due 12 April; on site from 10 May 2027
    assert send(lga, datetime.date(2027, 5, 10)) == 0
    assert not [m for m in mailoutbox if "advance document" in m.subject]
