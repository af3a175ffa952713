"""The thematic offer on the alliance overview: each event whose summary is not issued, at
its stage, with its next date, what is late and its dates; one query whatever the number of
events; shown on the overview page."""

import datetime

import time_machine
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from thematic.models import EmergingSummary, ThematicEvent
from thematic.overview import thematic_rows

from .factories import EmergingSummaryFactory, event, next_steps, nomination

DAY = datetime.date(2026, 6, 18)  # the event; nominations due 4 June, next steps 2 July


def event_on(alliance, day=DAY, **fields) -> ThematicEvent:
    """An event on `day` with the default deadlines (the factory counts from today)."""
    made = event(alliance, **fields)
    with scopes_disabled():  # a test entry point
        ThematicEvent.objects.filter(pk=made.pk).update(
            date=day, **ThematicEvent.default_deadlines(day)
        )
    made.refresh_from_db()
    return made


def publish(made: ThematicEvent) -> None:
    with scopes_disabled():
        ThematicEvent.objects.filter(pk=made.pk).update(kloes_published_at=timezone.now())


def rows_on(world, today):
    with scope(alliance=world.em):
        return thematic_rows(alliance=world.em, today=today)


def test_a_scheduled_event_before_anything_is_done(world):
    made = event_on(world.em)
    [row] = rows_on(world, datetime.date(2026, 5, 20))
    assert (row.offer, row.name, row.url) == (
        "Thematic peer challenge",
        "Reduction of Harm, 18 June 2026",
        f"/a/east-midlands/thematic/{made.pk}/",
    )
    assert (row.stage, row.position, row.overdue) == ("Scheduled", 1, "")
    assert (row.next_date, row.next_label) == (datetime.date(2026, 6, 4), "nominations due")
    assert [(e.day, e.title) for e in row.events] == [
        (datetime.date(2026, 6, 4), "Reduction of Harm, 18 June 2026: nominations due"),
        (datetime.date(2026, 6, 18), "Reduction of Harm, 18 June 2026: event day"),
        (datetime.date(2026, 7, 2), "Reduction of Harm, 18 June 2026: next steps due"),
        (datetime.date(2026, 7, 16), "Reduction of Harm, 18 June 2026: summary due"),
    ]
    assert {e.path for e in row.events} == {row.url}


def test_kloes_not_published_and_councils_not_nominated_after_the_deadline(world):
    made = event_on(world.em)
    nomination(made, "Derby")
    [row] = rows_on(world, datetime.date(2026, 6, 10))
    assert row.stage == "Scheduled"
    assert row.overdue == (
        "The key lines of enquiry are not published, due 4 June 2026; "
        "1 of 2 councils have not nominated officers, due 4 June 2026"
    )
    assert (row.next_date, row.next_label) == (DAY, "event day")


def test_published_event_moves_from_nominations_to_ready(world):
    made = event_on(world.em)
    publish(made)
    [row] = rows_on(world, datetime.date(2026, 6, 4))  # the deadline itself is not late
    assert (row.stage, row.position, row.overdue) == ("Nominations", 2, "")
    nomination(made, "Derby")
    nomination(made, "Leicester")
    [row] = rows_on(world, datetime.date(2026, 6, 5))
    assert (row.stage, row.position, row.overdue) == ("Ready for the event", 3, "")


def test_after_the_event_next_steps_then_the_summary(world):
    made = event_on(world.em)
    publish(made)
    [row] = rows_on(world, DAY)
    # Officers may be nominated until the event starts (obligations: thematic.nominate).
    assert (row.stage, row.position, row.overdue) == (
        "Next steps due",
        4,
        "2 of 2 councils have not nominated officers, due 4 June 2026",
    )
    assert (row.next_date, row.next_label) == (DAY, "event day")
    [row] = rows_on(world, DAY + datetime.timedelta(days=1))
    assert (row.stage, row.position, row.overdue) == ("Next steps due", 4, "")
    [row] = rows_on(world, datetime.date(2026, 7, 2))
    assert (row.stage, row.overdue) == ("Next steps due", "")
    next_steps(made, "Derby")
    [row] = rows_on(world, datetime.date(2026, 7, 3))
    assert (row.stage, row.position) == ("Summary to write", 5)
    assert row.overdue == "1 of 2 councils have not submitted next steps, due 2 July 2026"
    assert (row.next_date, row.next_label) == (datetime.date(2026, 7, 16), "summary due")
    next_steps(made, "Leicester")
    [row] = rows_on(world, datetime.date(2026, 7, 16))
    assert row.overdue == ""
    [row] = rows_on(world, datetime.date(2026, 7, 31))  # 29 days after the deadline
    assert row.overdue == (
        "The summary is not issued 4 weeks after the next steps deadline (2 July 2026)"
    )
    assert (row.next_date, row.next_label) == (None, "")


