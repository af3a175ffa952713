"""Dates that must make sense in a triad cycle: no summary report before the event, the
event date frozen once a summary is issued, nothing more than three years ahead. Each
refusal says why and saves nothing; the sensible case is accepted."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from peerchallenge.dates import day_text, latest_sensible
from peerchallenge.models import LocalAuthority
from reports.models import ReportVersion
from tests.clock import days
from tests.forms import date_parts
from tests.triads.factories import CycleFactory, make_triads
from triads.models import Cycle
from triads.services.cycles import cycle_create, cycle_update
from triads.services.summary import summary_issue, summary_save


@pytest.fixture
def em(world):
    with scope(alliance=world.em):
        yield world


def em_councils():
    return list(LocalAuthority.objects.filter(region__name="East Midlands").order_by("name"))


def held_cycle(world, *, event_in_days=-3):
    councils = em_councils()
    cycle = CycleFactory(alliance=world.em, name="Triads", event_date=days(event_in_days))
    make_triads(cycle, [councils[:3], councils[3:6], councils[6:]])
    return cycle


def too_far(what: str) -> str:
    return (
        f"{what} must be within 3 years of today, on or before "
        f"{day_text(latest_sensible())}. Check the year."
    )


def fresh(cycle) -> Cycle:
    with scopes_disabled():
        return Cycle.objects.get(pk=cycle.pk)


def issue(cycle, world):
    summary_save(cycle=cycle, overview="Three strong triads.", recommendations="", triad_texts={})
    return summary_issue(cycle=fresh(cycle), issued_by=world.pm)


def test_a_cycle_more_than_three_years_ahead_is_refused(em):
    far = latest_sensible() + datetime.timedelta(days=1)
    with pytest.raises(
        ValidationError, match="The date of the event must be within 3 years of"
    ) as error:
        cycle_create(
            alliance=em.em,
            created_by=em.pm,
            councils=em_councils(),
            name="A mistyped year",
            event_date=far,
            kloes_due=days(30),
        )
    assert error.value.message_dict == {
        "event_date": [too_far("The date of the event")],
        "templates_due": [too_far("The date “event-day templates completed by”")],
        "report_due": [too_far("The date “summary report issued by”")],
    }
    with scopes_disabled():
        assert not Cycle.objects.exists()


def test_a_sensible_cycle_is_created(em):
    cycle = cycle_create(
        alliance=em.em,
        created_by=em.pm,
        councils=em_councils(),
        name="Next spring",
        event_date=days(120),
    )
    assert (cycle.event_date, cycle.report_due) == (days(120), days(162))


def test_no_summary_report_before_the_event(em):
    cycle = held_cycle(em, event_in_days=2)
    with pytest.raises(
        ValidationError, match="You cannot issue the summary report before the"
    ) as error:
        issue(cycle, em)
    assert error.value.messages == [
        f"You cannot issue the summary report before the event ({day_text(days(2))})."
    ]
    with scopes_disabled():
        assert not ReportVersion.objects.exists()


def test_the_summary_report_is_issued_from_the_event_day(em):
    cycle = held_cycle(em, event_in_days=0)
    version = issue(cycle, em)
    assert (version.report, version.number) == ("triads.summary", 1)


def test_the_event_date_is_frozen_once_a_summary_is_issued(em):
    cycle = held_cycle(em)
    issue(cycle, em)
    with pytest.raises(
        ValidationError, match="The summary report of this cycle has been issued"
    ) as error:
        cycle_update(cycle=fresh(cycle), councils=em_councils(), event_date=days(30))
    assert error.value.message_dict == {
        "event_date": [
            "The summary report of this cycle has been issued: the date of the event can no "
            f"longer change (it was held on {day_text(days(-3))})."
        ]
    }
    assert fresh(cycle).event_date == days(-3)


def test_other_details_still_change_once_a_summary_is_issued(em):
    cycle = held_cycle(em)
    issue(cycle, em)
    cycle_update(cycle=fresh(cycle), councils=em_councils(), venue="County Hall, Matlock")
    assert (fresh(cycle).event_date, fresh(cycle).venue) == (days(-3), "County Hall, Matlock")


def test_before_any_summary_the_event_date_may_move(em):
    cycle = held_cycle(em, event_in_days=20)
    cycle_update(
        cycle=fresh(cycle),
        councils=em_councils(),
        event_date=days(27),
        kloes_due=days(0),
        templates_due=days(34),
        report_due=days(69),
    )
    assert fresh(cycle).event_date == days(27)


def test_the_edit_page_shows_the_frozen_date_in_the_error_summary(client, world):
    cycle = held_cycle(world)
    with scope(alliance=world.em):
        issue(cycle, world)
    client.force_login(world.pm)
    response = client.post(
        reverse("triads:cycle_edit", kwargs={"alliance": world.em.slug, "cycle": cycle.pk}),
        {
            "name": "Triads",
            **date_parts("event_date", days(30)),
            "councils": [c.pk for c in em_councils()],
            **date_parts("kloes_due", days(2)),
            **date_parts("templates_due", days(37)),
            **date_parts("report_due", days(72)),
        },
    )
    assert response.status_code == 200
    message = (
        "The summary report of this cycle has been issued: the date of the event can no "
        f"longer change (it was held on {day_text(days(-3))})."
    )
    html = response.content.decode()
    assert "There is a problem" in html
    assert f'<a href="#id_event_date">{message}</a>' in html
    assert fresh(cycle).event_date == days(-3)
