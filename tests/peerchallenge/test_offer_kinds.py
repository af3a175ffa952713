"""Which offers run in which kind of alliance: triads, thematic and on-demand challenges in
regional alliances, the LGA's peer challenge in the national one. Every other combination
is 404 for every page of the offer, and the offer is not in the alliance's navigation."""

import pytest
from django.urls import URLResolver, get_resolver, reverse

from peerchallenge.models import Alliance, Role
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
