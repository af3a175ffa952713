"""What the offers' timetable pages share: the sessions laid out by day, each with the links
to change or remove it. The page's table itself is `includes/timetable_days.html`."""

import datetime
from collections.abc import Callable

from ..models import Session
from ..services.timetable import sessions_by_day


def timetable_days(
    *,
    sessions: list[Session],
    day_numbers: dict[datetime.date, int],
    change_url: Callable[[int], str] | None = None,
    remove_url: Callable[[int], str] | None = None,
) -> list[tuple[int | None, datetime.date, list[Session]]]:
    """(day number, day, its sessions) for every numbered day and any other day that has
    sessions (when the dates moved: shown without a number). With the URL makers, each
    session gets `change_url` and `remove_url` for the organiser's links."""
    for session in sessions:
        if change_url:
            session.change_url = change_url(session.pk)
        if remove_url:
            session.remove_url = remove_url(session.pk)
    return [
        (day_numbers.get(day), day, day_sessions)
        for day, day_sessions in sessions_by_day(sessions=sessions, days=day_numbers)
    ]
