"""Thematic emails that carry the event's iCalendar file, so a nominee without an account
can put the event in their calendar."""

from peerchallenge.emails import email_send

from ..calendar import event_ics


def email_send_with_event(*, template: str, to: list[str], context: dict) -> None:
    """Queue `template` as `email_send` does, with `context["event"]` attached as
    `event.ics`, an invitation to `to` (text/calendar)."""
    ics = event_ics(context["event"], attendees=to)
    email_send(
        template=template,
        to=to,
        context={"calendar_attached": True, **context},
        # The method repeated in the part's type (RFC 6047) is what makes mail clients offer
        # the file as an invitation that updates the one in the calendar.
        attachments=[("event.ics", ics, "text/calendar; method=REQUEST")],
    )
