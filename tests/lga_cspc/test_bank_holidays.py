"""England's bank holidays, checked against the dates GOV.UK publishes, and beyond the years a
hand-written list would cover."""

from datetime import date, timedelta

from lga_cspc.data import bank_holidays
from lga_cspc.data.bank_holidays import bank_holidays_of, is_bank_holiday, is_working_day
from lga_cspc.services.report import add_working_days
from tests import clock


def test_2026_is_as_published():
    assert bank_holidays_of(2026) == [
        date(2026, 1, 1),
        date(2026, 4, 3),  # Good Friday
        date(2026, 4, 6),  # Easter Monday
        date(2026, 5, 4),
        date(2026, 5, 25),
        date(2026, 8, 31),
        date(2026, 12, 25),
        date(2026, 12, 28),  # Boxing Day (a Saturday), substitute
    ]


def test_2025_is_as_published():
    assert bank_holidays_of(2025) == [
        date(2025, 1, 1),
        date(2025, 4, 18),
        date(2025, 4, 21),
        date(2025, 5, 5),
        date(2025, 5, 26),
        date(2025, 8, 25),
        date(2025, 12, 25),
        date(2025, 12, 26),
    ]


def test_christmas_on_a_saturday_moves_both_days():
    # 2027: Christmas Day is a Saturday, Boxing Day a Sunday; Easter is on 28 March.
    assert bank_holidays_of(2027) == [
        date(2027, 1, 1),
        date(2027, 3, 26),
        date(2027, 3, 29),
        date(2027, 5, 3),
        date(2027, 5, 31),
        date(2027, 8, 30),
        date(2027, 12, 27),
        date(2027, 12, 28),
    ]
    assert not is_working_day(date(2027, 12, 27))
    assert not is_working_day(date(2027, 12, 28))
    assert is_working_day(date(2027, 12, 29))


def test_a_boxing_day_on_a_saturday_is_taken_on_the_monday():
    assert not is_bank_holiday(date(2026, 12, 26))  # the Saturday itself is no extra day off
    assert is_bank_holiday(date(2026, 12, 28))
    assert not is_working_day(date(2026, 12, 28))


def test_new_years_day_on_a_saturday_moves_to_the_monday():
    holidays = bank_holidays_of(2028)
    assert holidays[0] == date(2028, 1, 3)
    assert date(2028, 1, 1) not in holidays
    assert holidays[1:3] == [date(2028, 4, 14), date(2028, 4, 17)]  # Easter on 16 April


def test_holidays_after_2030_are_not_working_days():
    assert bank_holidays_of(2031) == [
        date(2031, 1, 1),
        date(2031, 4, 11),
        date(2031, 4, 14),
        date(2031, 5, 5),
        date(2031, 5, 26),
        date(2031, 8, 25),
        date(2031, 12, 25),
        date(2031, 12, 26),
    ]
    assert not is_working_day(date(2031, 12, 25))  # Christmas Day, a Thursday
    assert not is_working_day(date(2032, 3, 29))  # Easter Monday 2032
    # 2032: Christmas on a Saturday again, so the Monday and Tuesday are off.
    assert not is_working_day(date(2032, 12, 27))
    assert not is_working_day(date(2032, 12, 28))


def test_a_working_day_count_skips_christmas_2031():
    # From Wednesday 24 December 2031, one working day on is Monday 29 December.
    assert add_working_days(date(2031, 12, 24), 1) == date(2031, 12, 29)


def test_one_off_proclamations_are_known():
    assert is_bank_holiday(date(2023, 5, 8))  # the coronation
    # 2022: the spring bank holiday moved to Thursday 2 June for the jubilee.
    assert is_working_day(date(2022, 5, 30))
    assert not is_working_day(date(2022, 6, 2))
    assert not is_working_day(date(2022, 6, 3))


def test_every_year_2025_to_2040_has_eight_and_only_weekdays():
    for year in range(2025, 2041):
        days = bank_holidays_of(year)
        assert len(days) == 8, year
        assert all(day.weekday() < 5 for day in days), year


def test_working_days_are_weekdays_that_are_not_bank_holidays():
    assert is_bank_holiday(date(2029, 3, 30))  # Good Friday 2029
    assert not is_working_day(date(2029, 3, 30))
    assert not is_working_day(date(2029, 3, 31))  # a Saturday
    assert is_working_day(date(2029, 4, 3))  # the Tuesday after Easter Monday
    assert not is_bank_holiday(date(2029, 4, 3))


def test_a_year_is_built_once_however_many_days_are_asked_about():
    bank_holidays._days_off.cache_clear()
    for offset in range(365):
        is_working_day(date(2031, 1, 1) + timedelta(days=offset))
    assert bank_holidays._days_off.cache_info().misses == 1


def test_the_suites_today_is_in_an_ordinary_working_week():
    # tests/clock.py promises a Monday with no bank holiday near it.
    assert clock.TODAY.weekday() == 0
    assert all(is_working_day(clock.days(n)) for n in range(-3, 12) if clock.days(n).weekday() < 5)
