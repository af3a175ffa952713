"""Helpers the offers' obligation tests share: what a person's home page asks, the day's
reminders sent, and whether an obligation has a reminder due on a day."""

import re

from django.urls import reverse
from django_scopes import scope

from peerchallenge.reminders import KINDS, reminder_is_due, reminders_queue
from tests import clock
from tests.outbox import deliver_queued


def home_item(client, user, title: str) -> str:
    """The home page's entry whose title starts with `title`, its tags and spaces squeezed;
    "" when the page does not ask it."""
    client.force_login(user)
    page = client.get(reverse("home")).content.decode().replace("&#x27;", "'")
    for item in re.findall(r'<li class="pc-needs__item">(.*?)</li>', page, re.S):
        text = " ".join(re.sub(r"<[^>]+>", " ", item).split())
        if text.startswith(title):
            return text
    return ""


def send(world, today=clock.TODAY) -> int:
    with scope(alliance=world.em):
        queued = reminders_queue(alliance=world.em, today=today)
    deliver_queued()
    return queued


def reminded_today(o, today, days) -> bool:
    return (
        not o.done
        and o.due is not None
        and any(
            kind in days
            and reminder_is_due(kind=KINDS[kind], due_date=o.due, days=days[kind], today=today)
            for kind in o.reminders
        )
    )


def _what(o) -> str:
    return repr((o.kind, o.subject._meta.label, o.subject.pk, o.belongs_to.pk, o.due, o.done))


def assert_same_without_people(everyone: list, without_people: list) -> None:
    """`people=False` (peerchallenge.offers.obligations) states the same obligations, due and
    done alike, and names nobody."""
    assert sorted(map(_what, without_people)) == sorted(map(_what, everyone))
    assert all(o.actors == () and o.recipients == () for o in without_people)
    assert any(o.recipients for o in everyone)  # the test's data names someone
