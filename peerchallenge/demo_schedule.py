"""The demo without a broker: celery beat's schedule, run in this process.

With REDIS_URL set, `celery beat` sends each scheduled task to a worker. The demo without
one has neither, so nothing scheduled would ever run (no reminders while actions are
overdue). There, `seed_demo` runs every scheduled task once (`scheduled_tasks_run`), and
`manage.py run_demo_schedule`, a second process that scripts/demo starts beside the server,
runs each again whenever its schedule says (`DemoBeat`). Both read the schedule from the
Celery app (config/celery.py, i.e. CELERY_BEAT_SCHEDULE), so a new entry runs here too.

Each task runs eagerly (`Task.apply`); whatever it enqueues runs in-process as well, since
without a broker CELERY_TASK_ALWAYS_EAGER is on. Demo only: production runs `celery beat`.
"""

import logging

from celery.beat import ScheduleEntry

from config.celery import app

logger = logging.getLogger(__name__)

# Look at the clock at least this often (celery beat's own default), so a laptop that slept
# through a due time catches up soon after it wakes.
MAX_WAIT = 300.0


def beat_entries() -> list[ScheduleEntry]:
    """The beat schedule's entries, each last run now (as when `celery beat` starts)."""
    # Register every app's tasks, as the worker does on start.
    app.autodiscover_tasks(force=True)
    return [
        ScheduleEntry(**dict(entry, name=name, app=app))
        for name, entry in app.conf.beat_schedule.items()
    ]


def scheduled_task_run(*, entry: ScheduleEntry) -> None:
    """Run one scheduled task now, in this process; its errors propagate."""
    app.tasks[entry.task].apply(args=entry.args, kwargs=entry.kwargs, throw=True)


def scheduled_tasks_run() -> list[str]:
    """Run every task of the beat schedule once, now, in this process; return the entries'
    names. What the tasks write and send is theirs (e.g. the reminder scan's emails)."""
    entries = beat_entries()
    for entry in entries:
        scheduled_task_run(entry=entry)
    return [entry.name for entry in entries]


class DemoBeat:
    """Celery beat's timing, in memory, with eager tasks. `tick()` runs what is due."""

    def __init__(self):
        self.entries = beat_entries()

    def tick(self) -> float:
        """Run every entry that is due; return the seconds until one may next be due. A
        failing task is logged and tried again at its next time, as beat does."""
        wait = MAX_WAIT
        for position, entry in enumerate(self.entries):
            due, next_in = entry.is_due()
            if due:
                try:
                    scheduled_task_run(entry=entry)
                except Exception:
                    logger.exception("The scheduled job %s failed", entry.name)
                self.entries[position] = next(entry)
            wait = min(wait, next_in)
        return wait
