import datetime

import pytest
from django.urls import reverse
from django_scopes import scope

from peerchallenge.models import Role
from peerchallenge.services import action_create, action_record_progress
from tests.factories import MembershipFactory, UserFactory, council
from tests.triads.factories import CycleFactory

# The tag on an overdue action (the summary table's "Overdue" column is always there).
OVERDUE_TAG = '<strong class="govuk-tag govuk-tag--red">Overdue</strong>'


def plan_url(world, gss="E06000015"):
    return reverse("improvement_plan", kwargs={"alliance": world.em.slug, "gss": gss})


def add_actions(world, cycle, n, *, la="Derby"):
    with scope(alliance=world.em):
        for i in range(n):
            action = action_create(
                source=cycle,
                local_authority=council(la),
                what=f"Action {i}",
                owner="Head of service",
                due_date=datetime.date(2027, 1, 1) + datetime.timedelta(i),
                tier2_group=None,
                created_by=world.organiser,
            )
            action_record_progress(
                action=action, author=world.organiser, note=f"Progress on {i}", status="amber"
            )


def test_plan_groups_actions_by_source_with_latest_update(client, world):
    past = CycleFactory(alliance=world.em, name="March 2026", event_date=datetime.date(2026, 3, 12))
    add_actions(world, past, 2)
    client.force_login(world.organiser)
    page = client.get(plan_url(world)).content.decode()
    assert "Cycle: March 2026" in page
    assert "Action 1" in page and "Progress on 1" in page and "Some concerns" in page
    assert OVERDUE_TAG not in page


def test_overdue_actions_are_flagged(client, world):
    cycle = CycleFactory(alliance=world.em, event_date=datetime.date(2020, 3, 1))
    with scope(alliance=world.em):
        action_create(
            source=cycle,
            local_authority=council("Derby"),
            what="Late one",
            owner="DCS",
            due_date=datetime.date(2020, 6, 1),
            tier2_group=None,
            created_by=world.organiser,
        )
    client.force_login(world.pm)
    assert OVERDUE_TAG in client.get(plan_url(world)).content.decode()


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("organiser", 200),
        ("dcs", 200),
        ("pm", 200),
        ("coordinator", 200),
        ("tier2", 200),
        ("admin", 200),
        ("other_council", 404),
    ],
)
def test_who_reads_a_councils_plan(client, world, who, status):
    if who == "other_council":
        user = UserFactory()
        MembershipFactory(
            alliance=world.em, user=user, role=Role.DCS, local_authority=council("Rutland")
        )
    else:
        user = getattr(world, who)
    client.force_login(user)
    assert client.get(plan_url(world)).status_code == status


def test_plan_query_count_is_constant(client, world, django_assert_max_num_queries):
    cycle = CycleFactory(alliance=world.em)
    add_actions(world, cycle, 1)
    client.force_login(world.organiser)
    with django_assert_max_num_queries(12):
        client.get(plan_url(world))
    add_actions(world, cycle, 30)
    with django_assert_max_num_queries(12):
        page = client.get(plan_url(world)).content.decode()
    assert "Action 29" in page
