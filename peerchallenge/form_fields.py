"""GOV.UK date input (day, month, year) and a time input (hour, minute) as Django form fields.

The cleaned value is a `datetime.date` (or `datetime.time`), as a `DateField`'s was, so
services and views do not change. Messages follow the Design System's date input: "Enter
<label>", "<Label> must include a month", "<Label> must be a real date", "Year must include
4 numbers", and the limits a form sets ("<Label> must be today or in the future"). Only the
boxes at fault get the error class; the error summary links to the first of them
(peerchallenge/templatetags/govuk_errors.py asks the widget for its parts' ids).

The parts are sent as `<name>_day`, `<name>_month`, `<name>_year` (`_hour`, `_minute`); the
day (hour) box carries the field's own id, `id_<name>`, which the summary and labels use. A
link that still sends the whole date in ISO form (`?<name>=2027-05-10`) is understood."""

import datetime
import re
from collections.abc import Callable

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.functional import lazy

MONTHS = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]


def _example_date_hint() -> str:
    # A date a little ahead of today, so the example never goes stale nor looks like a
    # real deadline; written as the person types it.
    day = timezone.localdate() + datetime.timedelta(days=120)
    return f"For example, {day.day} {day.month} {day.year}"


DATE_HINT = lazy(_example_date_hint, str)()
TIME_HINT = "Use the 24-hour clock, for example 14 and 30 for 2:30pm"


class _PartsWidget(forms.MultiWidget):
    """Text boxes in a row, each with its own label; the first carries the field's id."""

    template_name = "peerchallenge/widgets/govuk_parts.html"
    parts: tuple[tuple[str, str, str], ...] = ()  # (suffix, label, width class)
    input_class = ""

    def __init__(self, attrs=None):
        widgets = {
            suffix: forms.TextInput(attrs={"inputmode": "numeric"})
            for suffix, _label, _width in self.parts
        }
        super().__init__(widgets, attrs)
        self.faulty: tuple[int, ...] = ()  # indexes of the boxes at fault, set by the field

    def part_id(self, base: str, index: int) -> str:
        return base if index == 0 else f"{base}_{self.parts[index][0]}"

    def first_part_at_fault(self) -> int:
        return self.faulty[0] if self.faulty else 0

    def id_for_label(self, id_):
        return id_

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        base = context["widget"]["attrs"].get("id")
        for index, subwidget in enumerate(context["widget"]["subwidgets"]):
            _suffix, label, width = self.parts[index]
            at_fault = index in self.faulty
            classes = [self.input_class, width, "govuk-input--error" if at_fault else ""]
            # The fieldset is described by the hint and the error, not each box; a template
            # pack's own classes and descriptions are replaced by the Design System's.
            part_attrs = {
                k: v
                for k, v in subwidget["attrs"].items()
                if k not in ("aria-describedby", "aria-invalid", "class", "required")
            }
            part_attrs["class"] = " ".join(c for c in classes if c)
            if at_fault:
                part_attrs["aria-invalid"] = "true"
            if base:
                part_attrs["id"] = self.part_id(base, index)
            subwidget["attrs"] = part_attrs
            subwidget["part_label"] = label
        return context

    def value_from_datadict(self, data, files, name):
        parts = super().value_from_datadict(data, files, name)
        if all(part is None for part in parts) and data.get(name):
            # A link built before the boxes (?due_from=2027-05-10).
            return self.decompress(data.get(name))
        return parts


class GovukDateInput(_PartsWidget):
    parts = (
        ("day", "Day", "govuk-input--width-2"),
        ("month", "Month", "govuk-input--width-2"),
        ("year", "Year", "govuk-input--width-4"),
    )
    input_class = "govuk-input govuk-date-input__input"

    def decompress(self, value):
        if isinstance(value, str):
            # ISO order, real or not (2027-02-31): the boxes then say what is wrong with it.
            match = re.match(r"^\s*(\d+)-(\d+)-(\d+)\s*$", value)
            if not match:
                return [value, None, None]
            return [str(int(match[3])), str(int(match[2])), match[1]]
        if isinstance(value, datetime.date):
            return [str(value.day), str(value.month), str(value.year)]
        return [None, None, None]


