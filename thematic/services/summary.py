"""Writes for the emerging themes summary of an event: saving its texts and issuing it as
a numbered PDF version."""

import hashlib
import json

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from peerchallenge import dates
from peerchallenge.concurrency import record_lock_unchanged
from peerchallenge.models import User
from peerchallenge.text_limits import LONG, refuse_long_text
from reports.services import report_request

from ..models import EmergingSummary, ThematicEvent
from ..selectors import event_submissions, summary_versions

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
    emails."""
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
