"""Writes for the thematic offer: themes and suggestions, events and their KLOEs,
nominations, next steps (which become agreed actions) and the emerging themes summary."""

import datetime
import hashlib
import json
import logging
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from peerchallenge import dates
from peerchallenge.concurrency import record_lock_unchanged
from peerchallenge.emails import email_send
from peerchallenge.models import Alliance, LocalAuthority, Tier2Group, User
from peerchallenge.recipients import council_people, email_addresses, everyone_in
from peerchallenge.selectors import councils_of_alliance
from peerchallenge.services import action_create
from peerchallenge.text_limits import LONG, refuse_long_text
from reports.services import report_request

from .emails import email_send_with_event
from .models import (
    STANDARD_THEMES,
    EmergingSummary,
    EventKloe,
    NextSteps,
    Nomination,
    SuggestionSupport,
    ThematicEvent,
    Theme,
    ThemeSuggestion,
)
from .selectors import event_submissions, summary_versions

logger = logging.getLogger(__name__)


def _when(day: datetime.date) -> str:
    return f"{day.day} {day:%B %Y}"


# --- themes ----------------------------------------------------------------------------


def themes_ensure_standard(*, alliance: Alliance) -> list[Theme]:
    """Create the standard themes the alliance does not have yet (by name, any case); return
    the alliance's themes."""
    have = {
        name.lower()
        for name in Theme.objects.filter(alliance=alliance).values_list("name", flat=True)
    }
    for name in STANDARD_THEMES:
        if name.lower() not in have:
            Theme.objects.create(alliance=alliance, name=name)
    return list(Theme.objects.filter(alliance=alliance))


def _duplicate_message(*, alliance: Alliance, name: str) -> str:
    theme = Theme.objects.filter(alliance=alliance, name__iexact=name).first()
    if theme is not None:
        return f"“{theme.name}” is already one of the alliance's themes."
    open_one = ThemeSuggestion.objects.filter(
        alliance=alliance, name__iexact=name, status=ThemeSuggestion.Status.OPEN
    ).first()
    if open_one is not None:
        return f"“{open_one.name}” has already been suggested: support that suggestion instead."
    return ""


def suggestion_create(
    *, alliance: Alliance, name: str, reason: str, suggested_by: User, council=None
) -> ThemeSuggestion:
    """A new theme suggestion, with the suggester's reason. Refused if the theme exists or is
    already suggested (any case)."""
    name, reason = " ".join((name or "").split()), (reason or "").strip()
    errors = {}
    if not name:
        errors["name"] = "Enter the theme you suggest."
    elif duplicate := _duplicate_message(alliance=alliance, name=name):
        errors["name"] = duplicate
    if not reason:
        errors["reason"] = "Enter why the alliance should hold a challenge on this theme."
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            return ThemeSuggestion.objects.create(
                alliance=alliance,
                name=name,
                reason=reason,
                suggested_by=suggested_by,
                council=council,
            )
    except IntegrityError:  # suggested by someone else a moment ago
        raise ValidationError({"name": _duplicate_message(alliance=alliance, name=name)}) from None


def suggestion_support(*, suggestion: ThemeSuggestion, user: User) -> SuggestionSupport:
    """Record `user`'s support of an open suggestion: once each, never one's own."""
    if not suggestion.is_open:
        raise ValidationError("This suggestion has already been decided.")
    if suggestion.suggested_by_id == user.pk:
        raise ValidationError("You made this suggestion: others can support it.")
    if suggestion.supports.filter(user=user).exists():
        raise ValidationError("You already support this suggestion.")
    try:
        with transaction.atomic():
            return SuggestionSupport.objects.create(
                alliance_id=suggestion.alliance_id, suggestion=suggestion, user=user
            )
    except IntegrityError:
        raise ValidationError("You already support this suggestion.") from None


