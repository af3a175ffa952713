"""Reads. Every query starts from the tenant (the alliance) or from the person."""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django_scopes import scopes_disabled

from .models import Alliance, Invitation, LocalAuthority, Membership, User


@dataclass(frozen=True)
class AllianceAccess:
    """What one person holds in one alliance: roles, and the councils of their council roles."""

    roles: frozenset[str]
    council_ids: frozenset[int]


def access_by_alliance(*, user: User) -> dict[int, AllianceAccess]:
    """The person's roles and councils, by alliance id, in one query."""
    from .models import COUNCIL_ROLES

    # Truly cross-alliance: a person's own memberships across every alliance they belong to
    # are what decides which alliance scopes they may enter.
    with scopes_disabled():
        rows = Membership.objects.filter(user=user).values_list(
            "alliance_id", "role", "local_authority_id"
        )
        roles: dict[int, set[str]] = defaultdict(set)
        councils: dict[int, set[int]] = defaultdict(set)
        for alliance_id, role, council_id in rows:
            roles[alliance_id].add(role)
            if role in COUNCIL_ROLES and council_id:
                councils[alliance_id].add(council_id)
    return {
        key: AllianceAccess(roles=frozenset(value), council_ids=frozenset(councils[key]))
        for key, value in roles.items()
    }


def alliances_for_user(*, user: User) -> list[Alliance]:
    """The alliances the person belongs to, each with `my_memberships` (their roles there).

    Runs inside the request's scope, which for a page outside any alliance is the union of
    the person's own alliances (see AllianceMiddleware).
    """
    memberships = Membership.objects.filter(user=user).select_related("local_authority")
    return list(
        Alliance.objects.filter(memberships__user=user)
        .distinct()
        .prefetch_related(Prefetch("memberships", queryset=memberships, to_attr="my_memberships"))
        .order_by("name")
    )


def councils_of_alliance(*, alliance: Alliance) -> QuerySet[LocalAuthority]:
    """The councils an alliance covers: its regions', or every council for the LGA."""
    councils = LocalAuthority.objects.select_related("region")
    if alliance.is_national:
        return councils.all()
    return councils.filter(region__alliances=alliance)


def council_of_alliance(*, alliance: Alliance, gss_code: str) -> LocalAuthority:
    """One council the alliance covers; DoesNotExist (404) for any other."""
    return councils_of_alliance(alliance=alliance).get(gss_code=gss_code)


def members_of_alliance(*, alliance: Alliance) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(alliance=alliance)
        .select_related("user", "local_authority")
        .order_by("user__full_name", "user__email", "role")
    )


def members_of_council(*, alliance: Alliance, council: LocalAuthority) -> QuerySet[Membership]:
    return members_of_alliance(alliance=alliance).filter(local_authority=council)


def pending_invitations(*, alliance: Alliance) -> QuerySet[Invitation]:
    return (
        Invitation.objects.filter(alliance=alliance)
        .pending()
        .select_related("local_authority", "invited_by")
        .order_by("email")
    )


def admins_of_alliance(*, alliance: Alliance) -> QuerySet[Membership]:
    from .models import Role

    return Membership.objects.filter(alliance=alliance, role=Role.ALLIANCE_ADMIN)


def improvement_plan(*, alliance: Alliance, council: LocalAuthority) -> list[tuple[str, list]]:
    """Every agreed action of the council in this alliance, from every offer, grouped by
    where it came from (oldest source first), each with its latest update. The number of
    queries depends on the number of kinds of source, not of actions."""
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import OuterRef, Subquery

    from .models import Action, ActionUpdate

    latest = ActionUpdate.objects.filter(action=OuterRef("pk")).order_by("-created_at", "-pk")
    actions = list(
        Action.objects.filter(alliance=alliance, local_authority=council)
        .select_related("tier2_group")
        .annotate(
            latest_note=Subquery(latest.values("note")[:1]),
            latest_at=Subquery(latest.values("created_at")[:1]),
        )
        .order_by("source_type_id", "source_id", "due_date", "pk")
    )
    ids_by_type: dict[int, set[int]] = defaultdict(set)
    for action in actions:
        ids_by_type[action.source_type_id].add(action.source_id)
    names: dict[tuple[int, int], str] = {}
    for type_id, ids in ids_by_type.items():
        model = ContentType.objects.get_for_id(type_id).model_class()
        for pk, source in model.objects.in_bulk(list(ids)).items():
            names[(type_id, pk)] = f"{model._meta.verbose_name.capitalize()}: {source}"
    groups: dict[str, list] = {}
    for action in actions:
        label = names.get((action.source_type_id, action.source_id), "Other")
        groups.setdefault(label, []).append(action)
    return list(groups.items())


@dataclass(frozen=True)
class BoardFilters:
    council: int | None = None
    source: str = ""  # "<content type id>:<object id>", e.g. a cycle
    status: str = ""
    overdue: bool = False


def tier2_groups_visible_to(*, user: User, alliance: Alliance):
    """The Tier 2 groups a person follows: theirs, or every group for the alliance's
    managers."""
    from .models import Tier2Group
    from .permissions import MANAGERS, roles_in

    groups = Tier2Group.objects.filter(alliance=alliance)
    if not roles_in(user, alliance.pk) & MANAGERS:
        groups = groups.filter(members=user)
    return groups.order_by("name")


def tier2_board(*, group, filters: BoardFilters):
    """The actions a Tier 2 group monitors, filtered, with each action's latest update."""
    from django.db.models import OuterRef, Subquery
    from django.utils import timezone

    from .models import Action, ActionStatus, ActionUpdate

    latest = ActionUpdate.objects.filter(action=OuterRef("pk")).order_by("-created_at", "-pk")
    actions = Action.objects.filter(alliance=group.alliance_id, tier2_group=group)
    if filters.council:
        actions = actions.filter(local_authority_id=filters.council)
    if filters.source and ":" in filters.source:
        type_id, object_id = filters.source.split(":", 1)
        if type_id.isdigit() and object_id.isdigit():
            actions = actions.filter(source_type_id=int(type_id), source_id=int(object_id))
    if filters.status in ActionStatus.values:
        actions = actions.filter(status=filters.status)
    if filters.overdue:
        actions = actions.exclude(status=ActionStatus.COMPLETE).filter(
            due_date__lt=timezone.localdate()
        )
    return (
        actions.select_related("local_authority", "source_type")
        .annotate(
            latest_note=Subquery(latest.values("note")[:1]),
            latest_at=Subquery(latest.values("created_at")[:1]),
        )
        .order_by("due_date", "local_authority__name", "pk")
    )


def tier2_board_sources(*, group) -> list[tuple[str, str]]:
    """(value, label) of every source the group's actions came from, for the filter."""
    from django.contrib.contenttypes.models import ContentType

    from .models import Action

    pairs = (
        Action.objects.filter(alliance=group.alliance_id, tier2_group=group)
        .order_by()  # the model's ordering would put its columns into the DISTINCT
        .values_list("source_type_id", "source_id")
        .distinct()
    )
    by_type: dict[int, set[int]] = defaultdict(set)
    for type_id, object_id in pairs:
        by_type[type_id].add(object_id)
    options = []
    for type_id, ids in by_type.items():
        model = ContentType.objects.get_for_id(type_id).model_class()
        for pk, source in sorted(model.objects.in_bulk(list(ids)).items()):
            options.append((f"{type_id}:{pk}", str(source)))
    return sorted(options, key=lambda option: option[1])
