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
timetabled session does; timed events are written in the site's zone (Europe/London) with its
VTIMEZONE, so calendar apps show them in each person's own zone, summer time included.

The files are built with the `icalendar` library (escaping, line folding, time zones). An
event has one UID wherever it goes (`event_uid`): the feed and an emailed invitation
(`invitation_render`) carry the same event, and a calendar holding both shows it once."""

import datetime
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from email.utils import parseaddr

import icalendar
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
    uid: str  # stable, e.g. "triads-12-event"; the file's UID is `event_uid(uid)`
    title: str
    day: datetime.date
    description: str = ""
    path: str = ""  # a link into the app
    starts_at: datetime.datetime | None = None  # aware; both or neither
    ends_at: datetime.datetime | None = None
    location: str = ""
    # The event's revision (RFC 5545 SEQUENCE), where its model counts one: a higher one
    # replaces the copy a calendar took before (an emailed file above all; a feed is read
    # whole each time). None: not counted, the file leaves it out (0).
    sequence: int | None = None
    # Kept with STATUS:CANCELLED, so a calendar drops its copy rather than keep a stale one;
    # an invitation for it is a cancellation (METHOD:CANCEL).
    cancelled: bool = False
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


UID_DOMAIN = "peerchallenge"  # never changes: calendars match an event by its UID
PRODID = "-//Peer Challenge//Calendar feed//EN"


def event_uid(uid: str) -> str:
    """The iCalendar UID of the event whose `CalendarEvent.uid` is `uid`, the same in every
    file that carries it (the feed, an emailed invitation)."""
    return f"{uid}@{UID_DOMAIN}"


def _vevent(
    event: CalendarEvent, *, stamp: datetime.datetime, zone: datetime.tzinfo
) -> icalendar.Event:
    if event.is_timed:
        start, end = event.starts_at.astimezone(zone), event.ends_at.astimezone(zone)
    else:  # DATE values; the end is exclusive
        start, end = event.day, event.day + datetime.timedelta(days=1)
    return icalendar.Event.new(
        uid=event_uid(event.uid),
        stamp=stamp,
        start=start,
        end=end,
        summary=event.title,
        description=event.description or None,
        location=event.location or None,
        url=f"{settings.SITE_URL}{event.path}" if event.path else None,
        sequence=event.sequence,
        status="CANCELLED" if event.cancelled else None,
    )


def _calendar(*, events: list[CalendarEvent], name: str, method: str) -> icalendar.Calendar:
    calendar = icalendar.Calendar()
    calendar.prodid = PRODID
    calendar.version = "2.0"
    calendar.calscale = "GREGORIAN"
    calendar.method = method
    # As vText: icalendar 7.3 writes a plain string in NAME and X-WR-CALNAME unescaped.
    calendar.calendar_name = icalendar.vText(name)
    stamp, zone = timezone.now(), timezone.get_default_timezone()
    timed = [event for event in events if event.is_timed]
    if timed:
        # The VTIMEZONE the times refer to (what `add_missing_timezones` would add, without
        # walking every event to find which zones they use: there is one), with the rules
        # of the whole years the events fall in rather than the library's default of 1970 to
        # 2038: a few lines instead of some hundred transition dates.
        first = min(event.starts_at.astimezone(zone) for event in timed).year
        last = max(event.ends_at.astimezone(zone) for event in timed).year
        calendar.add_component(
            icalendar.Timezone.from_tzid(
                zone.key,
                first_date=datetime.date(first, 1, 1),
                last_date=datetime.date(last + 1, 1, 1),
            )
        )
    for event in events:
        calendar.add_component(_vevent(event, stamp=stamp, zone=zone))
    return calendar


def calendar_render(*, events: list[CalendarEvent], name: str) -> str:
    """The events as an iCalendar feed (METHOD:PUBLISH) named `name`."""
    return _calendar(events=events, name=name, method="PUBLISH").to_ical().decode()


def invitation_render(*, event: CalendarEvent, name: str, attendees: list[str]) -> str:
    """One event as the iCalendar file of an emailed invitation (iTIP, RFC 5546) to
    `attendees` (email addresses): a request (METHOD:REQUEST), or its cancellation
    (METHOD:CANCEL) for a cancelled event. A request replaces the one sent before when its
    `sequence` is higher. iTIP needs an organiser: the site's sender (DEFAULT_FROM_EMAIL),
    which reads no replies, so none are asked for (RSVP=FALSE)."""
    calendar = _calendar(
        events=[event], name=name, method="CANCEL" if event.cancelled else "REQUEST"
    )
    [vevent] = calendar.events
    organiser_name, organiser = parseaddr(settings.DEFAULT_FROM_EMAIL)
    vevent.organizer = icalendar.vCalAddress.new(organiser, cn=organiser_name or None)
    vevent.attendees = [
        icalendar.vCalAddress.new(
            address, role="REQ-PARTICIPANT", partstat="NEEDS-ACTION", rsvp=False
        )
        for address in attendees
    ]
    return calendar.to_ical().decode()
