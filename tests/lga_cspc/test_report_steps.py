"""`report_steps_for`: what each person may read and do on the written feedback now, the one
answer the report page shows (the page no longer works it out itself). Per role and state;
nothing on an ended challenge but the sponsor's sharing of the final report."""

import pytest
from django_scopes import scope, scopes_disabled

from lga_cspc.models import Challenge, QASignOff, ReportState, Stage
from lga_cspc.services.report import report_steps_for
from peerchallenge.models import Role
from tests.clock import days
from tests.factories import MembershipFactory, UserFactory
from tests.lga_cspc.factories import (
    ChallengeFactory,
    FeedbackReportFactory,
    QASignOffFactory,
    TeamMemberFactory,
)

PEOPLE = (
    "pm",
    "coordinator",
    "principal_adviser",
    "cia",
    "pcm",
    "leader",
    "peer",
    "derby_dcs",
    "derby_organiser",
    "leicester_dcs",
)
INTERNAL = {"pm", "coordinator", "principal_adviser", "cia", "pcm", "leader", "peer"}
COUNCIL = {"derby_dcs", "derby_organiser"}


@pytest.fixture
def people(lga):
    leader = UserFactory(full_name="Tara Leader")
    MembershipFactory(alliance=lga.alliance, user=leader, role=Role.PEER_REVIEWER)
    challenge = ChallengeFactory(
        offer=lga.offer,
        stage=Stage.REPORT,
        onsite_start=days(-30),
        principal_adviser=lga.principal_adviser,
        improvement_adviser=lga.cia,
    )
    TeamMemberFactory(challenge=challenge, user=lga.pcm, role="peer_challenge_manager")
    TeamMemberFactory(challenge=challenge, user=leader, role="team_leader")
    TeamMemberFactory(challenge=challenge, user=lga.peer, role="senior_manager")
    who = {name: getattr(lga, name) for name in PEOPLE if name != "leader"}
    return challenge, {**who, "leader": leader}


def report_in(challenge, state, **fields):
    if state is None:
        return None
    fields = {"accuracy_closes_on": days(10), **fields}
    return FeedbackReportFactory(challenge=challenge, state=state, written=True, **fields)


def can(steps) -> set[str]:
    """What the person may do, in words: the steps offered, then edit, comment, resolve,
    share."""
    done = {step for step, _ in steps.actions}
    for name in ("edit", "comment", "resolve", "share"):
        if getattr(steps, name):
            done.add(name)
    return done


def steps_of(challenge, report, person, **kwargs):
    # The page's challenge row is loaded afresh for each request; so here.
    with scopes_disabled():
        challenge = Challenge.objects.get(pk=challenge.pk)
    with scope(alliance=challenge.alliance):
        return report_steps_for(user=person, challenge=challenge, report=report, **kwargs)


EXPECTED = {
    # Not started: the drafters write it.
    None: {"pm": {"edit"}, "coordinator": {"edit"}, "pcm": {"edit"}},
    ReportState.DRAFT: {
        "pm": {"edit"},
        "coordinator": {"edit"},
        "pcm": {"edit"},
        "leader": {"agree"},
    },
    ReportState.AGREED: {"pm": {"submit_qa"}, "coordinator": {"submit_qa"}, "pcm": {"submit_qa"}},
    ReportState.QA: {
        "pm": {"sign_off", "issue_draft"},
        "coordinator": {"issue_draft"},
        "pcm": {"issue_draft"},
        "principal_adviser": {"sign_off"},
        "cia": {"sign_off"},
    },
    # The window open (until ten days ahead).
    ReportState.ACCURACY: {
        "pcm": {"edit", "resolve"},
        "derby_dcs": {"comment"},
        "derby_organiser": {"comment"},
    },
    ReportState.RESOLVED: {"pm": {"issue_final"}, "pcm": {"edit"}},
    ReportState.FINAL: {"derby_dcs": {"share"}},  # the sponsor (none named: the DCS)
}