class GovukTimeInput(_PartsWidget):
    parts = (
        ("hour", "Hour", "govuk-input--width-2"),
        ("minute", "Minute", "govuk-input--width-2"),
    )
    input_class = "govuk-input govuk-date-input__input"

    def decompress(self, value):
        if isinstance(value, str):
            try:
                value = datetime.time.fromisoformat(value.strip())
            except ValueError:
                return [value, None]
        if isinstance(value, datetime.datetime):
            value = timezone.localtime(value).time() if timezone.is_aware(value) else value.time()
        if isinstance(value, datetime.time):
            return [f"{value.hour:02d}", f"{value.minute:02d}"]
        return [None, None]


def _sentence(label: str) -> str:
    return label[:1].upper() + label[1:]


def _lower(label: str) -> str:
    # "Date of the event" -> "date of the event", but an acronym keeps its capitals.
    return label if label[1:2].isupper() else label[:1].lower() + label[1:]


def _listed(names: list[str]) -> str:
    return " and ".join(f"a {name}" for name in names)


def _month(text: str) -> int | None:
    if text.isdigit():
        return int(text)
    text = text.lower().rstrip(".")
    for number, name in enumerate(MONTHS, start=1):
        # "March", "Mar", "march"; "Sept" too.
        if len(text) >= 3 and name.startswith(text):
            return number
    return None


def _resolve(limit):
    return limit() if callable(limit) else limit


class GovukDateField(forms.Field):
    """A date typed in three boxes (GOV.UK date input).

    `error_label` names the date in messages when the label would read badly ("the date of
    the interview"); `not_before` / `not_after` are a date or a callable giving one (e.g.
    `timezone.localdate`), with `error_messages["not_before"]` / `["not_after"]` to say it;
    today's defaults read "... must be today or in the future" / "in the past"."""

    widget = GovukDateInput

    def __init__(
        self,
        *,
        error_label: str = "",
        not_before: datetime.date | Callable[[], datetime.date] | None = None,
        not_after: datetime.date | Callable[[], datetime.date] | None = None,
        **kwargs,
    ):
        kwargs.setdefault("help_text", DATE_HINT)
        self.own_required = "required" in (kwargs.get("error_messages") or {})
        super().__init__(**kwargs)
        # crispy-forms-gds reads a field of several parts' `fields` (for errors it files on
        # each part's widget: we mark the boxes at fault on our own widget instead).
        self.fields = tuple(forms.CharField(required=False) for _part in self.widget.parts)
        self.error_label = error_label
        self.not_before, self.not_after = not_before, not_after

    def _names(self) -> tuple[str, str]:
        label = self.error_label or str(self.label or "the date")
        return _sentence(label), _lower(label)

    def _refuse(self, message: str, code: str, faulty: tuple[int, ...]):
        self.widget.faulty = faulty
        raise ValidationError(message, code=code)

    def to_python(self, value):
        if isinstance(value, datetime.date):
            return value
        if isinstance(value, str):
            value = self.widget.decompress(value)
        return self._parse(list(value or ()) + [None] * 3)

    def _parse(self, parts) -> datetime.date | None:
        day, month, year = ("" if part is None else str(part).strip() for part in parts[:3])
        label = self._names()[0]
        if not (day or month or year):
            return None  # `validate` says whether it may be empty
        missing = [i for i, part in enumerate((day, month, year)) if not part]
        if missing:
            names = [("day", "month", "year")[i] for i in missing]
            self._refuse(f"{label} must include {_listed(names)}", "incomplete", tuple(missing))
        real = f"{label} must be a real date"
        if not day.isdigit():
            self._refuse(real, "invalid", (0,))
        number = _month(month)
        if number is None or not 1 <= number <= 12:
            self._refuse(real, "invalid", (1,))
        if not (year.isdigit() and len(year) == 4):
            self._refuse("Year must include 4 numbers", "invalid", (2,))
        try:
            return datetime.date(int(year), number, int(day))
        except ValueError:
            # 31 2 2027, 29 2 2027, 0 3 2027: the day does not exist in that month.
            self._refuse(real, "invalid", (0,))

    def clean(self, value):
        self.widget.faulty = ()
        date = super().clean(value)
        if date is None:
            return None
        label, _lower_label = self._names()
        today = timezone.localdate()
        before, after = _resolve(self.not_before), _resolve(self.not_after)
        if before is not None and date < before:
            default = (
                f"{label} must be today or in the future"
                if before == today
                else f"{label} must be the same as or after {before.day} {before:%B %Y}"
            )
            self._refuse(self.error_messages.get("not_before", default), "not_before", (0, 1, 2))
        if after is not None and date > after:
            default = (
                f"{label} must be today or in the past"
                if after == today
                else f"{label} must be the same as or before {after.day} {after:%B %Y}"
            )
            self._refuse(self.error_messages.get("not_after", default), "not_after", (0, 1, 2))
        return date

    def validate(self, value):
        # Emptiness was told by `_parse`, with the Design System's words.
        if value in self.empty_values and self.required:
            own = self.error_messages["required"] if self.own_required else ""
            self._refuse(own or f"Enter {self._names()[1]}", "required", (0, 1, 2))

    def has_changed(self, initial, data):
        try:
            return self.to_python(initial) != self.to_python(data)
        except ValidationError:
            return True
        finally:
            self.widget.faulty = ()


