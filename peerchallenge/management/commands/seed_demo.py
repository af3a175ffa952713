"""Seed the demo: three alliances, invented people in every role, illustrative Ofsted grades.

Idempotent: running it again creates no duplicates and changes nothing. The data and the
logic live in `peerchallenge.demo`; each offer app adds its own through its AppConfig's
`seed_demo(stdout=...)`. Then it runs the scheduled jobs once (there may be no beat to run
them: `peerchallenge.demo_schedule`), so the demo's overdue work has had its reminders, and
prints the demo accounts last, after every email.
"""

from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from peerchallenge.demo import DEFAULT_PASSWORD, seed_demo, sign_in_accounts
from peerchallenge.demo_schedule import scheduled_tasks_run


class Command(BaseCommand):
    help = (
        "Create or update the demo alliances (East Midlands RIIA, LIIA, LGA), their invented "
        "people with verified addresses, and a superuser. Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--password",
            default=DEFAULT_PASSWORD,
            help=f"Password of every demo account ({DEFAULT_PASSWORD}).",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even though DEBUG and demo mode (PEERCHALLENGE_DEMO) are both off.",
        )

    def handle(self, *args, password, force, **options):
        if not (settings.DEBUG or settings.DEMO_MODE or force):
            raise CommandError(
                "Refusing to create demo accounts with a published password: DEBUG and "
                "PEERCHALLENGE_DEMO are both off. Use a demo database, or pass --force."
            )
        if not password:
            raise CommandError("--password must not be empty.")
        with transaction.atomic():
            try:
                created = seed_demo(password=password)
            except LookupError as error:
                raise CommandError(f"{error} (have the migrations run?)") from error
            # Offers seed themselves (AppConfig.seed_demo): the core never imports them.
            for config in apps.get_app_configs():
                if callable(getattr(config, "seed_demo", None)):
                    config.seed_demo(stdout=self.stdout)
        summary = ", ".join(f"{kind} {count}" for kind, count in created.items())
        self.stdout.write(self.style.SUCCESS(f"Demo data ready. Created: {summary}."))
        self.stdout.write("The Ofsted grades in the demo are invented, not real judgements.")
        # Beat's next run may be a day away (and without a broker there is no beat): run them
        # now, so what the demo has overdue has had its reminders.
        jobs = scheduled_tasks_run()
        self.stdout.write(f"Ran the scheduled jobs: {', '.join(jobs)}.")
        if settings.EMAIL_BACKEND == "django.core.mail.backends.filebased.EmailBackend":
            self.stdout.write(
                "Emails are not sent: each is written to a file in "
                f"{Path(settings.EMAIL_FILE_PATH)}/"
            )
        # The accounts last, where the newcomer looks.
        accounts = sign_in_accounts()
        width = max(len(label) for label, _ in accounts) + 1
        self.stdout.write(f"\nOpen {settings.SITE_URL} and sign in as:")
        for label, email in accounts:
            self.stdout.write(f"  {label + ':':<{width}} {email}")
        self.stdout.write(f"  {'Password:':<{width}} {password}")
