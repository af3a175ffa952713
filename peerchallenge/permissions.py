"""Who may do what, declared once.

Role rules answer `user.has_perm(perm, alliance)` (or on any object with an `alliance`) from
the person's memberships. Per-object grants (this person on this challenge) come from
django-guardian, the next backend in AUTHENTICATION_BACKENDS, with direct foreign-key
permission models defined beside the object they grant on.

Object rules (registered predicates) grant what follows from relationships, such as a
council's people on the triad their council is in.

Views name the permission they need; templates only ask (`{% has_alliance_perm %}`).
"""

from collections import defaultdict
from collections.abc import Callable
from functools import cache

from django.apps import apps
from django.core.exceptions import PermissionDenied
from guardian.backends import ObjectPermissionBackend, check_support
from guardian.core import ObjectPermissionChecker
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from .models import Action, Alliance, ImprovementPlan, Role, Tier2Group

R = Role
ALL_ROLES = frozenset(Role)
MANAGERS = frozenset({R.ALLIANCE_ADMIN, R.PROGRAMME_MANAGER, R.COORDINATOR})
# Who plans and runs an alliance's challenges, in every offer.
PLANNERS = frozenset({R.PROGRAMME_MANAGER, R.COORDINATOR})

RULES: dict[str, frozenset[str]] = {
    "peerchallenge.view_alliance": ALL_ROLES,
    "peerchallenge.view_councils": ALL_ROLES,
    "peerchallenge.view_members": MANAGERS,
    "peerchallenge.manage_members": frozenset({R.ALLIANCE_ADMIN}),
    # The alliance's own settings (the logo on its reports).
    "peerchallenge.manage_alliance": frozenset({R.ALLIANCE_ADMIN}),
    # Every council's improvement plan; a council's own people read theirs in any case.
    # The LGA's advisers follow the plans their challenges' next steps go on.
    "peerchallenge.view_improvement_plans": MANAGERS
    | {R.CONSULTANT, R.TIER2_MEMBER, R.PRINCIPAL_ADVISER, R.IMPROVEMENT_ADVISER},
    # Tier 2 boards and actions: managers follow everything; group members and councils
    # come in through the object rules below.
    "peerchallenge.view_tier2group": MANAGERS,
    "peerchallenge.view_action": MANAGERS | {R.CONSULTANT},
    "peerchallenge.monitor_action": frozenset(),
    "peerchallenge.update_action": frozenset(),
    # Change an agreed action's wording, owner or due date, or remove it (with a reason):
    # those who run the plans (the alliance's programme managers and coordinators) and,
    # through the object rule below, the council's own organisers and DCS. Tier 2 members
    # monitor, consultants advise: neither rewrites what a council agreed. A removed action
    # is seen by these people only.
    "peerchallenge.change_action": frozenset({R.PROGRAMME_MANAGER, R.COORDINATOR}),
    # The alliance overview: every offer's challenges in progress, what is overdue, the month.
    "peerchallenge.view_overview": MANAGERS,
    # Email reminders: the log of every send, and each kind's days and on/off.
    "peerchallenge.view_reminders": MANAGERS,
    "peerchallenge.manage_reminders": frozenset({R.ALLIANCE_ADMIN, R.PROGRAMME_MANAGER}),
    # The access log: who downloaded, viewed or exported what in the alliance. Its admins
    # answer for the alliance's data; nobody else reads who looked at what.
    "peerchallenge.view_access_log": frozenset({R.ALLIANCE_ADMIN}),
}


def may_maintain_reference_data(user) -> bool:
    """National reference data (Ofsted judgements) belongs to no alliance: only the service's
    own staff (Django's is_staff or superuser, signed in with two factors like everyone) load
    it. Alliances read it; none of their roles edits it."""
    return bool(user.is_authenticated and user.is_active and (user.is_staff or user.is_superuser))


def may_view_improvement_plan(user, *, alliance, council) -> bool:
    """A council's own people read its plan; so do the roles that follow every plan."""
    return user.has_perm("peerchallenge.view_improvement_plans", alliance) or (
        council.pk in council_ids_in(user, alliance.pk)
    )


def reads_the_plan(user, plan) -> bool:
    return may_view_improvement_plan(user, alliance=plan.alliance, council=plan.local_authority)


