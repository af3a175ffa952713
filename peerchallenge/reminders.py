"""Email reminders of stage deadlines, for every offer.

Offers declare their kinds (`REMINDER_KINDS` in their obligations module, registered by
OfferConfig); the core never imports them. What is due, and whom to remind, comes from the
offers' obligations (peerchallenge.offers.obligations): one reminder per open obligation and
kind it names that the alliance has switched on (`_obligation_dues`). The obligations are
asked inside the alliance's scope, narrowed to those with a reminder due today, and run a
constant number of queries.

When a reminder goes out (`reminder_day`):
- a "before" kind (the default) is sent from `due_date - days` up to and including the due
  date: if the scan missed its day, the next scan before the deadline still sends it;
- an "after" kind (overdue) is sent once, by the first scan on or after `due_date + days`.
  Each alliance's last finished scan is recorded (`ReminderScan`), and a scan looks only at
  the "after" reminders whose day has come since: the daily scan does not check every
  overdue thing ever recorded again each day (at national scale, 26,000 overdue actions),
  yet a scan that did not run for days, or an alliance's first, catches up on all of it.

Each person gets each reminder at most once, and the scan only queues: for each person and
reminder it writes a `ReminderLog` row and the email's outbox row (`OutboundEmail`, whose
dedupe key is the reminder's key: kind, subject, recipient, due date), BATCH at a time, each
batch in one transaction with one insert of emails and one of log rows. A second scan, or
two racing, find the key taken and queue nothing (`ON CONFLICT DO NOTHING`); the outbox
delivers each email once, with retries (peerchallenge.services.email). A new due date (a
moved deadline) is a new reminder. Reminders stop once the obligation is done.
"""

import datetime
import logging
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction

from .models import (
    Alliance,
    ReminderLog,
    ReminderScan,
    ReminderSetting,
    User,
)
from .offers.obligations import obligations
from .offers.registry import Registry

# `council_people` lives in .recipients (who is told); offers' reminder sources still import
# it from here.
from .recipients import council_people as council_people
from .services.email import email_render, outbox_add_many

logger = logging.getLogger(__name__)

ACTION_REQUIRED = "[Action required] "
MAX_DAYS = 120


@dataclass(frozen=True)
class ReminderKind:
    key: str
    label: str  # "Key lines of enquiry due"
    default_days: int
    description: str  # for the settings page
    after_due: bool = False  # an "overdue" kind: days count after the due date
    # The kinds of alliance (Alliance.Kind values) whose work it concerns; empty: all.
    alliance_kinds: tuple[str, ...] = ()

    def applies_to(self, alliance: Alliance) -> bool:
        return not self.alliance_kinds or alliance.kind in self.alliance_kinds


@dataclass
class Due:
    """One thing that is due (or overdue), and whom to remind of it."""

    kind: str
    subject: object  # a model instance: the idempotency key names it
    recipients: list[User]
    due_date: datetime.date
    summary: str  # the email's subject, without the "[Action required]" prefix
    path: str = ""  # a link into the app
    action_required: bool = True
    email_template: str = "reminder"
    context: dict = field(default_factory=dict)


KINDS: Registry[ReminderKind] = Registry("reminder kinds", key=lambda kind: kind.key)


def register_kind(
    key: str,
    *,
    label: str,
    default_days: int,
    description: str,
    after_due: bool = False,
    alliance_kinds: tuple[str, ...] = (),
) -> ReminderKind:
    return KINDS.register(
        ReminderKind(key, label, default_days, description, after_due, tuple(alliance_kinds))
    )


def reminder_day(*, kind: ReminderKind, due_date: datetime.date, days: int) -> datetime.date:
    if kind.after_due:
        return due_date + datetime.timedelta(days=days)
    return due_date - datetime.timedelta(days=days)


def reminder_is_due(
    *,
    kind: ReminderKind,
    due_date: datetime.date,
    days: int,
    today: datetime.date,
    since: datetime.date | None = None,
) -> bool:
    """Whether today's scan sends this reminder; `since`, the day of the alliance's last
    finished scan (None: there was none), which has sent the "after" reminders up to it."""
    start = reminder_day(kind=kind, due_date=due_date, days=days)
    if kind.after_due:
        return start <= today and (since is None or start > since)
    return start <= today <= due_date


