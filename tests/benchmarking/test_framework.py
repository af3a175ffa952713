"""An alliance's framework for the year: started from DfE's indicators or last year's,
changed by its data lead or programme manager, followed by every council's data pack."""

import pytest
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from benchmarking.models import Framework, FrameworkEntry, LocalIndicator
from benchmarking.selectors import framework_year, pack_indicators
from benchmarking.services.framework import entry_change, framework_start
from peerchallenge.models import Role
from tests.factories import MembershipFactory, UserFactory, council


@pytest.fixture
def lead(world):
    user = UserFactory(full_name="Dana Lead", email="dana@example.org")
    MembershipFactory(alliance=world.em, user=user, role=Role.DATA_LEAD)
    return user


def url(world, name, **kwargs):
    return reverse(f"benchmarking:{name}", kwargs={"alliance": world.em.slug, **kwargs})


def entries(world) -> list[tuple[int, str, str]]:
    with scopes_disabled():
        return [
            (entry.position, entry.theme, entry.title)
            for entry in FrameworkEntry.objects.filter(
                framework__alliance=world.em, framework__year=framework_year()
            ).order_by("position")
        ]


def start(client, world):
    return client.post(url(world, "framework_start"))


def test_the_first_framework_has_every_dfe_indicator_under_its_theme(client, world, loaded, lead):
    client.force_login(lead)
    assert start(client, world).status_code == 302
    assert start(client, world).status_code == 302  # twice: one framework
    found = entries(world)
    assert len(found) == 15
    assert [theme for _p, theme, _t in found] == (
        ["Help and protection"] * 8 + ["Children in care"] * 3 + ["Workforce"] * 4
    )
    with scopes_disabled():
        assert Framework.objects.filter(alliance=world.em).count() == 1
    page = client.get(url(world, "framework")).content.decode()
    assert f"The {framework_year()} framework: 15 indicators." in page
    assert '<h2 class="govuk-heading-m">Workforce</h2>' in page


def test_next_years_framework_starts_as_a_copy_of_this_years(world, loaded, lead):
    this_year = framework_year()
    with scope(alliance=world.em):
        old = framework_start(alliance=world.em, year=this_year - 1, created_by=lead)
        first = old.entries.order_by("position").first()
        entry_change(entry=first, theme="Front door", position=15)
        new = framework_start(alliance=world.em, year=this_year, created_by=lead)
        assert [(e.theme, e.indicator_id) for e in new.entries.order_by("position")] == [
            (e.theme, e.indicator_id) for e in old.entries.order_by("position")
        ]


def test_last_years_framework_serves_until_this_years_is_started(client, world, loaded, lead):
    with scope(alliance=world.em):
        old = framework_start(alliance=world.em, year=framework_year() - 1, created_by=lead)
        old.entries.filter(position__gt=2).delete()
    client.force_login(lead)
    page = client.get(url(world, "framework")).content.decode()
    assert f"This is the {framework_year() - 1} framework" in page
    assert f"Start the {framework_year()} framework" in page
    assert "Change<span" not in page  # last year's is not changed
    with scope(alliance=world.em):
        indicators, _themes = pack_indicators(world.em)
    assert len(indicators) == 2
    # Its entries cannot be changed through their address either.
    with scopes_disabled():
        first = old.entries.first()
    response = client.get(url(world, "entry_change", entry=first.pk))
    assert response.status_code == 302


def test_adding_moving_and_removing_an_indicator(client, world, loaded, lead):
    client.force_login(lead)
    start(client, world)
    with scopes_disabled():
        caseload = FrameworkEntry.objects.get(indicator__code="average_caseload")
    remove = url(world, "entry_remove", entry=caseload.pk)
    assert "Remove “Average caseload" in client.get(remove).content.decode()
    client.post(remove, {"confirm": "yes"})
    assert len(entries(world)) == 14
    response = client.post(
        url(world, "entry_add"), {"indicator": f"dfe-{caseload.indicator_id}", "theme": "Staff"}
    )
    assert response.status_code == 302
    assert entries(world)[-1][1:] == ("Staff", caseload.indicator.title)
    with scopes_disabled():
        moved = FrameworkEntry.objects.get(indicator__code="average_caseload")
    for _twice in range(2):  # saying the position, a repeated save changes nothing more
        client.post(
            url(world, "entry_change", entry=moved.pk), {"theme": "Workforce", "position": "1"}
        )
    found = entries(world)
    assert found[0] == (1, "Workforce", caseload.indicator.title)
    assert [position for position, _theme, _title in found] == list(range(1, 16))