@transaction.atomic
def suggestion_decide(
    *, suggestion: ThemeSuggestion, accept: bool, note: str, decided_by: User
) -> ThemeSuggestion:
    """Accept (the theme joins the alliance's list) or decline an open suggestion, with a
    note to the suggester, who is e-mailed the decision and the note (once committed)."""
    suggestion = ThemeSuggestion.objects.select_for_update().get(pk=suggestion.pk)
    if not suggestion.is_open:
        raise ValidationError("This suggestion has already been decided.")
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": "Enter a note explaining the decision."})
    if accept:
        if Theme.objects.filter(
            alliance_id=suggestion.alliance_id, name__iexact=suggestion.name
        ).exists():
            raise ValidationError({"note": f"“{suggestion.name}” is already a theme."})
        suggestion.theme = Theme.objects.create(
            alliance_id=suggestion.alliance_id, name=suggestion.name, description=suggestion.reason
        )
    suggestion.status = (
        ThemeSuggestion.Status.ACCEPTED if accept else ThemeSuggestion.Status.DECLINED
    )
    suggestion.decision_note = note
    suggestion.decided_by = decided_by
    suggestion.decided_at = timezone.now()
    suggestion.save()
    suggester = suggestion.suggested_by
    if suggester is not None and suggester.is_active and suggester.email:
        path = reverse("thematic:theme_list", kwargs={"alliance": suggestion.alliance.slug})
        email_send(
            template="thematic_suggestion_decided",
            to=[suggester.email],
            context={"suggestion": suggestion, "path": path},
        )
    return suggestion


# --- events ----------------------------------------------------------------------------


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


