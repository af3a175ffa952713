"""Where a key line of enquiry may be written from outside the offer that runs the challenge:
"use as a line of enquiry" on a flag of a council's data pack (benchmarking) makes a draft
KLOE on one of that council's challenges, in whichever offer runs it, without importing the
offer.

An offer whose challenges take KLOEs (`KeyLineOfEnquiry` rows on the challenge) declares,
on its OfferConfig, `kloe_targets`: dotted names of `KloeTargets`, one per model its KLOEs
hang from (a triad cycle, an LGA challenge). Each says two things, in a fixed number of
queries whatever the number of challenges or KLOEs:

- `targets(*, alliance, council, user)`: the challenges of `council` in `alliance` still
  open to new KLOEs on which `user` may write one (the offer's own rule for writing them);
- `links(*, kloes, user)`: for KLOEs of that model, where each is read, for those `user`
  may open (kloe pk -> url); a KLOE the person may not read has no link.

An offer whose challenges take no KLOE rows declares none (an on-demand review has a single
primary line of enquiry, written with the request; a thematic event's lines are its own
model): it is never offered as a target. The KLOE itself is written by the core's
`kloe_create`, so every offer's rules on KLOEs (who reads a draft, sharing) apply to it."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from .offers.registry import Registry


@dataclass(frozen=True)
class KloeTarget:
    key: str  # what a form's choice sends back: "<app_label>.<model>:<pk>[:<part>]"
    label: str  # "Derby's triad in March 2028 (Triad peer challenge)"
    offer: str  # the offer's name
    challenge: object  # the challenge the KLOE is written on
    url: str  # where the KLOE is read once written
    # A title every KLOE of this target must have (an LGA challenge files its lines of
    # enquiry under the element of its scope they belong to); "" for the writer's own.
    title: str = ""
    # The question on one line (an LGA challenge edits its lines one a line).
    one_line: bool = False


@dataclass(frozen=True)
class KloeTargets:
    model: str  # "triads.Cycle": the challenge model its KLOEs hang from
    targets: Callable[..., list[KloeTarget]]
    links: Callable[..., dict[int, str]]
    # The kinds of alliance the offer runs in (OfferConfig.alliance_kinds); empty: every kind.
    alliance_kinds: frozenset[str] = frozenset()


PROVIDERS: Registry[KloeTargets] = Registry("KLOE targets", key=lambda provider: provider.model)


def register(provider: KloeTargets, *, alliance_kinds=()) -> KloeTargets:
    if alliance_kinds:
        provider = KloeTargets(
            provider.model, provider.targets, provider.links, frozenset(alliance_kinds)
        )
    return PROVIDERS.register(provider)


def _runs_in(provider: KloeTargets, alliance) -> bool:
    return not provider.alliance_kinds or alliance.kind in provider.alliance_kinds


def kloe_targets_for(*, alliance, council, user) -> list[KloeTarget]:
    """Every challenge of `council` in `alliance`, in any offer, on which `user` may write a
    KLOE now (each offer's own rule)."""
    found: list[KloeTarget] = []
    for provider in PROVIDERS:
        if _runs_in(provider, alliance):
            found += provider.targets(alliance=alliance, council=council, user=user)
    return found


def kloe_links(*, kloes: Iterable, user) -> dict[int, str]:
    """Where each of these KLOEs is read, for those `user` may open (kloe pk -> url). Load
    them with `challenge_type` (select_related): one query per offer that has any."""
    by_model: dict[str, list] = {}
    for kloe in kloes:
        label = f"{kloe.challenge_type.app_label}.{kloe.challenge_type.model}"
        by_model.setdefault(label, []).append(kloe)
    found: dict[int, str] = {}
    for provider in PROVIDERS:
        mine = by_model.get(provider.model.lower())
        if mine:
            found.update(provider.links(kloes=mine, user=user))
    return found
