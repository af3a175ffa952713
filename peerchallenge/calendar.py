"""Calendar feeds: events and deadlines from every offer, as iCalendar (RFC 5545).

Offers register a provider `(user) -> list[CalendarEvent]` from AppConfig.ready(); the core
never imports them. Providers run inside the person's alliances' scope."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone


@dataclass(frozen=True)
class CalendarEvent:
    uid: str  # stable, e.g. "triads-cycle-12-event"
    title: str
    day: datetime.date
    description: str = ""
    path: str = ""  # a link into the app


_providers: list[Callable] = []


def register(provider: Callable) -> Callable:
    if provider not in _providers:
        _providers.append(provider)
    return provider


def events_for(*, user) -> list[CalendarEvent]:
    events = [event for provider in _providers for event in provider(user)]
    return sorted(events, key=lambda event: (event.day, event.title))


def _escape(text: str) -> str:
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def _fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after a space."""
    encoded = line.encode()
    if len(encoded) <= 75:
        return line
    parts, start = [], 0
    while start < len(encoded):
        end = min(start + (75 if not parts else 74), len(encoded))
        while end < len(encoded) and (encoded[end] & 0xC0) == 0x80:
            end -= 1  # never split a UTF-8 character
        parts.append(encoded[start:end].decode())
        start = end
    return "\r\n ".join(parts)


def calendar_render(*, events: list[CalendarEvent], name: str) -> str:
    stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Peer Challenge//Calendar feed//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{_escape(name)}",
    ]
    for event in events:
        lines += [
            "BEGIN:VEVENT",
            f"UID:{event.uid}@peerchallenge",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{event.day:%Y%m%d}",
            f"DTEND;VALUE=DATE:{event.day + datetime.timedelta(days=1):%Y%m%d}",
            f"SUMMARY:{_escape(event.title)}",
        ]
        if event.description:
            lines.append(f"DESCRIPTION:{_escape(event.description)}")
        if event.path:
            lines.append(f"URL:{settings.SITE_URL}{event.path}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"
