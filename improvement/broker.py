"""The broker's rule, in pure Python (tested with hypothesis): which offers of support fit a
council's need, best first.

An offer fits a need when it is on the same theme, is made by another council, has capacity
left (the councils it can support, less those it is already matched with, declined matches
not counted) and is not already matched with that need. The fitting offers are ranked by how
strongly their strength is evidenced (a data pack indicator better than all the council's
statistical neighbours, then an Ofsted judgement, then good practice named in a peer
challenge report), then by the capacity they have left (more first), then by age (the offer
made first)."""

from dataclasses import dataclass

# How strongly each kind of evidence shows a strength: higher ranks first.
EVIDENCE_RANK = {"data": 3, "ofsted": 2, "practice": 1}


@dataclass(frozen=True)
class OfferFacts:
    id: int
    council_id: int
    theme: str
    evidence: str
    capacity: int
    used: int  # matches that take up its capacity (not declined)

    @property
    def left(self) -> int:
        return max(self.capacity - self.used, 0)


@dataclass(frozen=True)
class NeedFacts:
    id: int
    council_id: int
    theme: str


def same_theme(a: str, b: str) -> bool:
    return bool(a) and a.casefold() == b.casefold()


def offer_fits(need: NeedFacts, offer: OfferFacts, *, matched: frozenset = frozenset()) -> bool:
    """Whether `offer` may be brokered to `need` (`matched`: the offers already matched with
    it)."""
    return (
        same_theme(need.theme, offer.theme)
        and offer.council_id != need.council_id
        and offer.left > 0
        and offer.id not in matched
    )


def offers_for(need: NeedFacts, offers, *, matched: frozenset = frozenset()) -> list[OfferFacts]:
    """The offers that fit `need`, best first."""
    return sorted(
        (offer for offer in offers if offer_fits(need, offer, matched=matched)),
        key=lambda offer: (-EVIDENCE_RANK.get(offer.evidence, 0), -offer.left, offer.id),
    )
