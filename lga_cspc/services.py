"""Booking an LGA peer challenge, and the catalogue it is booked from."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from peerchallenge.models import LocalAuthority, OfstedGrade, User

from .catalogue import STANDARD_OFFERS
from .models import RECOMMENDED_LEAD_TIME, Challenge, Offer, Stage

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
    grade = council.ofsted_grade
    if not grade:
        return 0, "No Ofsted judgement on record: the subsidy is agreed at scoping"
    percent = SUBSIDY_BY_GRADE.get(grade, 0)
    label = OfstedGrade(grade).label.lower()
    if percent == 100:
        return 100, f"Full LGA subsidy: judged {label}"
    if percent:
        return percent, f"The LGA funds {percent}%: judged {label}"
    return 0, f"No subsidy: judged {label}, the council funds all costs"


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
    today."""
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
    if not offer.min_days <= days <= offer.max_days:
        errors["days"] = (
            f"{offer.name} runs for {offer.length_display}: choose a length in that range."
        )
    if errors:
        raise ValidationError(errors)


def offer_save(*, alliance, offer: Offer | None = None, **fields) -> Offer:
    """Create or change a catalogue entry; names are unique in the catalogue."""
    name = fields["name"].strip()
    clash = Offer.objects.filter(alliance=alliance, name__iexact=name)
    if offer is not None:
        clash = clash.exclude(pk=offer.pk)
    errors = {}
    if clash.exists():
        errors["name"] = "The catalogue already has an offer with this name."
    if fields["min_days"] > fields["max_days"]:
        errors["max_days"] = "The longest length must be at least the shortest."
    if errors:
        raise ValidationError(errors)
    offer = offer or Offer(alliance=alliance)
    for field, value in {**fields, "name": name}.items():
        setattr(offer, field, value)
    offer.save()
    return offer


def catalogue_load_standard(*, alliance) -> int:
    """Fill an empty catalogue with the LGA's standard offers; returns how many."""
    with transaction.atomic():
        if Offer.objects.filter(alliance=alliance).exists():
            raise ValidationError("The catalogue already has offers.")
        for position, fields in enumerate(STANDARD_OFFERS):
            Offer.objects.create(alliance=alliance, position=position, **fields)
    return len(STANDARD_OFFERS)


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


def stage_advance(*, challenge: Challenge, to: str, user) -> bool:
    """Move the challenge forward to `to` when work of that stage starts (the first case
    added, the first on-site note, the report's first draft). Never moves it back, nor out
    of closed or withdrawn. Returns whether it moved."""
    if challenge.stage not in STAGE_ORDER or STAGE_ORDER.index(challenge.stage) >= (
        STAGE_ORDER.index(to)
    ):
        return False
    challenge.stage = to
    challenge._history_user = user
    challenge.save(update_fields=["stage"])
    return True
