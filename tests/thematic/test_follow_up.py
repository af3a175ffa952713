"""What chases itself: "what needs you now", email reminders, calendar feeds, and the
Tier 2 board's theme filter."""

import datetime
import re

from django.urls import reverse
from django.utils import timezone
from django_scopes import scope

from peerchallenge.action_sources import theme_choices, theme_q
from peerchallenge.models import Action
from peerchallenge.reminders import reminders_queue
from peerchallenge.services import action_create
from tests.factories import council
from tests.outbox import deliver_queued
from tests.peerchallenge.test_calendar import ics_events
from tests.thematic.factories import ThemeSuggestionFactory, event, next_steps, nomination

TODAY = timezone.localdate


def home(client, user):
    client.force_login(user)
    return client.get(reverse("home")).content.decode()


def test_planner_and_council_needs_follow_the_event(client, world):
    with scope(alliance=world.em):
        ThemeSuggestionFactory(
            alliance=world.em, name="Exploitation", reason="r", suggested_by=world.dcs
        )
    upcoming = event(world.em, days_from_today=10)
    planner = home(client, world.pm)
    assert "Decide on the suggested theme “Exploitation”" in planner
    assert "Publish the key lines of enquiry for the Reduction of Harm thematic challenge" in (
        planner
    )
    assert "Nominate Derby&#x27;s officers for the Reduction of Harm" in home(
        client, world.organiser
    )
    nomination(upcoming, "Derby")
    assert "Nominate Derby" not in home(client, world.organiser)
    held = event(world.em, days_from_today=-2, theme_name="Abuse and Violence")
    assert "Submit Derby&#x27;s next steps from the Abuse and Violence" in home(
        client, world.organiser
    )
    assert "Write and issue the emerging themes summary of the Abuse and Violence" in home(
        client, world.coordinator
    )
    next_steps(held, "Derby")
    assert "Submit Derby" not in home(client, world.organiser)
    assert "Abuse and Violence" not in home(client, world.tier2)


def send(world, today):
    with scope(alliance=world.em):
        queued = reminders_queue(alliance=world.em, today=today)
    deliver_queued()  # the outbox delivers what the scan queued
    return queued


def test_councils_without_nominations_are_reminded_once(world, mailoutbox):
    upcoming = event(world.em, days_from_today=20, councils=("Derby", "Leicester"))
    nomination(upcoming, "Leicester")
    day = upcoming.nominations_due - datetime.timedelta(days=3)
    assert send(world, day) == 2  # Derby's organiser and DCS
    assert send(world, day) == 0
    assert sorted(m.to[0] for m in mailoutbox) == ["dee@example.org", "oscar@example.org"]
    assert mailoutbox[0].subject.startswith("[Action required] Nominate Derby's officers")


def test_late_next_steps_are_chased_after_the_deadline_and_stop_once_submitted(world, mailoutbox):
    held = event(world.em, days_from_today=-20, next_steps_due=TODAY() - datetime.timedelta(days=5))
    assert send(world, TODAY()) == 2
    assert "next steps from the Reduction of Harm thematic challenge" in mailoutbox[0].subject
    assert "were due on" in mailoutbox[0].subject
    mailoutbox.clear()
    other = event(world.em, days_from_today=-20, next_steps_due=TODAY() - datetime.timedelta(5))
    next_steps(other, "Derby")
    assert send(world, TODAY()) == 0
    assert held.pk != other.pk


def feed(client, user):
    client.force_login(user)
    client.post(reverse("calendar_settings"), {"create": "1"})
    page = client.get(reverse("calendar_settings")).content.decode()
    path = re.search(r'id="calendar-url"[^>]*>([^<]+)<', page).group(1)
    client.logout()
    return client.get(path.replace("http://testserver", "")).content.decode()


def test_calendar_feed_has_the_event_for_participants_and_nominees_only(
    client, world, django_user_model
):
    upcoming = event(world.em, days_from_today=15, councils=("Derby",))
    [held] = [
        e
        for e in ics_events(feed(client, world.organiser))
        if e["SUMMARY"] == "Reduction of Harm thematic peer challenge"
    ]
    zone = timezone.get_default_timezone()
    assert (held["DTSTART"], held["DTEND"]) == (
        datetime.datetime.combine(upcoming.date, datetime.time(9, 30), tzinfo=zone),
        datetime.datetime.combine(upcoming.date, datetime.time(13, 0), tzinfo=zone),
    )
    assert "Reduction of Harm" not in feed(client, world.tier2)
    nomination(upcoming, "Derby", email=world.tier2.email.upper())  # a nominee with an account
    assert "Reduction of Harm thematic peer challenge" in feed(client, world.tier2)


def test_event_actions_filter_by_theme_on_the_board(world):
    held = event(world.em, days_from_today=-3, theme_name="Abuse and Violence")
    with scope(alliance=world.em):
        action_create(
            source=held, local_authority=council("Derby"), what="Themed", owner="O",
            due_date=TODAY(), tier2_group=held.tier2_group, created_by=None,
        )  # fmt: skip
        assert "Abuse and Violence" in theme_choices(alliance_id=world.em.pk)
        themed = Action.objects.filter(theme_q("Abuse and Violence"))
        assert [a.what for a in themed] == ["Themed"]
        assert list(Action.objects.filter(theme_q("Reduction of Harm"))) == []
