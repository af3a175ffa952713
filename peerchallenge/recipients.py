"""Who is told: the people an email goes to, chosen once for every offer.

Each selector reads one alliance's memberships in one query, whatever the number of councils,
and returns active people only: a closed account is never emailed. An offer's own rule (a
challenge's named sponsor, a review's team) is built on these in the offer; the core never
asks an offer.

- `council_people`: each council's DCS and organisers (or the roles asked for);
- `council_dcs`, `council_organisers`: each council's DCS, or its organisers;
- `planners_of`: the alliance's programme managers and coordinators;
- `people_of`: any mix of the above in one query, for a caller that needs several (a
  reminder source);
- `email_addresses`: their addresses, each once, for one message each;
- `planners_by_alliance`, `council_people_by_alliance`: the same across several alliances
  in one query (the offers' obligations);
- `PeopleInAlliances`: the planners by role and each council's people by role across
  several alliances, in one query (or none, for one person's home page): an offer whose
  rules name particular roles (the LGA's programme manager, a council's DCS).
"""

from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Q, QuerySet

from .models import COUNCIL_ROLES, Alliance, Membership, Role, User
from .permissions import PLANNERS, council_ids_in, roles_in


class People:
    """Active people of one alliance by role: council roles by council, other roles for the
    whole alliance. Each person appears once per list: by role, then by name."""

    def __init__(self, memberships: Iterable[Membership] = ()):
        self._by_council: dict[int, dict[str, dict[int, User]]] = defaultdict(
            lambda: defaultdict(dict)
        )
        self._by_role: dict[str, dict[int, User]] = defaultdict(dict)
        for membership in memberships:
            if membership.local_authority_id is not None and membership.role in COUNCIL_ROLES:
                council = self._by_council[membership.local_authority_id]
                council[membership.role][membership.user_id] = membership.user
            else:
                self._by_role[membership.role][membership.user_id] = membership.user

    def council(self, council_id: int, *roles: str) -> list[User]:
        """The council's people holding one of `roles` (default: its DCS and organisers)."""
        found: dict[int, User] = {}
        held = self._by_council.get(council_id, {})
        for role in roles or sorted(COUNCIL_ROLES):
            found.update(held.get(role, {}))
        return list(found.values())

    def councils(self, *roles: str) -> dict[int, list[User]]:
        """`council` for every council that has someone in `roles`."""
        by_council = {
            council_id: self.council(council_id, *roles) for council_id in self._by_council
        }
        return {council_id: people for council_id, people in by_council.items() if people}

    def holding(self, *roles: str) -> list[User]:
        """The alliance's people holding one of `roles` (roles not tied to a council)."""
        found: dict[int, User] = {}
        for role in roles:
            found.update(self._by_role.get(role, {}))
        return list(found.values())


def _ids(council_ids: Iterable[int] | QuerySet) -> Iterable[int] | QuerySet:
    # A queryset of ids stays a subquery: still one query.
    return council_ids if isinstance(council_ids, QuerySet) else set(council_ids)


def people_of(
    *,
    alliance: Alliance | int,
    council_ids: Iterable[int] | QuerySet = (),
    council_roles: Iterable[str] = COUNCIL_ROLES,
    roles: Iterable[str] = (),
) -> People:
    """The active holders of `council_roles` for these councils and of `roles` in the
    alliance, in one query (none when nothing is asked for)."""
    council_ids = _ids(council_ids)
    council_roles = set(council_roles) & COUNCIL_ROLES
    roles = set(roles) - COUNCIL_ROLES
    wanted = []
    if council_roles and (isinstance(council_ids, QuerySet) or council_ids):
        wanted.append(Q(role__in=council_roles, local_authority_id__in=council_ids))
    if roles:
        wanted.append(Q(role__in=roles))
    if not wanted:
        return People()
    either = wanted[0] if len(wanted) == 1 else wanted[0] | wanted[1]
    memberships = (
        Membership.objects.filter(alliance=alliance, user__is_active=True)
        .filter(either)
        .select_related("user")
    )
    return People(memberships)


def council_people(
    *,
    alliance: Alliance | int,
    council_ids: Iterable[int] | QuerySet,
    roles: Iterable[str] = COUNCIL_ROLES,
) -> dict[int, list[User]]:
    """The active DCS and organisers (or `roles`) of each council, in one query; councils
    with nobody are left out."""
    roles = tuple(roles)
    people = people_of(alliance=alliance, council_ids=council_ids, council_roles=roles)
    return people.councils(*roles)


def council_dcs(
    *, alliance: Alliance | int, council_ids: Iterable[int] | QuerySet
) -> dict[int, list[User]]:
    """Each council's active DCS (usually one), in one query."""
    return council_people(alliance=alliance, council_ids=council_ids, roles=(Role.DCS,))


def council_organisers(
    *, alliance: Alliance | int, council_ids: Iterable[int] | QuerySet
) -> dict[int, list[User]]:
    """Each council's active organisers, in one query."""
    return council_people(alliance=alliance, council_ids=council_ids, roles=(Role.LA_ORGANISER,))


def planners_of(*, alliance: Alliance | int) -> list[User]:
    """The alliance's active programme managers and coordinators, in one query."""
    return people_of(alliance=alliance, roles=PLANNERS).holding(*sorted(PLANNERS))


