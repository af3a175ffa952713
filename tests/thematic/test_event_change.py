"""Changing a scheduled event: the scheduling rules again, councils that have started their
part stay, a held event is left alone, and the people coming are told of new arrangements."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from peerchallenge.models import Role
from tests.factories import MembershipFactory, Tier2GroupFactory, UserFactory, council
from tests.forms import date_parts, shows_date, shows_time
from tests.thematic.factories import event, group, next_steps, nomination
from thematic.models import ThematicEvent
from thematic.services.events import event_change

TODAY = timezone.localdate


@pytest.fixture
def em(world):
    with scope(alliance=world.em):
        yield world


def change(upcoming, **overrides):
    """`event_change` with the event's present values, but for `overrides`."""
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


def unchanged(upcoming) -> tuple:
    with scopes_disabled():
        fresh = ThematicEvent.objects.get(pk=upcoming.pk)
        return (
            fresh.date,
            fresh.start_time,
            fresh.venue,
            fresh.nominations_due,
            sorted(c.name for c in fresh.councils.all()),
        )


# The service ------------------------------------------------------------------------------


def test_new_place_and_time_are_saved_and_everyone_coming_is_emailed(
    em, mailoutbox, django_capture_on_commit_callbacks
):
    upcoming = event(em.em)
    nomination(upcoming, "Leicester", email="lee@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        changes = change(upcoming, venue="Derby Council House", start_time=datetime.time(10, 0))
    upcoming.refresh_from_db()
    assert (upcoming.venue, upcoming.start_time) == ("Derby Council House", datetime.time(10, 0))
    assert [(c.label, c.before, c.after) for c in changes] == [
        ("Starts at", "09:30", "10:00"),
        ("Venue", "Leicester City Hall", "Derby Council House"),
    ]
    # Derby's organiser and DCS (the world's council people), and Leicester's nominee; one
    # message each.
    assert sorted(m.to[0] for m in mailoutbox) == [
        "dee@example.org",
        "lee@example.org",
        "oscar@example.org",
    ]
    message = mailoutbox[0]
    day = f"{upcoming.date.day} {upcoming.date:%B %Y}"
    assert message.subject == (
        f"The Reduction of Harm thematic peer challenge has changed: now {day}"
    )
    assert "Starts at: 10:00 (was 09:30)" in message.body
    assert "Venue: Derby Council House (was Leicester City Hall)" in message.body
    assert f"The event is now on {upcoming.date:%A} {day}, 10:00 to 13:00." in message.body
    assert "Where: Derby Council House" in message.body
    path = reverse(
        "thematic:event_detail", kwargs={"alliance": "east-midlands", "event": upcoming.pk}
    )
    assert path in message.body
    html = message.alternatives[0][0]
    assert "Venue: <strong>Derby Council House</strong> (was Leicester City Hall)" in html


def test_going_online_drops_the_venue_and_says_so(
    em, mailoutbox, django_capture_on_commit_callbacks
):
    upcoming = event(em.em)
    later = upcoming.date + datetime.timedelta(days=7)
    with django_capture_on_commit_callbacks(execute=True):
        changes = change(
            upcoming,
            date=later,
            format="online",
            online_link="https://meet.example.org/harm",
            next_steps_due=None,
        )
    upcoming.refresh_from_db()
    assert (upcoming.venue, upcoming.online_link) == ("", "https://meet.example.org/harm")
    assert upcoming.next_steps_due == later + datetime.timedelta(weeks=2)  # from the new date
    assert [c.label for c in changes] == ["Date", "Format", "Venue", "Online meeting link"]
    body = mailoutbox[0].body
    assert "Format: Online (was In person)" in body
    assert "Online meeting link: https://meet.example.org/harm (was none)" in body


def test_councils_group_and_deadlines_change_without_an_email(
    em, mailoutbox, django_capture_on_commit_callbacks
):
    upcoming = event(em.em)
    other = group(em.em, name="Exploitation board")
    with django_capture_on_commit_callbacks(execute=True):
        changes = change(
            upcoming,
            councils=[council("Derby"), council("Leicester"), council("Rutland")],
            tier2_group=other,
            nominations_due=upcoming.date - datetime.timedelta(days=3),
        )
    assert changes == []
    assert mailoutbox == []
    upcoming.refresh_from_db()
    assert upcoming.tier2_group == other
    assert upcoming.nominations_due == upcoming.date - datetime.timedelta(days=3)
    assert sorted(c.name for c in upcoming.councils.all()) == ["Derby", "Leicester", "Rutland"]


def test_a_council_without_nominations_can_be_removed(em):
    upcoming = event(em.em)
    nomination(upcoming, "Derby")
    change(upcoming, councils=[council("Derby")])
    assert [c.name for c in upcoming.councils.all()] == ["Derby"]


@pytest.mark.parametrize(
    ("started", "message"),
    [
        ("nominated", "Derby cannot be removed: it has nominated officers."),
        ("submitted", "Derby cannot be removed: it has submitted its next steps."),
        (
            "both",
            "Derby cannot be removed: it has nominated officers and submitted its next steps.",
        ),
    ],
)
def test_a_council_that_has_started_its_part_stays(
    em, mailoutbox, django_capture_on_commit_callbacks, started, message
):
    upcoming = event(em.em, days_from_today=0)  # next steps open on the day
    if started in ("nominated", "both"):
        nomination(upcoming, "Derby")
    if started in ("submitted", "both"):
        next_steps(upcoming, "Derby")
    before = unchanged(upcoming)
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(ValidationError, match=re.escape(message)) as error,
    ):
        change(upcoming, councils=[council("Leicester")], venue="Somewhere else")
    assert error.value.message_dict == {"councils": [message]}
    assert unchanged(upcoming) == before
    assert mailoutbox == []