def test_an_issued_summary_takes_the_event_off_the_overview(world):
    made = event_on(world.em)
    with scopes_disabled():
        summary = EmergingSummaryFactory(
            alliance=world.em, event=made, emerging_themes="Exploitation is rising"
        )
    assert [row.name for row in rows_on(world, datetime.date(2026, 7, 3))] == [
        "Reduction of Harm, 18 June 2026"
    ]  # written, not issued
    with scopes_disabled():
        EmergingSummary.objects.filter(pk=summary.pk).update(issued_at=timezone.now())
    assert rows_on(world, datetime.date(2026, 7, 3)) == []


def test_only_the_alliances_own_events(world):
    event_on(world.london, councils=("Camden",))
    assert rows_on(world, datetime.date(2026, 5, 20)) == []


def test_provider_queries_do_not_grow(world, django_assert_num_queries):
    made = event_on(world.em)
    nomination(made, "Derby")
    # The offer's obligations: the theme suggestions, the events, their councils.
    with django_assert_num_queries(3):
        assert len(rows_on(world, datetime.date(2026, 6, 10))) == 1
    for weeks in range(1, 8):
        more = event_on(world.em, DAY + datetime.timedelta(weeks=weeks), theme_name=f"T{weeks}")
        nomination(more, "Leicester")
        next_steps(more, "Derby")
    with django_assert_num_queries(3):
        rows = rows_on(world, datetime.date(2026, 6, 10))
    assert len(rows) == 8
    assert rows[0].overdue.endswith("1 of 2 councils have not nominated officers, due 4 June 2026")


# The page ---------------------------------------------------------------------------------

NOW = datetime.datetime(2026, 6, 10, 12, tzinfo=datetime.UTC)


def overview(client, world):
    return client.get(reverse("alliance_overview", kwargs={"alliance": world.em.slug}))


@time_machine.travel(NOW, tick=False)
def test_the_overview_page_shows_the_events(client, world):
    late = event_on(world.em)
    client.force_login(world.pm)
    publish(event_on(world.em, datetime.date(2026, 6, 30), theme_name="Abuse and Violence"))
    response = overview(client, world)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Thematic peer challenge: 2 in progress (1 at scheduled, 1 at nominations)" in page
    assert f'href="/a/east-midlands/thematic/{late.pk}/">Reduction of Harm, 18 June 2026</a>' in (
        page
    )
    assert [(row.offer, row.name) for row in response.context["overdue_stages"]] == [
        ("Thematic peer challenge", "Reduction of Harm, 18 June 2026")
    ]
    assert "Reduction of Harm, 18 June 2026: event day" in page  # the month view


@time_machine.travel(NOW, tick=False)
def test_the_overview_page_queries_do_not_grow_with_events(
    client, world, django_assert_max_num_queries
):
    event_on(world.em)
    client.force_login(world.pm)
    # 14 with the caches cold (the local returns' and the improvement cycle's rows are read
    # once, then cached), within the 15 a page may use.
    with django_assert_max_num_queries(14):
        response = overview(client, world)
    assert len(response.context["offers"][0].rows) == 1
    for weeks in range(1, 10):
        made = event_on(world.em, DAY + datetime.timedelta(weeks=weeks), theme_name=f"T{weeks}")
        nomination(made, "Derby")
    with django_assert_max_num_queries(14):
        response = overview(client, world)
    assert len(response.context["offers"][0].rows) == 10