def everyone_in(by_council: dict[int, list[User]]) -> list[User]:
    """The people of every council, each once."""
    found: dict[int, User] = {}
    for people in by_council.values():
        for person in people:
            found.setdefault(person.pk, person)
    return list(found.values())


def email_addresses(people: Iterable[User]) -> list[str]:
    """The active people's addresses, each once (whatever its case), sorted; blank ones and
    closed accounts left out (a person named on a challenge may have left since)."""
    addresses: dict[str, str] = {}
    for person in people:
        if person.is_active and person.email:
            addresses.setdefault(person.email.lower(), person.email)
    return [addresses[key] for key in sorted(addresses)]


# Across alliances: an offer's obligations are stated for several alliances at once.


def planners_by_alliance(*, alliances: Iterable[int]) -> dict[int, tuple[User, ...]]:
    """Each alliance's active programme managers and coordinators, in one query whatever
    the number of alliances; an alliance with none is left out."""
    found: dict[int, dict[int, User]] = defaultdict(dict)
    for membership in Membership.objects.filter(
        alliance__in=list(alliances), role__in=PLANNERS, user__is_active=True
    ).select_related("user"):
        found[membership.alliance_id].setdefault(membership.user_id, membership.user)
    return {alliance_id: tuple(people.values()) for alliance_id, people in found.items()}


def council_people_by_alliance(
    *, pairs: Iterable[tuple[int, int]]
) -> dict[tuple[int, int], tuple[User, ...]]:
    """The active DCS and organisers of each (alliance id, council id), in one query whatever
    the number of alliances and councils; a pair with nobody is left out."""
    pairs = set(pairs)
    if not pairs:
        return {}
    wanted = Q(pk__in=[])
    for alliance_id in {alliance_id for alliance_id, _ in pairs}:
        councils = {council_id for a, council_id in pairs if a == alliance_id}
        wanted |= Q(alliance_id=alliance_id, local_authority_id__in=councils)
    found: dict[tuple[int, int], dict[int, User]] = defaultdict(dict)
    memberships = Membership.objects.filter(wanted, role__in=COUNCIL_ROLES, user__is_active=True)
    # DCS first, then organisers, as `council_people` lists them.
    for membership in memberships.select_related("user").order_by("role", "user__full_name"):
        key = (membership.alliance_id, membership.local_authority_id)
        found[key].setdefault(membership.user_id, membership.user)
    return {key: tuple(people.values()) for key, people in found.items()}


class PeopleInAlliances:
    """The alliances' planners, and the DCS and organisers of the councils asked for, active
    only, by role, in one query. For one person's home page (`user`), only that person, from
    the roles and councils their request already loaded (as the permission rules read them:
    no query). `people=False`: nobody, no query (the overview)."""

    def __init__(
        self, *, alliances: Iterable[int], council_ids: Iterable[int], user=None, people=True
    ):
        # alliance -> role -> user id -> user; (alliance, council) -> role -> user id -> user
        self._planners: dict[int, dict[str, dict[int, User]]] = defaultdict(dict)
        self._councils: dict[tuple[int, int], dict[str, dict[int, User]]] = defaultdict(dict)
        council_ids = set(council_ids)
        if user is not None:
            for alliance_id in alliances:
                roles = roles_in(user, alliance_id)
                for role in roles & PLANNERS:
                    self._planners[alliance_id][role] = {user.pk: user}
                for council_id in council_ids_in(user, alliance_id) & council_ids:
                    for role in roles & COUNCIL_ROLES:
                        self._councils[(alliance_id, council_id)][role] = {user.pk: user}
            return
        if not people:
            return
        memberships = Membership.objects.filter(
            Q(role__in=PLANNERS) | Q(role__in=COUNCIL_ROLES, local_authority_id__in=council_ids),
            alliance__in=list(alliances),
            user__is_active=True,
        )
        for membership in memberships.select_related("user"):
            if membership.role in PLANNERS:
                held = self._planners[membership.alliance_id]
            else:
                held = self._councils[(membership.alliance_id, membership.local_authority_id)]
            held.setdefault(membership.role, {})[membership.user_id] = membership.user

    @staticmethod
    def _of(held: dict, roles) -> tuple:
        found: dict[int, User] = {}
        for role in roles:
            found.update(held.get(role, {}))
        return tuple(found.values())

    def planners_of(self, alliance_id: int, *roles: str) -> tuple:
        """The alliance's planners (or only those holding `roles`)."""
        return self._of(self._planners.get(alliance_id, {}), roles or sorted(PLANNERS))

    def council(self, alliance_id: int, council_id: int, *roles: str) -> tuple:
        """The council's DCS and organisers in the alliance (or only those of `roles`)."""
        held = self._councils.get((alliance_id, council_id), {})
        return self._of(held, roles or (Role.DCS, Role.LA_ORGANISER))

    def in_alliance(self, alliance_id: int) -> "_InAlliance":
        """These people seen as one alliance's `People` (its `council(...)`), for a selector
        that takes one (e.g. an offer's sponsor rule), so that rule is said once."""
        return _InAlliance(self, alliance_id)


class _InAlliance:
    def __init__(self, people: PeopleInAlliances, alliance_id: int):
        self._people, self._alliance_id = people, alliance_id

    def council(self, council_id: int, *roles: str) -> list[User]:
        return list(self._people.council(self._alliance_id, council_id, *roles))