def test_every_council_kept_is_named(em):
    upcoming = event(em.em, councils=("Derby", "Leicester", "Rutland"))
    nomination(upcoming, "Rutland")
    nomination(upcoming, "Derby")
    with pytest.raises(
        ValidationError, match="Derby cannot be removed: it has nominated officers"
    ) as error:
        change(upcoming, councils=[council("Leicester")])
    assert error.value.message_dict == {
        "councils": [
            "Derby cannot be removed: it has nominated officers.",
            "Rutland cannot be removed: it has nominated officers.",
        ]
    }


def test_a_held_event_cannot_be_changed(em, mailoutbox):
    held = event(em.em, days_from_today=-1)
    before = unchanged(held)
    with pytest.raises(
        ValidationError, match="The event has taken place: it can no longer be"
    ) as error:
        change(held, date=TODAY() + datetime.timedelta(days=10), venue="Elsewhere")
    assert error.value.messages == ["The event has taken place: it can no longer be changed."]
    assert unchanged(held) == before


def _london_group(em):
    with scope(alliance=em.london):
        return Tier2GroupFactory(alliance=em.london, name="London group")


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"date": datetime.date(2020, 1, 1)}, "date", "today or in the future"),
        ({"venue": " "}, "venue", "Enter the venue of an in-person event."),
        ({"format": "online", "online_link": ""}, "online_link", "Enter the meeting link"),
        ({"end_time": datetime.time(9, 0)}, "end_time", "The event must end after it starts."),
        ({"councils": []}, "councils", "Choose the councils taking part."),
        ({"councils": "camden"}, "councils", "Choose councils of this alliance."),
        ({"tier2_group": "london"}, "tier2_group", "Choose the Tier 2 group"),
        ({"nominations_due": "after"}, "nominations_due", "on or before the event"),
        ({"next_steps_due": "before"}, "next_steps_due", "on or after the event"),
    ],
)
def test_change_refuses_what_scheduling_refuses(em, mailoutbox, overrides, field, message):
    upcoming = event(em.em)
    live = {
        "camden": [council("Camden")],
        "london": _london_group(em) if overrides.get("tier2_group") == "london" else None,
        "after": upcoming.date + datetime.timedelta(days=1),
        "before": upcoming.date - datetime.timedelta(days=1),
    }
    overrides = {
        key: live[value] if isinstance(value, str) and value in live else value
        for key, value in overrides.items()
    }
    before = unchanged(upcoming)
    with pytest.raises(ValidationError, match=re.escape(message)) as error:
        change(upcoming, **overrides)
    assert message in " ".join(error.value.message_dict[field])
    assert unchanged(upcoming) == before
    assert mailoutbox == []


# The pages --------------------------------------------------------------------------------


def url(world, name, **kwargs):
    return reverse(f"thematic:{name}", kwargs={"alliance": world.em.slug, **kwargs})


def form_data(upcoming, **overrides):
    with scopes_disabled():
        data = {
            **date_parts("date", upcoming.date),
            "start_time": "09:30",
            "end_time": "13:00",
            "format": "in_person",
            "venue": "Leicester City Hall",
            "online_link": "",
            "councils": [c.pk for c in upcoming.councils.all()],
            "tier2_group": upcoming.tier2_group_id,
            **date_parts("nominations_due", upcoming.nominations_due),
            **date_parts("next_steps_due", upcoming.next_steps_due),
        }
    for name, value in overrides.items():  # a date goes in as its three boxes
        data |= date_parts(name, value) if isinstance(value, datetime.date) else {name: value}
    return data


