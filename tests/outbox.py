"""Deliver what the outbox holds, in a test.

Unit tests run inside a transaction that never commits, so the outbox's on-commit dispatch
never fires; `deliver_queued()` does what beat's sweeper does (tasks are eager in tests), so
a test sees the mail in `mailoutbox` as a person would."""

from django_scopes import scopes_disabled

from peerchallenge.services.email import outbox_sweep


def deliver_queued() -> int:
    """Enqueue (and, eagerly, deliver) every outbox row that is due; return how many."""
    with scopes_disabled():
        return outbox_sweep()
