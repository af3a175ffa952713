"""The CSPC's on-site timetable: the shared timetable (peerchallenge.services.timetable, which
refuses room and peer clashes) with the manual's rules for this offer (section 10):

- every session is on one of the on-site days;
- day 1 opens with the council's overview presentation, of no more than 20 minutes;
- the peer team's feedback presentation closes the last day;
- the peers are the challenge's team.

The rules name the form's `day` field for what is about the date."""

import datetime
from collections.abc import Iterable, Mapping

from django.utils import timezone

from peerchallenge.dates import weekday_text
from peerchallenge.models import Session, SessionKind, User
from peerchallenge.services.timetable import session_save

from ..models import Challenge

OVERVIEW_MAX = datetime.timedelta(minutes=20)


def onsite_days(*, challenge: Challenge) -> list[datetime.date]:
    return [
        challenge.onsite_start + datetime.timedelta(days=n) for n in range(max(challenge.days, 1))
    ]


def team_peers(*, challenge: Challenge):
    """The people who may be put in a session: the challenge's team, by name."""
    return User.objects.filter(
        pk__in=challenge.team.values("user_id"),
    ).order_by("full_name", "pk")


def inside_onsite_days(challenge: Challenge, data: Mapping) -> dict[str, str]:
    start = timezone.localtime(data["starts_at"])
    end = timezone.localtime(data["ends_at"])
    if not challenge.onsite_start <= start.date() <= challenge.onsite_end or end.date() != (
        start.date()
    ):
        if challenge.onsite_start == challenge.onsite_end:
            when = f"on {weekday_text(challenge.onsite_start)}"
        else:
            start, end = weekday_text(challenge.onsite_start), weekday_text(challenge.onsite_end)
            when = f"from {start} to {end}"
        return {"day": f"Sessions are on the on-site days, {when}, and end on the day they start."}
    return {}


def overview_on_day_one(challenge: Challenge, data: Mapping) -> dict[str, str]:
    if data["kind"] != SessionKind.OVERVIEW:
        return {}
    errors = {}
    if timezone.localdate(data["starts_at"]) != challenge.onsite_start:
        errors["day"] = (
            "The council overview presentation is on day 1, "
            f"{weekday_text(challenge.onsite_start)}."
        )
    if data["ends_at"] - data["starts_at"] > OVERVIEW_MAX:
        errors["ends_at"] = "The council overview presentation lasts no more than 20 minutes."
    return errors


def feedback_on_last_day(challenge: Challenge, data: Mapping) -> dict[str, str]:
    if data["kind"] != SessionKind.FEEDBACK:
        return {}
    if timezone.localdate(data["starts_at"]) != challenge.onsite_end:
        return {
            "day": "The feedback presentation is on the last on-site day, "
            f"{weekday_text(challenge.onsite_end)}."
        }
    return {}


def peers_from_the_team(challenge: Challenge, data: Mapping) -> dict[str, str]:
    team = set(challenge.team.values_list("user_id", flat=True))
    strangers = [peer for peer in data["peers"] if peer.pk not in team]
    if strangers:
        names = ", ".join(str(peer) for peer in strangers)
        verb = "is" if len(strangers) == 1 else "are"
        return {"peers": f"Only the peer team can be put in a session: {names} {verb} not on it."}
    return {}


CSPC_RULES = (inside_onsite_days, overview_on_day_one, feedback_on_last_day, peers_from_the_team)


def timetable_session_save(
    *,
    challenge: Challenge,
    session: Session | None = None,
    kind: str,
    title: str,
    starts_at: datetime.datetime | None,
    ends_at: datetime.datetime | None,
    room: str = "",
    attendees: str = "",
    peers: Iterable[User] = (),
    user: User,
    base_version: str | None = None,
) -> Session:
    """Add (or change) a session of the challenge's on-site timetable, refusing clashes and
    whatever breaks the CSPC's rules above. Sends nothing."""
    return session_save(
        challenge=challenge,
        session=session,
        kind=kind,
        title=title,
        starts_at=starts_at,
        ends_at=ends_at,
        room=room,
        attendees=attendees,
        peers=peers,
        user=user,
        base_version=base_version,
        rules=CSPC_RULES,
    )