def in_the_group(user, group) -> bool:
    return group.members.filter(pk=user.pk).exists()


def sees_the_board(user, group) -> bool:
    return user.has_perm("peerchallenge.view_tier2group", group)


def my_councils_action(user, action) -> bool:
    return action.local_authority_id in council_ids_in(user, action.alliance_id)


def monitors_the_action(user, action) -> bool:
    return (
        action.tier2_group_id is not None and action.tier2_group.members.filter(pk=user.pk).exists()
    )


def alliance_of_kind(kind: str) -> Callable:
    """An object rule on Alliance for an offer that runs in one kind of alliance only: it
    grants the offer's entry permission to every member of such an alliance."""

    def rule(user, alliance) -> bool:
        return alliance.kind == kind

    rule.__name__ = f"in_a_{kind}_alliance"
    return rule


def register_core_rules() -> None:
    """The core's own object rules, registered from PeerChallengeConfig.ready()."""
    # Here, not at the top: reports.permissions imports this module (a cycle).
    from reports.permissions import DOWNLOAD_REPORT

    register_object_rule("peerchallenge.view_tier2group", Tier2Group, in_the_group)
    # A PDF of a council's plan: whoever may read the plan itself.
    register_object_rule(DOWNLOAD_REPORT, ImprovementPlan, reads_the_plan)
    # A board's export: whoever sees the board (and then only the person who asked for it:
    # peerchallenge.reports).
    register_object_rule(DOWNLOAD_REPORT, Tier2Group, sees_the_board)
    register_object_rule("peerchallenge.view_action", Action, my_councils_action)
    register_object_rule("peerchallenge.view_action", Action, monitors_the_action)
    register_object_rule("peerchallenge.update_action", Action, my_councils_action)
    register_object_rule("peerchallenge.change_action", Action, my_councils_action)
    register_object_rule("peerchallenge.monitor_action", Action, monitors_the_action)


def register_rules(rules: dict[str, frozenset[str]]) -> None:
    """Offer apps declare their role rules here from AppConfig.ready(); the core never
    imports them. A permission is declared once."""
    for perm, roles in rules.items():
        if perm in RULES and RULES[perm] != roles:
            raise ValueError(f"{perm} is already declared with other roles.")
        RULES[perm] = frozenset(roles)


def _access_cache(user) -> dict:
    """The person's roles and councils by alliance id, loaded once per request."""
    # Here, not at the top: selectors imports this module (a cycle).
    from .selectors import access_by_alliance

    if not user.is_authenticated or not user.is_active:
        return {}
    cache = getattr(user, "_pc_access", None)
    if cache is None:
        cache = user._pc_access = access_by_alliance(user=user)
    return cache


def roles_in(user, alliance_id: int) -> frozenset[str]:
    """The roles a signed-in person holds in one alliance."""
    access = _access_cache(user).get(alliance_id)
    return access.roles if access else frozenset()


def council_ids_in(user, alliance_id: int) -> frozenset[int]:
    """The councils a person works for (organiser, DCS) in one alliance."""
    access = _access_cache(user).get(alliance_id)
    return access.council_ids if access else frozenset()


def action_ids_viewable(user, actions, *, alliance) -> frozenset[int]:
    """The ids among `actions` (of `alliance`) the person may open ("peerchallenge.view_action"):
    the same answer as asking `has_perm` of each, in at most one query for the whole list
    (their Tier 2 groups), so that a page shows a link to an action only to those who can
    open it without a query per row."""
    actions = list(actions)
    if not actions or not user.is_authenticated or not roles_in(user, alliance.pk):
        return frozenset()
    if role_allows(roles_in(user, alliance.pk), "peerchallenge.view_action"):
        return frozenset(action.pk for action in actions)
    councils = council_ids_in(user, alliance.pk)
    group_ids = {action.tier2_group_id for action in actions} - {None}
    monitored = (
        set(Tier2Group.objects.filter(pk__in=group_ids, members=user).values_list("pk", flat=True))
        if group_ids
        else set()
    )
    return frozenset(
        action.pk
        for action in actions
        if action.local_authority_id in councils or action.tier2_group_id in monitored
    )