def reminder_due_dates(
    *, kind: ReminderKind, days: int, today: datetime.date, since: datetime.date | None = None
) -> tuple[datetime.date | None, datetime.date]:
    """The (first, last) due dates of which a reminder of `kind` may be sent today (first
    None: no lower bound): what an obligation provider narrows its query to."""
    delta = datetime.timedelta(days=days)
    if kind.after_due:
        return (
            None if since is None else since - delta + datetime.timedelta(days=1)
        ), today - delta
    return today, today + delta


def last_scanned_on(*, alliances) -> datetime.date | None:
    """The earliest of these alliances' last finished scans; None if any has had none."""
    days = dict(
        ReminderScan.objects.filter(alliance__in=list(alliances)).values_list(
            "alliance_id", "scanned_on"
        )
    )
    if not days or len(days) < len(set(alliances)):
        return None
    return min(days.values())


# --- settings --------------------------------------------------------------------------


@dataclass(frozen=True)
class KindSetting:
    kind: ReminderKind
    days: int
    enabled: bool


def reminder_settings_of(*, alliance: Alliance) -> list[KindSetting]:
    """Every registered kind that concerns this kind of alliance, with the alliance's days
    and on/off (defaults where unset)."""
    saved = {s.kind: s for s in ReminderSetting.objects.filter(alliance=alliance)}
    result = []
    for kind in KINDS:
        if not kind.applies_to(alliance):
            continue
        row = saved.get(kind.key)
        result.append(
            KindSetting(
                kind,
                row.days if row else kind.default_days,
                row.enabled if row else True,
            )
        )
    return result


@transaction.atomic
def reminder_settings_save(*, alliance: Alliance, values: dict[str, tuple[int, bool]]) -> None:
    """Save the alliance's (days, enabled) per kind; all or nothing."""
    errors = {}
    for key, (days, _enabled) in values.items():
        if key not in KINDS or not KINDS[key].applies_to(alliance):
            errors[key] = "This is not a kind of reminder."
        elif not 0 <= days <= MAX_DAYS:
            errors[key] = f"Enter a number of days from 0 to {MAX_DAYS}."
    if errors:
        raise ValidationError(errors)
    for key, (days, enabled) in values.items():
        ReminderSetting.objects.update_or_create(
            alliance=alliance, kind=key, defaults={"days": days, "enabled": enabled}
        )


# --- reads shared by sources ---------------------------------------------------------


def reminder_log_of(*, alliance: Alliance):
    """Every reminder the alliance has queued, with its email's delivery state, newest
    first."""
    return (
        ReminderLog.objects.filter(alliance=alliance)
        .select_related("recipient", "email")
        .order_by("-claimed_at", "-pk")
    )


# --- queueing -------------------------------------------------------------------------


def reminder_key(*, kind: str, subject_type_id: int, subject_id: int, recipient_id: int, due_date):
    """The outbox's dedupe key of one reminder to one person."""
    return f"reminder:{kind}:{subject_type_id}:{subject_id}:{recipient_id}:{due_date:%Y-%m-%d}"


def reminders_queue(*, alliance: Alliance, today: datetime.date) -> int:
    """Queue the alliance's reminders that are due `today`; return how many were queued.

    Writes, in one transaction, a `ReminderLog` row and an `OutboundEmail` row per person and
    reminder not queued before; sends nothing (the outbox delivers once it commits). Safe to
    run twice, or in two workers at once."""
    enabled = {s.kind.key: s for s in reminder_settings_of(alliance=alliance) if s.enabled}
    days_by_kind = {key: s.days for key, s in enabled.items()}
    since = last_scanned_on(alliances=[alliance.pk])
    dues = [
        due
        for due in _obligation_dues(alliance, today, days_by_kind)
        if due.kind in enabled
        and reminder_is_due(
            kind=KINDS[due.kind],
            due_date=due.due_date,
            days=days_by_kind[due.kind],
            today=today,
            since=since,
        )
    ]
    if not dues:
        _scan_record(alliance=alliance, today=today)
        return 0
    types = ContentType.objects.get_for_models(*{type(due.subject) for due in dues})
    # Skip what is already queued without rendering it again; the outbox's unique dedupe key
    # stays the guarantee when two scans race. The reminders due today span a few weeks of
    # due dates: read the log by that range (an index), not by a list of every subject.
    done = set(
        ReminderLog.objects.filter(
            alliance=alliance,
            kind__in={due.kind for due in dues},
            due_date__gte=min(due.due_date for due in dues),
            due_date__lte=max(due.due_date for due in dues),
        ).values_list("kind", "subject_type_id", "subject_id", "recipient_id", "due_date")
    )
    pending = []
    for due in dues:
        subject_type = types[type(due.subject)]
        for recipient in due.recipients:
            key = (due.kind, subject_type.pk, due.subject.pk, recipient.pk, due.due_date)
            if key in done:
                continue
            done.add(key)
            pending.append((due, subject_type, recipient))
    queued = 0
    for start in range(0, len(pending), BATCH):
        with transaction.atomic():
            queued += _reminders_queue_batch(
                alliance=alliance, batch=pending[start : start + BATCH]
            )
    _scan_record(alliance=alliance, today=today)
    return queued


