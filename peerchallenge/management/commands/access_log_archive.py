"""Archive the access log's older lines: write every line from before a date (all
alliances) to a CSV file, then remove them through the log's maintenance path, in one
transaction, so nothing is removed that was not written out (docs/operations.md)."""

import csv
import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django_scopes import scopes_disabled

from peerchallenge.access_log import access_log_purge
from peerchallenge.models import AccessLog

COLUMNS = ["at", "alliance", "user", "action", "object_type", "object_id", "object", "ip"]


class Command(BaseCommand):
    help = "Write the access log's lines from before a date to a CSV file, then remove them."

    def add_arguments(self, parser):
        parser.add_argument("--before", required=True, help="a date, YYYY-MM-DD (UK time)")
        parser.add_argument("--output", required=True, help="the CSV file to write (new)")

    def handle(self, *args, before, output, **options):
        try:
            day = datetime.date.fromisoformat(before)
        except ValueError as error:
            raise CommandError(f"--before must be a date like 2025-01-01: {error}") from None
        if day > timezone.localdate() - datetime.timedelta(days=1):
            raise CommandError("--before must be a day in the past.")
        path = Path(output)
        if path.exists():
            raise CommandError(f"{path} exists already: archive to a new file.")
        cutoff = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
        # Maintenance across every alliance's log: no request, no scope.
        with scopes_disabled(), transaction.atomic(), path.open("x", newline="") as file:
            writer = csv.writer(file)
            writer.writerow(COLUMNS)
            lines = (
                AccessLog.objects.filter(at__lt=cutoff)
                .select_related("alliance", "user")
                .order_by("at", "pk")
            )
            for line in lines.iterator(chunk_size=2000):
                writer.writerow(
                    [
                        line.at.isoformat(),
                        line.alliance.slug,
                        line.user.email if line.user else "",
                        line.action,
                        line.object_type,
                        line.object_id,
                        line.object_repr,
                        line.ip_address or "",
                    ]
                )
            file.flush()
            removed = access_log_purge(before=cutoff)
        self.stdout.write(f"Archived and removed {removed} line(s) from before {day} to {path}.")
