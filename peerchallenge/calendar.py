"""Calendar feeds: events and deadlines from every offer, as iCalendar (RFC 5545).

Offers register a provider `(user) -> list[CalendarEvent]` from AppConfig.ready(); the core
never imports them. Providers run inside the person's alliances' scope. An offer's provider
shows what happens (event days, sessions, meetings), not what is due: the deadlines are the
core's own provider, `deadline_events`, which reads the person's obligations
(peerchallenge.offers.obligations), so a person's feed shows the deadlines they act on,
exactly those their home page lists (done ones too, as a diary keeps past dates).

A person has one diary: every timetabled session they are a peer in, in any alliance, stops
another being booked at that time (peerchallenge.services.timetable). So the calendar shows
each of them: in full where an offer's provider shows it (tagged with its `session_id`), and
any other as an opaque "Booked" block (`booked_events`): its time only, no title, council,
room, alliance or link, for a session of an alliance the person is not in (or of a challenge
whose team they have left) is not theirs to read.

An event is a whole day (a deadline, an event day) unless it has a start and an end, as a
timetabled session does; timed events are written in UTC, so the feed needs no VTIMEZONE
and calendar apps show them in each person's own zone, summer time included."""

import datetime
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils import timezone

from .models import Session
from .offers import obligations as contract
from .offers.registry import Registry
from .permissions import alliance_ids_of


@dataclass(frozen=True)
class CalendarEvent:
    uid: str  # stable, e.g. "triads-cycle-12-event"
    title: str
    day: datetime.date
    description: str = ""
    path: str = ""  # a link into the app
    starts_at: datetime.datetime | None = None  # aware; both or neither
    ends_at: datetime.datetime | None = None
    location: str = ""
    # An e-mailed file's revision (RFC 5545 SEQUENCE): a higher one replaces the event
    # imported before. Feeds leave it out: a feed is read whole each time.
    sequence: int | None = None
    session_id: int | None = None  # the timetable session it shows in full, if any

    def __post_init__(self):
        if (self.starts_at is None) != (self.ends_at is None):
            raise ValueError(f"{self.uid}: a timed event needs both a start and an end.")
        if self.starts_at is not None:
            if timezone.is_naive(self.starts_at) or timezone.is_naive(self.ends_at):
                raise ValueError(f"{self.uid}: start and end must be timezone-aware.")
            if self.ends_at <= self.starts_at:
                raise ValueError(f"{self.uid}: the end must be after the start.")

    @property
    def is_timed(self) -> bool:
        return self.starts_at is not None

    def sort_key(self) -> tuple:
        """By day, the day's all-day events first, then timed ones by start, then title."""
        return (
            self.day,
            self.is_timed,
            self.starts_at.timestamp() if self.is_timed else 0,
            self.title,
        )


PROVIDERS: Registry[Callable] = Registry("calendar providers")


_KINDS: dict[Callable, frozenset[str]] = {}


def register(provider: Callable, *, alliance_kinds=()) -> Callable:
    """`alliance_kinds`: the offer runs only in these kinds of alliance; a person in none
    of them is not asked about (no queries)."""
    if alliance_kinds:
        _KINDS[provider] = frozenset(alliance_kinds)
    PROVIDERS.register(provider)
    return provider


def deadline_events(user) -> list[CalendarEvent]:
    """The due dates of the person's own obligations, done or not, as whole-day events with
    the obligation's title and link. Each offer's obligations' queries for one person, however
    many there are."""
    events: dict[str, CalendarEvent] = {}
    for obligation in contract.obligations(
        alliances=alliance_ids_of(user), today=timezone.localdate(), user=user
    ):
        if obligation.due is None or not obligation.is_for(user):
            continue
        subject = obligation.subject
        uid = f"due-{obligation.kind}-{subject._meta.label_lower}-{subject.pk}"
        if obligation.council is not None:  # one subject, a part for each council
            uid += f"-{obligation.council.pk}"
        events.setdefault(
            uid, CalendarEvent(uid, obligation.title, obligation.due, "", obligation.url)
        )
    return list(events.values())


# The person's sessions, read once for all the providers of one `events_for`.
_SESSIONS: ContextVar[dict | None] = ContextVar("calendar_sessions", default=None)


def sessions_of(user) -> list[Session]:
    """Every timetabled session the person is a peer in, in any alliance, by start. One
    query, shared by the offers' `session_events` and `booked_events` within one
    `events_for`. The through model has no scoped manager: every alliance's sessions count
    (another alliance's show only as "Booked"); callers decide what of each they show."""
    memo = _SESSIONS.get()
    if memo is not None and user.pk in memo:
        return memo[user.pk]
    sessions = [
        link.session
        for link in Session.peers.through.objects.filter(user_id=user.pk)
        .select_related("session")
        .order_by("session__starts_at", "session_id")
    ]
    if memo is not None:
        memo[user.pk] = sessions
    return sessions