_TIME = re.compile(r"^(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm)?$")


class GovukTimeField(forms.Field):
    """A time typed in two boxes, hour and minute, on the 24-hour clock ("14" "30"); "2:30pm"
    or "14:30" typed into the hour box is understood too, and an hour alone is on the hour.
    `error_messages["invalid"]` tells which time when a page asks for two."""

    widget = GovukTimeInput
    default_error_messages = {"invalid": "Enter a real time"}

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", TIME_HINT)
        self.own_required = "required" in (kwargs.get("error_messages") or {})
        super().__init__(**kwargs)
        self.fields = tuple(forms.CharField(required=False) for _part in self.widget.parts)

    def _refuse(self, key: str, faulty: tuple[int, ...]):
        self.widget.faulty = faulty
        message = self.error_messages[key]
        if key == "required" and not self.own_required:
            message = f"Enter {_lower(str(self.label or 'the time'))}"
        raise ValidationError(message, code=key)

    def to_python(self, value):
        if isinstance(value, datetime.time):
            return value
        if isinstance(value, str):
            value = self.widget.decompress(value)
        typed = (list(value or ()) + [None] * 2)[:2]
        hour, minute = ("" if part is None else str(part).strip().lower() for part in typed)
        if not (hour or minute):
            return None
        match = _TIME.match(hour.replace(" ", ""))
        if not match:
            self._refuse("invalid", (0,))
        hours, typed_minutes, meridiem = match.groups()
        if typed_minutes and minute:
            self._refuse("invalid", (0, 1))
        minutes = typed_minutes or minute or "0"
        if not minutes.isdigit() or len(minutes) > 2:
            self._refuse("invalid", (1,))
        hours = int(hours)
        if meridiem:
            if not 1 <= hours <= 12:
                self._refuse("invalid", (0,))
            hours = hours % 12 + (12 if meridiem == "pm" else 0)
        if hours > 23:
            self._refuse("invalid", (0,))
        if int(minutes) > 59:
            self._refuse("invalid", (1,))
        return datetime.time(hours, int(minutes))

    def clean(self, value):
        self.widget.faulty = ()
        return super().clean(value)

    def validate(self, value):
        if value in self.empty_values and self.required:
            self._refuse("required", (0, 1))

    def has_changed(self, initial, data):
        try:
            return self.to_python(initial) != self.to_python(data)
        except ValidationError:
            return True
        finally:
            self.widget.faulty = ()
