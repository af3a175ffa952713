"""Who is told (peerchallenge.recipients): each council's DCS and organisers and the
alliance's planners, active people only, in one query whatever the number of councils."""

import pytest
from django_scopes import scope

from peerchallenge.models import LocalAuthority, Role
from peerchallenge.recipients import (
    PeopleInAlliances,
    council_dcs,
    council_organisers,
    council_people,
    email_addresses,
    everyone_in,
    people_of,
    planners_of,
)
from tests.factories import MembershipFactory, UserFactory, council


def member(alliance, role, name, la=None, *, active=True):
    user = UserFactory(
        full_name=name, email=f"{name.split()[0].lower()}.rc@example.org", is_active=active
    )
    MembershipFactory(alliance=alliance, user=user, role=role, local_authority=la)
    return user


@pytest.fixture
def closed(world):
    """Closed accounts in every role the selectors read, in Derby and the alliance."""
    derby = council("Derby")
    return {
        "dcs": member(world.em, Role.DCS, "Ivy Inactive", derby, active=False),
        "organiser": member(world.em, Role.LA_ORGANISER, "Ian Inactive", derby, active=False),
        "pm": member(world.em, Role.PROGRAMME_MANAGER, "Isla Inactive", active=False),
        "coordinator": member(world.em, Role.COORDINATOR, "Igor Inactive", active=False),
    }


def test_council_dcs_are_the_active_dcs_only(world, closed):
    derby = council("Derby")
    with scope(alliance=world.em):
        assert council_dcs(alliance=world.em, council_ids=[derby.pk]) == {derby.pk: [world.dcs]}


def test_council_organisers_are_the_active_organisers_only(world, closed):
    derby = council("Derby")
    with scope(alliance=world.em):
        found = council_organisers(alliance=world.em, council_ids=[derby.pk])
    assert found == {derby.pk: [world.organiser]}


def test_council_people_are_the_active_dcs_and_organisers_of_each_council(world, closed):
    derby, leicester, camden = council("Derby"), council("Leicester"), council("Camden")
    leicester_dcs = member(world.em, Role.DCS, "Lee Leicester", leicester)
    member(world.em, Role.DCS, "Nia Notasked", council("Nottingham"))
    with scope(alliance=world.em):
        found = council_people(alliance=world.em, council_ids=[derby.pk, leicester.pk, camden.pk])
    # Camden's DCS is in London, not in this alliance; Nottingham was not asked for.
    assert {key: sorted(p.email for p in people) for key, people in found.items()} == {
        derby.pk: [world.dcs.email, world.organiser.email],
        leicester.pk: [leicester_dcs.email],
    }


def test_someone_with_both_council_roles_is_listed_once(world):
    derby = council("Derby")
    MembershipFactory(
        alliance=world.em, user=world.dcs, role=Role.LA_ORGANISER, local_authority=derby
    )
    with scope(alliance=world.em):
        found = council_people(alliance=world.em, council_ids=[derby.pk])
    assert sorted(p.email for p in found[derby.pk]) == [world.dcs.email, world.organiser.email]


def test_planners_are_the_active_programme_managers_and_coordinators(world, closed):
    with scope(alliance=world.em):
        found = planners_of(alliance=world.em)
    # Not the admin, nor Tier 2, nor London's people.
    assert sorted(p.email for p in found) == sorted([world.pm.email, world.coordinator.email])


def test_people_of_reads_council_roles_and_alliance_roles_together(world, closed):
    derby = council("Derby")
    with scope(alliance=world.em):
        people = people_of(
            alliance=world.em, council_ids=[derby.pk], roles=[Role.PROGRAMME_MANAGER]
        )
    assert people.council(derby.pk) == [world.dcs, world.organiser]
    assert people.council(derby.pk, Role.DCS) == [world.dcs]
    assert people.holding(Role.PROGRAMME_MANAGER) == [world.pm]
    assert people.holding(Role.COORDINATOR) == []  # not asked for


def test_nothing_asked_for_reads_nothing(world, django_assert_num_queries):
    with scope(alliance=world.em), django_assert_num_queries(0):
        assert council_dcs(alliance=world.em, council_ids=[]) == {}


def test_email_addresses_are_each_once_active_and_sorted(world, closed):
    shouty = UserFactory(full_name="Shouty", email="DEE@example.org")
    assert email_addresses([world.organiser, world.dcs, shouty, closed["dcs"], world.dcs]) == [
        "dee@example.org",
        "oscar@example.org",
    ]