def alliance_ids_of(user, *, kinds=()) -> list[int]:
    """The ids of every alliance the person belongs to (of these kinds, if any are named)."""
    access = _access_cache(user)
    return [key for key, value in access.items() if not kinds or value.kind in kinds]


# Object rules: relationships no role expresses ("my council is in this triad"). Offer apps
# register a predicate per (permission, model); the backend asks it after the role rules.
_OBJECT_RULES: dict[tuple[str, type], list[Callable]] = defaultdict(list)


def register_object_rule(perm: str, model: type, predicate: Callable) -> None:
    """`predicate(user, obj) -> bool` grants `perm` on instances of `model`."""
    if predicate not in _OBJECT_RULES[(perm, model)]:
        _OBJECT_RULES[(perm, model)].append(predicate)


def role_allows(roles, perm: str) -> bool:
    return bool(set(roles) & RULES.get(perm, frozenset()))


class RolePermissionBackend:
    """An authentication backend that only answers permission questions."""

    def authenticate(self, request, **credentials):
        return None

    def has_perm(self, user, perm, obj=None):
        if obj is None:
            return False
        alliance_id = _alliance_id_of(obj)
        if alliance_id is None:
            return False
        if not roles_in(user, alliance_id):
            # Not (or no longer) a member: nothing in this alliance, not even through a
            # guardian grant left behind. Stop the chain here.
            raise PermissionDenied
        if role_allows(roles_in(user, alliance_id), perm):
            return True
        if any(rule(user, obj) for rule in _OBJECT_RULES.get((perm, type(obj)), ())):
            return True
        if isinstance(obj, Alliance):
            # Rights over a whole alliance come from roles alone; per-object grants
            # (guardian, the next backend) are for objects inside it. Stop here.
            raise PermissionDenied
        return False

    def get_all_permissions(self, user, obj=None):
        return set()


def _alliance_id_of(obj) -> int | None:
    # Every tenant-owned object carries its alliance (pretalx keeps `event` the same way).
    if isinstance(obj, Alliance):
        return obj.pk
    return getattr(obj, "alliance_id", None)


# Per-object grants (django-guardian) --------------------------------------------------------


class GrantBackend(ObjectPermissionBackend):
    """django-guardian's per-object grants, asked only where a grant can exist and read once
    per object per request.

    Grants live in direct foreign-key permission models defined beside the object (e.g.
    triads.TriadUserObjectPermission); an object of any other model has none, so asking
    costs no query (guardian's own backend would read its two generic tables each time: two
    queries per `has_perm` on every LGA section, every triad in a list). The answers are
    kept on the person's user object (a request's own, like Django's permission cache), and
    `prefetch_grants` reads a whole list's in two queries."""

    def has_perm(self, user_obj, perm, obj=None):
        if obj is None or type(obj) not in _granted_models():
            return False
        supported, user_obj = check_support(user_obj, obj)
        if not supported:
            return False
        return _grant_checker(user_obj).has_perm(perm, obj)

    def get_all_permissions(self, user_obj, obj=None):
        if obj is None or type(obj) not in _granted_models():
            return set()
        return super().get_all_permissions(user_obj, obj)

    def get_group_permissions(self, user_obj, obj=None):
        if obj is None or type(obj) not in _granted_models():
            return set()
        return super().get_group_permissions(user_obj, obj)


@cache
def _granted_models() -> frozenset[type]:
    """The models with a direct foreign-key grant model pointing at them (guardian's own
    generic tables, with a generic key, are not used)."""
    return frozenset(
        model.content_object.field.related_model
        for model in apps.get_models()
        if issubclass(model, UserObjectPermissionBase | GroupObjectPermissionBase)
        and hasattr(model.content_object, "field")
    )


def _grant_checker(user) -> ObjectPermissionChecker:
    checker = getattr(user, "_grant_checker", None)
    if checker is None:
        checker = user._grant_checker = ObjectPermissionChecker(user)
    return checker


def prefetch_grants(user, objects) -> None:
    """Read this person's grants on all `objects` (one model) in two queries, so that
    `has_perm` on each of them asks nothing more."""
    objects = list(objects)
    if objects and type(objects[0]) in _granted_models() and user.is_authenticated:
        _grant_checker(user).prefetch_perms(objects)
