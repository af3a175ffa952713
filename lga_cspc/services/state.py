"""A withdrawn or closed challenge is read-only, said once, here.

Every service that changes a challenge's data calls `refuse_if_ended` first, so the rule
holds whoever calls it (a view, the demo, a task, the shell); the pages ask
`challenge_ended_refusal` (mixins.ChallengeMixin) and so does the shared timetable, through
the hook this offer registers in apps.py. What comes after a closed challenge is not its
work and carries on: the team's evaluation questionnaires (services.evaluation) and the
council's sharing of its final report (services.report). A withdrawn challenge has neither.

No other module of this app is imported here: every services module may import this one."""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from ..models import Challenge, Stage

ENDED = (Stage.WITHDRAWN, Stage.CLOSED)
ENDED_REFUSALS = {
    Stage.WITHDRAWN: "This peer challenge was withdrawn: nothing on it can be changed any more.",
    Stage.CLOSED: "This peer challenge is closed: nothing of its work can be changed any more.",
}


def challenge_ended_refusal(*, challenge: Challenge) -> str:
    """Why nothing on the challenge may change any more ("" while it runs)."""
    return ENDED_REFUSALS.get(challenge.stage, "")


def refuse_if_ended(challenge: Challenge) -> None:
    """Raise ValidationError (on no field) if the challenge is withdrawn or closed. A service
    that locks the challenge's row passes the row it locked, so that a withdrawal at the same
    moment counts."""
    if refusal := challenge_ended_refusal(challenge=challenge):
        raise ValidationError({NON_FIELD_ERRORS: [refusal]})
