"""A nominee's invitation: the event as a calendar file they can add (most nominees have no
account, so no feed), an updated file when the arrangements change, and the key lines of
enquiry when they were published before the nominee was added."""

import datetime

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope

from tests.factories import council
from tests.thematic.factories import event, nomination
from thematic.services.events import event_change, event_kloe_add, event_kloes_publish
from thematic.services.nominations import nomination_add


@pytest.fixture
def em(world):
    with scope(alliance=world.em):
        yield world


def next_day_of(month: int) -> datetime.date:
    """The 15th of `month` a year or less from now: summer (BST) or winter (GMT)."""
    today = timezone.localdate()
    day = datetime.date(today.year, month, 15)
    return day if day > today else day.replace(year=today.year + 1)


def move(upcoming, day: datetime.date) -> None:
    upcoming.date = day
    upcoming.nominations_due = timezone.localdate()
    upcoming.next_steps_due = day + datetime.timedelta(weeks=2)
    upcoming.save()


def nominate(upcoming, email="nia@example.org", council_name="Derby", by=None):
    return nomination_add(
        event=upcoming,
        council=council(council_name),
        full_name="Nia Officer",
        job_role="Head of service",
        email=email,
        nominated_by=by,
    )


def calendar_of(message) -> tuple[str, str, dict]:
    """The message's one attachment: (filename, mimetype, {property: value}) with the
    folded lines joined again; asserts the iCalendar frame around one VEVENT."""
    assert len(message.attachments) == 1
    filename, content, mimetype = message.attachments[0]
    assert content.endswith("\r\n")
    lines = content.replace("\r\n ", "").split("\r\n")[:-1]
    assert all(len(line.encode()) <= 75 for line in content.split("\r\n"))
    assert lines[:2] == ["BEGIN:VCALENDAR", "VERSION:2.0"]
    assert lines[-2:] == ["END:VEVENT", "END:VCALENDAR"]
    assert lines.count("BEGIN:VEVENT") == 1
    properties = dict(line.split(":", 1) for line in lines)
    return filename, mimetype, properties


def test_invitation_carries_the_event_with_london_summer_time_as_utc(
    em, mailoutbox, django_capture_on_commit_callbacks
):
    upcoming = event(em.em, venue="Leicester City Hall, Committee Room 2")
    move(upcoming, next_day_of(7))
    with django_capture_on_commit_callbacks(execute=True):
        nominate(upcoming)
    [message] = mailoutbox
    filename, mimetype, ics = calendar_of(message)
    assert (filename, mimetype) == ("event.ics", "text/calendar")
    day = upcoming.date
    path = reverse(
        "thematic:event_detail", kwargs={"alliance": "east-midlands", "event": upcoming.pk}
    )
    assert ics["METHOD"] == "PUBLISH"
    assert ics["UID"] == f"thematic-event-{upcoming.pk}@peerchallenge"
    assert ics["SEQUENCE"] == "0"
    # 09:30 to 13:00 in London in July is 08:30 to 12:00 UTC.
    assert ics["DTSTART"] == f"{day:%Y%m%d}T083000Z"
    assert ics["DTEND"] == f"{day:%Y%m%d}T120000Z"
    assert ics["SUMMARY"] == "Reduction of Harm thematic peer challenge"
    assert ics["LOCATION"] == "Leicester City Hall\\, Committee Room 2"
    assert ics["DESCRIPTION"] == (
        "East Midlands RIIA's thematic peer challenge on Reduction of Harm (in person)."
        f"\\nThe event in Peer Challenge: {settings.SITE_URL}{path}"
    )
    assert ics["URL"] == f"{settings.SITE_URL}{path}"
    raw = message.message().as_string()
    assert 'Content-Type: text/calendar; charset="utf-8"' in raw
    assert 'Content-Disposition: attachment; filename="event.ics"' in raw
    assert "The event is attached as a calendar entry (event.ics)" in message.body
    assert "The event is attached as a calendar entry (event.ics)" in message.alternatives[0][0]


def test_a_winter_online_event_is_at_its_link_without_an_hour_shift(
    em, mailoutbox, django_capture_on_commit_callbacks
):
    upcoming = event(em.em, format="online", venue="", online_link="https://meet.example.org/harm")
    move(upcoming, next_day_of(1))
    with django_capture_on_commit_callbacks(execute=True):
        nominate(upcoming)
    _, _, ics = calendar_of(mailoutbox[0])
    assert ics["DTSTART"] == f"{upcoming.date:%Y%m%d}T093000Z"
    assert ics["DTEND"] == f"{upcoming.date:%Y%m%d}T130000Z"
    assert ics["LOCATION"] == "https://meet.example.org/harm"


def test_invitation_before_the_kloes_are_published_promises_them(
    em, mailoutbox, django_capture_on_commit_callbacks
):
    upcoming = event(em.em)
    event_kloe_add(event=upcoming, question="Draft question nobody may read yet")
    with django_capture_on_commit_callbacks(execute=True):
        nominate(upcoming)
    message = mailoutbox[0]
    assert "The key lines of enquiry will be shared with you before the event." in message.body
    assert "Draft question" not in message.body
    assert "Draft question" not in message.alternatives[0][0]


