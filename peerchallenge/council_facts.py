"""What other apps know about a council that a page about it may show, without importing
them: e.g. the flags on its data pack and the council's answers to them, which a council's
self-evaluation (improvement) shows in its data section.

An app declares, on its OfferConfig, `council_facts`: dotted names of providers
`provider(*, alliance, council, user) -> list[CouncilFact]`, each returning what `user` may
read, in a fixed number of queries."""

from collections.abc import Callable
from dataclasses import dataclass

from .offers.registry import Registry


@dataclass(frozen=True)
class CouncilFact:
    source: str  # where it comes from: "Data pack"
    title: str  # "Re-referrals within 12 months, 2025"
    text: str  # "Higher than all its neighbours. Explained: ..."
    url: str = ""  # where it is read, for those who may


PROVIDERS: Registry[Callable] = Registry(
    "council facts", key=lambda provider: f"{provider.__module__}.{provider.__qualname__}"
)


def register(provider: Callable) -> Callable:
    return PROVIDERS.register(provider)


def council_facts_for(*, alliance, council, user) -> list[CouncilFact]:
    """Every app's facts about `council` in `alliance` that `user` may read."""
    found: list[CouncilFact] = []
    for provider in PROVIDERS:
        found += provider(alliance=alliance, council=council, user=user)
    return found
