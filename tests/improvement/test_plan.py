"""A council's development plan: its priorities written by its organisers and DCS, submitted
by its DCS, each priority then an agreed action (source: the plan) on the council's
improvement plan and its Tier 2 group's board."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from improvement.models import DevelopmentPlan, Priority, step_defaults
from improvement.obligations import obligations
from improvement.selectors import board_rows, cycle_year_next, template_of
from improvement.services.cycle import cycle_open
from improvement.services.plan import plan_submit, priority_add
from improvement.services.self_evaluation import section_save, self_evaluation_submit
from peerchallenge.models import Action, Role
from tests.clock import days
from tests.factories import MembershipFactory, Tier2GroupFactory, UserFactory, council
from tests.forms import date_parts


@pytest.fixture
def cycle(world):
    with scope(alliance=world.em):
        year = cycle_year_next(world.em)
        return cycle_open(
            alliance=world.em, year=year, deadlines=step_defaults(year), opened_by=world.pm
        )


def url(world, cycle, name="plan", council_name="Derby", **kwargs):
    return reverse(
        f"improvement:{name}",
        kwargs={
            "alliance": world.em.slug,
            "improvement_cycle": cycle.pk,
            "gss": council(council_name).gss_code,
            **kwargs,
        },
    )


def text_of(response) -> str:
    return response.content.decode().replace("&#x27;", "'").replace("&quot;", '"')


def add(world, cycle, title="Placement sufficiency", due=None):
    with scope(alliance=world.em):
        return priority_add(
            cycle=cycle,
            council=council("Derby"),
            title=title,
            what="Open two more local homes for older children.",
            owner="Head of service, children in care",
            due_date=due or days(200),
        )


FIELDS = {
    "title": "Management oversight",
    "what": "Supervision audits every month in long-term teams.",
    "owner": "Service manager",
}


def test_the_organiser_writes_priorities_with_their_messages(client, world, cycle):
    client.force_login(world.organiser)
    assert "Not started" in text_of(client.get(url(world, cycle)))
    adding = url(world, cycle, "priority_add")
    response = client.post(adding, {**FIELDS, "title": "", **date_parts("due_date", days(-1))})
    page = text_of(response)
    assert "Enter the priority." in page
    response = client.post(adding, {**FIELDS, **date_parts("due_date", days(-1))})
    assert "must be today or in the future" in text_of(response)
    impossible = {"due_date_day": "30", "due_date_month": "2", "due_date_year": "2027"}
    response = client.post(adding, {**FIELDS, **impossible})
    assert "The due date must be a real date" in text_of(response)
    assert client.post(adding, {**FIELDS, **date_parts("due_date", days(90))}).status_code == 302
    page = text_of(client.get(url(world, cycle)))
    assert "1. Management oversight" in page and "Owner: Service manager." in page
    with scopes_disabled():
        priority = Priority.objects.get()
    change = url(world, cycle, "priority_change", priority=priority.pk)
    client.post(change, {**FIELDS, "title": "Oversight", **date_parts("due_date", days(120))})
    priority.refresh_from_db()
    assert (priority.title, priority.due_date) == ("Oversight", days(120))
    remove = url(world, cycle, "priority_remove", priority=priority.pk)
    assert client.post(remove, {"confirm": "yes"}).status_code == 302
    with scopes_disabled():
        assert not Priority.objects.exists()


def test_submitting_makes_each_priority_an_agreed_action(client, world, cycle):
    group = Tier2GroupFactory(alliance=world.em, name="Safeguarding Tier 2")
    first = add(world, cycle)
    add(world, cycle, "Oversight", due=days(90))
    client.force_login(world.organiser)
    assert client.get(url(world, cycle, "plan_submit")).status_code == 404
    client.force_login(world.dcs)
    response = client.post(url(world, cycle, "plan_submit"), {"tier2_group": group.pk})
    assert response.status_code == 302
    client.post(url(world, cycle, "plan_submit"), {"tier2_group": group.pk})  # again: once
    with scopes_disabled():
        actions = list(Action.objects.order_by("due_date"))
        first.refresh_from_db()
    assert len(actions) == 2
    assert actions[1].what == "Placement sufficiency: Open two more local homes for older children."
    assert (actions[1].owner, actions[1].due_date, actions[1].tier2_group) == (
        "Head of service, children in care",
        days(200),
        group,
    )
    assert first.action == actions[1]
    with scopes_disabled():
        plan = DevelopmentPlan.objects.get()
    assert actions[0].source == plan
    page = text_of(client.get(url(world, cycle)))
    assert "Submitted" in page and "Add a priority" not in page
    # The council's improvement plan lists them under the improvement cycle.
    improvement_plan = text_of(
        client.get(
            reverse(
                "improvement_plan",
                kwargs={"alliance": world.em.slug, "gss": council("Derby").gss_code},
            )
        )
    )
    assert "Improvement cycle" in improvement_plan
    assert "Placement sufficiency: Open two more local homes" in improvement_plan
    # Locked: no more changes.
    client.force_login(world.organiser)
    assert client.get(url(world, cycle, "priority_add")).status_code == 302
    with scope(alliance=world.em), pytest.raises(ValidationError):
        add(world, cycle)


def test_a_plan_needs_a_priority_and_no_date_in_the_past(world, cycle):
    with scope(alliance=world.em):
        plan = DevelopmentPlan.objects.create(
            alliance=world.em, cycle=cycle, council=council("Derby")
        )
        with pytest.raises(ValidationError) as refused:
            plan_submit(plan=plan, submitted_by=world.dcs, tier2_group=None)
    assert "at least one priority" in str(refused.value)
    priority = add(world, cycle)
    with scopes_disabled():
        Priority.objects.filter(pk=priority.pk).update(due_date=days(-2))
    with scope(alliance=world.em), pytest.raises(ValidationError) as refused:
        plan_submit(plan=plan, submitted_by=world.dcs, tier2_group=None)
    assert "now due in the past" in str(refused.value)


@pytest.mark.parametrize("who", ["tier2", "admin", "leicester"])
def test_nobody_else_reads_the_plan(client, world, cycle, who):
    add(world, cycle)
    if who == "leicester":
        user = UserFactory()
        MembershipFactory(
            alliance=world.em, user=user, role=Role.DCS, local_authority=council("Leicester")
        )
    else:
        user = getattr(world, who)
    client.force_login(user)
    assert client.get(url(world, cycle)).status_code == 404


def test_the_planners_read_it_and_the_board_follows_it(client, world, cycle):
    add(world, cycle)
    client.force_login(world.pm)
    page = text_of(client.get(url(world, cycle)))
    assert "Placement sufficiency" in page and "Add a priority" not in page
    with scope(alliance=world.em):
        rows = {row.council.name: row for row in board_rows(cycle)}
    assert (rows["Derby"].plan_state, rows["Derby"].priorities) == ("draft", 1)
    assert "Draft, 1 priority" in text_of(
        client.get(
            reverse(
                "improvement:board",
                kwargs={"alliance": world.em.slug, "improvement_cycle": cycle.pk},
            )
        )
    )


def test_the_plan_is_asked_for_once_the_self_evaluation_is_in(world, cycle):
    def titles():
        with scopes_disabled():
            found = obligations(
                alliances=[world.em.pk], today=cycle.opened_at.date(), user=world.organiser
            )
        return [o.title for o in found if not o.done]

    plan_title = f"Write and submit Derby's development plan for {cycle.label}"
    assert plan_title not in titles()
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
        self_evaluation_submit(evaluation=evaluation, submitted_by=world.dcs)
    assert plan_title in titles()
    add(world, cycle)
    with scope(alliance=world.em):
        plan_submit(plan=DevelopmentPlan.objects.get(), submitted_by=world.dcs, tier2_group=None)
    assert plan_title not in titles()
