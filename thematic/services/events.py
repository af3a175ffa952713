"""Writes for a thematic event: scheduling and changing it (the participants are told of
new arrangements), and its key lines of enquiry."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from peerchallenge import dates
from peerchallenge.emails import email_send
from peerchallenge.models import Alliance, LocalAuthority, Tier2Group, User
from peerchallenge.recipients import council_people, email_addresses, everyone_in
from peerchallenge.selectors import councils_of_alliance

from ..models import EmergingSummary, EventKloe, NextSteps, Nomination, ThematicEvent, Theme
from .emails import email_send_with_event


def _when(day: datetime.date) -> str:
    return f"{day.day} {day:%B %Y}"


def _event_errors(
    *,
    alliance,
    theme,
    date,
    start_time,
    end_time,
    format,
    venue,
    online_link,
    councils,
    tier2_group,
    nominations_due,
    next_steps_due,
    current: dict | None = None,
) -> dict:
    """What is wrong with an event's details, by field. `current` holds the deadlines
    already recorded (when changing an event): those may have passed, new ones may not."""
    errors = {}
    if theme is None or theme.alliance_id != alliance.pk:
        errors["theme"] = "Choose one of the alliance's themes."
    if date is None:
        errors["date"] = "Enter the date of the event."
    elif date < timezone.localdate():
        errors["date"] = "The date of the event must be today or in the future."
    elif far := dates.too_far_ahead(date, what="The date of the event"):
        errors["date"] = far
    if start_time and end_time and end_time <= start_time:
        errors["end_time"] = "The event must end after it starts."
    if format == ThematicEvent.Format.IN_PERSON and not venue:
        errors["venue"] = "Enter the venue of an in-person event."
    elif format == ThematicEvent.Format.ONLINE and not online_link:
        errors["online_link"] = "Enter the meeting link of an online event."
    elif format not in ThematicEvent.Format.values:
        errors["format"] = "Choose whether the event is in person or online."
    allowed = set(councils_of_alliance(alliance=alliance).values_list("pk", flat=True))
    if not councils:
        errors["councils"] = "Choose the councils taking part."
    elif any(c.pk not in allowed for c in councils):
        errors["councils"] = "Choose councils of this alliance."
    if tier2_group is None or tier2_group.alliance_id != alliance.pk:
        errors["tier2_group"] = "Choose the Tier 2 group that owns the theme."
    if date and nominations_due and nominations_due > date:
        errors["nominations_due"] = "Nominations must be due on or before the event."
    elif nominations_due != (current or {}).get("nominations_due") and (
        past := dates.already_past(nominations_due, what="The nominations deadline")
    ):
        # A deadline newly set must still be ahead; one already recorded may have passed.
        errors["nominations_due"] = past
    if date and next_steps_due and next_steps_due < date:
        errors["next_steps_due"] = "Next steps must be due on or after the event."
    elif far := dates.too_far_ahead(next_steps_due, what="The next steps deadline"):
        errors["next_steps_due"] = far
    return errors


@transaction.atomic
def event_schedule(
    *,
    alliance: Alliance,
    theme: Theme,
    date: datetime.date,
    start_time: datetime.time,
    end_time: datetime.time,
    format: str,
    councils: list[LocalAuthority],
    tier2_group: Tier2Group,
    created_by: User,
    venue: str = "",
    online_link: str = "",
    nominations_due: datetime.date | None = None,
    next_steps_due: datetime.date | None = None,
) -> ThematicEvent:
    """Schedule a thematic event on one theme. The place that does not apply to the format
    is dropped; deadlines default from the date."""
    venue, online_link = (venue or "").strip(), (online_link or "").strip()
    if format == ThematicEvent.Format.IN_PERSON:
        online_link = ""
    elif format == ThematicEvent.Format.ONLINE:
        venue = ""
    errors = _event_errors(
        alliance=alliance, theme=theme, date=date, start_time=start_time, end_time=end_time,
        format=format, venue=venue, online_link=online_link, councils=councils,
        tier2_group=tier2_group, nominations_due=nominations_due, next_steps_due=next_steps_due,
    )  # fmt: skip
    if errors:
        raise ValidationError(errors)
    defaults = ThematicEvent.default_deadlines(date)
    event = ThematicEvent.objects.create(
        alliance=alliance,
        theme=theme,
        date=date,
        start_time=start_time,
        end_time=end_time,
        format=format,
        venue=venue,
        online_link=online_link,
        tier2_group=tier2_group,
        nominations_due=nominations_due or max(defaults["nominations_due"], timezone.localdate()),
        next_steps_due=next_steps_due or defaults["next_steps_due"],
        created_by=created_by,
    )
    event.councils.set(councils)
    return event


# What the participants are told about when it changes: (field, how the email names it).
ARRANGEMENTS = [
    ("date", "Date"),
    ("start_time", "Starts at"),
    ("end_time", "Ends at"),
    ("format", "Format"),
    ("venue", "Venue"),
    ("online_link", "Online meeting link"),
]


@dataclass(frozen=True)
class ArrangementChange:
    label: str
    before: str
    after: str


def _arrangement(event: ThematicEvent, field: str) -> str:
    value = getattr(event, field)
    if field == "date":
        return f"{value:%A} {_when(value)}"
    if field in ("start_time", "end_time"):
        return f"{value:%H:%M}"
    if field == "format":
        return ThematicEvent.Format(value).label
    return value or "none"


def _removal_errors(*, event: ThematicEvent, councils: list[LocalAuthority]) -> list[str]:
    """A council that has nominated officers or submitted next steps stays in the event."""
    removed = event_council_ids_of(event) - {c.pk for c in councils}
    if not removed:
        return []
    nominated = set(
        Nomination.objects.filter(event=event, council__in=removed).values_list(
            "council_id", flat=True
        )
    )
    submitted = set(
        NextSteps.objects.filter(event=event, council__in=removed).values_list(
            "council_id", flat=True
        )
    )
    errors = []
    for council in LocalAuthority.objects.filter(pk__in=removed).order_by("name"):
        done = [
            what
            for what, ids in (
                ("nominated officers", nominated),
                ("submitted its next steps", submitted),
            )
            if council.pk in ids
        ]
        if done:
            errors.append(f"{council.name} cannot be removed: it has {' and '.join(done)}.")
    return errors


@transaction.atomic
def event_change(
    *,
    event: ThematicEvent,
    date: datetime.date,
    start_time: datetime.time,
    end_time: datetime.time,
    format: str,
    councils: list[LocalAuthority],
    tier2_group: Tier2Group,
    venue: str = "",
    online_link: str = "",
    nominations_due: datetime.date | None = None,
    next_steps_due: datetime.date | None = None,
) -> list[ArrangementChange]:
    """Change an event that has not been held yet, with the checks of `event_schedule`
    (the theme stays). A council that has nominated officers or submitted next steps cannot
    be removed. Empty deadlines default from the date. When the date, the times, the
    format or the place change, the nominees and the participating councils' organisers
    and DCSs are emailed the new arrangements (once committed). Returns those changes;
    nothing is saved when anything is refused."""
    event = (
        ThematicEvent.objects.select_for_update()
        .select_related("alliance", "theme")
        .get(pk=event.pk)
    )
    if event.is_past:
        raise ValidationError("The event has taken place: it can no longer be changed.")
    issued = EmergingSummary.objects.filter(event=event, issued_at__isnull=False).exists()
    venue, online_link = (venue or "").strip(), (online_link or "").strip()
    if format == ThematicEvent.Format.IN_PERSON:
        online_link = ""
    elif format == ThematicEvent.Format.ONLINE:
        venue = ""
    errors = _event_errors(
        alliance=event.alliance, theme=event.theme, date=date, start_time=start_time,
        end_time=end_time, format=format, venue=venue, online_link=online_link,
        councils=councils, tier2_group=tier2_group, nominations_due=nominations_due,
        next_steps_due=next_steps_due,
        current={"nominations_due": event.nominations_due},
    )  # fmt: skip
    if issued and date != event.date:
        # The summary is about the event held on that day: its date is fixed from then on.
        errors["date"] = (
            "The summary of this event has been issued: the date of the event can no "
            f"longer change (it was held on {dates.day_text(event.date)})."
        )
    if "councils" not in errors and (kept := _removal_errors(event=event, councils=councils)):
        errors["councils"] = kept
    if errors:
        raise ValidationError(errors)
    before = {field: _arrangement(event, field) for field, _label in ARRANGEMENTS}
    defaults = ThematicEvent.default_deadlines(date)
    event.date, event.start_time, event.end_time = date, start_time, end_time
    event.format, event.venue, event.online_link = format, venue, online_link
    event.tier2_group = tier2_group
    event.nominations_due = nominations_due or max(
        defaults["nominations_due"], timezone.localdate()
    )
    event.next_steps_due = next_steps_due or defaults["next_steps_due"]
    changes = [
        ArrangementChange(label, before[field], after)
        for field, label in ARRANGEMENTS
        if (after := _arrangement(event, field)) != before[field]
    ]
    if changes:
        event.calendar_sequence += 1  # the nominees' calendar entry is replaced
    event.save()
    event.councils.set(councils)
    if changes:
        _notify_change(event=event, changes=changes)
    return changes


def _notify_change(*, event: ThematicEvent, changes: list[ArrangementChange]) -> None:
    """Email the new arrangements: the nominees with the updated calendar file (they were
    sent the first one with their invitation), the councils' people without (their
    calendar feed follows the change)."""
    people = council_people(alliance=event.alliance, council_ids=event_council_ids_of(event))
    nominees = {email.lower() for email in event.nominations.values_list("email", flat=True)}
    emails = {email.lower() for email in email_addresses(everyone_in(people))} | nominees
    path = reverse(
        "thematic:event_detail", kwargs={"alliance": event.alliance.slug, "event": event.pk}
    )
    for email in sorted(emails):  # one message each: recipients do not see each other
        sender = email_send_with_event if email in nominees else email_send
        sender(
            template="thematic_event_changed",
            to=[email],
            context={"event": event, "changes": changes, "path": path},
        )


def event_kloe_add(*, event: ThematicEvent, question: str) -> EventKloe:
    question = (question or "").strip()
    if not question:
        raise ValidationError({"question": "Enter the line of enquiry."})
    return EventKloe.objects.create(alliance_id=event.alliance_id, event=event, question=question)


def event_kloes_publish(*, event: ThematicEvent) -> ThematicEvent:
    """Publish the event's KLOEs to the participants: from now on they read them, and the
    participating councils' organisers and DCSs and the nominees are emailed (once).
    Refused once the event has taken place: they were for preparing it."""
    if event.is_past:
        raise ValidationError(
            "The event has taken place: its key lines of enquiry can no longer be published."
        )
    if event.kloes_published:
        raise ValidationError("The key lines of enquiry are already published.")
    if not event.kloes.exists():
        raise ValidationError({"question": "Add at least one line of enquiry before publishing."})
    event.kloes_published_at = timezone.now()
    event.save(update_fields=["kloes_published_at"])
    people = council_people(alliance=event.alliance, council_ids=event_council_ids_of(event))
    emails = {email.lower() for email in email_addresses(everyone_in(people))}
    emails |= {email.lower() for email in event.nominations.values_list("email", flat=True)}
    path = reverse(
        "thematic:event_kloes", kwargs={"alliance": event.alliance.slug, "event": event.pk}
    )
    kloes = list(event.kloes.all())
    for email in sorted(emails):  # one message each: recipients do not see each other
        email_send(
            template="thematic_kloes_published",
            to=[email],
            context={"event": event, "kloes": kloes, "path": path},
        )
    return event


def event_council_ids_of(event: ThematicEvent) -> set[int]:
    return set(event.councils.values_list("pk", flat=True))
