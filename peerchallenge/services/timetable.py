"""Writes and reads for an on-site timetable, shared by every offer that runs on-site days.

The rules here hold for any offer: a session ends after it starts, a room holds one session
at a time within a challenge, and a peer is in one place at a time across every challenge of
every alliance. An offer adds its own rules (which days, how long a presentation may last) as
`rules`: callables `(challenge, data) -> {field: message}` that refuse what they name (a
rule may name a field of the offer's form that the service does not take, such as `day`).

Whether a challenge's timetable may change at all (not once the LGA's challenge is withdrawn
or closed, nor once an on-demand review's findings are issued) is the offer's to say: the
core knows no offer's states. Each offer registers, from its AppConfig.ready(),
`register_change_refusal(model, refusal)`; `session_save` and `session_delete` ask it."""

import datetime
from collections.abc import Callable, Iterable, Mapping

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import connection, transaction
from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from ..concurrency import values_check_unchanged
from ..dates import weekday_text
from ..models import Session, SessionKind, User

Rule = Callable[[object, Mapping], Mapping[str, str]]

# Key of the PostgreSQL advisory lock that serialises timetable writes within an alliance
# (the second key is the alliance's id): two organisers saving at the same moment cannot
# both book the same peer, whichever challenge they plan. Two alliances' planners hold
# different keys: what serialises them is the lock on each person (`_lock_people`).
_LOCK_NAMESPACE = 7_301_001


# The offers' answers to "may this challenge's timetable change now?", by model label:
# `refusal(challenge) -> str`, why not ("" when it may).
_CHANGE_REFUSALS: dict[str, Callable[[object], str]] = {}


def register_change_refusal(model, refusal: Callable[[object], str]) -> None:
    """Declare why a challenge of `model` refuses timetable changes (an offer's ready())."""
    _CHANGE_REFUSALS[model._meta.label_lower] = refusal


def timetable_change_refusal(challenge) -> str:
    """Why the challenge's timetable may not change now ("" when it may; always, for a model
    whose offer registered no refusal)."""
    refusal = _CHANGE_REFUSALS.get(challenge._meta.label_lower)
    return refusal(challenge) if refusal is not None else ""


def _refuse_if_fixed(challenge) -> None:
    if refusal := timetable_change_refusal(challenge):
        raise ValidationError({NON_FIELD_ERRORS: [refusal]})


