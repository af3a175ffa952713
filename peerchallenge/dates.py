"""Dates that must make sense: the rules every offer shares, stated once.

Each helper returns the plain-English message to show next to the field (or in the error
summary) when the date is refused, and an empty string when it is fine; the offers'
services collect them into a ValidationError, so every path (form, demo, bench, test) is
held to the same rules. "Today" is `timezone.localdate()` (the suite freezes the clock).

The rules:
- no date more than three years ahead of today (`too_far_ahead`);
- an end not before its start (`end_before_start`);
- one date not before another (`not_before`), e.g. a report not before the event;
- a deadline not already past when it is set (`already_past`).
"""

import datetime

from django.utils import timezone

# How far ahead any date may be: far enough for the longest planning cycle, near enough to
# catch a mistyped year (2062 for 2026).
MAX_YEARS_AHEAD = 3


def today() -> datetime.date:
    return timezone.localdate()


def day_text(day: datetime.date | datetime.datetime) -> str:
    """'1 December 2026': how the messages name a day."""
    day = as_date(day)
    return f"{day.day} {day:%B %Y}"


def weekday_text(day: datetime.date | datetime.datetime) -> str:
    """'Monday 30 November 2026': a day with its weekday, as timetables name it."""
    day = as_date(day)
    return f"{day:%A} {day.day} {day:%B %Y}"


def as_date(value: datetime.date | datetime.datetime) -> datetime.date:
    """The local calendar day of a date or an aware date and time."""
    if isinstance(value, datetime.datetime):
        return timezone.localdate(value) if timezone.is_aware(value) else value.date()
    return value


def latest_sensible(*, on: datetime.date | None = None) -> datetime.date:
    """The last day a date may fall on: three years after today (28 February for 29th)."""
    on = on or today()
    try:
        return on.replace(year=on.year + MAX_YEARS_AHEAD)
    except ValueError:  # 29 February, three years on
        return on.replace(year=on.year + MAX_YEARS_AHEAD, day=28)


def too_far_ahead(value, *, what: str) -> str:
    """Refuse `what` (e.g. "The date of the event") more than three years ahead."""
    if value is None:
        return ""
    latest = latest_sensible()
    if as_date(value) > latest:
        return (
            f"{what} must be within {MAX_YEARS_AHEAD} years of today, on or before "
            f"{day_text(latest)}. Check the year."
        )
    return ""


def end_before_start(
    start, end, *, what: str = "The last day", start_what: str = "the first"
) -> str:
    """Refuse an end (`what`) that comes before its start."""
    if start is None or end is None:
        return ""
    if as_date(end) < as_date(start):
        return f"{what} must be the same as or after {start_what}, {day_text(start)}."
    return ""


def not_before(value, limit, *, what: str, limit_what: str, strictly: bool = False) -> str:
    """Refuse `what` before `limit` (`limit_what` names it: "the last on-site day").
    With `strictly`, the same day is refused too."""
    if value is None or limit is None:
        return ""
    value, limit_day = as_date(value), as_date(limit)
    if value < limit_day or (strictly and value == limit_day):
        when = "after" if strictly else "on or after"
        return f"{what} must be {when} {limit_what}, {day_text(limit_day)}."
    return ""


def not_after(value, limit, *, what: str, limit_what: str, strictly: bool = False) -> str:
    """Refuse `what` after `limit` (with `strictly`, on the same day too)."""
    if value is None or limit is None:
        return ""
    value, limit_day = as_date(value), as_date(limit)
    if value > limit_day or (strictly and value == limit_day):
        when = "before" if strictly else "on or before"
        return f"{what} must be {when} {limit_what}, {day_text(limit_day)}."
    return ""


def already_past(value, *, what: str) -> str:
    """Refuse a deadline (`what`) that has already passed when it is set."""
    if value is None:
        return ""
    if as_date(value) < today():
        return f"{what} has already passed: choose today or a later day."
    return ""


def not_yet(day, *, doing: str, limit_what: str) -> str:
    """Refuse `doing` (a move, an issue) before `day` (`limit_what` names it): "You cannot
    issue the summary before the event (3 March 2027)." Empty from that day on."""
    if day is not None and today() < as_date(day):
        return f"You cannot {doing} before {limit_what} ({day_text(day)})."
    return ""


def collect(**messages: str) -> dict[str, str]:
    """The messages that are not empty, by field, for a ValidationError."""
    return {field: message for field, message in messages.items() if message}
