"""Thematic e-mails that carry the event's iCalendar file, so a nominee without an account
can put the event in their calendar."""

from peerchallenge.emails import email_send

from ..calendar import event_ics


def email_send_with_event(*, template: str, to: list[str], context: dict) -> None:
    """Queue `template` as `email_send` does, with `context["event"]` attached as
    `event.ics` (text/calendar)."""
    email_send(
        template=template,
        to=to,
        context={"calendar_attached": True, **context},
        attachments=[("event.ics", event_ics(context["event"]), "text/calendar")],
    )
