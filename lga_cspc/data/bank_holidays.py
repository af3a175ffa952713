"""England's bank holidays (the same as Wales's), as dates: the factual-accuracy window counts
working days, Monday to Friday with bank holidays excluded.

The dates come from the `holidays` package, which follows the standing rules for every year
and carries the one-off changes proclaimed so far (the 2022 jubilee, the 2023 coronation). A
new proclamation reaches us by upgrading that package, not by editing this file.
"""

from datetime import date
from functools import cache

import holidays

SATURDAY = 5


@cache
def _days_off(year: int) -> frozenset[date]:
    # Cached per year: a working-day count asks about each day in turn, often across a year's
    # end, and building a year's calendar is far slower than looking a date up in a set.
    calendar = holidays.country_holidays("GB", subdiv="ENG", years=year)
    # The package lists a holiday on its calendar day even when that is a weekend, beside the
    # weekday that substitutes for it; only the weekdays are days off.
    return frozenset(day for day in calendar if day.weekday() < SATURDAY)


def bank_holidays_of(year: int) -> list[date]:
    """England's bank holidays of `year`, in date order (substitute days, not weekends)."""
    return sorted(_days_off(year))


def is_bank_holiday(day: date) -> bool:
    return day in _days_off(day.year)


def is_working_day(day: date) -> bool:
    """Monday to Friday and not a bank holiday in England."""
    return day.weekday() < SATURDAY and not is_bank_holiday(day)
