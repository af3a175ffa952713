"""Who sees what of an event beyond its own council: the nomination counts on the event
list, the members of another Tier 2 group (nothing), the event's own group (everything), and
the participants reading each other's next steps once the summary is issued."""

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope

from peerchallenge.models import Role
from tests.factories import MembershipFactory, UserFactory, council
from tests.thematic.factories import EmergingSummaryFactory, event, group, next_steps, nomination


def url(name, **kwargs):
    return reverse(f"thematic:{name}", kwargs={"alliance": "east-midlands", **kwargs})


def part_url(name, made, council_name):
    return url(name, event=made.pk, gss=council(council_name).gss_code)


def member(world, name, role, council_name=None):
    user = UserFactory(full_name=name, email=f"{name.split()[0].lower()}@example.org")
    MembershipFactory(
        alliance=world.em,
        user=user,
        role=role,
        local_authority=council(council_name) if council_name else None,
    )
    return user


def nominations_cell(page: str, theme: str) -> str:
    """The text of the 'Officers nominated' cell of the row of `theme`."""
    row = page[page.index(f">{theme}</a>") :]
    row = row[: row.index("</tr>")]
    cell = row.split('govuk-table__cell--numeric">')[2]
    return cell[: cell.index("</td>")]


@pytest.fixture
def counted(world):
    """An event with 2 Derby, 3 Leicester and 1 Rutland nominees."""
    made = event(world.em, councils=("Derby", "Leicester", "Rutland"))
    for n, name in enumerate(["Derby", "Derby", "Leicester", "Leicester", "Leicester", "Rutland"]):
        nomination(made, name, email=f"officer{n}@example.org")
    return made


def test_participants_see_their_own_councils_nominations_not_the_total(client, world, counted):
    client.force_login(world.organiser)  # Derby
    page = client.get(url("event_list")).content.decode()
    assert nominations_cell(page, "Reduction of Harm") == (
        '2 <span class="govuk-body-s">(your council)</span>'
    )
    client.force_login(member(world, "Lee Leicester", Role.LA_ORGANISER, "Leicester"))
    page = client.get(url("event_list")).content.decode()
    assert nominations_cell(page, "Reduction of Harm") == (
        '3 <span class="govuk-body-s">(your council)</span>'
    )


def test_planners_and_the_events_group_see_the_total(client, world, counted):
    counted.tier2_group.members.add(world.tier2)
    for user in (world.pm, world.coordinator, world.tier2):
        client.force_login(user)
        page = client.get(url("event_list")).content.decode()
        assert nominations_cell(page, "Reduction of Harm") == "6", user


def test_a_nominee_without_a_council_role_is_not_shown_the_counts(client, world, counted):
    officer = UserFactory(full_name="Oli Officer", email="officer0@example.org")
    MembershipFactory(alliance=world.em, user=officer, role=Role.TIER2_MEMBER)
    client.force_login(officer)
    page = client.get(url("event_list")).content.decode()
    assert nominations_cell(page, "Reduction of Harm") == "Not shared"


@pytest.fixture
def other_group_member(world):
    """A Tier 2 member of the alliance whose group is not the event's."""
    user = member(world, "Gil Group", Role.TIER2_MEMBER)
    group(world.em, name="Education", members=[user])
    return user


def test_another_tier2_group_gets_404_everywhere_on_the_event(client, world, other_group_member):
    held = event(world.em, days_from_today=-5)
    nomination(held, "Derby")
    next_steps(held, "Derby", notes="Derby's notes")
    with scope(alliance=world.em):
        EmergingSummaryFactory(
            alliance=world.em, event=held, emerging_themes="x", issued_at=timezone.now()
        )
    client.force_login(other_group_member)
    pages = [
        url("event_detail", event=held.pk),
        url("event_kloes", event=held.pk),
        url("summary", event=held.pk),
        part_url("nominations", held, "Derby"),
        part_url("next_steps", held, "Derby"),
        part_url("next_steps", held, "Leicester"),
    ]
    assert [client.get(page).status_code for page in pages] == [404] * len(pages)
    assert "Reduction of Harm" not in client.get(url("event_list")).content.decode()


def test_the_events_group_reads_next_steps_before_the_summary_is_issued(client, world):
    held = event(world.em, days_from_today=-5, tier2_group=group(world.em, members=[world.tier2]))
    next_steps(held, "Derby", notes="Derby's notes for the group")
    client.force_login(world.tier2)
    response = client.get(part_url("next_steps", held, "Derby"))
    assert response.status_code == 200
    assert "Derby&#x27;s notes for the group" in response.content.decode()
    response = client.get(part_url("nominations", held, "Leicester"))
    assert response.status_code == 200


def test_after_the_summary_the_event_page_links_to_the_other_councils_next_steps(client, world):
    held = event(world.em, days_from_today=-5, councils=("Derby", "Leicester", "Rutland"))
    next_steps(held, "Leicester", notes="Leicester's notes")
    derby_steps = part_url("next_steps", held, "Derby")
    leicester_steps = part_url("next_steps", held, "Leicester")
    rutland_steps = part_url("next_steps", held, "Rutland")
    client.force_login(world.organiser)  # Derby
    page = client.get(url("event_detail", event=held.pk)).content.decode()
    assert derby_steps in page  # its own
    assert "The other councils' next steps" not in page
    assert leicester_steps not in page and rutland_steps not in page
    with scope(alliance=world.em):
        EmergingSummaryFactory(
            alliance=world.em, event=held, emerging_themes="x", issued_at=timezone.now()
        )
    page = client.get(url("event_detail", event=held.pk)).content.decode()
    assert "The other councils' next steps" in page
    assert page.count(derby_steps) == 1  # under "Your council" only
    assert f'href="{leicester_steps}">Leicester\'s next steps</a>' in page
    assert f'href="{rutland_steps}">Rutland\'s next steps</a>' in page
    assert "Leicester&#x27;s notes" in client.get(leicester_steps).content.decode()


def test_a_summary_written_but_not_issued_links_no_other_council(client, world):
    held = event(world.em, days_from_today=-5)
    with scope(alliance=world.em):
        EmergingSummaryFactory(alliance=world.em, event=held, emerging_themes="draft")
    client.force_login(world.organiser)
    page = client.get(url("event_detail", event=held.pk)).content.decode()
    assert part_url("next_steps", held, "Leicester") not in page
