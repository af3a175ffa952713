"""Which offers run in which kind of alliance: triads, thematic and on-demand challenges in
regional alliances, the LGA's peer challenge in the national one. Every other combination
is 404 for every page of the offer, and the offer is not in the alliance's navigation."""

import datetime
from importlib import import_module

import pytest
from django.apps import apps
from django.urls import URLResolver, get_resolver, reverse

from peerchallenge import calendar
from peerchallenge.models import Alliance, Role
from peerchallenge.offers import obligations
from tests.factories import AllianceFactory, MembershipFactory, UserFactory, region

OFFERS = {
    # namespace: (index URL name, the kind of alliance it runs in)
    "triads": ("triads:cycle_list", Alliance.Kind.REGIONAL),
    "thematic": ("thematic:event_list", Alliance.Kind.REGIONAL),
    "ondemand": ("ondemand:review_list", Alliance.Kind.REGIONAL),
    "lga_cspc": ("lga_cspc:challenge_list", Alliance.Kind.NATIONAL),
}


@pytest.fixture
def alliances(db):
    regional = AllianceFactory(
        name="East Midlands RIIA", slug="east-midlands", regions=[region("East Midlands")]
    )
    national = AllianceFactory(name="LGA", slug="lga", kind=Alliance.Kind.NATIONAL)
    pm = UserFactory(full_name="Pat Manager")
    for alliance in (regional, national):
        MembershipFactory(alliance=alliance, user=pm, role=Role.PROGRAMME_MANAGER)
    return {Alliance.Kind.REGIONAL: regional, Alliance.Kind.NATIONAL: national}, pm


@pytest.mark.parametrize("offer", sorted(OFFERS))
@pytest.mark.parametrize("kind", [Alliance.Kind.REGIONAL, Alliance.Kind.NATIONAL])
def test_offer_answers_only_in_its_kind_of_alliance(offer, kind, client, alliances):
    by_kind, pm = alliances
    index, runs_in = OFFERS[offer]
    client.force_login(pm)
    response = client.get(reverse(index, kwargs={"alliance": by_kind[kind].slug}))
    assert response.status_code == (200 if kind == runs_in else 404)
    home = client.get(reverse("alliance_detail", kwargs={"alliance": by_kind[kind].slug}))
    link = reverse(index, kwargs={"alliance": by_kind[kind].slug})
    assert (f'href="{link}"' in home.content.decode()) == (kind == runs_in)


def _views_of(namespace):
    for pattern in get_resolver().url_patterns:
        if isinstance(pattern, URLResolver) and pattern.namespace == namespace:
            return [(p.name, p.callback.view_class) for p in pattern.url_patterns]
    raise AssertionError(namespace)


@pytest.mark.parametrize("offer", sorted(OFFERS))
def test_every_view_of_an_offer_declares_its_kind_of_alliance(offer):
    """One rule in one place (AlliancePermissionMixin.alliance_kind), on every view; the
    LGA offer's pages for regional alliances (shared final reports) are the one exception."""
    _index, runs_in = OFFERS[offer]
    for name, view in _views_of(offer):
        expected = runs_in
        if offer == "lga_cspc" and name in {"shared_reports", "shared_report_download"}:
            expected = Alliance.Kind.REGIONAL
        assert (name, getattr(view, "alliance_kind", "")) == (name, expected)


@pytest.mark.parametrize("offer", sorted(OFFERS))
def test_each_offer_registers_its_providers_for_its_kind_of_alliance(offer):
    """The kind is said once (the offer's AppConfig.alliance_kinds) and its obligations and
    calendar providers are registered with it."""
    _index, runs_in = OFFERS[offer]
    config = apps.get_app_config(offer)
    assert config.alliance_kinds == (runs_in,)
    provider = import_module(f"{offer}.obligations").obligations
    assert obligations._KINDS[provider] == {runs_in}
    own = [p for p in calendar.PROVIDERS if p.__module__.startswith(f"{offer}.")]
    assert own and all(calendar._KINDS[p] == {runs_in} for p in own)


def test_an_offer_is_asked_only_about_the_alliances_of_its_kind(alliances, monkeypatch):
    """The reminder scan (no person: the kinds from one query) and a person's pages (the
    kinds from their access) ask a regional offer only about regional alliances, and not at
    all where there are none; a provider with no kinds is asked about every alliance."""
    by_kind, pm = alliances
    regional, national = by_kind[Alliance.Kind.REGIONAL].pk, by_kind[Alliance.Kind.NATIONAL].pk
    asked = []

    def provider(name):
        def obligations_of(*, alliances, **_):
            asked.append((name, alliances))
            return []

        return obligations_of

    in_regions, in_lga, anywhere = provider("regional"), provider("national"), provider("any")
    monkeypatch.setattr(obligations, "PROVIDERS", [in_regions, in_lga, anywhere])
    monkeypatch.setattr(
        obligations,
        "_KINDS",
        {in_regions: frozenset({"regional"}), in_lga: frozenset({"national"})},
    )
    today = datetime.date(2027, 1, 4)
    for user in (None, pm):
        asked.clear()
        obligations.obligations(alliances=[regional, national], today=today, user=user)
        assert asked == [
            ("regional", [regional]),
            ("national", [national]),
            ("any", [regional, national]),
        ]
    asked.clear()
    obligations.obligations(alliances=[national], today=today)
    assert asked == [("national", [national]), ("any", [national])]


def test_a_calendar_provider_is_not_asked_for_a_person_outside_its_kind(db, monkeypatch):
    lga = AllianceFactory(name="LGA", slug="lga", kind=Alliance.Kind.NATIONAL)
    adviser = UserFactory()
    MembershipFactory(alliance=lga, user=adviser, role=Role.PROGRAMME_MANAGER)
    asked = []

    def regional_events(user):
        asked.append(user)
        return []

    monkeypatch.setattr(calendar, "PROVIDERS", [regional_events])
    monkeypatch.setattr(calendar, "_KINDS", {regional_events: frozenset({"regional"})})
    assert calendar.events_for(user=adviser) == [] and asked == []
    MembershipFactory(
        alliance=AllianceFactory(regions=[region("East Midlands")]),
        user=adviser,
        role=Role.PROGRAMME_MANAGER,
    )
    adviser = type(adviser).objects.get(pk=adviser.pk)  # a new request: access read again
    calendar.events_for(user=adviser)
    assert asked == [adviser]
