"""Every LGA task appears where its person looks: on the home page ("What needs you now") of
whoever must act at the challenge's stage, and nowhere else; where a reminder tells of the
same thing, it goes to the same people. Each of these failed before the offer stated its
obligations (lga_cspc/obligations.py): the home page showed almost nothing of it."""

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from lga_cspc.models import (
    AdvanceDocument,
    QASignOff,
    Questionnaire,
    ReportState,
    Stage,
    TeamRole,
)
from lga_cspc.obligations import obligations
from peerchallenge.models import ReminderLog
from peerchallenge.reminders import reminders_queue
from tests.clock import at, days
from tests.factories import ActionFactory, council
from tests.lga_cspc.factories import (
    AccuracyCommentFactory,
    AdvanceDocumentFactory,
    CaseReviewFactory,
    ChallengeFactory,
    EvaluationFactory,
    FeedbackReportFactory,
    QASignOffFactory,
    QuestionnaireFactory,
    ReportEventFactory,
    TeamMemberFactory,
)
from tests.obligations import assert_same_without_people
from tests.outbox import deliver_queued


@pytest.fixture
def challenge(lga):
    """Derby's, with its peer challenge manager (Maya) and team leader (Pete), and the
    region's two advisers named."""
    with scopes_disabled():
        challenge = ChallengeFactory(
            offer=lga.offer,
            principal_adviser=lga.principal_adviser,
            improvement_adviser=lga.cia,
        )
        TeamMemberFactory(
            challenge=challenge,
            user=lga.pcm,
            role=TeamRole.PEER_CHALLENGE_MANAGER,
            charter_accepted_at=timezone.now(),
        )
        TeamMemberFactory(
            challenge=challenge,
            user=lga.peer,
            role=TeamRole.TEAM_LEADER,
            charter_accepted_at=timezone.now(),
        )
    return challenge


def update(challenge, **fields):
    with scopes_disabled():
        for name, value in fields.items():
            setattr(challenge, name, value)
        challenge.save()


def home(client, user) -> str:
    client.force_login(user)
    return client.get(reverse("home")).content.decode().replace("&#x27;", "'")


def everyone(lga):
    return [
        lga.pm,
        lga.coordinator,
        lga.principal_adviser,
        lga.cia,
        lga.pcm,
        lga.peer,
        lga.derby_dcs,
        lga.derby_organiser,
        lga.leicester_dcs,
    ]


def assert_only(client, lga, title: str, people) -> None:
    """The title is on the home page of these people, and of nobody else."""
    names = {person.email for person in people}
    seen = {person.email for person in everyone(lga) if title in home(client, person)}
    assert seen == names


PLACE = "Children's Services Peer Challenge in Derby"


# Each stage's next step, on the right person's home page ----------------------------------


def test_the_planners_are_asked_to_send_the_scoping_proposal(client, lga, challenge):
    update(challenge, stage=Stage.SCOPING, scoping_meeting_at=at(-2))
    assert_only(
        client, lga, f"Send the scoping proposal for the {PLACE}", [lga.pm, lga.coordinator]
    )
    update(challenge, proposal_sent_at=timezone.now())
    assert_only(client, lga, "Send the scoping proposal", [])
    # Now the sponsor's turn (no sponsor named: the council's DCS).
    assert_only(
        client, lga, f"Read and accept the scoping proposal for the {PLACE}", [lga.derby_dcs]
    )


def test_a_named_sponsor_sees_the_proposal_the_reminder_sends_them(client, lga, challenge):
    update(challenge, sponsor=lga.derby_organiser, proposal_sent_at=timezone.now())
    assert_only(
        client, lga, f"Read and accept the scoping proposal for the {PLACE}", [lga.derby_organiser]
    )


