"""Booking an LGA peer challenge (the catalogue it is booked from: services/catalogue.py)."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from peerchallenge import dates
from peerchallenge.emails import email_send
from peerchallenge.models import LocalAuthority, OfstedGrade, User
from peerchallenge.selectors import ofsted_latest

from ..models import (
    RECOMMENDED_LEAD_TIME,
    Challenge,
    Evaluation,
    Offer,
    Stage,
    SubsidyChange,
    TeamMember,
)
from ..selectors import bookable_councils, challenge_sponsors
from .state import ENDED

# The LGA's share of the cost by the council's latest Ofsted judgement.
SUBSIDY_BY_GRADE = {
    OfstedGrade.INADEQUATE: 100,
    OfstedGrade.REQUIRES_IMPROVEMENT: 50,
    OfstedGrade.GOOD: 0,
    OfstedGrade.OUTSTANDING: 0,
}


def subsidy_for(*, offer: Offer, council: LocalAuthority) -> tuple[int, str]:
    """The LGA subsidy (percent of the cost) and why. A fully funded offer's funding note
    overrides the judgement; a council with no judgement on record gets no subsidy until
    the programme manager agrees one."""
    if offer.fully_funded:
        return 100, offer.funding_note or "Fully funded"
    judgement = ofsted_latest(council=council)
    if judgement is None:
        return 0, "No Ofsted judgement on record: the subsidy is agreed at scoping"
    percent = SUBSIDY_BY_GRADE.get(judgement.grade, 0)
    label = judgement.get_grade_display().lower()
    if percent == 100:
        return 100, f"Full LGA subsidy: judged {label}"
    if percent:
        return percent, f"The LGA funds {percent}%: judged {label}"
    return 0, f"No subsidy: judged {label}, the council funds all costs"


def challenge_change_subsidy(
    *, challenge: Challenge, percent: int, reason: str, changed_by: User
) -> SubsidyChange:
    """Change a booked challenge's LGA subsidy, with the reason, kept as a `SubsidyChange`.

    The subsidy is fixed at booking; this is the only way it moves (an Ofsted import never
    moves it). Refuses (ValidationError) a percentage outside 0-100, no reason, no change, or
    a withdrawn or closed challenge. Who may call it: `lga_cspc.change_subsidy`. Sends nothing.
    """
    errors = {}
    reason = (reason or "").strip()
    if not 0 <= percent <= 100:
        errors["percent"] = "Enter a subsidy between 0 and 100%."
    elif percent == challenge.subsidy_percent:
        errors["percent"] = f"The subsidy is already {percent}%: enter the new subsidy."
    if not reason:
        errors["reason"] = "Enter why the subsidy changes."
    if challenge.stage in ENDED:
        errors["percent"] = "This challenge has ended: its subsidy can no longer change."
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = Challenge.objects.select_for_update().get(pk=challenge.pk)
        change = SubsidyChange.objects.create(
            alliance_id=locked.alliance_id,
            challenge=locked,
            old_percent=locked.subsidy_percent,
            new_percent=percent,
            reason=reason,
            changed_by=changed_by,
        )
        locked.subsidy_percent = percent
        locked.subsidy_reason = f"Changed by the LGA: {reason}"[:300]
        locked.save(update_fields=["subsidy_percent", "subsidy_reason"])
    challenge.subsidy_percent, challenge.subsidy_reason = percent, locked.subsidy_reason
    return change


def lead_time_warning(onsite_start: datetime.date | None) -> str:
    """A warning (not a refusal) when the first on-site day is under three months away."""
    if onsite_start and onsite_start < timezone.localdate() + RECOMMENDED_LEAD_TIME:
        return (
            "The first on-site day is less than three months away. The LGA recommends "
            "three months to find the right peer team and prepare; an earlier date may not "
            "be possible."
        )
    return ""


def challenge_book(
    *,
    alliance,
    offer: Offer,
    local_authority: LocalAuthority,
    onsite_start: datetime.date,
    days: int,
    request_notes: str = "",
    requested_by: User,
) -> Challenge:
    """A council's request for an offer from the catalogue, with the subsidy that applies
    today. A DCS books only for their own council in this alliance, the LGA's planners for
    any council: PermissionDenied for someone who may book for none, ValidationError (on
    `council`) for a council the person may not book for."""
    councils = bookable_councils(user=requested_by, alliance=alliance)
    if not councils.exists():
        raise PermissionDenied("You may not book a peer challenge.")
    if not councils.filter(pk=local_authority.pk).exists():
        raise ValidationError(
            {
                "council": f"You may only book a peer challenge for your own council, not "
                f"{local_authority.name}."
            }
        )
    booking_check(alliance=alliance, offer=offer, onsite_start=onsite_start, days=days)
    percent, reason = subsidy_for(offer=offer, council=local_authority)
    return Challenge.objects.create(
        alliance=alliance,
        offer=offer,
        local_authority=local_authority,
        stage=Stage.REQUESTED,
        onsite_start=onsite_start,
        days=days,
        request_notes=request_notes.strip(),
        subsidy_percent=percent,
        subsidy_reason=reason,
        requested_by=requested_by,
    )


def booking_check(*, alliance, offer: Offer, onsite_start: datetime.date, days: int) -> None:
    """The offer must be open, the date in the future, the length within the offer's range."""
    errors = {}
    if not offer.is_active or offer.alliance_id != alliance.pk:
        errors["offer"] = "This offer is not open for booking."
    if onsite_start <= timezone.localdate():
        errors["onsite_start"] = "The first on-site day must be in the future."
    elif far := dates.too_far_ahead(onsite_start, what="The first on-site day"):
        errors["onsite_start"] = far
    if not offer.min_days <= days <= offer.max_days:
        errors["days"] = (
            f"{offer.name} runs for {offer.length_display}: choose a length in that range."
        )
    if errors:
        raise ValidationError(errors)


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

# A challenge may be withdrawn until the final report is issued (which moves it to evaluation).
WITHDRAWABLE = STAGE_ORDER[: STAGE_ORDER.index(Stage.EVALUATION)]


def challenge_may_withdraw(*, challenge: Challenge) -> bool:
    return challenge.stage in WITHDRAWABLE


def challenge_may_close(*, challenge: Challenge) -> bool:
    """Closed from the evaluation stage, once the DCS interview is recorded."""
    if challenge.stage != Stage.EVALUATION:
        return False
    evaluation = Evaluation.objects.filter(challenge=challenge).only("recorded_at").first()
    return evaluation is not None and evaluation.recorded_at is not None


def _locked(challenge: Challenge) -> Challenge:
    locked = Challenge.objects.select_for_update().get(pk=challenge.pk)
    challenge.stage = locked.stage
    return challenge


@transaction.atomic
def challenge_withdraw(*, challenge: Challenge, reason: str, user: User) -> Challenge:
    """Withdraw the challenge, for `reason`, at any stage before the final report: it leaves
    the reminders and the overview. Writes the stage and the reason (its history records who
    and when); after the commit, e-mails the sponsor (the council's DCS until one is named)
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