def _lock_people(peers) -> None:
    """Inside the caller's transaction: lock the people's rows, in id order (so two saves
    that share people never wait on each other in a circle), until it commits. A save that
    puts a person in a session, in any alliance, waits here for another doing the same, and
    then sees what that one committed."""
    ids = sorted({peer.pk for peer in peers})
    if ids:
        list(User.objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk"))


SESSION_LABELS = {
    "day": "Day",
    "starts_at": "Start time",
    "ends_at": "End time",
    "kind": "Kind of session",
    "title": "Title",
    "room": "Room",
    "attendees": "Who attends",
    "peers": "Peers",
}


def session_texts(session: Session) -> dict[str, str]:
    """A session as its form shows it, in words: what an edit conflict compares
    (peerchallenge.concurrency) and shows of the other person's version."""
    start = timezone.localtime(session.starts_at)
    return {
        "day": weekday_text(start),
        "starts_at": f"{start:%H:%M}",
        "ends_at": f"{timezone.localtime(session.ends_at):%H:%M}",
        "kind": session.get_kind_display(),
        "title": session.title,
        "room": session.room,
        "attendees": session.attendees,
        "peers": ", ".join(sorted(peer.full_name or peer.email for peer in session.peers.all())),
    }


def _local(moment: datetime.datetime) -> str:
    return f"{timezone.localtime(moment):%H:%M}"


def _span(session: Session) -> str:
    start, end = timezone.localtime(session.starts_at), timezone.localtime(session.ends_at)
    if start.date() == end.date():
        return f"from {start:%H:%M} to {end:%H:%M}"
    return f"from {start:%H:%M} on {start.day} {start:%B} to {end:%H:%M} on {end.day} {end:%B}"


def _of(challenge) -> dict:
    return {
        "challenge_type": ContentType.objects.get_for_model(challenge),
        "challenge_id": challenge.pk,
    }


def sessions_of(*, challenge) -> QuerySet[Session]:
    """The challenge's sessions in time order, their peers prefetched by name."""
    return (
        Session.objects.filter(alliance_id=challenge.alliance_id, **_of(challenge))
        .prefetch_related(Prefetch("peers", queryset=User.objects.order_by("full_name", "pk")))
        .order_by("starts_at", "ends_at", "room", "pk")
    )


def sessions_by_day(
    *, sessions: Iterable[Session], days: Iterable[datetime.date] = ()
) -> list[tuple[datetime.date, list[Session]]]:
    """The sessions grouped by their (local) day, in order. Every date of `days` appears,
    with no sessions if none are planned for it, so an empty on-site day still shows."""
    grouped: dict[datetime.date, list[Session]] = {day: [] for day in days}
    for session in sessions:
        grouped.setdefault(timezone.localdate(session.starts_at), []).append(session)
    return sorted(grouped.items())


def peer_bookings(*, challenge, peers, days: Iterable[datetime.date]) -> list[dict]:
    """When each of `peers` is already booked on `days` outside this challenge, in any
    alliance: the person and the times only (`{"person", "starts_at", "ends_at"}`), by name
    and time, for the planner choosing who goes where. Nothing of the other session: not
    its title, room, challenge or alliance. One query."""
    days = sorted(days)
    if not days:
        return []
    zone = timezone.get_current_timezone()
    start = datetime.datetime.combine(days[0], datetime.time.min, tzinfo=zone)
    end = datetime.datetime.combine(
        days[-1] + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone
    )
    here = _of(challenge)
    # Unscoped on purpose (as the clash check): every alliance's sessions, their times only.
    rows = (
        Session.peers.through.objects.filter(
            user__in=peers, session__starts_at__lt=end, session__ends_at__gt=start
        )
        .exclude(
            session__challenge_type=here["challenge_type"],
            session__challenge_id=here["challenge_id"],
        )
        .values_list("user__full_name", "user__email", "session__starts_at", "session__ends_at")
        .order_by("user__full_name", "user_id", "session__starts_at", "session__ends_at")
    )
    return [
        {"person": name or email, "starts_at": starts_at, "ends_at": ends_at}
        for name, email, starts_at, ends_at in rows
    ]


def _room_clash(*, challenge, session: Session | None, room: str, starts_at, ends_at):
    others = Session.objects.filter(
        alliance_id=challenge.alliance_id,
        **_of(challenge),
        room__iexact=room,
        starts_at__lt=ends_at,
        ends_at__gt=starts_at,
    ).order_by("starts_at", "pk")
    if session is not None and session.pk:
        others = others.exclude(pk=session.pk)
    return others.first()


def _peer_clashes(*, challenge, session: Session | None, peers, starts_at, ends_at) -> list[str]:
    """Where each peer already is at that time, on this challenge, another of the alliance,
    or anywhere else (a person has one diary, whichever alliances they work for). Another
    challenge's session is not named; another alliance's is not even timed."""
    peer_ids = [peer.pk for peer in peers]
    if not peer_ids:
        return []
    through = Session.peers.through
    # The through model has no scoped manager: every alliance's sessions count on purpose,
    # and what this returns about another alliance's is only that the peer is busy.
    taken = (
        through.objects.filter(
            user_id__in=peer_ids,
            session__starts_at__lt=ends_at,
            session__ends_at__gt=starts_at,
        )
        .select_related("session", "user")
        .order_by("user__full_name", "session__starts_at", "session_id")
    )
    if session is not None and session.pk:
        taken = taken.exclude(session_id=session.pk)
    here = _of(challenge)
    messages, seen = [], set()
    for row in taken:
        if row.user_id in seen:
            continue  # one message per peer is enough to act on
        seen.add(row.user_id)
        other = row.session
        if other.alliance_id != challenge.alliance_id:
            messages.append(f"{row.user} is already booked at that time.")
        elif (other.challenge_type_id, other.challenge_id) == (
            here["challenge_type"].pk,
            here["challenge_id"],
        ):
            messages.append(f"{row.user} is in “{other.title}” {_span(other)}.")
        else:
            messages.append(f"{row.user} is in a session of another peer challenge {_span(other)}.")
    return messages


@transaction.atomic
def session_save(
    *,
    challenge,
    session: Session | None = None,
    kind: str,
    title: str,
    starts_at: datetime.datetime | None,
    ends_at: datetime.datetime | None,
    room: str = "",
    attendees: str = "",
    peers: Iterable[User] = (),
    user: User | None,
    rules: Iterable[Rule] = (),
    base_version: str | None = None,
) -> Session:
    """Add a session to the challenge's timetable (or change `session`, one of its own) and
    set its peers. Refuses, field by field, a session that ends before it starts, a room
    already booked at that time on this challenge, a peer already elsewhere at that time on
    any challenge of any alliance, and whatever the offer's `rules` refuse; nothing at all
    when the offer's registered refusal says the timetable may not change. Locks the
    alliance's timetable and the peers' rows first, so simultaneous saves cannot both book
    a person, even from two alliances. Sends nothing. Raises EditConflict if someone
    changed `session` since `base_version`, the version of `session_texts` its form was
    filled from."""
    if session is not None and (
        session.challenge_id != challenge.pk
        or session.challenge_type_id != _of(challenge)["challenge_type"].pk
    ):
        raise ValueError("The session belongs to another challenge.")
    _refuse_if_fixed(challenge)
    if session is not None:
        # Two organisers changing the same session: the second sees the first's version.
        current = Session._base_manager.select_for_update().get(pk=session.pk)
        values_check_unchanged(
            current=session_texts(current), labels=SESSION_LABELS, base_version=base_version
        )
    title, room, attendees = (title or "").strip(), (room or "").strip(), (attendees or "").strip()
    peers = list(peers)
    errors: dict[str, list[str]] = {}

    def refuse(field: str, message: str) -> None:
        if message not in errors.setdefault(field, []):
            errors[field].append(message)

    if kind not in SessionKind.values:
        refuse("kind", "Choose what kind of session it is.")
    if not title:
        refuse("title", "Enter the session's title.")
    if starts_at is None:
        refuse("starts_at", "Enter the time the session starts.")
    if ends_at is None:
        refuse("ends_at", "Enter the time the session ends.")
    times_valid = starts_at is not None and ends_at is not None
    if times_valid and ends_at <= starts_at:
        refuse(
            "ends_at",
            f"The session must end after it starts ({_local(starts_at)}).",
        )
        times_valid = False

    if times_valid:
        # SQLite (the demo's zero-setup database) lets one writer in at a time anyway.
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_advisory_xact_lock(%s, %s)",
                    [_LOCK_NAMESPACE, challenge.alliance_id],
                )
        _lock_people(peers)
        if room:
            clash = _room_clash(
                challenge=challenge,
                session=session,
                room=room,
                starts_at=starts_at,
                ends_at=ends_at,
            )
            if clash is not None:
                refuse("room", f"Room “{room}” is booked for “{clash.title}” {_span(clash)}.")
        for message in _peer_clashes(
            challenge=challenge, session=session, peers=peers, starts_at=starts_at, ends_at=ends_at
        ):
            refuse("peers", message)
        data = {
            "session": session,
            "kind": kind,
            "title": title,
            "starts_at": starts_at,
            "ends_at": ends_at,
            "room": room,
            "attendees": attendees,
            "peers": peers,
        }
        for rule in rules:
            for field, message in rule(challenge, data).items():
                refuse(field, message)

    if errors:
        raise ValidationError(errors)

    if session is None:
        session = Session(alliance_id=challenge.alliance_id, created_by=user, **_of(challenge))
    session.kind, session.title, session.room, session.attendees = kind, title, room, attendees
    session.starts_at, session.ends_at = starts_at, ends_at
    session.save()
    session.peers.set(peers)
    return session


@transaction.atomic
def session_delete(*, session: Session) -> None:
    """Remove the session (and its peers' places in it) from the timetable, unless its
    challenge's offer says the timetable may not change (ValidationError, nothing removed)."""
    _refuse_if_fixed(session.challenge)
    session.delete()
