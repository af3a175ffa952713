"""'What needs you now': the open obligations the person must act on
(peerchallenge.offers.obligations), soonest first.

Offers not yet stating obligations still register a provider `(user) -> list[Need]` from
AppConfig.ready() (a constant number of queries); the home page asks both."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from .offers.registry import Registry


@dataclass(frozen=True)
class Need:
    title: str
    url: str
    alliance: str
    due: date | None = None
    overdue: bool = False


PROVIDERS: Registry[Callable] = Registry("needs providers")


def register(provider: Callable) -> Callable:
    PROVIDERS.register(provider)
    return provider


def needs_for(*, user) -> list[Need]:
    from django.utils import timezone

    from .offers.obligations import open_obligations_of
    from .permissions import alliance_ids_of

    today = timezone.localdate()
    needs = [need for provider in PROVIDERS for need in provider(user)]
    needs += [
        Need(o.title, o.url, o.alliance.short_name, o.due, o.is_overdue(today))
        for o in open_obligations_of(user=user, alliances=alliance_ids_of(user), today=today)
    ]
    return sorted(needs, key=lambda need: (need.due is None, need.due or date.max, need.title))