def test_the_organiser_is_asked_for_the_documents_still_missing(client, lga, challenge):
    update(challenge, stage=Stage.PREPARATION, organiser=lga.derby_organiser)
    with scopes_disabled():
        for state in (AdvanceDocument.State.REQUESTED, AdvanceDocument.State.MORE_NEEDED):
            AdvanceDocumentFactory(challenge=challenge, state=state, due_date=days(10))
        AdvanceDocumentFactory(
            challenge=challenge, state=AdvanceDocument.State.ACCEPTED, due_date=days(10)
        )
    title = f"Send 2 advance documents for the {PLACE}"
    assert_only(client, lga, title, [lga.derby_organiser])
    assert f"/a/lga/cspc/{challenge.pk}/documents/?show=missing" in home(
        client, lga.derby_organiser
    )
    # No organiser named: the council's people (permissions.document_senders_q).
    update(challenge, organiser=None)
    assert_only(client, lga, title, [lga.derby_dcs, lga.derby_organiser])


def test_the_peer_challenge_manager_is_asked_to_review_the_documents_sent(client, lga, challenge):
    update(challenge, stage=Stage.PREPARATION)
    with scopes_disabled():
        AdvanceDocumentFactory(challenge=challenge, state=AdvanceDocument.State.UPLOADED)
    assert_only(client, lga, f"Review 1 advance document sent for the {PLACE}", [lga.pcm])


def test_the_lead_peers_see_the_case_record_review_until_its_report_is_shared(
    client, lga, challenge
):
    update(challenge, stage=Stage.PREPARATION, onsite_start=days(20))
    title = f"Carry out the case record review for the {PLACE} and share its report"
    assert_only(client, lga, title, [lga.pcm, lga.peer])
    with scopes_disabled():
        CaseReviewFactory(alliance=lga.alliance, challenge=challenge, shared_at=timezone.now())
    assert_only(client, lga, title, [])


@pytest.mark.parametrize(
    ("state", "written", "title", "who"),
    [
        (None, False, "Write the feedback report for the", "pcm"),
        (ReportState.DRAFT, False, "Write the feedback report for the", "pcm"),
        (ReportState.DRAFT, True, "Read and agree the feedback report for the", "peer"),
        (ReportState.AGREED, True, "Submit the feedback report for the", "pcm"),
        (ReportState.RESOLVED, True, "Issue the final feedback report for the", "pm"),
    ],
)
def test_each_step_of_the_written_feedback_is_asked_of_whoever_takes_it(
    client, lga, challenge, state, written, title, who
):
    update(challenge, stage=Stage.REPORT, onsite_start=days(-10))
    if state is not None:
        with scopes_disabled():
            FeedbackReportFactory(challenge=challenge, state=state, written=written)
    assert_only(client, lga, f"{title} {PLACE}", [getattr(lga, who)])


def test_quality_assurance_asks_each_signer_then_the_peer_challenge_manager(client, lga, challenge):
    update(challenge, stage=Stage.REPORT, onsite_start=days(-20))
    with scopes_disabled():
        report = FeedbackReportFactory(challenge=challenge, state=ReportState.QA, written=True)
        ReportEventFactory(alliance=lga.alliance, report=report, to_state=ReportState.QA, at=at(-1))
        QASignOffFactory(
            alliance=lga.alliance,
            report=report,
            by=QASignOff.By.PRINCIPAL_ADVISER,
            user=lga.principal_adviser,
        )
    sign = "Sign off the feedback report of Derby's Children's Services Peer Challenge as"
    assert_only(client, lga, f"{sign} the LGA's programme manager", [lga.pm])
    assert_only(client, lga, f"{sign} children's improvement adviser", [lga.cia])
    assert_only(client, lga, f"{sign} principal adviser", [])
    with scopes_disabled():
        for by, user in [
            (QASignOff.By.PROGRAMME_MANAGER, lga.pm),
            (QASignOff.By.IMPROVEMENT_ADVISER, lga.cia),
        ]:
            QASignOffFactory(alliance=lga.alliance, report=report, by=by, user=user)
    assert_only(client, lga, sign, [])
    assert_only(
        client,
        lga,
        f"Issue the draft feedback report for the {PLACE} to the council for factual accuracy",
        [lga.pcm],
    )


