"""How a challenge moves through its stages: the order, and the refusals of a move that
makes no sense (before the on-site days, backwards, out of an ended challenge)."""

from django.utils import timezone

from peerchallenge import dates

from ..models import (
    Challenge,
    Stage,
)

# The order the work moves through; withdrawn and closed challenges do not move.
STAGE_ORDER = [
    Stage.REQUESTED,
    Stage.SCOPING,
    Stage.PREPARATION,
    Stage.CASE_REVIEW,
    Stage.ON_SITE,
    Stage.REPORT,
    Stage.EVALUATION,
]


# Dates that must make sense ------------------------------------------------------------------
# Each rule stated once, here; the report, evaluation and scoping services ask it.


def after_onsite_refusal(*, challenge: Challenge, doing: str, today=None) -> str:
    """Why `doing` (the draft or final report, the move to evaluation) cannot happen yet:
    not before the last on-site day. Empty when it can."""
    today = today or timezone.localdate()
    if today < challenge.onsite_end:
        end = dates.day_text(challenge.onsite_end)
        return f"You cannot {doing} before the last on-site day ({end})."
    return ""


def stage_move_refusal(*, challenge: Challenge, to: str) -> str:
    """Why the challenge cannot be on stage `to` yet: on site (or after) only from the first
    on-site day, evaluation (or after) only from the last. Empty when it can."""
    if to in (Stage.EVALUATION, Stage.CLOSED):
        return dates.not_yet(
            challenge.onsite_end,
            doing="close the challenge"
            if to == Stage.CLOSED
            else "move the challenge to evaluation",
            limit_what="the last on-site day",
        )
    if to in (Stage.ON_SITE, Stage.REPORT):
        return dates.not_yet(
            challenge.onsite_start,
            doing=f"move the challenge to “{Stage(to).label}”",
            limit_what="the first on-site day",
        )
    return ""


def stage_advance(*, challenge: Challenge, to: str, user) -> bool:
    """Move the challenge forward to `to` when work of that stage starts (the first case
    added, the first on-site note, the report's first draft). Never moves it back, nor out
    of closed or withdrawn, nor on site before the first on-site day (notes written ahead
    of the visit are kept; the stage moves with the first one written on or after that
    day). Returns whether it moved."""
    if challenge.stage not in STAGE_ORDER or STAGE_ORDER.index(challenge.stage) >= (
        STAGE_ORDER.index(to)
    ):
        return False
    if stage_move_refusal(challenge=challenge, to=to):
        return False
    challenge.stage = to
    challenge._history_user = user
    challenge.save(update_fields=["stage"])
    return True


# Ending a challenge --------------------------------------------------------------------------