def test_pm_changes_the_venue_and_sees_it(
    client, world, mailoutbox, django_capture_on_commit_callbacks
):
    upcoming = event(world.em)
    client.force_login(world.pm)
    detail = client.get(url(world, "event_detail", event=upcoming.pk)).content.decode()
    page = url(world, "event_change", event=upcoming.pk)
    change = f'<a class="govuk-link" href="{page}">Change<span class="govuk-visually-hidden"> '
    assert change + "the venue or online link</span></a>" in detail  # a link on each row
    form = client.get(page).content.decode()
    assert "Change the Reduction of Harm thematic event" in form
    assert 'value="Leicester City Hall"' in form
    assert shows_date(form, "date", upcoming.date)
    assert shows_time(form, "start_time", "09:30")
    assert shows_date(form, "nominations_due", upcoming.nominations_due)
    assert 'name="theme"' not in form  # the theme stays
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(page, form_data(upcoming, venue="Derby Council House"))
    assert response.status_code == 302
    assert response["Location"] == url(world, "event_detail", event=upcoming.pk)
    detail = client.get(response["Location"]).content.decode()
    assert (
        "The event has been changed. The participants have been emailed the new arrangements."
        in detail
    )
    assert "Derby Council House" in detail
    assert sorted(m.to[0] for m in mailoutbox) == ["dee@example.org", "oscar@example.org"]


def test_coordinator_changes_the_deadlines_and_nobody_is_emailed(client, world, mailoutbox):
    upcoming = event(world.em)
    client.force_login(world.coordinator)
    due = upcoming.date - datetime.timedelta(days=5)
    response = client.post(
        url(world, "event_change", event=upcoming.pk),
        form_data(upcoming, nominations_due=due),
    )
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "The event has been changed." in page
    assert "emailed the new arrangements" not in page
    assert f"{due.day} {due:%B %Y}" in page
    assert mailoutbox == []


def test_removing_a_council_that_nominated_is_refused_on_the_form(client, world, mailoutbox):
    upcoming = event(world.em)
    nomination(upcoming, "Derby")
    client.force_login(world.pm)
    with scopes_disabled():
        leicester = council("Leicester").pk
    response = client.post(
        url(world, "event_change", event=upcoming.pk),
        form_data(upcoming, councils=[leicester], venue="Derby Council House"),
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Derby cannot be removed: it has nominated officers." in page
    assert 'value="Derby Council House"' in page  # nothing typed is lost
    upcoming.refresh_from_db()
    assert upcoming.venue == "Leicester City Hall"
    with scopes_disabled():
        assert sorted(c.name for c in upcoming.councils.all()) == ["Derby", "Leicester"]
    assert mailoutbox == []


def test_a_date_in_the_past_is_refused_on_the_form(client, world):
    upcoming = event(world.em)
    client.force_login(world.pm)
    response = client.post(
        url(world, "event_change", event=upcoming.pk),
        form_data(upcoming, date=datetime.date(2020, 1, 1)),
    )
    assert response.status_code == 200
    assert "The date of the event must be today or in the future." in response.content.decode()
    upcoming.refresh_from_db()
    assert upcoming.date != datetime.date(2020, 1, 1)


def test_a_held_event_has_no_change_page(client, world):
    held = event(world.em, days_from_today=-1)
    client.force_login(world.pm)
    detail = client.get(url(world, "event_detail", event=held.pk)).content.decode()
    page = url(world, "event_change", event=held.pk)
    assert page not in detail  # no "Change" link
    assert client.get(page).status_code == 404
    assert client.post(page, form_data(held, venue="Elsewhere")).status_code == 404
    held.refresh_from_db()
    assert held.venue == "Leicester City Hall"


def test_only_the_planners_change_an_event(client, world):
    """Those who see the event but may not change it get 403; those who do not see it, 404."""
    upcoming = event(world.em, tier2_group=group(world.em, members=[world.tier2]))
    rutland = UserFactory(full_name="Ria Rutland", email="ria@example.org")
    MembershipFactory(
        alliance=world.em, user=rutland, role=Role.LA_ORGANISER, local_authority=council("Rutland")
    )
    page = url(world, "event_change", event=upcoming.pk)
    detail = url(world, "event_detail", event=upcoming.pk)
    for user, status in [
        (world.organiser, 403),  # Derby takes part
        (world.dcs, 403),
        (world.tier2, 403),  # the event's Tier 2 group
        (rutland, 404),  # a council not taking part
        (world.admin, 404),  # the alliance admin does not run thematic events
        (world.pm, 200),
        (world.coordinator, 200),
    ]:
        client.force_login(user)
        assert client.get(page).status_code == status, user
        if status == 403:
            assert client.post(page, form_data(upcoming, venue="X")).status_code == 403
            assert page not in client.get(detail).content.decode()
    upcoming.refresh_from_db()
    assert upcoming.venue == "Leicester City Hall"
