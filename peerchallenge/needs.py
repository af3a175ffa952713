"""'What needs you now': the open obligations the person must act on
(peerchallenge.offers.obligations), soonest first. Nothing else feeds it: an offer that
wants something on a person's home page states it as an obligation."""

from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from .offers.obligations import open_obligations_of
from .permissions import alliance_ids_of


@dataclass(frozen=True)
class Need:
    title: str
    url: str
    alliance: str
    due: date | None = None
    overdue: bool = False


def needs_for(*, user) -> list[Need]:
    today = timezone.localdate()
    needs = [
        Need(o.title, o.url, o.alliance.short_name, o.due, o.is_overdue(today))
        for o in open_obligations_of(user=user, alliances=alliance_ids_of(user), today=today)
    ]
    return sorted(needs, key=lambda need: (need.due is None, need.due or date.max, need.title))
