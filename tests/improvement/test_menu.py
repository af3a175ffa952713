"""The menu of support: offers from evidenced strengths, needs from the self-evaluations'
areas for development and from intelligence, the broker's suggestions, brokering, both
councils' DCSs answering, completion with impact, and uptake."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from improvement.models import SupportMatch, SupportNeed, step_defaults
from improvement.selectors import cycle_year_next, menu_of, template_of
from improvement.services.cycle import cycle_open
from improvement.services.menu import match_broker, match_decide, needs_from_self_evaluations
from improvement.services.self_evaluation import section_save, self_evaluation_submit
from peerchallenge.models import Role
from tests.factories import MembershipFactory, UserFactory, council
from tests.improvement.factories import SupportNeedFactory, SupportOfferFactory


@pytest.fixture
def cycle(world):
    with scope(alliance=world.em):
        year = cycle_year_next(world.em)
        return cycle_open(
            alliance=world.em, year=year, deadlines=step_defaults(year), opened_by=world.pm
        )


@pytest.fixture
def leicester_dcs(world):
    user = UserFactory(full_name="Amrita Lead", email="amrita@example.org")
    MembershipFactory(
        alliance=world.em, user=user, role=Role.DCS, local_authority=council("Leicester")
    )
    return user


def url(world, cycle, name, **kwargs):
    return reverse(
        f"improvement:{name}",
        kwargs={"alliance": world.em.slug, "improvement_cycle": cycle.pk, **kwargs},
    )


def short(world, name, **kwargs):
    return reverse(f"improvement:{name}", kwargs={"alliance": world.em.slug, **kwargs})


def text_of(response) -> str:
    return response.content.decode().replace("&#x27;", "'").replace("&quot;", '"')


OFFER = {
    "theme": "Placement sufficiency",
    "title": "Our sufficiency strategy, with two workshops",
    "kind": "single",
    "capacity": "2",
    "evidence": "data",
    "evidence_text": "Placement stability better than all ten neighbours, 2025.",
}


def test_a_councils_people_offer_their_councils_support(client, world, cycle):
    client.force_login(world.organiser)
    form = client.get(url(world, cycle, "offer_add"))
    assert [c.name for c in form.context["form"].fields["council"].queryset] == ["Derby"]
    leicester = council("Leicester").pk
    response = client.post(url(world, cycle, "offer_add"), {**OFFER, "council": leicester})
    assert "Select a valid choice" in text_of(response)
    response = client.post(
        url(world, cycle, "offer_add"),
        {**OFFER, "council": council("Derby").pk, "capacity": "0", "evidence_text": ""},
    )
    page = text_of(response)
    assert "Enter how many councils it can support, 1 or more." in page
    assert "Say what evidences the strength" in page
    response = client.post(
        url(world, cycle, "offer_add"), {**OFFER, "council": council("Derby").pk}
    )
    assert response.status_code == 302
    page = text_of(client.get(url(world, cycle, "menu")))
    assert "Derby: Our sufficiency strategy" in page and "2 of 2" in page
    client.force_login(world.tier2)
    assert "Offer support" not in text_of(client.get(url(world, cycle, "menu")))
    assert client.get(url(world, cycle, "offer_add")).status_code == 404


def test_needs_come_from_the_areas_for_development(world, cycle):
    with scope(alliance=world.em):
        for section in template_of(cycle):
            if section.kind != "data":
                text = (
                    "Placement sufficiency for older children\n- Early help take-up\n\n"
                    if section.kind == "areas"
                    else "Written."
                )
                evaluation = section_save(
                    cycle=cycle,
                    council=council("Derby"),
                    section=section,
                    text=text,
                    saved_by=world.organiser,
                ).self_evaluation
        assert needs_from_self_evaluations(cycle=cycle, created_by=world.pm) == 0  # a draft
        self_evaluation_submit(evaluation=evaluation, submitted_by=world.dcs)
        assert needs_from_self_evaluations(cycle=cycle, created_by=world.pm) == 2
        assert needs_from_self_evaluations(cycle=cycle, created_by=world.pm) == 0  # once
        needs = {n.title: n.theme for n in SupportNeed.objects.all()}
    assert needs == {
        "Placement sufficiency for older children": "Placement sufficiency",
        "Early help take-up": "Early help",
    }


def test_intelligence_is_recorded_by_the_planners(client, world, cycle):
    add = url(world, cycle, "need_add")
    data = {
        "council": council("Rutland").pk,
        "title": "Repeat referrals",
        "theme": "Front door and assessment",
        "source": "focused_visit",
        "note": "The focused visit found thresholds applied unevenly.",
    }
    client.force_login(world.organiser)
    assert client.get(add).status_code == 403
    client.force_login(world.pm)
    assert client.post(add, data).status_code == 302
    response = client.post(add, data)
    assert "Rutland already has this need on the menu." in text_of(response)
    assert "Rutland: Repeat referrals" in text_of(client.get(url(world, cycle, "menu")))


def test_the_broker_suggests_fitting_offers_and_brokers_one(client, world, cycle):
    with scopes_disabled():
        need = SupportNeedFactory(cycle=cycle, council=council("Derby"))
        best = SupportOfferFactory(cycle=cycle, council=council("Leicester"), evidence="data")
        second = SupportOfferFactory(cycle=cycle, council=council("Rutland"), evidence="ofsted")
        own = SupportOfferFactory(cycle=cycle, council=council("Derby"))
        other_theme = SupportOfferFactory(
            cycle=cycle, council=council("Nottingham"), theme="Early help"
        )
    client.force_login(world.pm)
    page = text_of(client.get(short(world, "need", support_need=need.pk)))
    assert page.index(best.title) < page.index(second.title)
    assert own.title not in page and other_theme.title not in page
    # Brokering one that does not fit (Derby's own) is refused with a message.
    refused = client.post(short(world, "match_broker", support_need=need.pk, support_offer=own.pk))
    assert refused.status_code == 302
    assert "does not fit" in text_of(client.get(refused["Location"]))
    response = client.post(
        short(world, "match_broker", support_need=need.pk, support_offer=best.pk)
    )
    assert response.status_code == 302
    client.post(short(world, "match_broker", support_need=need.pk, support_offer=best.pk))
    with scopes_disabled():
        assert SupportMatch.objects.count() == 1
    # Brokered: no longer suggested for this need.
    page = text_of(client.get(short(world, "need", support_need=need.pk)))
    assert 'Broker this offer<span class="govuk-visually-hidden"> from Leicester' not in page


def test_an_offer_is_never_brokered_over_its_capacity(world, cycle):
    with scopes_disabled():
        offer = SupportOfferFactory(cycle=cycle, council=council("Leicester"), capacity=1)
        first = SupportNeedFactory(cycle=cycle, council=council("Derby"))
        second = SupportNeedFactory(cycle=cycle, council=council("Rutland"))
    with scope(alliance=world.em):
        match = match_broker(need=first, offer=offer, brokered_by=world.pm)
        with pytest.raises(ValidationError):
            match_broker(need=second, offer=offer, brokered_by=world.pm)
        # A declined match gives its place back.
        match_decide(
            match=match, side="offering", accepts=False, reason="No staff", decided_by=world.pm
        )
        match_broker(need=second, offer=offer, brokered_by=world.pm)


def test_both_dcss_answer_and_the_match_is_completed(client, world, cycle, leicester_dcs):
    with scopes_disabled():
        need = SupportNeedFactory(cycle=cycle, council=council("Derby"))
        offer = SupportOfferFactory(cycle=cycle, council=council("Leicester"))
    with scope(alliance=world.em):
        match = match_broker(need=need, offer=offer, brokered_by=world.pm)
    page = short(world, "match", support_match=match.pk)
    client.force_login(world.tier2)  # reads it, answers nothing
    assert "Waiting for both councils" in text_of(client.get(page))
    assert client.post(page, {"decide": "1", "accepts": "yes"}).status_code == 404
    client.force_login(world.dcs)  # Derby's: the receiving council
    response = client.post(page, {"decide": "1", "accepts": "no", "reason": ""})
    assert "Say why the council declines." in text_of(response)
    assert client.post(page, {"decide": "1", "accepts": "yes"}).status_code == 302
    client.force_login(leicester_dcs)
    assert client.post(page, {"decide": "1", "accepts": "yes"}).status_code == 302
    match.refresh_from_db()
    assert match.state == SupportMatch.State.AGREED
    response = client.post(page, {"complete": "1", "impact": ""})
    assert "Say what difference the support made." in text_of(response)
    client.post(page, {"complete": "1", "impact": "Two more local homes opened."})
    match.refresh_from_db()
    assert (match.state, match.impact) == (
        SupportMatch.State.COMPLETED,
        "Two more local homes opened.",
    )
    client.force_login(world.pm)
    menu = text_of(client.get(url(world, cycle, "menu")))
    assert "Uptake by council" in menu
    with scope(alliance=world.em):
        uptake = {row.council.name: row for row in menu_of(cycle).uptake}
    assert (uptake["Leicester"].offers, uptake["Leicester"].given) == (1, 1)
    assert (uptake["Derby"].needs, uptake["Derby"].received) == (1, 1)


def test_the_menu_costs_the_same_whatever_its_size(
    client, world, cycle, django_assert_max_num_queries
):
    client.force_login(world.tier2)
    client.get(url(world, cycle, "menu"))
    with django_assert_max_num_queries(10):
        client.get(url(world, cycle, "menu"))
    with scopes_disabled():
        for name in ("Leicester", "Rutland", "Nottingham", "Lincolnshire"):
            offer = SupportOfferFactory(cycle=cycle, council=council(name))
            need = SupportNeedFactory(cycle=cycle, council=council("Derby"))
            match_broker(need=need, offer=offer, brokered_by=world.pm)
    with django_assert_max_num_queries(10):
        assert client.get(url(world, cycle, "menu")).status_code == 200


def test_each_dcs_is_asked_to_answer_on_the_home_page(client, world, cycle, leicester_dcs):
    from tests.obligations import home_item

    with scopes_disabled():
        need = SupportNeedFactory(cycle=cycle, council=council("Derby"), title="Older children")
        offer = SupportOfferFactory(cycle=cycle, council=council("Leicester"))
    with scope(alliance=world.em):
        match = match_broker(need=need, offer=offer, brokered_by=world.pm)
    assert home_item(client, world.dcs, "Take up Leicester's support for Derby: Older children?")
    assert not home_item(client, world.organiser, "Take up Leicester's support")
    assert home_item(client, leicester_dcs, "Offer Leicester's support to Derby: Older children?")
    with scope(alliance=world.em):
        match_decide(match=match, side="receiving", accepts=True, reason="", decided_by=world.dcs)
    assert not home_item(client, world.dcs, "Take up Leicester's support")
    assert home_item(client, leicester_dcs, "Offer Leicester's support to Derby")


def test_a_dcs_who_has_not_answered_is_told_once_a_week_later(world, cycle, mailoutbox):
    from tests.clock import days
    from tests.obligations import send

    with scopes_disabled():
        need = SupportNeedFactory(cycle=cycle, council=council("Derby"), title="Older children")
        offer = SupportOfferFactory(cycle=cycle, council=council("Leicester"))
    with scope(alliance=world.em):
        match_broker(need=need, offer=offer, brokered_by=world.pm)

    def awaited():
        return [m for m in mailoutbox if world.dcs.email in m.to and "awaited" in m.subject]

    send(world, today=days(6))
    assert awaited() == []
    send(world, today=days(7))
    [mail] = awaited()
    assert "Take up Leicester's support for Derby: Older children: your answer is awaited" in (
        mail.subject
    )
    send(world, today=days(8))  # once
    assert len(awaited()) == 1


def test_the_planners_are_asked_to_broker_the_menu(client, world, cycle):
    import datetime

    from improvement.obligations import obligations
    from tests.obligations import home_item

    title = f"Broker the menu of support for {cycle.label}"
    assert not home_item(client, world.pm, title)  # no needs yet
    with scopes_disabled():
        need = SupportNeedFactory(cycle=cycle, council=council("Derby"))
        offer = SupportOfferFactory(cycle=cycle, council=council("Leicester"))
    assert home_item(client, world.pm, f"{title}: 1 need without support")
    assert not home_item(client, world.organiser, title)
    before = cycle.menu_due - datetime.timedelta(days=14)
    with scopes_disabled():
        found = obligations(alliances=[world.em.pk], today=before, reminder_days={"menu_due": 14})
    assert [o.kind for o in found] == ["improvement.menu"]
    assert {world.pm, world.coordinator} == set(found[0].actors)
    with scope(alliance=world.em):
        match_broker(need=need, offer=offer, brokered_by=world.pm)
    assert not home_item(client, world.pm, title)
    with scopes_disabled():
        assert (
            obligations(alliances=[world.em.pk], today=before, reminder_days={"menu_due": 14}) == []
        )
