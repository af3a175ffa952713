"""What is read from an alliance's agreed actions alone (a Tier 2 board's counts and
sources, the overview's overdue actions) is cached under the alliance's actions' state:
asked again, it costs no query; any action saved or deleted, or a group renamed, gives a new
state in the same transaction, so nobody reads an old count; a change rolled back leaves
nothing behind."""

import datetime

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_scopes import scope

from peerchallenge.models import Action, Alliance
from peerchallenge.overview import overdue_actions
from peerchallenge.selectors import BoardFilters, tier2_board_rag_counts
from peerchallenge.services import action_record_progress, action_remove
from tests.clock import days
from tests.factories import ActionFactory, Tier2GroupFactory, council


@pytest.fixture
def group(world):
    with scope(alliance=world.em):
        group = Tier2GroupFactory(alliance=world.em, name="Safeguarding")
        group.members.add(world.tier2)
        for la, due in (("Derby", days(-10)), ("Derby", days(20)), ("Rutland", days(-3))):
            ActionFactory(
                alliance=world.em,
                local_authority=council(la),
                tier2_group=group,
                due_date=due,
                status="amber",
            )
    return group


def fresh(world) -> Alliance:
    """The alliance as a new request loads it."""
    return Alliance.objects.get(pk=world.em.pk)


def counts(world, group, **filters):
    group.alliance = fresh(world)
    with scope(alliance=world.em):
        return {
            row.council_name: row.counts
            for row in tier2_board_rag_counts(group=group, filters=BoardFilters(**filters))
        }


def test_the_board_counts_are_read_once_until_an_action_changes(world, group):
    first = counts(world, group)
    assert (first["Derby"].amber, first["Derby"].overdue, first["Rutland"].overdue) == (2, 1, 1)
    with CaptureQueriesContext(connection) as queries:
        assert counts(world, group) == first
    assert not [q for q in queries.captured_queries if "peerchallenge_action" in q["sql"]]

    with scope(alliance=world.em):
        late = Action.objects.get(local_authority=council("Rutland"))
        action_record_progress(action=late, author=world.tier2, note="Done.", status="complete")
    after = counts(world, group)
    assert (after["Rutland"].complete, after["Rutland"].overdue) == (1, 0)

    with scope(alliance=world.em):
        derby_late = Action.objects.get(local_authority=council("Derby"), due_date=days(-10))
        action_remove(action=derby_late, removed_by=world.pm, reason="Agreed twice.")
    assert counts(world, group)["Derby"].amber == 1


def test_each_filter_has_its_own_count(world, group):
    assert set(counts(world, group)) == {"Derby", "Rutland"}
    assert set(counts(world, group, council=council("Rutland").pk)) == {"Rutland"}
    assert counts(world, group, overdue=True)["Derby"].amber == 1


def test_a_change_rolled_back_leaves_nothing_cached(world, group):
    before = counts(world, group)
    with scope(alliance=world.em), transaction.atomic():
        sid = transaction.savepoint()
        Action.objects.get(local_authority=council("Rutland")).delete()
        assert set(counts(world, group)) == {"Derby"}  # seen (and cached) inside
        transaction.savepoint_rollback(sid)
    assert counts(world, group) == before
    # The next real change is not mistaken for the rolled-back one (a counter would be).
    with scope(alliance=world.em):
        Action.objects.filter(local_authority=council("Derby")).order_by("pk").first().delete()
    after = counts(world, group)
    assert (set(after), after["Derby"].total) == ({"Derby", "Rutland"}, 1)


def test_the_overview_overdue_actions_follow_changes_and_group_names(world, group):
    today = days(0)
    with scope(alliance=world.em):
        overdue = overdue_actions(alliance=fresh(world), today=today)
        assert overdue.total == 2
        assert [(g.name, n) for g, n in overdue.by_group] == [("Safeguarding", 2)]
        group.name = "Safeguarding board"
        group.save()
        overdue = overdue_actions(alliance=fresh(world), today=today)
        assert [(g.name, n) for g, n in overdue.by_group] == [("Safeguarding board", 2)]
        ActionFactory(
            alliance=world.em,
            local_authority=council("Derby"),
            tier2_group=group,
            due_date=days(-1),
        )
        assert overdue_actions(alliance=fresh(world), today=today).total == 3
        # Another day, another count: tomorrow the action due today is late too.
        ActionFactory(
            alliance=world.em, local_authority=council("Derby"), tier2_group=group, due_date=today
        )
        tomorrow = today + datetime.timedelta(days=1)
        assert overdue_actions(alliance=fresh(world), today=tomorrow).total == 4


def test_the_board_page_shows_a_change_at_once(client, world, group):
    client.force_login(world.tier2)
    url = reverse("tier2_board", kwargs={"alliance": world.em.slug, "group": group.pk})
    assert "3 actions" in client.get(url).content.decode()
    with scope(alliance=world.em):
        ActionFactory(alliance=world.em, local_authority=council("Derby"), tier2_group=group)
    assert "4 actions" in client.get(url).content.decode()


def test_the_home_page_overdue_count_follows_changes(client, world, group):
    client.force_login(world.tier2)
    assert "2 actions are overdue in Safeguarding" in client.get(reverse("home")).content.decode()
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("home"))
    assert not [q for q in queries.captured_queries if "peerchallenge_action" in q["sql"]]
    with scope(alliance=world.em):
        late = Action.objects.get(local_authority=council("Rutland"))
        action_record_progress(action=late, author=world.tier2, note="Done.", status="complete")
    assert "1 action is overdue in Safeguarding" in client.get(reverse("home")).content.decode()
