"""The plan: activities agreed by both sides; the schedule on the shared timetable, with
room and reviewer clashes refused; the reviewers' sessions in their calendar feed."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope

from ondemand.calendar import ondemand_session_events
from ondemand.services.plan import (
    activities_agree,
    activity_add,
    arrangements_save,
    schedule_session_save,
)
from peerchallenge.models import Session
from tests.ondemand.factories import on_team, planning_review


def at(day, hour, minute=0):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def test_case_sampling_needs_a_number_and_discussion_whom(world, od):
    review = planning_review(world.em)
    with scope(alliance=world.em):
        with pytest.raises(
            ValidationError, match="Enter the number of cases to sample, like 12"
        ) as error:
            activity_add(review=review, user=world.organiser, kind="case_sampling", description="x")
        assert error.value.message_dict == {
            "number_of_cases": ["Enter the number of cases to sample, like 12."]
        }
        with pytest.raises(
            ValidationError, match="Enter whom the discussion is with, like Team"
        ) as error:
            activity_add(review=review, user=world.organiser, kind="discussion", description="x")
        assert error.value.message_dict == {
            "with_whom": ["Enter whom the discussion is with, like Team managers."]
        }


def test_both_sides_agree_and_a_change_asks_again(world, od):
    review = planning_review(world.em)
    on_team(review, od.lead, role="lead")
    with scope(alliance=world.em):
        activity_add(
            review=review, user=od.lead, kind="case_sampling", description="CIN", number_of_cases=12
        )
        activities_agree(review=review, user=world.organiser)
        activities_agree(review=review, user=od.lead)
        assert review.activities_agreed is True
        activity_add(review=review, user=world.organiser, kind="site_visit", description="Hub")
        review.refresh_from_db()
        assert review.activities_agreed is False


def save(world, review, **kwargs):
    day = review.first_day
    data = {
        "kind": "interview",
        "title": "Interview",
        "starts_at": at(day, 10),
        "ends_at": at(day, 11),
        "room": "Room 1",
        "peers": [],
        "user": world.organiser,
    }
    data.update(kwargs)
    with scope(alliance=world.em):
        return schedule_session_save(review=review, **data)


def test_room_clash_refused(world, od):
    review = planning_review(world.em)
    save(world, review, title="Case sampling")
    with pytest.raises(
        ValidationError, match="Room “Room 1” is booked for “Case sampling” from"
    ) as error:
        save(world, review, title="Interview", starts_at=at(review.first_day, 10, 30))
    assert error.value.message_dict == {
        "room": ["Room “Room 1” is booked for “Case sampling” from 10:00 to 11:00."]
    }


def test_reviewer_clash_refused(world, od):
    review = planning_review(world.em)
    on_team(review, od.officer)
    save(world, review, title="Case sampling", peers=[od.officer])
    with pytest.raises(
        ValidationError, match="Pete Officer is in “Case sampling” from 10:00 to"
    ) as error:
        save(world, review, title="Site visit", room="Hub", peers=[od.officer])
    assert error.value.message_dict == {
        "peers": ["Pete Officer is in “Case sampling” from 10:00 to 11:00."]
    }


def test_session_outside_the_review_days_refused(world, od):
    review = planning_review(world.em, days=1)
    day = review.first_day + datetime.timedelta(days=1)
    with pytest.raises(
        ValidationError, match=re.escape("Sessions are on the review days (Wednesday 30")
    ) as error:
        save(world, review, starts_at=at(day, 10), ends_at=at(day, 11))
    assert list(error.value.message_dict) == ["day"]


def test_person_not_on_the_team_refused(world, od):
    review = planning_review(world.em)
    with pytest.raises(
        ValidationError, match="Only the review team can be put in a session: Sam"
    ) as error:
        save(world, review, peers=[od.stranger])
    assert error.value.message_dict == {
        "peers": ["Only the review team can be put in a session: Sam Stranger is not on it."]
    }


def test_schedule_page_shows_the_clash_and_keeps_the_input(client, world, od):
    review = planning_review(world.em)
    save(world, review, title="Case sampling")
    client.force_login(world.organiser)
    url = reverse("ondemand:schedule", kwargs={"alliance": world.em.slug, "review": review.pk})
    response = client.post(
        url,
        {
            "day": review.first_day.isoformat(),
            "starts_at": "10:30",
            "ends_at": "11:30",
            "kind": "interview",
            "title": "Interview with the DCS",
            "room": "room 1",
        },
    )
    assert response.status_code == 200
    assert "Room “room 1” is booked for “Case sampling” from 10:00 to 11:00." in response.text
    assert 'value="Interview with the DCS"' in response.text
    with scope(alliance=world.em):
        assert Session.objects.count() == 1


def test_reviewer_cannot_change_the_schedule(client, world, od):
    review = planning_review(world.em)
    on_team(review, od.officer)
    client.force_login(od.officer)
    url = reverse("ondemand:schedule", kwargs={"alliance": world.em.slug, "review": review.pk})
    assert client.get(url).status_code == 200
    assert client.post(url, {"title": "x"}).status_code == 403


def test_reviewers_sessions_in_their_calendar(world, od):
    review = planning_review(world.em)
    on_team(review, od.officer)
    save(world, review, title="Case sampling", peers=[od.officer])
    with scope(alliance=world.em):
        events = ondemand_session_events(od.officer)
        assert [(e.title, e.day, e.is_timed) for e in events] == [
            ("Case sampling (Derby review of Children's commissioning)", review.first_day, True)
        ]
        [event] = events
        local = timezone.localtime(event.starts_at)
        assert (local.date(), f"{local:%H:%M}") == (review.first_day, "10:00")
        assert timezone.localtime(event.ends_at).strftime("%H:%M") == "11:00"
        assert ondemand_session_events(od.stranger) == []


# The host council's arrangements --------------------------------------------------------

ACCESS = "Read-only logins to the case system.\nRoom 4.12, with a duty manager on call."
PEOPLE = "Head of commissioning; placements team manager."


def arrangements_url(world, review):
    return reverse("ondemand:arrangements", kwargs={"alliance": world.em.slug, "review": review.pk})


def test_host_organiser_saves_the_arrangements_and_the_schedule_shows_them(client, world, od):
    review = planning_review(world.em)
    client.force_login(world.organiser)
    response = client.post(
        arrangements_url(world, review),
        {"case_record_access": f"  {ACCESS}  ", "key_people": PEOPLE},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "ondemand:schedule", kwargs={"alliance": world.em.slug, "review": review.pk}
    )
    review.refresh_from_db()
    assert (review.case_record_access, review.key_people) == (ACCESS, PEOPLE)
    schedule = client.get(response["Location"])
    assert (
        "Read-only logins to the case system.<br>Room 4.12, with a duty manager on call."
        in schedule.text
    )
    assert "Head of commissioning; placements team manager." in schedule.text
    assert "Not recorded yet" not in schedule.text
    # The form opens with what was saved.
    form = client.get(arrangements_url(world, review))
    assert f">\n{ACCESS}</textarea>" in form.text


def test_reviewer_on_the_team_cannot_change_the_arrangements(client, world, od):
    review = planning_review(world.em)
    on_team(review, od.officer)
    client.force_login(od.officer)
    assert client.get(arrangements_url(world, review)).status_code == 403
    response = client.post(
        arrangements_url(world, review), {"case_record_access": "Mine", "key_people": "Me"}
    )
    assert response.status_code == 403
    schedule = client.get(
        reverse("ondemand:schedule", kwargs={"alliance": world.em.slug, "review": review.pk})
    )
    assert schedule.text.count("Not recorded yet") == 2
    assert arrangements_url(world, review) not in schedule.text  # no "Change" link
    review.refresh_from_db()
    assert (review.case_record_access, review.key_people) == ("", "")


@pytest.mark.parametrize("who", ["leicester_organiser", "outsider"])
def test_another_council_or_alliance_gets_404_on_the_arrangements(client, world, od, who):
    review = planning_review(world.em, case_record_access="Room 4.12")
    client.force_login(getattr(od, who, None) or getattr(world, who))
    url = arrangements_url(world, review)
    assert client.get(url).status_code == 404
    assert client.post(url, {"case_record_access": "x", "key_people": "y"}).status_code == 404
    review.refresh_from_db()
    assert (review.case_record_access, review.key_people) == ("Room 4.12", "")


def test_overlong_arrangements_show_the_error_summary_and_keep_the_input(client, world, od):
    review = planning_review(world.em)
    client.force_login(world.organiser)
    response = client.post(
        arrangements_url(world, review),
        {"case_record_access": "Room 4.12", "key_people": "x" * 2001},
    )
    assert response.status_code == 200
    assert "<title>Error: Arrangements" in response.text
    assert 'class="govuk-error-summary"' in response.text
    assert (
        '<a href="#id_key_people">Key people must be 2,000 characters or fewer.</a>'
        in response.text
    )
    assert ">\nRoom 4.12</textarea>" in response.text
    assert f">\n{'x' * 2001}</textarea>" in response.text
    review.refresh_from_db()
    assert (review.case_record_access, review.key_people) == ("", "")


def test_arrangements_exactly_at_the_limit_are_saved(world, od):
    review = planning_review(world.em)
    with scope(alliance=world.em):
        arrangements_save(review=review, case_record_access="y" * 2000, key_people="")
    review.refresh_from_db()
    assert len(review.case_record_access) == 2000


def test_arrangements_cannot_change_after_the_findings_are_issued(world, od):
    review = planning_review(world.em, status="findings_issued", key_people="Head of service")
    with (
        scope(alliance=world.em),
        pytest.raises(ValidationError, match="The review is no longer being planned") as error,
    ):
        arrangements_save(review=review, case_record_access="x", key_people="Someone else")
    assert error.value.message_dict == {
        "case_record_access": ["The review is no longer being planned."]
    }
    review.refresh_from_db()
    assert review.key_people == "Head of service"
