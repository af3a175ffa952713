"""The GOV.UK date input and our time input (peerchallenge.form_fields)."""

import datetime

import pytest
from django import forms
from django.template import Context, Template
from django.utils import timezone

from peerchallenge.form_fields import GovukDateField, GovukTimeField
from peerchallenge.forms import GDSForm
from tests.clock import TODAY, days


class DateForm(GDSForm):
    starts = GovukDateField(label="Start date")
    ends = GovukDateField(label="End date", required=False, not_before=timezone.localdate)
    signed = GovukDateField(label="Date signed", required=False, not_after=timezone.localdate)
    at = GovukTimeField(label="Start time", required=False)


def errors_of(data, field="starts"):
    form = DateForm(data)
    form.is_valid()
    return form.errors.get(field), form[field].field.widget.faulty


def parts(day="", month="", year="", name="starts"):
    return {f"{name}_day": day, f"{name}_month": month, f"{name}_year": year}


@pytest.mark.parametrize(
    ("typed", "message", "faulty"),
    [
        (("", "", ""), "Enter start date", (0, 1, 2)),
        (("27", "", "2027"), "Start date must include a month", (1,)),
        (("", "3", "2027"), "Start date must include a day", (0,)),
        (("27", "", ""), "Start date must include a month and a year", (1, 2)),
        (("", "", "2027"), "Start date must include a day and a month", (0, 1)),
        (("31", "2", "2027"), "Start date must be a real date", (0,)),
        (("29", "2", "2027"), "Start date must be a real date", (0,)),
        (("0", "3", "2027"), "Start date must be a real date", (0,)),
        (("27", "13", "2027"), "Start date must be a real date", (1,)),
        (("x", "3", "2027"), "Start date must be a real date", (0,)),
        (("27", "Marchember", "2027"), "Start date must be a real date", (1,)),
        (("27", "3", "27"), "Year must include 4 numbers", (2,)),
        (("27", "3", "20277"), "Year must include 4 numbers", (2,)),
    ],
)
def test_date_input_says_what_is_wrong_in_govuk_words(typed, message, faulty):
    assert errors_of(parts(*typed)) == ([message], faulty)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ((" 3 ", "3", "2027"), datetime.date(2027, 3, 3)),
        (("03", "03", "2027"), datetime.date(2027, 3, 3)),
        (("3", "march", "2027"), datetime.date(2027, 3, 3)),
        (("3", "Mar", "2027"), datetime.date(2027, 3, 3)),
        (("3", "Sept", "2027"), datetime.date(2027, 9, 3)),
        (("29", "2", "2028"), datetime.date(2028, 2, 29)),  # a leap year
    ],
)
def test_date_input_takes_numbers_with_or_without_zeros_and_month_names(typed, expected):
    form = DateForm(parts(*typed))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["starts"] == expected


def test_date_input_limits_say_today_or_in_the_future_or_past():
    yesterday, tomorrow = days(-1), days(1)
    data = {**parts(1, 1, 2027), **_parts("ends", yesterday), **_parts("signed", tomorrow)}
    form = DateForm(data)
    assert not form.is_valid()
    assert form.errors == {
        "ends": ["End date must be today or in the future"],
        "signed": ["Date signed must be today or in the past"],
    }
    data = {**parts(1, 1, 2027), **_parts("ends", TODAY), **_parts("signed", TODAY)}
    assert DateForm(data).is_valid()


def _parts(name, day):
    return parts(str(day.day), str(day.month), str(day.year), name=name)


def test_date_input_understands_a_whole_iso_date_from_an_old_link():
    form = DateForm({"starts": "2027-05-10"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["starts"] == datetime.date(2027, 5, 10)
    assert errors_of({"starts": "2027-02-31"}) == (["Start date must be a real date"], (0,))


@pytest.mark.parametrize(
    ("hour", "minute", "expected"),
    [
        ("14", "30", datetime.time(14, 30)),
        ("9", "05", datetime.time(9, 5)),
        ("09", "", datetime.time(9, 0)),
        ("2:30pm", "", datetime.time(14, 30)),
        ("2pm", "15", datetime.time(14, 15)),
        ("12am", "", datetime.time(0, 0)),
        ("14:30", "", datetime.time(14, 30)),
        ("", "", None),
    ],
)
def test_time_input_takes_the_24_hour_clock_and_am_pm(hour, minute, expected):
    form = DateForm({**parts(1, 1, 2027), "at_hour": hour, "at_minute": minute})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["at"] == expected


@pytest.mark.parametrize(
    ("hour", "minute", "faulty"),
    [("24", "00", (0,)), ("14", "60", (1,)), ("noon", "", (0,)), ("13pm", "", (0,))],
)
def test_time_input_refuses_an_impossible_time(hour, minute, faulty):
    data = {**parts(1, 1, 2027), "at_hour": hour, "at_minute": minute}
    assert errors_of(data, "at") == (["Enter a real time"], faulty)


def test_a_required_time_left_empty_names_it():
    class TimeForm(forms.Form):
        at = GovukTimeField(label="Start time")

    form = TimeForm({})
    assert not form.is_valid()
    assert form.errors == {"at": ["Enter start time"]}


def test_date_hint_is_a_date_ahead_of_today_written_as_typed():
    hint = str(DateForm().fields["starts"].help_text)
    day = TODAY + datetime.timedelta(days=120)
    assert hint == f"For example, {day.day} {day.month} {day.year}"


FIELD = Template('{% include "includes/govuk_field.html" with field=form.starts %}')


def test_only_the_boxes_at_fault_get_the_error_class():
    form = DateForm(parts("27", "", ""))
    form.is_valid()
    html = FIELD.render(Context({"form": form}))
    legend = '<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">Start date</legend>'
    assert legend in html
    assert (
        '<input type="text" name="starts_day" value="27" inputmode="numeric" id="id_starts" '
        'class="govuk-input govuk-date-input__input govuk-input--width-2">'
    ) in html
    assert (
        '<input type="text" name="starts_month" inputmode="numeric" id="id_starts_month" '
        'class="govuk-input govuk-date-input__input govuk-input--width-2 govuk-input--error" '
        'aria-invalid="true">'
    ) in html
    assert (
        '<input type="text" name="starts_year" inputmode="numeric" id="id_starts_year" '
        'class="govuk-input govuk-date-input__input govuk-input--width-4 govuk-input--error" '
        'aria-invalid="true">'
    ) in html


def test_a_saved_date_fills_the_boxes():
    form = DateForm(initial={"starts": datetime.date(2027, 3, 9), "at": "09:30"})
    html = FIELD.render(Context({"form": form}))
    assert 'name="starts_day" value="9"' in html
    assert 'name="starts_month" value="3"' in html
    assert 'name="starts_year" value="2027"' in html
    assert 'name="at_hour" value="09"' in str(form["at"])
    assert 'name="at_minute" value="30"' in str(form["at"])
