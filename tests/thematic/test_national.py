"""Thematic challenges are a regional alliance's offer: the national alliance (the LGA) has
no thematic section, pages, reminders, needs, calendar entries or overview rows."""

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from peerchallenge.models import Alliance, Role
from peerchallenge.permissions import alliance_ids_of
from peerchallenge.reminders import reminder_settings_of
from tests.factories import AllianceFactory, MembershipFactory, council
from tests.thematic.factories import event
from thematic.calendar import thematic_events
from thematic.obligations import obligations
from thematic.overview import thematic_rows

THEMATIC_KINDS = {"thematic_nominations_due", "thematic_next_steps_due", "thematic_next_steps_late"}


@pytest.fixture
def lga(world):
    """The national alliance, where the East Midlands programme manager is also programme
    manager and Derby's organiser organises for Derby; a thematic event filed under it (as
    if made before the rule) that must stay out of sight."""
    lga = AllianceFactory(name="Local Government Association", slug="lga", kind="national")
    assert lga.kind == Alliance.Kind.NATIONAL
    MembershipFactory(alliance=lga, user=world.pm, role=Role.PROGRAMME_MANAGER)
    MembershipFactory(
        alliance=lga, user=world.organiser, role=Role.LA_ORGANISER, local_authority=council("Derby")
    )
    lga.stray_event = event(lga, days_from_today=10, councils=("Derby",))
    return lga


def lga_url(name, **kwargs):
    return reverse(f"thematic:{name}", kwargs={"alliance": "lga", **kwargs})


def test_every_thematic_page_is_not_found_in_the_national_alliance(client, world, lga):
    client.force_login(world.pm)
    held = lga.stray_event.pk
    gss = council("Derby").gss_code
    for name, kwargs in [
        ("event_list", {}),
        ("theme_list", {}),
        ("suggestion_create", {}),
        ("event_create", {}),
        ("event_detail", {"event": held}),
        ("event_change", {"event": held}),
        ("event_kloes", {"event": held}),
        ("attendance", {"event": held}),
        ("summary", {"event": held}),
        ("nominations", {"event": held, "gss": gss}),
        ("next_steps", {"event": held, "gss": gss}),
    ]:
        assert client.get(lga_url(name, **kwargs)).status_code == 404, name
    # The same person in their regional alliance: the offer is there.
    em_list = reverse("thematic:event_list", kwargs={"alliance": world.em.slug})
    assert client.get(em_list).status_code == 200


def test_the_section_is_not_in_the_national_alliances_navigation(client, world, lga):
    client.force_login(world.pm)
    national = client.get(reverse("alliance_detail", kwargs={"alliance": "lga"}))
    assert national.status_code == 200
    assert 'href="/a/lga/thematic/"' not in national.content.decode()
    regional = client.get(reverse("alliance_detail", kwargs={"alliance": world.em.slug}))
    assert f'href="/a/{world.em.slug}/thematic/"' in regional.content.decode()


def test_the_national_alliances_reminder_settings_list_no_thematic_kind(world, lga):
    with scope(alliance=lga):
        national = {s.kind.key for s in reminder_settings_of(alliance=lga)}
    with scope(alliance=world.em):
        regional = {s.kind.key for s in reminder_settings_of(alliance=world.em)}
    assert national & THEMATIC_KINDS == set()
    assert regional >= THEMATIC_KINDS


def test_the_reminder_settings_page_of_the_national_alliance(client, world, lga):
    client.force_login(world.pm)
    page = client.get(reverse("reminder_settings", kwargs={"alliance": "lga"})).content.decode()
    assert "Thematic challenge" not in page
    page = client.get(
        reverse("reminder_settings", kwargs={"alliance": world.em.slug})
    ).content.decode()
    assert "Thematic challenge: officers to nominate" in page


def asked_of(user) -> list:
    """What the home page asks of the person, across their alliances."""
    today = timezone.localdate()
    mine = obligations(alliances=alliance_ids_of(user), today=today, user=user)
    return [o for o in mine if not o.done]


def test_needs_calendar_and_overview_leave_the_national_alliance_out(world, lga):
    """The same people keep their regional alliance's event: only the national one's goes."""
    regional = event(world.em, days_from_today=10, councils=("Derby",))
    detail = reverse(
        "thematic:event_detail", kwargs={"alliance": "east-midlands", "event": regional.pk}
    )
    with scopes_disabled():  # as on the home page and the calendar feed: across alliances
        assert {need.url.split("/thematic/")[0] for need in asked_of(world.pm)} == {
            "/a/east-midlands"
        }
        assert [need.title for need in asked_of(world.organiser)] == [
            "Nominate Derby's officers for the Reduction of Harm thematic challenge"
        ]
        assert {entry.path for entry in thematic_events(world.organiser)} == {detail}
    today = timezone.localdate()
    with scope(alliance=lga):
        assert thematic_rows(alliance=lga, today=today) == []
    with scope(alliance=world.em):
        assert [row.url for row in thematic_rows(alliance=world.em, today=today)] == [detail]
