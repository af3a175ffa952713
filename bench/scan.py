"""The daily reminder scan at national scale (`python -m bench.run --scan`).

On the board's alliance (seeded with `--actions N`, e.g. 100,000 with about a quarter
overdue) and every other bench alliance, inside one transaction that is rolled back (the
database is left as it was; nothing is sent: the scan only writes the outbox):

1. **the day's scan**: as if yesterday's scan had finished (`ReminderScan` of every alliance
   set to yesterday, no reminder queued before), the beat task's loop over the alliances
   (`reminders_queue` of each, as peerchallenge.tasks.reminders_scan does) for today: the
   reminders due before an action's date and the "overdue" ones whose day is today;
2. **nothing to send**: the same scan again at once; it must queue nothing (exactly once);
3. **a missed day**: the scan of tomorrow after the day's, to show that the "overdue" work
   grows with the days since the last scan, not with every overdue action ever recorded.

Each is timed (wall and this process's CPU) with its queries counted; one table. The
worker's exactly-once delivery is proven by the tests with a real worker
(tests/peerchallenge/test_reminders_worker.py), not here.
"""

import datetime
import time

from django.conf import settings
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from peerchallenge.models import (
    Action,
    ActionStatus,
    Alliance,
    OutboundEmail,
    ReminderLog,
    ReminderScan,
)
from peerchallenge.reminders import reminders_queue


def _timed(label: str, alliances: list, day: datetime.date) -> tuple:
    """The beat task's loop (peerchallenge.tasks.reminders_scan) for `day`."""
    with CaptureQueriesContext(connection) as queries:
        started, cpu_started = time.perf_counter(), time.process_time()
        queued = 0
        for alliance in alliances:
            with scope(alliance=alliance):
                queued += reminders_queue(alliance=alliance, today=day)
        wall, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    return label, day, queued, wall, cpu, len(queries)


def run_scan() -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    today = timezone.localdate()
    with scopes_disabled():
        alliances = list(Alliance.objects.order_by("pk"))
        actions = Action.objects.count()
        overdue = (
            Action.objects.filter(due_date__lt=today).exclude(status=ActionStatus.COMPLETE).count()
        )
        rows = []
        with transaction.atomic():
            ReminderLog.objects.all().delete()
            OutboundEmail.objects.all().delete()
            ReminderScan.objects.all().delete()
            ReminderScan.objects.bulk_create(
                ReminderScan(alliance=alliance, scanned_on=today - datetime.timedelta(days=1))
                for alliance in alliances
            )
            rows.append(_timed("the day's scan", alliances, today))
            rows.append(_timed("the same day again (nothing to send)", alliances, today))
            rows.append(_timed("the next day", alliances, today + datetime.timedelta(days=1)))
            emails = OutboundEmail.objects.count()
            keys = OutboundEmail.objects.values("dedupe_key").distinct().count()
            transaction.set_rollback(True)
    print()
    print(
        f"reminder scan: {len(alliances)} alliances, {actions} actions, {overdue} overdue "
        f"(not complete) on {today}; rolled back"
    )
    print()
    print("| scan | day | reminders queued | wall s | CPU s | queries |")
    print("| --- | --- | ---: | ---: | ---: | ---: |")
    for label, day, queued, wall, cpu, queries in rows:
        print(f"| {label} | {day} | {queued} | {wall:.2f} | {cpu:.2f} | {queries} |")
    print()
    print(f"emails in the outbox: {emails}, distinct keys: {keys} (each reminder once)")
