"""England and Wales bank holidays, 2025 to 2030, as dates (the factual-accuracy window
counts working days: Monday to Friday, bank holidays excluded).

Computed by the standing rules rather than typed in: New Year's Day, Good Friday, Easter
Monday, the early May bank holiday (first Monday of May), the spring bank holiday (last
Monday of May), the summer bank holiday (last Monday of August), Christmas Day and Boxing
Day, each falling on a weekend moved to the next weekday not already a holiday. A one-off
change proclaimed for a year in the range (as in 2020, 2022 and 2023) is added to EXTRA
or taken out through MOVED by hand.
"""

from datetime import date, timedelta

from dateutil.easter import EASTER_WESTERN, easter

FIRST_YEAR = 2025
LAST_YEAR = 2030

# One-off changes by royal proclamation: none known for 2025 to 2030.
EXTRA: frozenset[date] = frozenset()
MOVED: frozenset[date] = frozenset()

MONDAY, SATURDAY = 0, 5


def _first_monday(year: int, month: int) -> date:
    day = date(year, month, 1)
    return day + timedelta(days=(MONDAY - day.weekday()) % 7)


def _last_monday(year: int, month: int) -> date:
    end = date(year + (month == 12), month % 12 + 1, 1) - timedelta(days=1)
    return end - timedelta(days=(end.weekday() - MONDAY) % 7)


def _on_a_weekday(day: date, taken: set[date]) -> date:
    """The day itself, or the first weekday after it that is not already a holiday."""
    while day.weekday() >= SATURDAY or day in taken:
        day += timedelta(days=1)
    return day


def bank_holidays_of(year: int) -> list[date]:
    """The England and Wales bank holidays of `year`, in date order."""
    good_friday = easter(year, EASTER_WESTERN) - timedelta(days=2)
    days = {
        _on_a_weekday(date(year, 1, 1), set()),
        good_friday,
        good_friday + timedelta(days=3),  # Easter Monday
        _first_monday(year, 5),
        _last_monday(year, 5),
        _last_monday(year, 8),
    }
    christmas = _on_a_weekday(date(year, 12, 25), set())
    boxing_day = _on_a_weekday(date(year, 12, 26), {christmas})
    days |= {christmas, boxing_day}
    days |= {day for day in EXTRA if day.year == year}
    days -= MOVED
    return sorted(days)


BANK_HOLIDAYS: frozenset[date] = frozenset(
    day for year in range(FIRST_YEAR, LAST_YEAR + 1) for day in bank_holidays_of(year)
)


def is_bank_holiday(day: date) -> bool:
    return day in BANK_HOLIDAYS


def is_working_day(day: date) -> bool:
    """Monday to Friday and not an England and Wales bank holiday (known 2025 to 2030)."""
    return day.weekday() < SATURDAY and day not in BANK_HOLIDAYS
