"""The challenge's task list (lga_cspc.views.tasks): each part's status from what the page
has read, and "cannot start yet" shown without a link."""

from types import SimpleNamespace

import pytest

from lga_cspc.models import Stage
from lga_cspc.views.tasks import (
    CANNOT_START,
    COMPLETED,
    IN_PROGRESS,
    NOT_NEEDED,
    NOT_STARTED,
    challenge_tasks,
)
from tests.clock import at, day_text, days

pytestmark = pytest.mark.django_db(databases=[])  # no query: only what the page read


def challenge(stage=Stage.REQUESTED, **fields):
    values = {
        "stage": stage,
        "proposal_accepted_at": None,
        "proposal_sent_at": None,
        "scoping_meeting_at": None,
        "focus": "",
        "sponsor_id": None,
        "organiser_id": None,
    }
    return SimpleNamespace(**{**values, **fields})


def context(**values):
    base = {
        "team_members": [],
        "team_gaps": [],
        "checklist_counts": {"total": 0, "accepted": 0, "uploaded": 0, "missing": 0},
        "timetable_total": 0,
        "case_review_counts": {"total": 0, "reviewed": 0, "assigned": 0},
        "case_review_due": days(14),
        "case_review_shared_at": None,
        "site_log_counts": {"total": 0},
        "site_log_shared": 0,
        "report_state": "",
        "report_final_version": None,
        "evaluation_next_steps": 0,
        "evaluation": None,
        "evaluation_my_questionnaire": None,
    }
    return {**base, **values}


def statuses(tasks) -> dict:
    return {task.id: task.status for task in tasks}


def test_a_new_request_has_nothing_started_and_no_checklist_to_open():
    tasks = challenge_tasks(challenge(), context())
    assert statuses(tasks) == {
        "scoping": NOT_STARTED,
        "team": NOT_STARTED,
        "documents": CANNOT_START,
        "timetable": NOT_STARTED,
        "case-review": NOT_STARTED,
        "on-site": NOT_STARTED,
        "written-feedback": NOT_STARTED,
        "after": NOT_STARTED,
    }
    documents = next(t for t in tasks if t.id == "documents")
    assert not documents.linked and documents.tag == ""
    assert all(t.linked for t in tasks if t.id != "documents")


def test_scoping_runs_from_the_meeting_to_the_accepted_proposal():
    met = challenge(Stage.SCOPING, scoping_meeting_at=at(-40))
    task = challenge_tasks(met, context())[0]
    assert (task.status, task.hint, task.tag) == (
        IN_PROGRESS,
        f"Scoping meeting on {day_text(days(-40))}",
        "light-blue",
    )
    accepted = challenge(Stage.PREPARATION, proposal_accepted_at=days(-20))
    task = challenge_tasks(accepted, context())[0]
    assert (task.status, task.hint) == (COMPLETED, f"Proposal accepted on {day_text(days(-20))}")


def test_the_team_is_complete_only_when_named_full_and_every_charter_accepted():
    member = SimpleNamespace(all_accepted=True)
    named = challenge(Stage.PREPARATION, sponsor_id=1, organiser_id=2)
    full = context(team_members=[member, member])
    assert statuses(challenge_tasks(named, full))["team"] == COMPLETED
    waiting = context(team_members=[member, SimpleNamespace(all_accepted=False)])
    assert statuses(challenge_tasks(named, waiting))["team"] == IN_PROGRESS
    short = context(team_members=[member], team_gaps=["a lead peer"])
    task = challenge_tasks(named, short)[1]
    assert (task.status, task.hint) == (IN_PROGRESS, "1 peer on the team; still needs 1 more")


def test_documents_count_what_is_accepted():
    counts = {"total": 10, "accepted": 10, "uploaded": 0, "missing": 0}
    done = challenge_tasks(challenge(Stage.PREPARATION), context(checklist_counts=counts))
    assert statuses(done)["documents"] == COMPLETED
    counts = {"total": 10, "accepted": 0, "uploaded": 0, "missing": 10}
    waiting = challenge_tasks(challenge(Stage.PREPARATION), context(checklist_counts=counts))
    assert statuses(waiting)["documents"] == NOT_STARTED


def test_the_council_who_cannot_see_the_cases_sees_the_review_under_way():
    hidden = context(case_review_counts=None)
    assert statuses(challenge_tasks(challenge(Stage.PREPARATION), hidden))["case-review"] == (
        NOT_STARTED
    )
    assert statuses(challenge_tasks(challenge(Stage.CASE_REVIEW), hidden))["case-review"] == (
        IN_PROGRESS
    )


def test_later_stages_mark_the_visit_done_and_a_final_report_completes_the_feedback():
    later = challenge_tasks(
        challenge(Stage.EVALUATION),
        context(timetable_total=12, report_state="Final", report_final_version=object()),
    )
    found = statuses(later)
    assert found["timetable"] == found["on-site"] == found["written-feedback"] == COMPLETED
    assert found["after"] == NOT_STARTED
    closed = challenge_tasks(challenge(Stage.CLOSED), context(evaluation_next_steps=3))
    assert statuses(closed)["after"] == COMPLETED
    assert closed[-1].hint == "3 next steps agreed"


def test_a_withdrawn_challenge_needs_nothing_more():
    withdrawn = challenge(Stage.WITHDRAWN, proposal_accepted_at=days(-20))
    found = statuses(challenge_tasks(withdrawn, context()))
    assert found["scoping"] == COMPLETED
    assert set(found.values()) == {COMPLETED, NOT_NEEDED}
