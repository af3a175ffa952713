"""The suite's "today": one frozen clock, so no test depends on the real date.

Every test runs with the clock set to `NOW` (ticking from there, so timeouts and TOTP
windows still move), unless it is marked `@pytest.mark.real_clock` (it needs the machine's
clock, e.g. because a separate process reads it) or travels elsewhere itself with
`time_machine.travel(...)`, which nests inside this one. Write dates in tests relative to
`TODAY` (`days(30)` is thirty days ahead, `days(-3)` three days ago) or plainly historical.
"""

import datetime
import zoneinfo

LONDON = zoneinfo.ZoneInfo("Europe/London")

# A Monday, in the middle of an ordinary working week (no bank holiday near it).
NOW = datetime.datetime(2026, 11, 30, 10, 0, tzinfo=LONDON)
TODAY = NOW.date()


def days(n: int) -> datetime.date:
    """The date `n` days after the suite's today (before it when negative)."""
    return TODAY + datetime.timedelta(days=n)


def at(n: int, hour: int = 10, minute: int = 0) -> datetime.datetime:
    """An aware London time `n` days after the suite's today."""
    return datetime.datetime.combine(days(n), datetime.time(hour, minute), tzinfo=LONDON)


def day_text(day: datetime.date) -> str:
    """A date as the pages write it: "10 May 2027"."""
    return f"{day.day} {day:%B %Y}"


def weekday_text(day: datetime.date) -> str:
    """A date with its weekday, as the pages write it: "Monday 10 May 2027"."""
    return f"{day:%A} {day_text(day)}"
