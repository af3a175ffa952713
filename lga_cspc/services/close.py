"""Ending a challenge: the programme manager withdraws it (with a reason; the sponsor and the
team are told) or closes it after the evaluation."""

from django.core.exceptions import ValidationError
from django.db import transaction

from peerchallenge.emails import email_send
from peerchallenge.models import User

from ..models import (
    Challenge,
    Evaluation,
    Stage,
    TeamMember,
)
from ..selectors import challenge_sponsors
from .stages import STAGE_ORDER, stage_move_refusal

# A challenge may be withdrawn until the final report is issued (which moves it to evaluation).
WITHDRAWABLE = STAGE_ORDER[: STAGE_ORDER.index(Stage.EVALUATION)]


def challenge_may_withdraw(*, challenge: Challenge) -> bool:
    return challenge.stage in WITHDRAWABLE


def challenge_closable(*, challenge: Challenge, evaluation: Evaluation | None) -> bool:
    """Closed from the evaluation stage, once the DCS interview is recorded. `evaluation`:
    the challenge's, as a caller read it (None: it has none)."""
    return (
        challenge.stage == Stage.EVALUATION
        and evaluation is not None
        and evaluation.recorded_at is not None
    )


def challenge_may_close(*, challenge: Challenge) -> bool:
    """`challenge_closable`, reading the evaluation (only at that stage: else no query)."""
    if challenge.stage != Stage.EVALUATION:
        return False
    evaluation = Evaluation.objects.filter(challenge=challenge).only("recorded_at").first()
    return challenge_closable(challenge=challenge, evaluation=evaluation)


def _locked(challenge: Challenge) -> Challenge:
    locked = Challenge.objects.select_for_update().get(pk=challenge.pk)
    challenge.stage = locked.stage
    return challenge


@transaction.atomic
def challenge_withdraw(*, challenge: Challenge, reason: str, user: User) -> Challenge:
    """Withdraw the challenge, for `reason`, at any stage before the final report: it leaves
    the reminders and the overview. Writes the stage and the reason (its history records who
    and when); after the commit, emails the sponsor (the council's DCS until one is named)
    and every member of the team."""
    reason = (reason or "").strip()
    _locked(challenge)
    if not challenge_may_withdraw(challenge=challenge):
        raise ValidationError(
            {
                "reason": "This challenge can no longer be withdrawn: "
                + (
                    "the final report has been issued."
                    if challenge.stage == Stage.EVALUATION
                    else f"it is already {challenge.get_stage_display().lower()}."
                )
            }
        )
    if not reason:
        raise ValidationError(
            {
                "reason": "Enter why the challenge is withdrawn, for example “The council "
                "postponed it to next year”."
            }
        )
    challenge.stage = Stage.WITHDRAWN
    challenge.withdrawal_reason = reason
    challenge._history_user = user
    challenge._change_reason = "Withdrawn"
    challenge.save(update_fields=["stage", "withdrawal_reason"])
    context = {
        "offer": challenge.offer.name,
        "council": challenge.local_authority.name,
        "alliance": challenge.alliance.name,
        "onsite_start": challenge.onsite_start,
        "reason": reason,
        "withdrawn_by": str(user),
    }
    for person in _told_of_withdrawal(challenge):
        message = {**context, "name": person.full_name or person.email}
        # Queued in the outbox with the withdrawal: whatever the mail server does.
        email_send(template="cspc_withdrawn", to=[person.email], context=message)
    return challenge


def _told_of_withdrawal(challenge: Challenge) -> list[User]:
    sponsors = challenge_sponsors(challenge=challenge)
    team = [m.user for m in TeamMember.objects.filter(challenge=challenge).select_related("user")]
    people, seen = [], set()
    for person in [*sponsors, *team]:
        if person.pk not in seen and person.email and person.is_active:
            seen.add(person.pk)
            people.append(person)
    return people


@transaction.atomic
def challenge_close(*, challenge: Challenge, user: User) -> Challenge:
    """Close the challenge once its evaluation is done: from the evaluation stage, with the
    DCS interview recorded. Writes the stage; its history records who and when."""
    _locked(challenge)
    if not challenge_may_close(challenge=challenge):
        raise ValidationError(
            "A challenge is closed from the evaluation stage, once the DCS interview is recorded."
            if challenge.stage in (Stage.EVALUATION, *WITHDRAWABLE)
            else f"This challenge is already {challenge.get_stage_display().lower()}."
        )
    if refusal := stage_move_refusal(challenge=challenge, to=Stage.CLOSED):
        raise ValidationError(refusal)
    challenge.stage = Stage.CLOSED
    challenge._history_user = user
    challenge._change_reason = "Closed"
    challenge.save(update_fields=["stage"])
    return challenge
