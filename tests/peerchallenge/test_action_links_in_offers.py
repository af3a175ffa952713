"""Each offer's list of agreed actions links to the action's change and remove pages for
those who may change the action, and only for them; both pages return to the offer's page
through a `?next=` that must be a path of this site."""

import datetime
from urllib.parse import quote

import pytest
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from peerchallenge.models import Action, LocalAuthority, Role
from peerchallenge.services import action_create
from tests.clock import TODAY
from tests.factories import MembershipFactory, UserFactory, council
from tests.forms import date_parts
from tests.triads.factories import CycleFactory, make_triads


@pytest.fixture
def triad_action(world):
    """Derby's agreed action on its triad event template, and a DCS of Derbyshire (same
    triad: sees Derby's template, may not change Derby's actions)."""
    em = list(LocalAuthority.objects.filter(region__name="East Midlands").order_by("name"))
    cycle = CycleFactory(alliance=world.em, event_date=TODAY - datetime.timedelta(days=10))
    make_triads(cycle, [em[:3], em[3:]])
    neighbour = UserFactory(full_name="Nell Neighbour", email="nell@example.org")
    MembershipFactory(alliance=world.em, user=neighbour, role=Role.DCS, local_authority=em[1])
    with scope(alliance=world.em):
        action = action_create(
            source=cycle,
            local_authority=council("Derby"),
            what="Audit step-down decisions",
            owner="Head of early help",
            due_date=TODAY + datetime.timedelta(days=60),
            tier2_group=None,
            created_by=world.organiser,
        )
    page = reverse(
        "triads:event_template",
        kwargs={"alliance": world.em.slug, "cycle": cycle.pk, "gss": council("Derby").gss_code},
    )
    return action, page, neighbour


def links(world, action, page):
    back = quote(page, safe="/")
    base = {"alliance": world.em.slug, "action": action.pk}
    return (
        f"{reverse('action_change', kwargs=base)}?next={back}",
        f"{reverse('action_remove', kwargs=base)}?next={back}",
    )


def test_the_councils_people_see_change_and_remove_links(client, world, triad_action):
    action, page, _ = triad_action
    change, remove = links(world, action, page)
    for person in (world.organiser, world.pm):
        client.force_login(person)
        shown = client.get(page).content.decode()
        assert f'href="{change}"' in shown
        assert f'href="{remove}"' in shown


def test_the_links_are_hidden_from_those_who_may_not(client, world, triad_action):
    action, page, neighbour = triad_action
    change, remove = links(world, action, page)
    client.force_login(neighbour)
    shown = client.get(page)
    assert shown.status_code == 200
    assert "Audit step-down decisions" in shown.content.decode()
    assert reverse("action_change", args=[world.em.slug, action.pk]) not in shown.content.decode()
    # Another council's action: not theirs to see on its own page either.
    assert client.get(change).status_code == 404
    assert client.get(remove).status_code == 404


def test_remove_returns_to_the_offers_page(client, world, triad_action):
    action, page, _ = triad_action
    _, remove = links(world, action, page)
    client.force_login(world.organiser)
    form = client.get(remove).content.decode()
    assert f'<a class="govuk-link" href="{page}">Cancel</a>' in form
    response = client.post(remove, {"reason": "Agreed twice at the event"})
    assert (response.status_code, response["Location"]) == (302, page)
    with scopes_disabled():
        assert Action.all_objects.get(pk=action.pk).is_removed
    assert "Audit step-down decisions" not in client.get(page).content.decode()


def test_change_returns_to_the_offers_page(client, world, triad_action):
    action, page, _ = triad_action
    change, _ = links(world, action, page)
    client.force_login(world.organiser)
    data = {
        "what": "Audit every step-down decision",
        "owner": action.owner,
        **date_parts("due_date", action.due_date),
    }
    response = client.post(change, data)
    assert (response.status_code, response["Location"]) == (302, page)


def test_a_next_to_another_site_is_ignored(client, world, triad_action):
    action, _, _ = triad_action
    client.force_login(world.organiser)
    change = reverse("action_change", args=[world.em.slug, action.pk])
    detail = reverse("action_detail", args=[world.em.slug, action.pk])
    data = {"what": "Audit again", "owner": action.owner, **date_parts("due_date", action.due_date)}
    for bad in ("https://evil.example.org/", "//evil.example.org/x"):
        form = client.get(change, {"next": bad}).content.decode()
        assert f'<a class="govuk-link" href="{detail}">Cancel</a>' in form
        assert 'href="https://evil' not in form and 'href="//evil' not in form
        response = client.post(f"{change}?next={quote(bad)}", data)
        assert (response.status_code, response["Location"]) == (302, detail)