def test_everyone_in_lists_each_person_once(world):
    assert everyone_in({1: [world.dcs, world.organiser], 2: [world.dcs]}) == [
        world.dcs,
        world.organiser,
    ]


@pytest.mark.parametrize("count", [1, 12])
def test_one_query_whatever_the_number_of_councils(world, count, django_assert_num_queries):
    councils = list(LocalAuthority.objects.order_by("name")[:count])
    for la in councils:
        member(world.em, Role.DCS, f"Dcs{la.pk} Person", la)
        member(world.em, Role.LA_ORGANISER, f"Org{la.pk} Person", la)
    ids = [la.pk for la in councils]
    with scope(alliance=world.em):
        with django_assert_num_queries(1):
            people = council_people(alliance=world.em, council_ids=ids)
        with django_assert_num_queries(1):
            dcs = council_dcs(alliance=world.em, council_ids=ids)
        with django_assert_num_queries(1):
            council_organisers(alliance=world.em, council_ids=ids)
        with django_assert_num_queries(1):
            planners_of(alliance=world.em)
        with django_assert_num_queries(1):
            # A queryset of ids stays a subquery.
            council_dcs(
                alliance=world.em,
                council_ids=LocalAuthority.objects.filter(pk__in=ids).values("pk"),
            )
        with django_assert_num_queries(0):
            email_addresses(everyone_in(people))
    assert len(people) == len(dcs) == count


def test_the_reminders_module_still_offers_council_people():
    from peerchallenge import reminders

    assert reminders.council_people is council_people


def test_across_alliances_planners_and_council_people_are_active_only_in_one_query_each(
    world, closed, django_assert_num_queries
):
    from peerchallenge.recipients import council_people_by_alliance, planners_by_alliance

    derby, camden = council("Derby"), council("Camden")
    both = [world.em.pk, world.london.pk]
    with scope(alliance=both), django_assert_num_queries(1):
        planners = planners_by_alliance(alliances=both)
    assert world.pm in planners[world.em.pk] and world.coordinator in planners[world.em.pk]
    assert closed["pm"] not in planners[world.em.pk]
    assert world.pm not in planners.get(world.london.pk, ())
    with scope(alliance=both), django_assert_num_queries(1):
        people = council_people_by_alliance(
            pairs={(world.em.pk, derby.pk), (world.london.pk, camden.pk)}
        )
    assert people[(world.em.pk, derby.pk)] == (world.dcs, world.organiser)  # DCS first
    assert closed["dcs"] not in people[(world.em.pk, derby.pk)]
    assert world.london_membership.user in people[(world.london.pk, camden.pk)]
    assert council_people_by_alliance(pairs=set()) == {}


def test_people_in_alliances_by_role_active_only_in_one_query(
    world, closed, django_assert_num_queries
):
    derby, camden = council("Derby"), council("Camden")
    both = [world.em.pk, world.london.pk]
    with scope(alliance=both), django_assert_num_queries(1):
        people = PeopleInAlliances(alliances=both, council_ids=[derby.pk, camden.pk])
    assert set(people.planners_of(world.em.pk)) == {world.pm, world.coordinator}
    assert people.planners_of(world.em.pk, Role.PROGRAMME_MANAGER) == (world.pm,)
    assert people.planners_of(world.london.pk) == ()
    assert people.council(world.em.pk, derby.pk) == (world.dcs, world.organiser)  # DCS first
    assert people.council(world.em.pk, derby.pk, Role.LA_ORGANISER) == (world.organiser,)
    assert closed["dcs"] not in people.council(world.em.pk, derby.pk)
    assert people.council(world.london.pk, camden.pk) == (world.london_membership.user,)
    # As one alliance's People, for a selector written for one.
    assert people.in_alliance(world.em.pk).council(derby.pk, Role.DCS) == [world.dcs]


def test_people_in_alliances_for_one_person_or_nobody_reads_nothing(
    world, django_assert_num_queries
):
    from peerchallenge.permissions import roles_in

    derby = council("Derby")
    roles_in(world.dcs, world.em.pk)  # what the request's middleware has loaded
    with scope(alliance=world.em), django_assert_num_queries(0):
        mine = PeopleInAlliances(alliances=[world.em.pk], council_ids=[derby.pk], user=world.dcs)
        nobody = PeopleInAlliances(alliances=[world.em.pk], council_ids=[derby.pk], people=False)
    assert mine.council(world.em.pk, derby.pk) == (world.dcs,)
    assert mine.planners_of(world.em.pk) == ()
    assert nobody.council(world.em.pk, derby.pk) == () and nobody.planners_of(world.em.pk) == ()