def test_the_council_comments_on_factual_accuracy_then_the_manager_resolves(client, lga, challenge):
    update(challenge, stage=Stage.REPORT, onsite_start=days(-20), sponsor=lga.derby_dcs)
    with scopes_disabled():
        report = FeedbackReportFactory(
            challenge=challenge,
            state=ReportState.ACCURACY,
            accuracy_closes_on=days(5),
            written=True,
        )
    comment = f"Comment on the factual accuracy of the draft feedback report for the {PLACE}"
    assert_only(client, lga, comment, [lga.derby_dcs, lga.derby_organiser])
    with scopes_disabled():
        AccuracyCommentFactory(
            alliance=lga.alliance, report=report, section="strengths", paragraph=1, text="No."
        )
    assert_only(
        client,
        lga,
        f"Resolve 1 factual-accuracy comment on the feedback report for the {PLACE}",
        [lga.pcm],
    )
    with scopes_disabled():
        report.comments.update(resolved_at=timezone.now(), resolution="Changed.")
        report.accuracy_closes_on = days(-1)
        report.save()
    assert_only(client, lga, comment, [])
    assert_only(
        client,
        lga,
        f"Close the factual-accuracy window of the feedback report for the {PLACE}",
        [lga.pcm],
    )


def test_after_the_final_report_the_manager_peers_and_improvement_adviser_are_asked(
    client, lga, challenge
):
    update(challenge, stage=Stage.EVALUATION, onsite_start=days(-20))
    with scopes_disabled():
        FeedbackReportFactory(challenge=challenge, state=ReportState.FINAL, written=True)
        for member in challenge.team.all():
            QuestionnaireFactory(alliance=lga.alliance, member=member)
        Questionnaire.objects.filter(member__user=lga.pcm).update(submitted_at=timezone.now())
    assert_only(
        client, lga, f"Hold and record the DCS evaluation interview for the {PLACE}", [lga.pm]
    )
    assert_only(client, lga, f"Answer the evaluation questionnaire for the {PLACE}", [lga.peer])
    next_steps = "Agree the next steps with Derby after the Children's Services Peer Challenge"
    assert_only(client, lga, next_steps, [lga.cia])
    with scopes_disabled():
        EvaluationFactory(alliance=lga.alliance, challenge=challenge, recorded_at=timezone.now())
        ActionFactory(
            alliance=lga.alliance,
            source=challenge,
            local_authority=council("Derby"),
            what="Refresh the early help strategy",
            owner="Dora",
            due_date=days(60),
        )
    assert_only(client, lga, "Hold and record the DCS evaluation interview", [])
    assert_only(client, lga, next_steps, [])


def test_withdrawn_and_closed_challenges_ask_nothing(client, lga, challenge):
    for stage in (Stage.WITHDRAWN, Stage.CLOSED):
        update(challenge, stage=stage, proposal_sent_at=timezone.now())
        assert "Peer Challenge in Derby" not in "".join(
            home(client, person) for person in everyone(lga)
        )


def test_an_inactive_person_neither_acts_nor_is_told(client, lga, challenge):
    update(challenge, stage=Stage.PREPARATION, onsite_start=days(20))
    with scopes_disabled():
        lga.peer.is_active = False
        lga.peer.save()
        found = obligations(alliances=[lga.alliance.pk], today=days(0))
    [review] = [o for o in found if o.kind == "lga_cspc.case_review"]
    assert review.actors == (lga.pcm,)


# The home page and the reminders agree ----------------------------------------------------


def test_whoever_is_reminded_sees_it_on_their_home_page(client, lga, challenge, mailoutbox):
    update(challenge, stage=Stage.REPORT, onsite_start=days(-20))
    with scopes_disabled():
        FeedbackReportFactory(
            challenge=challenge,
            state=ReportState.ACCURACY,
            accuracy_closes_on=days(2),
            written=True,
        )
    with scope(alliance=lga.alliance):
        reminders_queue(alliance=lga.alliance, today=days(0))
    deliver_queued()
    with scopes_disabled():
        reminded = {
            log.recipient for log in ReminderLog.objects.filter(kind="cspc_accuracy_closing")
        }
    assert reminded == {lga.derby_dcs, lga.derby_organiser}
    assert_only(
        client,
        lga,
        f"Comment on the factual accuracy of the draft feedback report for the {PLACE}",
        reminded,
    )


# A constant number of queries ---------------------------------------------------------------

PCM_HOME_QUERIES = 15