# What the participants are told about when it changes: (field, how the e-mail names it).
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
    and DCSs are e-mailed the new arrangements (once committed). Returns those changes;
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
    """E-mail the new arrangements: the nominees with the updated calendar file (they were
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
    participating councils' organisers and DCSs and the nominees are e-mailed (once).
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


# --- nominations -----------------------------------------------------------------------


@transaction.atomic
def nomination_add(
    *,
    event: ThematicEvent,
    council: LocalAuthority,
    full_name: str,
    job_role: str,
    email: str,
    nominated_by: User,
) -> Nomination:
    """Nominate an officer of a participating council and e-mail them an invitation (once
    the nomination is saved) with the event's calendar file, and the key lines of enquiry
    when they are already published (the nominee missed that e-mail)."""
    full_name, job_role = (full_name or "").strip(), (job_role or "").strip()
    email = (email or "").strip()
    # Lock the event as event_change does, so a council cannot be removed from the event
    # while one of its officers is being nominated (nor one person nominated twice at once).
    ThematicEvent.objects.select_for_update().filter(pk=event.pk).first()
    # Read again under the lock: the invitation tells of the arrangements and KLOEs as they
    # are now, which may have changed since `event` was loaded.
    event.refresh_from_db()
    errors = {}
    if council is None or council.pk not in event_council_ids_of(event):
        errors["council"] = "This council is not taking part in the event."
    if not full_name:
        errors["full_name"] = "Enter the officer's full name."
    if not job_role:
        errors["job_role"] = "Enter the officer's role."
    try:
        validate_email(email)
    except ValidationError:
        errors["email"] = "Enter an e-mail address in the correct format, like name@example.org."
    else:
        if event.nominations.filter(email__iexact=email).exists():
            errors["email"] = "This person is already nominated for the event."
    if event.is_past:
        errors["__all__"] = "The event has taken place: nominations are closed."
    if errors:
        raise ValidationError(errors)
    nomination = Nomination.objects.create(
        alliance_id=event.alliance_id,
        event=event,
        council=council,
        full_name=full_name,
        job_role=job_role,
        email=email,
        nominated_by=nominated_by,
    )
    path = reverse(
        "thematic:event_detail", kwargs={"alliance": event.alliance.slug, "event": event.pk}
    )
    kloes = list(event.kloes.all()) if event.kloes_published else []
    email_send_with_event(
        template="thematic_invitation",
        to=[nomination.email],
        context={"event": event, "nomination": nomination, "path": path, "kloes": kloes},
    )
    # Queued in the outbox with the nomination (delivered once this commits).
    Nomination.objects.filter(pk=nomination.pk).update(invited_at=timezone.now())
    return nomination


def nomination_withdraw(*, nomination: Nomination) -> None:
    if nomination.event.is_past:
        raise ValidationError("The event has taken place: its nominations are kept.")
    nomination.delete()


# --- next steps ------------------------------------------------------------------------


@transaction.atomic
def next_steps_submit(
    *,
    event: ThematicEvent,
    council: LocalAuthority,
    rows: list[dict],
    notes: str,
    submitted_by: User,
) -> NextSteps:
    """Submit a council's next steps template: each row (what, owner, due_date) becomes an
    agreed action monitored by the event's Tier 2 group. After the deadline it is still
    accepted, marked late. Once per council."""
    ThematicEvent.objects.select_for_update().filter(pk=event.pk).first()  # one at a time
    if council.pk not in event_council_ids_of(event):
        raise ValidationError("This council is not taking part in the event.")
    if not event.is_past and event.date != timezone.localdate():
        raise ValidationError("Next steps are submitted after the event.")
    if NextSteps.objects.filter(event=event, council=council).exists():
        raise ValidationError("Your council's next steps have already been submitted.")
    rows = [row for row in rows if any(str(value or "").strip() for value in row.values())]
    if not rows:
        raise ValidationError("Enter at least one next step: what, who owns it and by when.")
    steps = NextSteps.objects.create(
        alliance_id=event.alliance_id,
        event=event,
        council=council,
        notes=(notes or "").strip(),
        submitted_by=submitted_by,
        is_late=timezone.localdate() > event.next_steps_due,
    )
    errors = {}
    for index, row in enumerate(rows):
        try:
            action_create(
                source=event,
                local_authority=council,
                what=row.get("what", ""),
                owner=row.get("owner", ""),
                due_date=row.get("due_date"),
                tier2_group=event.tier2_group,
                created_by=submitted_by,
                not_before=event.date,
            )
        except ValidationError as error:
            for message in error.messages:
                errors.setdefault(f"row {index + 1}", []).append(message)
    if errors:  # leaving the atomic block with the error undoes the template and every row
        raise ValidationError(
            [f"Next step {key[4:]}: {msg}" for key, msgs in errors.items() for msg in msgs]
        )
    return steps


# --- the summary -----------------------------------------------------------------------


SUMMARY_FIELDS = ("emerging_themes", "proposed_next_steps")


@transaction.atomic
def summary_save(
    *,
    event: ThematicEvent,
    emerging_themes: str,
    proposed_next_steps: str,
    user: User,
    base_version: str | None = None,
) -> EmergingSummary:
    """Save the summary's two texts. Raises EditConflict if someone (the coordinator, a
    member of the Tier 2 group) saved them since `base_version` (peerchallenge.concurrency)."""
    refuse_long_text(
        emerging_themes=("Emerging themes", emerging_themes, LONG),
        proposed_next_steps=("Proposed next steps", proposed_next_steps, LONG),
    )
    summary, _ = EmergingSummary.objects.get_or_create(
        event=event, defaults={"alliance_id": event.alliance_id}
    )
    record_lock_unchanged(record=summary, fields=SUMMARY_FIELDS, base_version=base_version)
    summary.emerging_themes = (emerging_themes or "").strip()
    summary.proposed_next_steps = (proposed_next_steps or "").strip()
    summary.updated_at = timezone.now()
    summary.updated_by = user
    summary.save()
    return summary


def summary_fingerprint(*, summary: EmergingSummary) -> str:
    """A hash of what an issue of the summary shows: the two texts and every council's
    submitted next steps (a late submission changes it)."""
    content = {
        "emerging_themes": summary.emerging_themes,
        "proposed_next_steps": summary.proposed_next_steps,
        "councils": [
            [
                row.council.pk,
                row.next_steps.notes if row.next_steps else None,
                [[a.what, a.owner, str(a.due_date)] for a in row.actions],
            ]
            for row in event_submissions(event=summary.event)
        ],
    }
    return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()


@transaction.atomic
def summary_issue(*, event: ThematicEvent, issued_by: User):
    """Issue the emerging themes summary: the next numbered PDF version is rendered through
    the report registry, and the participating councils' DCSs are told when it is ready.
    From the first issue on, participants read each other's next steps.

    Issuing content that is already issued is refused (a double click, a resubmitted form,
    two planners at once): the summary's row is locked and the fingerprint of the last
    issued content kept on it, so the same content makes one version and one set of
    e-mails."""
    summary = EmergingSummary.objects.select_for_update().filter(event=event).first()
    if summary is None or not summary.emerging_themes:
        raise ValidationError("Write the emerging themes before issuing the summary.")
    if refusal := dates.not_yet(event.date, doing="issue the summary", limit_what="the event"):
        raise ValidationError(refusal)
    fingerprint = summary_fingerprint(summary=summary)
    if fingerprint == summary.issued_fingerprint:
        last = summary_versions(event=event).first()
        raise ValidationError(
            f"Version {last.number if last else 1} of the summary has already been issued "
            "with this content. Change the summary before issuing it again."
        )
    if summary.issued_at is None:
        summary.issued_at = timezone.now()
    summary.issued_fingerprint = fingerprint
    summary.save(update_fields=["issued_at", "issued_fingerprint"])
    return report_request(identifier="thematic.summary", subject=event, requested_by=issued_by)
