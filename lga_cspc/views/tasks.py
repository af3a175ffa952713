"""The challenge's page as a GOV.UK task list: one row for each part of the work, with its
status and a link to the part's own page. What each status means is stated here, once, from
what the sections' contexts have already read for the page: no query of its own."""

from dataclasses import dataclass

from django.utils.formats import date_format

from ..models import Stage
from ..services.stages import STAGE_ORDER

# The order the work goes in, closed last; a withdrawn challenge is outside it.
ORDER = (*STAGE_ORDER, Stage.CLOSED)

COMPLETED = "Completed"
IN_PROGRESS = "In progress"
NOT_STARTED = "Not yet started"
CANNOT_START = "Cannot start yet"
NOT_NEEDED = "Not needed"  # what was left undone when the challenge was withdrawn


@dataclass(frozen=True)
class Task:
    id: str
    name: str
    url_name: str  # in the lga_cspc namespace, with (alliance, challenge)
    status: str
    hint: str = ""

    @property
    def tag(self) -> str:
        """The GOV.UK tag colour for the status; "" where the status is plain text."""
        return {IN_PROGRESS: "light-blue", NOT_STARTED: "blue"}.get(self.status, "")

    @property
    def linked(self) -> bool:
        # GOV.UK: a task that cannot start yet is not a link.
        return self.status != CANNOT_START


def _day(value) -> str:
    return date_format(value, "j F Y")


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def challenge_tasks(challenge, context: dict) -> list[Task]:
    """The rows of the challenge's task list, from the page's context (the sections' own
    `*_detail_context` values and `timetable_total`)."""
    withdrawn = challenge.stage == Stage.WITHDRAWN
    at = ORDER.index(challenge.stage) if not withdrawn else -1

    def past(stage) -> bool:
        return at > ORDER.index(stage)

    def reached(stage) -> bool:
        return at >= ORDER.index(stage)

    tasks = [
        _scoping(challenge, reached),
        _team(challenge, context),
        _documents(context),
        _timetable(context, past, reached),
        _case_review(context, reached),
        _on_site(context, past, reached),
        _report(context),
        _after(challenge, context),
    ]
    if withdrawn:
        tasks = [
            t if t.status == COMPLETED else Task(t.id, t.name, t.url_name, NOT_NEEDED, t.hint)
            for t in tasks
        ]
    return tasks


def _scoping(challenge, reached) -> Task:
    if challenge.proposal_accepted_at:
        status = COMPLETED
        hint = f"Proposal accepted on {_day(challenge.proposal_accepted_at)}"
    elif challenge.proposal_sent_at:
        status = IN_PROGRESS
        hint = f"Proposal sent on {_day(challenge.proposal_sent_at)}, not accepted yet"
    elif challenge.scoping_meeting_at:
        status = IN_PROGRESS
        hint = f"Scoping meeting on {_day(challenge.scoping_meeting_at)}"
    else:
        status = IN_PROGRESS if reached(Stage.SCOPING) or challenge.focus else NOT_STARTED
        hint = "The scoping meeting is not arranged yet"
    return Task("scoping", "Scoping and the proposal", "proposal", status, hint)


def _team(challenge, context) -> Task:
    members = context.get("team_members") or []
    gaps = context.get("team_gaps") or []
    named = bool(challenge.sponsor_id and challenge.organiser_id)
    if named and members and not gaps and all(m.all_accepted for m in members):
        status = COMPLETED
    elif members or challenge.sponsor_id or challenge.organiser_id:
        status = IN_PROGRESS
    else:
        status = NOT_STARTED
    hint = _plural(len(members), "peer") + " on the team"
    if gaps:
        hint += f"; still needs {len(gaps)} more"
    if not named:
        hint += "; sponsor or organiser not named yet"
    return Task("team", "Sponsor, organiser and peer team", "people", status, hint)


def _documents(context) -> Task:
    counts = context["checklist_counts"]
    if not counts["total"]:
        return Task(
            "documents",
            "Advance documents",
            "checklist",
            CANNOT_START,
            "The checklist is drawn up when the sponsor accepts the scoping proposal",
        )
    if counts["accepted"] == counts["total"]:
        status = COMPLETED
    elif counts["accepted"] or counts["uploaded"]:
        status = IN_PROGRESS
    else:
        status = NOT_STARTED
    hint = f"{counts['accepted']} of {counts['total']} accepted, {counts['missing']} missing"
    if counts["uploaded"]:
        hint += f", {counts['uploaded']} awaiting review"
    return Task("documents", "Advance documents", "checklist", status, hint)


def _timetable(context, past, reached) -> Task:
    total = context["timetable_total"]
    if not total:
        status = NOT_STARTED
    elif past(Stage.ON_SITE):
        status = COMPLETED
    else:
        status = IN_PROGRESS
    hint = _plural(total, "session") + " planned" if total else "No sessions planned yet"
    return Task("timetable", "On-site timetable", "timetable", status, hint)


def _case_review(context, reached) -> Task:
    counts = context.get("case_review_counts")
    due = f"Due by {_day(context['case_review_due'])}"
    if context.get("case_review_shared_at"):
        status = COMPLETED
        hint = f"Report shared on {_day(context['case_review_shared_at'])}"
    elif counts is not None and counts["total"]:
        status = IN_PROGRESS
        hint = f"{due}; {counts['reviewed']} of {counts['total']} reviewed"
    else:
        status = IN_PROGRESS if counts is None and reached(Stage.CASE_REVIEW) else NOT_STARTED
        hint = due
    return Task("case-review", "Case record review", "case_review", status, hint)


def _on_site(context, past, reached) -> Task:
    counts = context.get("site_log_counts")
    if past(Stage.ON_SITE):
        status = COMPLETED
    elif reached(Stage.ON_SITE) or (counts and counts["total"]):
        status = IN_PROGRESS
    else:
        status = NOT_STARTED
    shared = context["site_log_shared"]
    hint = f"{_plural(shared, 'emerging issue')} shared with the sponsor"
    return Task("on-site", "On site", "site_log", status, hint)


def _report(context) -> Task:
    state = context.get("report_state")
    if context.get("report_final_version"):
        status = COMPLETED
    elif state:
        status = IN_PROGRESS
    else:
        status = NOT_STARTED
    hint = state  # nothing to add to "Not yet started" until the report is begun
    if context.get("report_closes_on"):
        hint += f"; factual-accuracy comments close on {_day(context['report_closes_on'])}"
    if context.get("report_shared_at"):
        hint += (
            f"; shared with {context['report_shared_with']} on {_day(context['report_shared_at'])}"
        )
    return Task("written-feedback", "Written feedback", "report", status, hint)


def _after(challenge, context) -> Task:
    steps = context.get("evaluation_next_steps") or 0
    evaluation = context.get("evaluation")
    mine = context.get("evaluation_my_questionnaire")
    if challenge.stage == Stage.CLOSED:
        status = COMPLETED
    elif (
        steps
        or (evaluation is not None and (evaluation.recorded_at or evaluation.interview_at))
        or (mine is not None and mine.submitted_at)
    ):
        status = IN_PROGRESS
    else:
        status = NOT_STARTED
    hint = f"{_plural(steps, 'next step')} agreed" if steps else "No next steps agreed yet"
    return Task("after", "Evaluation and next steps", "after", status, hint)