def _scan_record(*, alliance: Alliance, today: datetime.date) -> None:
    """Every batch is written: the "after" reminders up to `today` are done (a scan that
    dies before this is done again by the next, and its keys keep it from sending twice).
    Never moved back (a scan of an earlier day, run by hand)."""
    scan, created = ReminderScan.objects.get_or_create(
        alliance=alliance, defaults={"scanned_on": today}
    )
    if not created and scan.scanned_on < today:
        ReminderScan.objects.filter(pk=scan.pk, scanned_on__lt=today).update(scanned_on=today)


# Reminders written per transaction: two inserts and a read each, whatever the number (a
# day's scan at national scale queues about a thousand).
BATCH = 500


def _reminders_queue_batch(*, alliance: Alliance, batch: list) -> int:
    """Render the batch's emails, write them to the outbox in one insert and a
    `ReminderLog` row for each in another. A reminder whose key a racing scan took first is
    left to that scan."""
    messages, logs = [], {}
    for due, subject_type, recipient in batch:
        kind = KINDS[due.kind]
        subject = (ACTION_REQUIRED if due.action_required else "") + due.summary
        email_subject, text, html = email_render(
            template=due.email_template,
            context={
                "subject": subject,
                "kind": kind,
                "due": due,
                "recipient": recipient,
                "alliance": alliance,
                **due.context,
            },
        )
        dedupe_key = reminder_key(
            kind=due.kind,
            subject_type_id=subject_type.pk,
            subject_id=due.subject.pk,
            recipient_id=recipient.pk,
            due_date=due.due_date,
        )
        messages.append(
            {
                "to": [recipient.email],
                "subject": email_subject,
                "body_text": text,
                "body_html": html,
                "template": due.email_template,
                "dedupe_key": dedupe_key,
                "alliance": alliance,
            }
        )
        logs[dedupe_key] = ReminderLog(
            alliance=alliance,
            kind=due.kind,
            subject_type=subject_type,
            subject_id=due.subject.pk,
            recipient=recipient,
            due_date=due.due_date,
            email_subject=subject[:300],
        )
    written = outbox_add_many(messages)
    for dedupe_key, email in written.items():
        logs[dedupe_key].email = email
    ReminderLog.objects.bulk_create([logs[key] for key in written], ignore_conflicts=True)
    return len(written)


# --- the offers' obligations (and the core's own: peerchallenge/obligations.py) --------


def _obligation_dues(alliance: Alliance, today: datetime.date, days_by_kind: dict) -> list[Due]:
    """The reminders of the offers' obligations (peerchallenge.offers.obligations): one per
    open, dated obligation and reminder kind the alliance has on."""
    dues = []
    for obligation in obligations(alliances=[alliance.pk], today=today, reminder_days=days_by_kind):
        if obligation.done or obligation.reminder_date is None:
            continue
        for kind, summary in obligation.reminders.items():
            if kind not in days_by_kind:
                continue
            dues.append(
                Due(
                    kind=kind,
                    subject=obligation.subject,
                    recipients=list(obligation.recipients),
                    due_date=obligation.reminder_date,
                    summary=summary,
                    path=obligation.url,
                    action_required=obligation.action_required,
                    email_template=obligation.email_template,
                    context={"todo": obligation.todo, **obligation.context},
                )
            )
    return dues
