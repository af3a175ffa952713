"""What the improvement cycle asks of whom: each council's self-evaluation on its people's
home page and calendar, reminded before the deadline, and the overview's row."""

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from improvement.models import step_defaults
from improvement.obligations import obligations
from improvement.selectors import cycle_year_next, template_of
from improvement.services.cycle import cycle_open
from improvement.services.self_evaluation import (
    section_save,
    self_evaluation_return,
    self_evaluation_submit,
)
from tests.clock import days
from tests.factories import council
from tests.obligations import home_item, send


@pytest.fixture
def cycle(world):
    with scope(alliance=world.em):
        year = cycle_year_next(world.em)
        return cycle_open(
            alliance=world.em,
            year=year,
            deadlines={**step_defaults(year), "self_evaluation_due": days(14)},
            opened_by=world.pm,
        )


def owed(world, **kwargs) -> list:
    with scopes_disabled():
        return obligations(alliances=[world.em.pk], today=timezone.localdate(), **kwargs)


def submitted(world, cycle):
    with scope(alliance=world.em):
        for section in template_of(cycle):
            if section.kind != "data":
                evaluation = section_save(
                    cycle=cycle,
                    council=council("Derby"),
                    section=section,
                    text="Written.",
                    saved_by=world.organiser,
                ).self_evaluation
        return self_evaluation_submit(evaluation=evaluation, submitted_by=world.dcs)


def test_each_council_owes_its_self_evaluation_until_its_dcs_submits(client, world, cycle):
    found = [o for o in owed(world) if o.kind == "improvement.self_evaluation"]
    assert len(found) == 10
    derby = next(o for o in found if o.council == council("Derby"))
    assert derby.title == f"Write and submit Derby's self-evaluation for {cycle.label}"
    assert derby.due == cycle.self_evaluation_due
    assert set(derby.actors) == {world.organiser, world.dcs}
    evaluation = submitted(world, cycle)
    assert next(o for o in owed(world) if o.council == council("Derby")).done
    with scope(alliance=world.em):
        self_evaluation_return(
            evaluation=evaluation, returned_by=world.pm, comment="More.", section_comments={}
        )
    derby = next(o for o in owed(world) if o.council == council("Derby"))
    assert derby.title == f"Change and resubmit Derby's self-evaluation for {cycle.label}"
    assert not derby.done


def test_the_home_page_asks_the_councils_people_only(client, world, cycle):
    title = f"Write and submit Derby's self-evaluation for {cycle.label}"
    assert home_item(client, world.organiser, title)
    assert home_item(client, world.dcs, title)
    assert not home_item(client, world.tier2, title)
    assert not home_item(client, world.pm, title)
    assert [o.title for o in owed(world, user=world.organiser)] == [title]
    submitted(world, cycle)
    assert not home_item(client, world.dcs, title)


def test_the_reminder_is_sent_within_the_alliances_days_of_the_deadline(world, cycle, mailoutbox):
    def sent_to(email):
        return [mail for mail in mailoutbox if email in mail.to]

    assert owed(world, reminder_days={"self_evaluation_due": 13}) == []
    assert len(owed(world, reminder_days={"self_evaluation_due": 14})) == 10
    assert owed(world, reminder_days={"return_due": 30}) == []
    send(world, today=days(-1))  # 15 days before: too early for the default 14
    assert sent_to(world.organiser.email) == []
    send(world)
    [mail] = sent_to(world.organiser.email)
    assert f"Derby's self-evaluation for {cycle.label} is due on" in mail.subject
    send(world)  # the same day again: nothing twice
    assert len(sent_to(world.organiser.email)) == 1


def test_owed_self_evaluations_cost_the_same_whatever_the_councils(
    world, cycle, django_assert_max_num_queries
):
    # The open cycle, its self-evaluations, plans, brokered matches, scrutinies and councils;
    # the people told.
    # Ten self-evaluations and the regional plan: the cycle, its self-evaluations, plans,
    # brokered matches, scrutinies, councils and the menu's needs; the people told (planners,
    # councils').
    with django_assert_max_num_queries(9):
        assert len(owed(world)) == 11
    submitted(world, cycle)
    with django_assert_max_num_queries(9):
        assert len(owed(world)) == 12  # and Derby's development plan, now it may be written


def test_the_overview_follows_the_cycle(client, world, cycle):
    submitted(world, cycle)
    client.force_login(world.pm)
    html = client.get(reverse("alliance_overview", kwargs={"alliance": world.em.slug}))
    html = html.content.decode()
    assert f"Improvement cycle {cycle.label} (1 of 10 self-evaluations submitted)" in html
    assert "Self-evaluations due" in html


def test_a_cycle_that_has_ended_asks_nothing(world, cycle):
    with scopes_disabled():
        cycle.regional_plan_due = days(-1)
        cycle.scrutiny_due = cycle.plan_due = cycle.challenge_due = days(-2)
        cycle.menu_due = days(-2)
        cycle.self_evaluation_due = days(-3)
        cycle.save()
    assert owed(world) == []


def test_the_overview_follows_the_scrutiny_and_the_plans(client, world, cycle):
    from improvement.services.plan import priority_add
    from improvement.services.scrutiny import scrutiny_add
    from tests.clock import days

    submitted(world, cycle)
    with scope(alliance=world.em):
        scrutiny_add(
            cycle=cycle,
            council=council("Derby"),
            scrutineer=council("Leicester"),
            assigned_by=world.pm,
        )
        priority_add(
            cycle=cycle,
            council=council("Derby"),
            title="Sufficiency",
            what="Two homes.",
            owner="Head of service",
            due_date=days(100),
        )
    client.force_login(world.pm)
    html = client.get(reverse("alliance_overview", kwargs={"alliance": world.em.slug}))
    html = html.content.decode()
    assert f"Peer scrutiny {cycle.label} (0 of 1 notes in)" in html
    assert f"Development plans {cycle.label} (0 of 10 submitted)" in html
