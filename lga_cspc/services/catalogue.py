"""The catalogue of offers a peer challenge is booked from: edited by the LGA's planners."""

from django.core.exceptions import ValidationError
from django.db import transaction

from peerchallenge.concurrency import record_lock_unchanged

from ..data.catalogue import STANDARD_OFFERS
from ..models import Offer

# What an edit conflict on a catalogue entry compares (peerchallenge.concurrency).
OFFER_TEXTS = ("name", "description", "funding_note")


@transaction.atomic
def offer_save(
    *, alliance, offer: Offer | None = None, base_version: str | None = None, **fields
) -> Offer:
    """Create or change a catalogue entry; names are unique in the catalogue. Raises
    EditConflict if another planner changed its texts since `base_version`."""
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
    if offer is not None:
        record_lock_unchanged(record=offer, fields=OFFER_TEXTS, base_version=base_version)
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