def session_events(
    *,
    user,
    challenge_model,
    alliance_kind: str,
    uid: str,
    followed: Q,
    title: Callable[[Session, object], str],
    path: Callable[[object], str],
    room_label: str = "Room",
) -> list[CalendarEvent]:
    """The timetabled sessions this person is a peer in, on an offer's challenges
    (`challenge_model`, in their alliances of `alliance_kind`), each shown in full: its
    times, its kind and room in the description, and no attendees (the feed leaves the app).
    Only those of challenges whose team the person is on (`team__user`) and which the offer
    says they still follow (`followed`); any other session is left to `booked_events`. The
    offer gives each event's title and link (from the challenge, with its alliance and
    council loaded). One query when the person has such sessions (their sessions are read
    once, `sessions_of`)."""
    alliances = set(alliance_ids_of(user, kinds=(alliance_kind,)))
    challenge_type = ContentType.objects.get_for_model(challenge_model).pk
    sessions = [
        session
        for session in sessions_of(user)
        if session.alliance_id in alliances and session.challenge_type_id == challenge_type
    ]
    if not sessions:
        return []
    followed = {
        challenge.pk: challenge
        for challenge in challenge_model.objects.filter(
            followed,
            alliance_id__in={session.alliance_id for session in sessions},
            pk__in={session.challenge_id for session in sessions},
            team__user=user,
        ).select_related("alliance", "local_authority")
    }
    events = []
    for session in sessions:
        challenge = followed.get(session.challenge_id)
        if challenge is None or challenge.alliance_id != session.alliance_id:
            continue
        where = f" {room_label}: {session.room}." if session.room else ""
        events.append(
            CalendarEvent(
                f"{uid}-session-{session.pk}",
                title(session, challenge),
                timezone.localdate(session.starts_at),
                f"{session.get_kind_display()}.{where}",
                path(challenge),
                starts_at=session.starts_at,
                ends_at=session.ends_at,
                session_id=session.pk,
            )
        )
    return events


BOOKED = "Booked"
BOOKED_ELSEWHERE = "Booked (another alliance)"
BOOKED_DESCRIPTION = "You are booked in a session at this time. Its details are not shown here."


def booked_events(*, user, shown=frozenset()) -> list[CalendarEvent]:
    """The person's timetabled sessions, in every alliance, except those in `shown` (ids of
    sessions an offer showed in full), as opaque blocks: the time and nothing else.
    `sessions_of`'s one query, however many sessions."""
    mine = set(alliance_ids_of(user))
    return [
        CalendarEvent(
            f"booked-{session.pk}",
            BOOKED if session.alliance_id in mine else BOOKED_ELSEWHERE,
            timezone.localdate(session.starts_at),
            BOOKED_DESCRIPTION,
            starts_at=session.starts_at,
            ends_at=session.ends_at,
        )
        for session in sessions_of(user)
        if session.pk not in shown
    ]


def events_for(*, user) -> list[CalendarEvent]:
    """Every event of the person's: what the offers' providers show, and the rest of their
    timetabled sessions as "Booked" blocks. The person's sessions are read once for all."""
    token = _SESSIONS.set({})
    try:
        return _events_for(user)
    finally:
        _SESSIONS.reset(token)


def _events_for(user) -> list[CalendarEvent]:
    events = [
        event
        for provider in PROVIDERS
        if provider not in _KINDS or alliance_ids_of(user, kinds=_KINDS[provider])
        for event in provider(user)
    ]
    shown = {event.session_id for event in events if event.session_id is not None}
    events += booked_events(user=user, shown=shown)
    return sorted(events, key=CalendarEvent.sort_key)


UPCOMING_WEEKS = 8


def upcoming_for(*, user, weeks: int = UPCOMING_WEEKS, limit: int = 50) -> list[CalendarEvent]:
    """The person's events from today to `weeks` ahead, at most `limit`, for their page."""
    today = timezone.localdate()
    until = today + datetime.timedelta(weeks=weeks)
    return [event for event in events_for(user=user) if today <= event.day <= until][:limit]


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


def _utc(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def _dates(event: CalendarEvent) -> list[str]:
    if event.is_timed:
        return [f"DTSTART:{_utc(event.starts_at)}", f"DTEND:{_utc(event.ends_at)}"]
    return [
        f"DTSTART;VALUE=DATE:{event.day:%Y%m%d}",
        f"DTEND;VALUE=DATE:{event.day + datetime.timedelta(days=1):%Y%m%d}",
    ]


def calendar_render(*, events: list[CalendarEvent], name: str) -> str:
    stamp = _utc(timezone.now())
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
        ]
        if event.sequence is not None:
            lines.append(f"SEQUENCE:{event.sequence}")
        lines += [
            f"DTSTAMP:{stamp}",
            *_dates(event),
            f"SUMMARY:{_escape(event.title)}",
        ]
        if event.location:
            lines.append(f"LOCATION:{_escape(event.location)}")
        if event.description:
            lines.append(f"DESCRIPTION:{_escape(event.description)}")
        if event.path:
            lines.append(f"URL:{settings.SITE_URL}{event.path}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"
