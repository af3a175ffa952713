"""Private calendar feeds: a secret, revocable address with the person's events only."""

import datetime
import re

import pytest
from django.urls import reverse

from peerchallenge.calendar import CalendarEvent, calendar_render
from peerchallenge.models import CalendarFeed
from tests.triads.factories import CycleFactory


def new_feed_url(client, user):
    client.force_login(user)
    client.post(reverse("calendar_settings"), {"create": "1"})
    page = client.get(reverse("calendar_settings")).content.decode()
    return (
        re.search(r'id="calendar-url"[^>]*>([^<]+)<', page)
        .group(1)
        .replace("http://testserver", "")
    )


def test_feed_lists_my_alliances_cycles_and_deadlines(client, world):
    CycleFactory(alliance=world.em, name="March 2028", event_date=datetime.date(2028, 3, 16))
    CycleFactory(alliance=world.london, name="London 2028")
    url = new_feed_url(client, world.pm)
    client.logout()  # calendar apps are not signed in
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    body = response.content.decode()
    assert "SUMMARY:March 2028: event day" in body
    assert "DTSTART;VALUE=DATE:20280316" in body
    assert "SUMMARY:March 2028: key lines of enquiry due" in body
    assert "London 2028" not in body


def test_council_people_see_only_their_councils_cycles(client, world):
    from tests.factories import council

    CycleFactory(alliance=world.em, name="Derby's cycle")
    CycleFactory(
        alliance=world.em,
        name="Without Derby",
        councils=[council("Rutland"), council("Leicester"), council("Lincolnshire")],
    )
    url = new_feed_url(client, world.organiser)  # Derby organiser
    body = client.get(url).content.decode()
    assert "Derby's cycle" in body
    assert "Without Derby" not in body


def test_address_is_shown_once_and_a_new_one_revokes_the_old(client, world):
    old = new_feed_url(client, world.pm)
    assert 'id="calendar-url"' not in client.get(reverse("calendar_settings")).content.decode()
    new = new_feed_url(client, world.pm)
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200
    client.post(reverse("calendar_settings"), {"revoke": "1"})
    assert client.get(new).status_code == 404
    assert not CalendarFeed.objects.filter(user=world.pm).exists()


def test_feed_stops_when_the_person_is_deactivated(client, world):
    url = new_feed_url(client, world.pm)
    world.pm.is_active = False
    world.pm.save()
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Early help, neglect; and more", "SUMMARY:Early help\\, neglect\\; and more"),
    ],
)
def test_ics_text_is_escaped_and_long_lines_folded(text, expected):
    body = calendar_render(
        events=[CalendarEvent("u1", text, datetime.date(2028, 1, 2), description="é" * 60)],
        name="N",
    )
    assert expected in body
    assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))
    assert "\r\n DESCRIPTION" not in body
