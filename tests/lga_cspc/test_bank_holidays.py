"""England and Wales bank holidays, checked against the dates GOV.UK publishes."""

from datetime import date

from lga_cspc.data.bank_holidays import (
    BANK_HOLIDAYS,
    bank_holidays_of,
    is_bank_holiday,
    is_working_day,
)


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


def test_new_years_day_on_a_saturday_moves_to_the_monday():
    holidays = bank_holidays_of(2028)
    assert holidays[0] == date(2028, 1, 3)
    assert date(2028, 1, 1) not in holidays
    assert holidays[1:3] == [date(2028, 4, 14), date(2028, 4, 17)]  # Easter on 16 April


def test_every_year_2025_to_2030_has_eight_and_only_weekdays():
    for year in range(2025, 2031):
        assert len(bank_holidays_of(year)) == 8, year
    assert len(BANK_HOLIDAYS) == 48
    assert all(day.weekday() < 5 for day in BANK_HOLIDAYS)
    assert min(BANK_HOLIDAYS) == date(2025, 1, 1)
    assert max(BANK_HOLIDAYS) == date(2030, 12, 26)


def test_working_days_are_weekdays_that_are_not_bank_holidays():
    assert is_bank_holiday(date(2029, 3, 30))  # Good Friday 2029
    assert not is_working_day(date(2029, 3, 30))
    assert not is_working_day(date(2029, 3, 31))  # a Saturday
    assert is_working_day(date(2029, 4, 3))  # the Tuesday after Easter Monday
    assert not is_bank_holiday(date(2029, 4, 3))
