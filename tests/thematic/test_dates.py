"""Dates that must make sense in a thematic challenge: the event date and its deadlines
sensible (a nominations deadline not already past when set, before the event; nothing more
than three years ahead), the date frozen once the summary is issued, and no summary before
the event. Each refusal says why and saves nothing; the sensible case is accepted."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from peerchallenge.dates import day_text, latest_sensible
from reports.models import ReportVersion
from tests.clock import days
from tests.factories import council
from tests.forms import date_parts
from tests.thematic.factories import event, group, theme
from tests.thematic.test_event_change import change
from thematic.models import EmergingSummary, ThematicEvent
from thematic.services.events import event_schedule
from thematic.services.summary import summary_issue, summary_save


@pytest.fixture
def em(world):
    with scope(alliance=world.em):
        yield world


def too_far(what: str) -> str:
    return (
        f"{what} must be within 3 years of today, on or before "
        f"{day_text(latest_sensible())}. Check the year."
    )


def schedule(em, **overrides):
    values = {
        "alliance": em.em,
        "theme": theme(em.em),
        "date": days(30),
        "start_time": datetime.time(9, 30),
        "end_time": datetime.time(16, 30),
        "format": "in_person",
        "venue": "Leicester City Hall",
        "councils": [council("Derby"), council("Leicester")],
        "tier2_group": group(em.em),
        "created_by": em.pm,
    }
    return event_schedule(**{**values, **overrides})


def events() -> int:
    with scopes_disabled():
        return ThematicEvent.objects.count()


def issued(held, em):
    """The summary written and issued (as the planners would)."""
    summary_save(
        event=held, emerging_themes="Exploitation is rising", proposed_next_steps="", user=em.pm
    )
    summary_issue(event=held, issued_by=em.coordinator)


# Scheduling ---------------------------------------------------------------------------------


def test_an_event_more_than_three_years_ahead_is_refused(em):
    far = latest_sensible() + datetime.timedelta(days=1)
    with pytest.raises(
        ValidationError, match="The date of the event must be within 3 years of"
    ) as error:
        schedule(em, date=far, next_steps_due=far + datetime.timedelta(days=14))
    assert error.value.message_dict == {
        "date": [too_far("The date of the event")],
        "next_steps_due": [too_far("The next steps deadline")],
    }
    assert events() == 0


def test_a_nominations_deadline_already_past_is_refused(em):
    with pytest.raises(
        ValidationError, match="The nominations deadline has already passed"
    ) as error:
        schedule(em, nominations_due=days(-1))
    assert error.value.message_dict == {
        "nominations_due": [
            "The nominations deadline has already passed: choose today or a later day."
        ]
    }
    assert events() == 0


def test_a_nominations_deadline_after_the_event_is_refused(em):
    with pytest.raises(
        ValidationError, match="Nominations must be due on or before the event"
    ) as error:
        schedule(em, nominations_due=days(31))
    assert error.value.message_dict == {
        "nominations_due": ["Nominations must be due on or before the event."]
    }
    assert events() == 0


def test_a_sensible_event_is_scheduled(em):
    made = schedule(em, nominations_due=days(0), next_steps_due=days(44))
    assert (made.date, made.nominations_due, made.next_steps_due) == (days(30), days(0), days(44))


# Changing --------------------------------------------------------------------------------


def test_a_nominations_deadline_already_recorded_may_have_passed(em):
    upcoming = event(em.em, days_from_today=10, nominations_due=days(-2))
    change(upcoming, venue="Derby Council House")
    upcoming.refresh_from_db()
    assert (upcoming.venue, upcoming.nominations_due) == ("Derby Council House", days(-2))


def test_a_nominations_deadline_moved_into_the_past_is_refused(em):
    upcoming = event(em.em, days_from_today=10, nominations_due=days(2))
    with pytest.raises(
        ValidationError, match="The nominations deadline has already passed"
    ) as error:
        change(upcoming, nominations_due=days(-1), venue="Derby Council House")
    assert error.value.message_dict == {
        "nominations_due": [
            "The nominations deadline has already passed: choose today or a later day."
        ]
    }
    upcoming.refresh_from_db()
    assert (upcoming.venue, upcoming.nominations_due) == ("Leicester City Hall", days(2))


def test_the_date_is_frozen_once_the_summary_is_issued(em):
    today_event = event(em.em, days_from_today=0)
    issued(today_event, em)
    with pytest.raises(
        ValidationError, match="The summary of this event has been issued: the"
    ) as error:
        change(today_event, date=days(7), venue="Derby Council House")
    assert error.value.message_dict == {
        "date": [
            "The summary of this event has been issued: the date of the event can no longer "
            f"change (it was held on {day_text(days(0))})."
        ]
    }
    today_event.refresh_from_db()
    assert (today_event.date, today_event.venue) == (days(0), "Leicester City Hall")


def test_other_details_still_change_once_the_summary_is_issued(em):
    today_event = event(em.em, days_from_today=0)
    issued(today_event, em)
    change(today_event, venue="Derby Council House")
    today_event.refresh_from_db()
    assert (today_event.date, today_event.venue) == (days(0), "Derby Council House")


# The summary ------------------------------------------------------------------------------


def test_no_summary_before_the_event(em):
    upcoming = event(em.em, days_from_today=3)
    summary_save(event=upcoming, emerging_themes="Too early", proposed_next_steps="", user=em.pm)
    with pytest.raises(
        ValidationError, match=re.escape("You cannot issue the summary before the event (3")
    ) as error:
        summary_issue(event=upcoming, issued_by=em.coordinator)
    assert error.value.messages == [
        f"You cannot issue the summary before the event ({day_text(days(3))})."
    ]
    with scopes_disabled():
        assert EmergingSummary.objects.get(event=upcoming).issued_at is None
        assert not ReportVersion.objects.exists()


def test_the_summary_is_issued_from_the_event_day(em):
    today_event = event(em.em, days_from_today=0)
    issued(today_event, em)
    with scopes_disabled():
        assert EmergingSummary.objects.get(event=today_event).issued_at is not None
        assert ReportVersion.objects.filter(report="thematic.summary").count() == 1


# The pages ------------------------------------------------------------------------------------


def url(world, name, **kwargs):
    return reverse(f"thematic:{name}", kwargs={"alliance": world.em.slug, **kwargs})


def test_the_summary_page_says_it_is_too_early(client, world):
    upcoming = event(world.em, days_from_today=3)
    with scope(alliance=world.em):
        summary_save(
            event=upcoming, emerging_themes="Too early", proposed_next_steps="", user=world.pm
        )
    client.force_login(world.coordinator)
    response = client.post(url(world, "summary", event=upcoming.pk), {"issue": "1"})
    assert response.status_code == 200
    html = response.content.decode()
    message = f"You cannot issue the summary before the event ({day_text(days(3))})."
    assert "There is a problem" in html and message in html
    with scopes_disabled():
        assert not ReportVersion.objects.exists()


def test_the_change_page_shows_the_frozen_date_in_the_error_summary(client, world):
    today_event = event(world.em, days_from_today=0)
    with scope(alliance=world.em):
        issued(today_event, world)
    client.force_login(world.pm)
    with scopes_disabled():
        data = {
            **date_parts("date", days(7)),
            "start_time": "09:30",
            "end_time": "13:00",
            "format": "in_person",
            "venue": "Leicester City Hall",
            "online_link": "",
            "councils": [c.pk for c in today_event.councils.all()],
            "tier2_group": today_event.tier2_group_id,
            **date_parts("nominations_due", today_event.nominations_due),
            **date_parts("next_steps_due", today_event.next_steps_due),
        }
    response = client.post(url(world, "event_change", event=today_event.pk), data)
    assert response.status_code == 200
    html = response.content.decode()
    message = (
        "The summary of this event has been issued: the date of the event can no longer "
        f"change (it was held on {day_text(days(0))})."
    )
    assert "There is a problem" in html
    assert f'<a href="#id_date">{message}</a>' in html
    today_event.refresh_from_db()
    assert today_event.date == days(0)
    assert timezone.localdate() == days(0)
