"""The demo without a broker runs celery beat's schedule in-process: `seed_demo` once, and
`run_demo_schedule` (started by scripts/demo) whenever an entry falls due, whatever the
schedule in config/celery.py holds."""

import datetime
import io

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django_scopes import scope, scopes_disabled

from config.celery import app
from peerchallenge.demo_schedule import DemoBeat
from peerchallenge.models import ReminderLog
from peerchallenge.services import action_create
from tests.clock import NOW, at, days
from tests.factories import council
from tests.triads.factories import CycleFactory

swept = []


@app.task(name="tests.demo_schedule.sweep")
def sweep(what: str) -> None:
    """Stands in for an entry another engineer adds to the beat schedule."""
    swept.append(what)


@pytest.fixture
def overdue(world):
    """Derby's action, due three days ago: its DCS and organiser are to be told once."""
    cycle = CycleFactory(alliance=world.em, name="Spring 2026")
    with scope(alliance=world.em):
        return action_create(
            source=cycle,
            local_authority=council("Derby"),
            what="Recruit two social work team managers",
            owner="Head of service",
            due_date=days(-3),
            tier2_group=None,
            created_by=world.pm,
        )


@pytest.fixture
def sweeper(monkeypatch):
    swept.clear()
    monkeypatch.setitem(
        app.conf.beat_schedule,
        "sweep-every-minute",
        {
            "task": "tests.demo_schedule.sweep",
            "schedule": datetime.timedelta(minutes=1),
            "args": ("outbox",),
        },
    )


def reminded(world) -> list[tuple[str, str]]:
    with scopes_disabled():
        logs = ReminderLog.objects.filter(alliance=world.em, email__state=ReminderLog.Status.SENT)
        return sorted(logs.values_list("kind", "recipient__email"))


def test_run_demo_schedule_once_runs_every_scheduled_task_now(world, overdue, sweeper, mailoutbox):
    out = io.StringIO()
    call_command("run_demo_schedule", once=True, stdout=out)

    every_job = list(app.conf.beat_schedule)  # the real schedule, plus the sweeper above
    assert {"heartbeat", "reminders-daily", "sweep-every-minute"} <= set(every_job)
    ran = out.getvalue().removeprefix("Ran the scheduled jobs: ").removesuffix(".\n")
    assert sorted(ran.split(", ")) == sorted(every_job)
    assert reminded(world) == [
        ("action_overdue", "dee@example.org"),
        ("action_overdue", "oscar@example.org"),
    ]
    assert mailoutbox[0].subject == (
        f"[Action required] Derby's agreed action was due on "
        f"{days(-3).day} {days(-3):%B %Y}: Recruit two social work team managers"
    )
    assert swept == ["outbox"]


def test_demo_beat_runs_each_entry_when_its_schedule_says(world, overdue, sweeper, mailoutbox):
    beat = DemoBeat()  # as it starts: seed_demo has just run everything

    assert beat.tick() == pytest.approx(60, abs=1)
    assert (swept, reminded(world)) == ([], [])

    with time_machine.travel(NOW + datetime.timedelta(seconds=61), tick=False):
        assert beat.tick() == pytest.approx(60, abs=1)
        assert beat.tick() == pytest.approx(60, abs=1)
    assert (swept, reminded(world)) == (["outbox"], [])

    # The reminder scan's crontab: 07:00, the next morning.
    with time_machine.travel(at(1, hour=7, minute=0) + datetime.timedelta(seconds=5), tick=False):
        beat.tick()
    assert swept == ["outbox", "outbox"]
    assert reminded(world) == [
        ("action_overdue", "dee@example.org"),
        ("action_overdue", "oscar@example.org"),
    ]
    assert len(mailoutbox) == 2


def test_demo_beat_carries_on_after_a_failing_task(world, sweeper, monkeypatch, caplog):
    monkeypatch.setitem(
        app.conf.beat_schedule["sweep-every-minute"], "args", ()
    )  # sweep() now raises TypeError
    beat = DemoBeat()
    with time_machine.travel(NOW + datetime.timedelta(seconds=61), tick=False):
        assert beat.tick() == pytest.approx(60, abs=1)
    assert swept == []
    assert "The scheduled job sweep-every-minute failed" in caplog.text


def test_run_demo_schedule_refuses_when_a_broker_runs_the_schedule(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    with pytest.raises(CommandError) as refused:
        call_command("run_demo_schedule", stdout=io.StringIO())
    assert str(refused.value) == (
        "A Celery worker and beat run the schedule here (a broker is configured): "
        "run_demo_schedule is for the demo without one."
    )
