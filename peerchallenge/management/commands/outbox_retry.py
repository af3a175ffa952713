"""Send failed outbox emails again: `manage.py outbox_retry` lists them, `--all` or ids
re-queue them with a fresh set of attempts (docs/operations.md)."""

from django.core.management.base import BaseCommand
from django_scopes import scopes_disabled

from peerchallenge.models import OutboundEmail
from peerchallenge.services.email import outbox_retry


class Command(BaseCommand):
    help = "List failed emails in the outbox; with --all or ids, queue them again."

    def add_arguments(self, parser):
        parser.add_argument("ids", nargs="*", type=int)
        parser.add_argument("--all", action="store_true", help="every failed email")

    def handle(self, *args, ids, all, **options):
        # Management command: the outbox is the platform's, not one alliance's.
        with scopes_disabled():
            failed = OutboundEmail.objects.filter(state=OutboundEmail.State.FAILED)
            if not ids and not all:
                for email in failed.order_by("created_at"):
                    self.stdout.write(
                        f"{email.pk}\t{email.created_at:%Y-%m-%d %H:%M}\t{', '.join(email.to)}\t"
                        f"{email.subject}\t{email.attempts} attempts\t{email.last_error}"
                    )
                return
            count = outbox_retry(email_ids=failed.values_list("pk", flat=True) if all else ids)
        self.stdout.write(f"Queued {count} failed email(s) again.")
