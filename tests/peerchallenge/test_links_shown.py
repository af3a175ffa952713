"""A link is shown only to people who can open it: the core's list-wide answer for agreed
actions agrees with asking each one, and the action page links the Tier 2 board only for
those who see the board (tests/test_links_open.py crawls the whole demo for the rest)."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django_scopes import scope

from peerchallenge.models import Role
from peerchallenge.permissions import action_ids_viewable
from tests.factories import (
    ActionFactory,
    MembershipFactory,
    Tier2GroupFactory,
    UserFactory,
    council,
)


@pytest.fixture
def actions(world):
    group = Tier2GroupFactory(alliance=world.em, name="Early help")
    group.members.add(world.tier2)
    derby = ActionFactory(source__alliance=world.em)
    leicester = ActionFactory(source=derby.source, local_authority=council("Leicester"))
    monitored = ActionFactory(
        source=derby.source, local_authority=council("Leicester"), tier2_group=group
    )
    return group, [derby, leicester, monitored]


def test_the_list_wide_answer_is_each_actions_answer(world, actions):
    _group, found = actions
    reviewer = UserFactory()
    MembershipFactory(
        alliance=world.em, user=reviewer, role=Role.PEER_REVIEWER, local_authority=council("Derby")
    )
    people = [world.admin, world.pm, world.coordinator, world.organiser, world.dcs, world.tier2]
    with scope(alliance=world.em):  # as in a page of the alliance
        for person in [*people, reviewer, world.outsider]:
            expected = {a.pk for a in found if person.has_perm("peerchallenge.view_action", a)}
            assert action_ids_viewable(person, found, alliance=world.em) == expected, person
        assert action_ids_viewable(world.dcs, found, alliance=world.em) == {found[0].pk}
        assert action_ids_viewable(world.tier2, found, alliance=world.em) == {found[2].pk}
        assert action_ids_viewable(AnonymousUser(), found, alliance=world.em) == frozenset()


def test_the_action_page_links_the_board_only_for_those_who_see_it(client, world, actions):
    group, found = actions
    monitored = found[2]
    monitored.local_authority = council("Derby")
    monitored.save()
    url = reverse("action_detail", kwargs={"alliance": world.em.slug, "action": monitored.pk})
    board = reverse("tier2_board", kwargs={"alliance": world.em.slug, "group": group.pk})
    for person, shown in [(world.pm, True), (world.tier2, True), (world.dcs, False)]:
        client.force_login(person)
        page = client.get(url).content.decode()
        assert (f'href="{board}"' in page) is shown, person
        assert "Early help" in page  # the group is named either way
