"""The triad offer states what is due once (triads/obligations.py); the home page, the
reminders and the overview agree because they read that one statement."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django_scopes import scope

from peerchallenge.models import LocalAuthority
from peerchallenge.reminders import reminders_queue
from reports.models import ReportVersion
from tests import clock
from tests.factories import ReportVersionFactory
from tests.obligations import assert_same_without_people
from tests.outbox import deliver_queued
from tests.triads.factories import CycleFactory, make_triads
from triads.obligations import obligations
from triads.overview import triad_rows


def home(client, user):
    client.force_login(user)
    return client.get(reverse("home")).content.decode()


def held_last_month(world):
    cycle = CycleFactory(alliance=world.em, name="Last month", event_date=clock.days(-10))
    em = list(LocalAuthority.objects.filter(region__name="East Midlands").order_by("name"))
    make_triads(cycle, [em[:3], em[4:7], [em[3], *em[7:]]])
    return cycle


def summary_version(world, cycle, status):
    with scope(alliance=world.em):
        return ReportVersionFactory(
            alliance=world.em,
            report="triads.summary",
            title="Summary",
            subject=cycle,
            number=ReportVersion.objects.filter(subject_id=cycle.pk).count() + 1,
            status=status,
        )


def in_overview(world, cycle) -> bool:
    with scope(alliance=world.em):
        return cycle.name in [row.name for row in triad_rows(alliance=world.em, today=clock.TODAY)]


@pytest.mark.parametrize(
    ("status", "issued"),
    [
        (ReportVersion.Status.FAILED, False),
        (ReportVersion.Status.PENDING, True),
        (ReportVersion.Status.RENDERING, True),
        (ReportVersion.Status.RENDERED, True),
    ],
)
def test_home_page_and_overview_agree_on_whether_the_summary_is_issued(
    client, world, status, issued
):
    """The home page used to count any version, a failed render too, as issued, while the
    overview counted only ready ones."""
    cycle = held_last_month(world)
    summary_version(world, cycle, status)
    asked = "Issue the summary report of Last month" in home(client, world.pm)
    assert asked is not issued
    assert in_overview(world, cycle) is not issued


def test_every_reminder_is_on_the_home_page_of_the_person_reminded(client, world, mailoutbox):
    cycle = CycleFactory(alliance=world.em, name="Soon", event_date=clock.days(20))
    em = list(LocalAuthority.objects.filter(region__name="East Midlands").order_by("name"))
    make_triads(cycle, [em[:3], em[4:7], [em[3], *em[7:]]])
    reminder_day = cycle.kloes_due - datetime.timedelta(days=7)
    with scope(alliance=world.em):
        stated = obligations(alliances=[world.em.pk], today=reminder_day)
        assert reminders_queue(alliance=world.em, today=reminder_day) > 0
    deliver_queued()
    reminded = [o for o in stated if o.reminders and not o.done]
    assert reminded
    derby = next(o for o in reminded if o.council.name == "Derby")
    assert {user.email for user in derby.recipients} == {"oscar@example.org", "dee@example.org"}
    subject = f"[Action required] {derby.reminders['kloes_due']}"
    assert sorted(m.to[0] for m in mailoutbox if m.subject == subject) == [
        "dee@example.org",
        "oscar@example.org",
    ]
    with time_machine.travel(reminder_day, tick=False):
        for person in (world.organiser, world.dcs):
            assert derby.title.replace("'", "&#x27;") in home(client, person)


def test_the_home_page_asks_only_what_the_person_acts_on(world):
    held_last_month(world)
    with scope(alliance=world.em):
        for_organiser = obligations(
            alliances=[world.em.pk], today=clock.TODAY, user=world.organiser
        )
        everyone = obligations(alliances=[world.em.pk], today=clock.TODAY)
    assert {o.council.name for o in for_organiser} == {"Derby"}
    assert {o.kind for o in for_organiser} == {"triads.event_template"}
    derby = [o for o in everyone if o.council is not None and o.council.name == "Derby"]
    assert world.organiser in derby[0].actors and world.dcs in derby[0].actors
    summary = next(o for o in everyone if o.kind == "triads.summary")
    assert world.pm in summary.actors and world.organiser not in summary.actors


def test_an_inactive_person_is_not_an_actor(world):
    held_last_month(world)
    world.dcs.is_active = False
    world.dcs.save()
    with scope(alliance=world.em):
        everyone = obligations(alliances=[world.em.pk], today=clock.TODAY)
    derby = next(o for o in everyone if o.council is not None and o.council.name == "Derby")
    assert world.dcs not in derby.actors and world.organiser in derby.actors


def test_without_people_the_same_obligations_name_nobody(world):
    held_last_month(world)
    before = CycleFactory(alliance=world.em, name="Next", event_date=clock.days(40))
    make_triads(before, [list(before.councils.all())])
    with scope(alliance=world.em):
        everyone = obligations(alliances=[world.em.pk], today=clock.TODAY)
        without = obligations(alliances=[world.em.pk], today=clock.TODAY, people=False)
    assert_same_without_people(everyone, without)
