"""Booking an LGA peer challenge (the catalogue it is booked from: services/catalogue.py)."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from peerchallenge import dates
from peerchallenge.models import LocalAuthority, OfstedGrade, User
from peerchallenge.selectors import ofsted_latest

from ..models import (
    RECOMMENDED_LEAD_TIME,
    Challenge,
    Offer,
    Stage,
    SubsidyChange,
)
from ..selectors import bookable_councils
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
