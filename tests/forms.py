"""What a browser sends for our GOV.UK date and time inputs (peerchallenge.form_fields)."""

import datetime


def date_parts(name: str, day: datetime.date | None) -> dict[str, str]:
    """The day, month and year boxes of the date input `name` (all empty for None)."""
    if day is None:
        return {f"{name}_day": "", f"{name}_month": "", f"{name}_year": ""}
    return {
        f"{name}_day": str(day.day),
        f"{name}_month": str(day.month),
        f"{name}_year": str(day.year),
    }


def time_parts(name: str, time: datetime.time | str | None) -> dict[str, str]:
    """The hour and minute boxes of the time input `name`; "14:30" is taken too."""
    if time is None:
        return {f"{name}_hour": "", f"{name}_minute": ""}
    if isinstance(time, str):
        time = datetime.time.fromisoformat(time)
    return {f"{name}_hour": f"{time.hour:02d}", f"{name}_minute": f"{time.minute:02d}"}


def shows_date(html: str, name: str, day: datetime.date) -> bool:
    """Does the page's date input `name` hold `day`?"""
    return all(
        f'name="{key}" value="{value}"' in html for key, value in date_parts(name, day).items()
    )


def shows_time(html: str, name: str, time: str) -> bool:
    """Does the page's time input `name` hold `time` ("10:00")?"""
    hour, minute = time.split(":")
    return f'name="{name}_hour" value="{hour}"' in html and (
        f'name="{name}_minute" value="{minute}"' in html
    )
