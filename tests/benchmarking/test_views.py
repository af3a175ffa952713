"""The data pack page: who may open it, what it shows, and what it costs."""

import re

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from tests.factories import council
from tests.lga_cspc.factories import ChallengeFactory, TeamMemberFactory
from tests.lga_cspc.factories import lga as lga  # the fixture
from tests.ondemand.factories import od as od  # the fixture
from tests.ondemand.factories import on_team, planning_review
from tests.triads.factories import CycleFactory, TriadFactory, TriadMemberFactory


def pack_url(world, name="Derby", alliance=None):
    alliance = alliance or world.em
    return reverse(
        "benchmarking:data_pack", kwargs={"alliance": alliance.slug, "gss": council(name).gss_code}
    )


@pytest.mark.parametrize("who", ["pm", "organiser", "dcs", "tier2", "admin"])
def test_members_read_the_data_pack_of_a_council_of_their_alliance(client, world, loaded, who):
    client.force_login(getattr(world, who))
    page = client.get(pack_url(world)).content.decode()
    assert '<h1 class="govuk-heading-l">Data pack</h1>' in page
    assert "Children looked after at 31 March, rate per 10,000 children aged under 18" in page
    assert "Contains public sector information licensed under the Open Government" in page
    assert page.count('role="img"') == 30  # two charts for each of the 15 indicators
    assert "<script" not in page.split("<main")[1].split("</main>")[0]


def test_the_page_shows_figures_with_england_region_and_neighbours(client, world, loaded):
    client.force_login(world.pm)
    page = client.get(pack_url(world)).content.decode()
    cla = page.split('id="cla-rate-per-10k"')[1].split("</section>")[0]
    assert re.search(r"<dt[^>]*>Derby</dt>\s*<dd[^>]*>88 \(decreasing since the year before\)", cla)
    assert re.search(r"<dt[^>]*>England</dt>\s*<dd[^>]*>67</dd>", cla)
    assert re.search(r"<dt[^>]*>East Midlands</dt>\s*<dd[^>]*>62</dd>", cla)
    assert "Neither higher nor lower is better" in cla
    assert "Derby (this council)" in cla


def test_a_suppressed_figure_shows_its_symbol_and_its_meaning(client, world, loaded):
    client.force_login(world.outsider)  # London's alliance admin
    page = client.get(pack_url(world, "City of London", alliance=world.london)).content.decode()
    assert "confidential: not published because the numbers are small" in page.lower()


def test_another_alliances_council_or_address_is_not_found(client, world, loaded):
    client.force_login(world.pm)  # East Midlands
    assert client.get(pack_url(world, "Camden")).status_code == 404  # London's council
    assert client.get(pack_url(world, "Derby", alliance=world.london)).status_code == 404


def test_the_council_page_links_its_data_pack(client, world, loaded):
    client.force_login(world.dcs)
    page = client.get(
        reverse(
            "council_detail", kwargs={"alliance": world.em.slug, "gss": council("Derby").gss_code}
        )
    ).content.decode()
    assert f'href="{pack_url(world)}">Data pack of Derby</a>' in page


def test_the_page_costs_the_same_whatever_the_council(
    client, world, loaded, django_assert_max_num_queries
):
    client.force_login(world.pm)
    client.get(pack_url(world))
    for name in ("Derby", "Nottinghamshire", "Rutland"):
        url = pack_url(world, name)
        with django_assert_max_num_queries(12):
            assert client.get(url).status_code == 200


# The pack from a challenge's page ------------------------------------------------------------


def test_peers_on_an_lga_challenge_reach_the_councils_pack(client, lga):
    challenge = ChallengeFactory(offer=lga.offer)  # Derby's
    with scopes_disabled():  # test set-up
        TeamMemberFactory(challenge=challenge, user=lga.peer, role="senior_manager")
    client.force_login(lga.peer)
    page = client.get(
        reverse(
            "lga_cspc:challenge_detail",
            kwargs={"alliance": lga.alliance.slug, "challenge": challenge.pk},
        )
    ).content.decode()
    url = pack_url(None, alliance=lga.alliance)
    assert f'href="{url}">Data pack of Derby</a>' in page
    assert client.get(url).status_code == 200


def test_the_review_team_reaches_the_councils_pack(client, world, od):
    review = planning_review(world.em)  # of Derby
    on_team(review, od.officer)
    client.force_login(od.officer)
    page = client.get(
        reverse("ondemand:review_detail", kwargs={"alliance": world.em.slug, "review": review.pk})
    ).content.decode()
    assert f'href="{pack_url(world)}">Data pack of Derby</a>' in page


def test_a_triads_councils_each_link_their_pack(client, world):
    triad = TriadFactory(cycle=CycleFactory(alliance=world.em))
    for name in ("Derby", "Rutland"):
        TriadMemberFactory(triad=triad, council=council(name))
    client.force_login(world.pm)
    page = client.get(
        reverse(
            "triads:triad_detail",
            kwargs={"alliance": world.em.slug, "cycle": triad.cycle_id, "triad": triad.pk},
        )
    ).content.decode()
    for name in ("Derby", "Rutland"):
        assert f'href="{pack_url(world, name)}">Data pack of {name}</a>' in page