def test_the_data_pack_follows_the_framework(client, world, loaded, lead):
    client.force_login(lead)
    start(client, world)
    with scopes_disabled():
        caseload = FrameworkEntry.objects.get(indicator__code="average_caseload")
    client.post(url(world, "entry_change", entry=caseload.pk), {"theme": "First", "position": "1"})
    with scopes_disabled():
        FrameworkEntry.objects.filter(indicator__code="cla_rate_per_10k").delete()
    client.force_login(world.dcs)
    page = client.get(url(world, "data_pack", gss=council("Derby").gss_code)).content.decode()
    assert "Children looked after at 31 March, rate per 10,000" not in page
    contents = page.split('id="contents"')[1].split("<section")[0]
    assert "First" in contents
    assert contents.index("Average caseload") < contents.index("Children in need at 31 March")


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"indicator": "", "theme": "x"}, "indicator", "Choose an indicator to add."),
        ({"indicator": "dfe-0", "theme": "x"}, "indicator", "Select a valid choice."),
        ({"theme": "", "indicator": ""}, "theme", "Enter the theme the indicator belongs to."),
    ],
)
def test_adding_with_bad_input_says_why_next_to_the_field(
    client, world, loaded, lead, data, field, message
):
    client.force_login(lead)
    start(client, world)
    response = client.post(url(world, "entry_add"), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert message in page
    assert f'href="#id_{field}"' in page
    assert page.count("<title>Error: ") == 1
    assert len(entries(world)) == 15


def test_an_indicator_already_in_the_framework_is_not_offered_again(client, world, loaded, lead):
    client.force_login(lead)
    start(client, world)
    with scopes_disabled():
        caseload = FrameworkEntry.objects.get(indicator__code="average_caseload")
    response = client.post(
        url(world, "entry_add"), {"indicator": f"dfe-{caseload.indicator_id}", "theme": "Again"}
    )
    assert "Select a valid choice." in response.content.decode()
    assert len(entries(world)) == 15


@pytest.mark.parametrize(
    ("position", "message"),
    [
        ("0", "The position counts from 1."),
        ("16", "The framework has 15 indicators: enter a position from 1 to 15."),
        ("two", "Enter the position as a whole number, like 3."),
    ],
)
def test_a_position_outside_the_framework_is_refused(
    client, world, loaded, lead, position, message
):
    client.force_login(lead)
    start(client, world)
    with scopes_disabled():
        entry = FrameworkEntry.objects.get(position=3)
    page = client.post(
        url(world, "entry_change", entry=entry.pk), {"theme": "Kept", "position": position}
    ).content.decode()
    assert message in page
    assert 'value="Kept"' in page  # what was typed is kept
    assert entries(world)[2][0:2] == (3, entry.theme)


def test_a_local_indicator_joins_the_framework(client, world, loaded, lead):
    client.force_login(lead)
    start(client, world)
    data = {
        "title": "Children waiting for an initial health assessment",
        "unit": "children",
        "polarity": "Low",
        "decimals": "0",
        "description": "Counted on the last day of the quarter.",
        "theme": "Children in care",
    }
    assert client.post(url(world, "local_indicator_add"), data).status_code == 302
    assert entries(world)[-1] == (16, "Children in care", data["title"])
    page = client.post(url(world, "local_indicator_add"), data).content.decode()
    assert "The alliance has an indicator with that title already." in page
    with scopes_disabled():
        assert LocalIndicator.objects.filter(alliance=world.em).count() == 1
    framework = client.get(url(world, "framework")).content.decode()
    assert "Local indicator: children, lower is better" in framework


@pytest.mark.parametrize(
    ("who", "read", "change"),
    [
        ("pm", 200, 302),
        ("coordinator", 200, 403),
        ("admin", 200, 403),
        ("tier2", 403, 403),
        ("dcs", 403, 403),
        ("organiser", 403, 403),
    ],
)
def test_who_reads_and_who_changes_the_framework(client, world, loaded, who, read, change):
    client.force_login(getattr(world, who))
    assert client.get(url(world, "framework")).status_code == read
    assert start(client, world).status_code == change


def test_the_framework_page_costs_the_same_with_more_indicators(
    client, world, loaded, lead, django_assert_max_num_queries
):
    client.force_login(lead)
    start(client, world)
    with django_assert_max_num_queries(12):
        assert client.get(url(world, "framework")).status_code == 200
