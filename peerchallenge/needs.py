"""'What needs you now': each offer registers a provider; the home page asks them all.

The core never imports an offer app: offers call `register` from their AppConfig.ready().
A provider is a callable `(user) -> list[Need]` and must run a constant number of queries.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Need:
    title: str
    url: str
    alliance: str
    due: date | None = None
    overdue: bool = False


_providers: list[Callable] = []


def register(provider: Callable) -> Callable:
    if provider not in _providers:
        _providers.append(provider)
    return provider


def needs_for(*, user) -> list[Need]:
    needs = [need for provider in _providers for need in provider(user)]
    return sorted(needs, key=lambda need: (need.due is None, need.due or date.max, need.title))