@pytest.mark.parametrize("count", [1, 6])
def test_the_peer_challenge_managers_home_page_runs_a_constant_number_of_queries(
    client, lga, count, django_assert_max_num_queries
):
    names = ["Derby", "Leicester", "Lewisham", "Camden", "Kent", "Surrey"]
    states = [None, ReportState.DRAFT, ReportState.AGREED, ReportState.QA, ReportState.ACCURACY]
    with scopes_disabled():
        for n in range(count):
            challenge = ChallengeFactory(
                offer=lga.offer,
                local_authority=council(names[n]),
                stage=Stage.REPORT,
                onsite_start=days(-20),
                improvement_adviser=lga.cia,
            )
            TeamMemberFactory(
                challenge=challenge, user=lga.pcm, role=TeamRole.PEER_CHALLENGE_MANAGER
            )
            AdvanceDocumentFactory(challenge=challenge, state=AdvanceDocument.State.UPLOADED)
            state = states[n % len(states)]
            if state is not None:
                FeedbackReportFactory(
                    challenge=challenge, state=state, accuracy_closes_on=days(-1), written=True
                )
    client.force_login(lga.pcm)
    with django_assert_max_num_queries(PCM_HOME_QUERIES):
        page = client.get(reverse("home")).content.decode()
    assert page.count("Review 1 advance document sent for the") == count


def test_the_reminder_scan_runs_a_constant_number_of_queries(lga, django_assert_max_num_queries):
    kinds = {
        "cspc_proposal": 5,
        "cspc_documents": 7,
        "cspc_documents_overdue": 3,
        "cspc_case_review": 7,
        "cspc_qa_sign_off": 3,
        "cspc_accuracy_closing": 2,
        "cspc_evaluation_due": 7,
    }
    for count in (1, 6):
        with scopes_disabled():
            for n in range(count):
                challenge = ChallengeFactory(
                    offer=lga.offer,
                    onsite_start=days(14 + n),
                    proposal_sent_at=at(-10),
                    organiser=lga.derby_organiser,
                )
                TeamMemberFactory(
                    challenge=challenge, user=lga.pcm, role=TeamRole.PEER_CHALLENGE_MANAGER
                )
                AdvanceDocumentFactory(challenge=challenge, due_date=days(3))
        with scope(alliance=lga.alliance), django_assert_max_num_queries(7):
            found = obligations(alliances=[lga.alliance.pk], today=days(0), reminder_days=kinds)
        assert len(found) >= 3 * count


def test_the_scan_finds_only_what_a_reminder_may_be_due_of(lga, challenge):
    """The narrowing (reminder_days) returns the obligations of the full list that carry an
    enabled reminder kind, and no others."""
    update(challenge, stage=Stage.PREPARATION, onsite_start=days(20), proposal_sent_at=at(-6))
    with scopes_disabled():
        AdvanceDocumentFactory(challenge=challenge, due_date=days(3))
        full = obligations(alliances=[lga.alliance.pk], today=days(0))
        narrowed = obligations(
            alliances=[lga.alliance.pk],
            today=days(0),
            reminder_days={"cspc_documents": 7, "cspc_case_review": 7},
        )
    assert {o.kind for o in full} >= {
        "lga_cspc.accept_proposal",
        "lga_cspc.send_documents",
        "lga_cspc.case_review",
    }
    assert sorted(o.kind for o in narrowed) == ["lga_cspc.case_review", "lga_cspc.send_documents"]
    assert {(o.kind, o.title, o.due, o.actors) for o in narrowed} <= {
        (o.kind, o.title, o.due, o.actors) for o in full
    }


def test_the_scan_window_excludes_what_is_not_due_soon(lga, challenge):
    update(challenge, stage=Stage.PREPARATION, onsite_start=days(60))
    with scopes_disabled():
        AdvanceDocumentFactory(challenge=challenge, due_date=days(30))
        found = obligations(
            alliances=[lga.alliance.pk],
            today=days(0),
            reminder_days={"cspc_documents": 7, "cspc_case_review": 7},
        )
    assert found == []


def test_without_people_the_same_obligations_name_nobody(lga, challenge):
    with scope(alliance=challenge.alliance):
        everyone = obligations(alliances=[challenge.alliance_id], today=days(0))
        without = obligations(alliances=[challenge.alliance_id], today=days(0), people=False)
    assert_same_without_people(everyone, without)
