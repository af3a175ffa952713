"""The demo's stand-in for celery beat and a worker, when there is no broker.

scripts/demo starts it beside the server when REDIS_URL is not set; it runs every task of
the beat schedule (config/celery.py) in this process whenever its schedule says, until
stopped. See `peerchallenge.demo_schedule`.
"""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from peerchallenge.demo_schedule import DemoBeat, scheduled_tasks_run


class Command(BaseCommand):
    help = (
        "Demo without a broker: run celery beat's schedule (the reminder scan and the rest) "
        "in this process, each task when it falls due, until stopped."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--once", action="store_true", help="Run every scheduled task now, once, and stop."
        )

    def handle(self, *args, once, **options):
        if not settings.CELERY_TASK_ALWAYS_EAGER:
            raise CommandError(
                "A Celery worker and beat run the schedule here (a broker is configured): "
                "run_demo_schedule is for the demo without one."
            )
        if once:
            names = scheduled_tasks_run()
            self.stdout.write(f"Ran the scheduled jobs: {', '.join(names)}.")
            return
        beat = DemoBeat()
        while True:
            wait = beat.tick()
            # Hold no database connection while asleep: the server may drop it meanwhile.
            connections.close_all()
            time.sleep(wait)
