"""'What needs you now': the open obligations the person must act on
(peerchallenge.offers.obligations), soonest first.

Offers not yet stating obligations still register a provider `(user) -> list[Need]` from
AppConfig.ready() (a constant number of queries); the home page asks both."""

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
    from django.utils import timezone

    from .offers.obligations import open_obligations_of
    from .permissions import alliance_ids_of

    today = timezone.localdate()
    needs = [need for provider in _providers for need in provider(user)]
    needs += [
        Need(o.title, o.url, o.alliance.short_name, o.due, o.is_overdue(today))
        for o in open_obligations_of(user=user, alliances=alliance_ids_of(user), today=today)
    ]
    return sorted(needs, key=lambda need: (need.due is None, need.due or date.max, need.title))


def tier2_needs(user) -> list[Need]:
    """Tier 2 members: each group of theirs with actions past their due date and not
    complete. One query, whatever the number of groups or actions."""
    from django.db.models import Count, Min, Q
    from django.urls import reverse
    from django.utils import timezone

    from .models import ActionStatus, Tier2Group
    from .permissions import alliance_ids_of

    alliances = alliance_ids_of(user)
    if not alliances:
        return []
    today = timezone.localdate()
    late = Q(actions__due_date__lt=today) & ~Q(actions__status=ActionStatus.COMPLETE)
    groups = (
        Tier2Group.objects.filter(alliance__in=alliances, members=user)
        .annotate(
            overdue=Count("actions", filter=late), oldest=Min("actions__due_date", filter=late)
        )
        .filter(overdue__gt=0)
        .select_related("alliance")
    )
    needs = []
    for group in groups:
        noun = "action is" if group.overdue == 1 else "actions are"
        url = reverse("tier2_board", kwargs={"alliance": group.alliance.slug, "group": group.pk})
        needs.append(
            Need(
                f"{group.overdue} {noun} overdue in {group.name}: follow them up",
                f"{url}?overdue=1",
                group.alliance.short_name,
                group.oldest,
                True,
            )
        )
    return needs


register(tier2_needs)
