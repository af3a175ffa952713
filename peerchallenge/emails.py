"""One sending service for every message: a template per message, subject + text + HTML."""

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template import Context
from django.template.loader import get_template, render_to_string

logger = logging.getLogger(__name__)


def email_send(
    *,
    template: str,
    to: list[str],
    context: dict,
    attachments: list[tuple[str, str, str]] = (),
) -> None:
    """Render `emails/<template>_subject.txt`, `.txt` and `.html` and send them, with any
    `attachments` as (file name, content, MIME type), e.g. an event's iCalendar file.

    Sends through Django's mail API (console in the demo, SMTP in production); raises if the
    backend fails, so a task that calls it can retry.
    """
    context = {"site_url": settings.SITE_URL, **context}
    subject = _plain(f"emails/{template}_subject.txt", context).strip()
    text = _plain(f"emails/{template}.txt", context)
    html = render_to_string(f"emails/{template}.html", context)
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()), body=text, from_email=None, to=to
    )
    message.attach_alternative(html, "text/html")
    for name, content, mimetype in attachments:
        message.attach(name, content, mimetype)
    message.send()
    logger.info("Sent %s e-mail to %d recipient(s)", template, len(to))


def _plain(name: str, context: dict) -> str:
    """A plain-text part: no HTML escaping (an apostrophe stays an apostrophe)."""
    return get_template(name).template.render(Context(context, autoescape=False))