@pytest.mark.parametrize("state", list(EXPECTED))
@pytest.mark.parametrize("person", PEOPLE)
def test_what_each_person_may_do_in_each_state(lga, people, state, person):
    challenge, who = people
    report = report_in(challenge, state, accuracy_closes_on=days(10))
    steps = steps_of(challenge, report, who[person])
    assert can(steps) == EXPECTED[state].get(person, set())
    assert steps.internal == (person in INTERNAL)
    assert steps.council == (person in COUNCIL)
    assert steps.every_version == (person in {"pm", "coordinator"})


@pytest.mark.parametrize("person", PEOPLE)
def test_once_the_window_has_closed_the_pcm_or_the_pm_closes_it(lga, people, person):
    challenge, who = people
    report = report_in(challenge, ReportState.ACCURACY, accuracy_closes_on=days(-1))
    expected = {"pm": {"close_accuracy"}, "pcm": {"close_accuracy", "edit", "resolve"}}
    assert can(steps_of(challenge, report, who[person])) == expected.get(person, set())


@pytest.mark.parametrize(
    ("state", "readers"),
    [
        (None, INTERNAL),
        (ReportState.DRAFT, INTERNAL),
        (ReportState.QA, INTERNAL),
        (ReportState.ACCURACY, INTERNAL | COUNCIL),
        (ReportState.FINAL, INTERNAL | COUNCIL),
    ],
)
def test_the_council_reads_the_text_from_the_draft_issued_to_it(lga, people, state, readers):
    challenge, who = people
    report = report_in(challenge, state, accuracy_closes_on=days(10))
    read = {name for name in PEOPLE if steps_of(challenge, report, who[name]).reads_text}
    assert read == readers


def test_each_signs_off_once_in_their_own_slot(lga, people):
    challenge, who = people
    report = report_in(challenge, ReportState.QA)
    QASignOffFactory(report=report, by=QASignOff.By.PROGRAMME_MANAGER, user=who["pm"])
    pm = steps_of(challenge, report, who["pm"])
    assert pm.actions == (("issue_draft", "Issue the draft to the council"),)
    adviser = steps_of(challenge, report, who["principal_adviser"])
    assert adviser.actions == (("sign_off", "Sign off as the principal adviser"),)
    # The sign-offs the page has already loaded are used as they are.
    assert steps_of(challenge, report, who["cia"], sign_offs=[]).actions == (
        ("sign_off", "Sign off as the children's improvement adviser"),
    )


@pytest.mark.parametrize("stage", [Stage.WITHDRAWN, Stage.CLOSED])
@pytest.mark.parametrize(
    "state", [ReportState.DRAFT, ReportState.QA, ReportState.ACCURACY, ReportState.RESOLVED]
)
def test_nothing_is_offered_on_an_ended_challenge(lga, people, stage, state):
    challenge, who = people
    report = report_in(challenge, state, accuracy_closes_on=days(10))
    with scopes_disabled():
        Challenge.objects.filter(pk=challenge.pk).update(stage=stage)
    for person in PEOPLE:
        assert can(steps_of(challenge, report, who[person])) == set(), person


def test_the_sponsor_still_shares_the_final_report_of_a_closed_challenge(lga, people):
    challenge, who = people
    report = report_in(challenge, ReportState.FINAL)
    with scopes_disabled():
        Challenge.objects.filter(pk=challenge.pk).update(stage=Stage.CLOSED)
    offered = {name for name in PEOPLE if steps_of(challenge, report, who[name]).share}
    assert offered == {"derby_dcs"}


def test_the_steps_cost_one_query(lga, people, django_assert_num_queries):
    challenge, who = people
    report = report_in(challenge, ReportState.QA)
    with scopes_disabled():
        challenge = Challenge.objects.get(pk=challenge.pk)
    person = who["pcm"]
    with scope(alliance=challenge.alliance):
        # The person's roles are loaded once per request (peerchallenge.permissions).
        report_steps_for(user=person, challenge=challenge, report=report, sign_offs=[])
        with django_assert_num_queries(1):  # the person's team places
            report_steps_for(user=person, challenge=challenge, report=report, sign_offs=[])
