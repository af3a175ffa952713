"""Email goes through the outbox: see peerchallenge.services.email.

`email_send` is kept as the name offers have long called: it queues (it never sends in the
caller's process), exactly as `email_queue` does."""

from .services.email import email_queue, email_render

email_send = email_queue

__all__ = ["email_queue", "email_render", "email_send"]