def test_a_nominee_added_after_the_kloes_were_published_gets_them(
    em, mailoutbox, django_capture_on_commit_callbacks
):
    upcoming = event(em.em)
    event_kloe_add(event=upcoming, question="How do partners share risk?")
    event_kloe_add(event=upcoming, question="Who leads on harm outside the home?")
    with django_capture_on_commit_callbacks(execute=True):
        event_kloes_publish(event=upcoming)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        nominate(upcoming, email="late@example.org")
    [message] = mailoutbox
    assert message.to == ["late@example.org"]
    assert "will be shared with you before the event" not in message.body
    assert (
        "The key lines of enquiry for the event are:\n\n"
        "1. How do partners share risk?\n"
        "2. Who leads on harm outside the home?\n"
    ) in message.body
    html = message.alternatives[0][0]
    assert (
        "<ol><li>How do partners share risk?</li><li>Who leads on harm outside the home?</li></ol>"
        in html
    )


def test_kloes_are_not_published_once_the_event_has_taken_place(em, mailoutbox):
    held = event(em.em, days_from_today=-1)
    event_kloe_add(event=held, question="Too late")
    with pytest.raises(
        ValidationError, match="The event has taken place: its key lines of"
    ) as error:
        event_kloes_publish(event=held)
    assert error.value.messages == [
        "The event has taken place: its key lines of enquiry can no longer be published."
    ]
    held.refresh_from_db()
    assert held.kloes_published_at is None
    assert mailoutbox == []


def test_publishing_after_the_event_shows_the_refusal(client, world, mailoutbox):
    held = event(world.em, days_from_today=-1)
    with scope(alliance=world.em):
        event_kloe_add(event=held, question="Too late")
    client.force_login(world.pm)
    kloes = reverse("thematic:event_kloes", kwargs={"alliance": "east-midlands", "event": held.pk})
    response = client.post(kloes, {"publish": "1"})
    assert response.status_code == 200
    assert (
        "The event has taken place: its key lines of enquiry can no longer be published."
        in response.content.decode()
    )
    assert mailoutbox == []


def change(upcoming, **overrides):
    values = {
        "date": upcoming.date,
        "start_time": upcoming.start_time,
        "end_time": upcoming.end_time,
        "format": upcoming.format,
        "venue": upcoming.venue,
        "online_link": upcoming.online_link,
        "councils": list(upcoming.councils.order_by("name")),
        "tier2_group": upcoming.tier2_group,
        "nominations_due": upcoming.nominations_due,
        "next_steps_due": upcoming.next_steps_due,
    }
    return event_change(event=upcoming, **{**values, **overrides})


def test_a_change_sends_the_nominees_the_updated_entry_with_a_higher_sequence(
    em, mailoutbox, django_capture_on_commit_callbacks
):
    upcoming = event(em.em)
    move(upcoming, next_day_of(1))  # GMT: UTC times are the wall-clock ones
    with django_capture_on_commit_callbacks(execute=True):
        nominate(upcoming, email="lee@example.org", council_name="Leicester")
    _, _, invited = calendar_of(mailoutbox[0])
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        change(upcoming, venue="Derby Council House", start_time=datetime.time(10, 0))
    by_address = {m.to[0]: m for m in mailoutbox}
    assert sorted(by_address) == ["dee@example.org", "lee@example.org", "oscar@example.org"]
    # Derby's organiser and DCS follow the change in their feed: no file for them.
    assert by_address["oscar@example.org"].attachments == []
    assert "attached" not in by_address["oscar@example.org"].body
    nominee = by_address["lee@example.org"]
    assert "The updated calendar entry is attached (event.ics)" in nominee.body
    _, _, updated = calendar_of(nominee)
    assert updated["UID"] == invited["UID"]
    assert (invited["SEQUENCE"], updated["SEQUENCE"]) == ("0", "1")
    assert updated["DTSTART"] == f"{upcoming.date:%Y%m%d}T100000Z"
    assert updated["LOCATION"] == "Derby Council House"
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        change(upcoming, end_time=datetime.time(14, 0))
    _, _, again = calendar_of({m.to[0]: m for m in mailoutbox}["lee@example.org"])
    assert (again["SEQUENCE"], again["DTEND"]) == ("2", f"{upcoming.date:%Y%m%d}T140000Z")


def test_a_change_of_deadlines_only_keeps_the_sequence(
    em, mailoutbox, django_capture_on_commit_callbacks
):
    upcoming = event(em.em)
    nomination(upcoming, "Leicester", email="lee@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        change(upcoming, next_steps_due=upcoming.next_steps_due + datetime.timedelta(days=3))
    upcoming.refresh_from_db()
    assert upcoming.calendar_sequence == 0
    assert mailoutbox == []
