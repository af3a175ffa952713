"""The event-day template: a council records its agreed actions and next steps."""

import datetime

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from peerchallenge.models import Action, LocalAuthority, Role
from tests.factories import MembershipFactory, Tier2GroupFactory, UserFactory, council
from tests.triads.factories import CycleFactory, make_triads
from triads.models import EventTemplate


@pytest.fixture
def setup(world):
    em = list(LocalAuthority.objects.filter(region__name="East Midlands").order_by("name"))
    cycle = CycleFactory(alliance=world.em, event_date=datetime.date(2028, 3, 16))
    make_triads(cycle, [em[:3], em[4:7], [em[3], *em[7:]]])  # Derby in triad 1
    group = Tier2GroupFactory(alliance=world.em, name="Safeguarding")
    lincs = UserFactory(full_name="Lin Lincs")
    MembershipFactory(
        alliance=world.em, user=lincs, role=Role.DCS, local_authority=council("Lincolnshire")
    )
    return cycle, group, lincs


def url(world, cycle, gss="E06000015"):
    return reverse(
        "triads:event_template", kwargs={"alliance": world.em.slug, "cycle": cycle.pk, "gss": gss}
    )


def add(client, world, cycle, **data):
    fields = {
        "what": "Audit step-down decisions",
        "owner": "Head of early help",
        "due_date": "2028-06-30",
        "tier2_group": "",
    } | data
    return client.post(
        url(world, cycle), {f"action-{k}": v for k, v in fields.items()} | {"add_action": "1"}
    )


def test_council_adds_actions_and_completes_its_template(client, world, setup):
    cycle, group, _ = setup
    client.force_login(world.organiser)  # Derby
    assert add(client, world, cycle, tier2_group=group.pk).status_code == 302
    response = client.post(
        url(world, cycle),
        {"steps-next_steps": "Share the audit with Tier 2", "steps-complete": "on", "submit": "1"},
    )
    assert response.status_code == 302
    with scopes_disabled():
        action = Action.objects.get()
        template = EventTemplate.objects.get()
    assert (action.local_authority.name, action.tier2_group, action.status) == (
        "Derby",
        group,
        "green",
    )
    assert template.completed_by == world.organiser
    page = client.get(url(world, cycle)).content.decode()
    assert "Audit step-down decisions" in page and "Safeguarding" in page and "Complete" in page


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"due_date": "2028-03-01"}, "due_date", "on or after 16 March 2028"),
        ({"what": ""}, "what", "Enter what the council will do."),
        ({"owner": ""}, "owner", "Enter who owns the action"),
        (
            {"due_date_day": "31", "due_date_month": "2", "due_date_year": "2028"},
            "due_date",
            "The due date must be a real date",
        ),
    ],
)
def test_bad_action_is_refused_and_what_was_typed_is_kept(
    client, world, setup, data, field, message
):
    cycle, _, _ = setup
    client.force_login(world.organiser)
    response = add(client, world, cycle, **data)
    assert response.status_code == 200
    assert message in response.context["action_form"].errors[field][0]
    assert "Head of early help" in response.content.decode() or data.get("owner") == ""
    with scopes_disabled():
        assert not Action.objects.exists()


def test_completing_without_actions_is_refused(client, world, setup):
    cycle, _, _ = setup
    client.force_login(world.organiser)
    response = client.post(
        url(world, cycle), {"steps-next_steps": "Later", "steps-complete": "on", "submit": "1"}
    )
    assert response.status_code == 200
    assert "Add at least one agreed action" in response.content.decode()


@pytest.mark.parametrize(
    ("who", "get", "post"),
    [
        ("organiser", 200, 302),  # Derby's own
        ("pm", 200, 403),  # reads every triad, changes no council's template
        ("lincs", 404, 404),  # a council outside the triad
        ("tier2", 404, 404),
    ],
)
def test_who_sees_and_changes_a_template(client, world, setup, who, get, post):
    cycle, _, lincs = setup
    client.force_login(lincs if who == "lincs" else getattr(world, who))
    assert client.get(url(world, cycle)).status_code == get
    assert add(client, world, cycle).status_code == post


def test_council_not_in_the_cycle_is_404(client, world, setup):
    cycle, _, _ = setup
    client.force_login(world.pm)
    assert client.get(url(world, cycle, gss="E09000007")).status_code == 404


def test_opening_the_template_writes_nothing_until_the_council_saves(client, world, setup):
    cycle, _, _ = setup
    client.force_login(world.organiser)  # Derby
    response = client.get(url(world, cycle))
    assert response.status_code == 200
    assert response.context["can_edit"]
    with scopes_disabled():
        assert not EventTemplate.objects.exists()
    client.post(url(world, cycle), {"steps-next_steps": "Meet again in May", "submit": "1"})
    with scopes_disabled():
        assert EventTemplate.objects.get().next_steps == "Meet again in May"
