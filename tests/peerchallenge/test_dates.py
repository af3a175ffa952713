"""The shared date rules (peerchallenge/dates.py): each refuses with its plain-English
message and accepts the sensible case. Today is the suite's frozen day (tests/clock.py)."""

import datetime

import time_machine

from peerchallenge import dates
from tests.clock import LONDON, TODAY, at, days


def test_today_is_the_local_day():
    assert dates.today() == TODAY


def test_day_text_names_the_day_plainly():
    assert dates.day_text(datetime.date(2026, 12, 1)) == "1 December 2026"
    # An aware time is named by its London day, not its UTC one.
    late = datetime.datetime(2026, 7, 1, 23, 30, tzinfo=datetime.UTC)
    assert dates.day_text(late) == "2 July 2026"


def test_latest_sensible_is_three_years_ahead():
    assert dates.latest_sensible() == TODAY.replace(year=TODAY.year + 3)
    assert dates.latest_sensible(on=datetime.date(2028, 2, 29)) == datetime.date(2031, 2, 28)


def test_a_date_more_than_three_years_ahead_is_refused():
    latest = TODAY.replace(year=TODAY.year + 3)
    message = dates.too_far_ahead(latest + datetime.timedelta(days=1), what="The date of the event")
    assert message == (
        f"The date of the event must be within 3 years of today, on or before "
        f"{dates.day_text(latest)}. Check the year."
    )


def test_a_date_within_three_years_is_accepted():
    latest = TODAY.replace(year=TODAY.year + 3)
    assert dates.too_far_ahead(latest, what="The date of the event") == ""
    assert dates.too_far_ahead(days(30), what="The date of the event") == ""
    assert dates.too_far_ahead(at(30), what="The scoping meeting") == ""
    assert dates.too_far_ahead(None, what="The date of the event") == ""


def test_an_end_before_its_start_is_refused():
    assert dates.end_before_start(days(10), days(9)) == (
        f"The last day must be the same as or after the first, {dates.day_text(days(10))}."
    )
    assert dates.end_before_start(days(10), days(10)) == ""
    assert dates.end_before_start(days(10), days(12)) == ""


def test_not_before_and_not_after_name_both_dates():
    assert dates.not_before(
        days(1), days(3), what="The report", limit_what="the last on-site day"
    ) == (f"The report must be on or after the last on-site day, {dates.day_text(days(3))}.")
    assert dates.not_before(days(3), days(3), what="x", limit_what="y") == ""
    assert dates.not_before(days(3), days(3), what="X", limit_what="y", strictly=True) == (
        f"X must be after y, {dates.day_text(days(3))}."
    )
    assert dates.not_after(
        days(5), days(3), what="The meeting", limit_what="the first on-site day", strictly=True
    ) == (f"The meeting must be before the first on-site day, {dates.day_text(days(3))}.")
    assert dates.not_after(days(2), days(3), what="x", limit_what="y", strictly=True) == ""


def test_a_deadline_already_past_is_refused_today_is_not():
    assert dates.already_past(days(-1), what="The nominations deadline") == (
        "The nominations deadline has already passed: choose today or a later day."
    )
    assert dates.already_past(TODAY, what="The nominations deadline") == ""


def test_not_yet_refuses_a_move_before_its_day():
    assert dates.not_yet(days(1), doing="issue the summary", limit_what="the event") == (
        f"You cannot issue the summary before the event ({dates.day_text(days(1))})."
    )
    assert dates.not_yet(TODAY, doing="issue the summary", limit_what="the event") == ""


def test_the_rules_follow_the_clock():
    later = datetime.datetime(TODAY.year + 1, 6, 1, 10, 0, tzinfo=LONDON)
    with time_machine.travel(later, tick=False):
        assert dates.today() == later.date()
        assert dates.already_past(TODAY, what="It") != ""


def test_collect_keeps_only_the_refusals():
    assert dates.collect(a="", b="Refused.") == {"b": "Refused."}
