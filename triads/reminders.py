"""The triad offer's reminders: key lines of enquiry before the cycle's deadline, and the
event-day template after the event. Registered from TriadsConfig.ready()."""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.urls import reverse

from peerchallenge.models import KeyLineOfEnquiry
from peerchallenge.reminders import Due, council_people, register_kind, register_source

from .models import Cycle, EventTemplate, TriadMember


def _when(day: datetime.date) -> str:
    return f"{day.day} {day:%B %Y}"


def triad_dues(alliance, today: datetime.date, days_by_kind: dict) -> list[Due]:
    """Councils in a triad that have not shared a KLOE, or not completed their template,
    for cycles whose deadline is within the reminder window. Five queries at most."""
    windows = Q(pk__in=[])
    if "kloes_due" in days_by_kind:
        last = today + datetime.timedelta(days=days_by_kind["kloes_due"])
        windows |= Q(kloes_due__gte=today, kloes_due__lte=last)
    if "template_due" in days_by_kind:
        last = today + datetime.timedelta(days=days_by_kind["template_due"])
        windows |= Q(templates_due__gte=today, templates_due__lte=last)
    cycles = {cycle.pk: cycle for cycle in Cycle.objects.filter(alliance=alliance).filter(windows)}
    if not cycles:
        return []
    members = list(
        TriadMember.objects.filter(alliance=alliance, cycle_id__in=cycles).select_related(
            "council", "triad"
        )
    )
    shared = set(
        KeyLineOfEnquiry.objects.filter(
            alliance=alliance,
            challenge_type=ContentType.objects.get_for_model(Cycle),
            challenge_id__in=cycles,
            shared_at__isnull=False,
        ).values_list("challenge_id", "local_authority_id")
    )
    completed = set(
        EventTemplate.objects.filter(
            alliance=alliance, cycle_id__in=cycles, completed_at__isnull=False
        ).values_list("cycle_id", "local_authority_id")
    )
    people = council_people(alliance=alliance, council_ids={m.council_id for m in members})
    dues = []
    for member in members:
        cycle = cycles[member.cycle_id]
        recipients = people.get(member.council_id, [])
        key = (member.cycle_id, member.council_id)
        if "kloes_due" in days_by_kind and key not in shared:
            dues.append(
                Due(
                    kind="kloes_due",
                    subject=member,
                    recipients=recipients,
                    due_date=cycle.kloes_due,
                    summary=f"Share {member.council}'s key lines of enquiry for {cycle} by "
                    f"{_when(cycle.kloes_due)}",
                    path=reverse(
                        "triads:triad_detail",
                        kwargs={
                            "alliance": alliance.slug,
                            "cycle": cycle.pk,
                            "triad": member.triad_id,
                        },
                    ),
                    context={
                        "todo": "Write your council's key lines of enquiry and share them with "
                        "your triad."
                    },
                )
            )
        if "template_due" in days_by_kind and key not in completed:
            dues.append(
                Due(
                    kind="template_due",
                    subject=member,
                    recipients=recipients,
                    due_date=cycle.templates_due,
                    summary=f"Complete {member.council}'s event-day template for {cycle} by "
                    f"{_when(cycle.templates_due)}",
                    path=reverse(
                        "triads:event_template",
                        kwargs={
                            "alliance": alliance.slug,
                            "cycle": cycle.pk,
                            "gss": member.council.gss_code,
                        },
                    ),
                    context={
                        "todo": "Record the next steps and agreed actions from the event day, "
                        "then mark the template complete."
                    },
                )
            )
    return dues


def register() -> None:
    register_kind(
        "kloes_due",
        label="Key lines of enquiry due",
        default_days=7,
        description="Reminds the organisers and DCS of each council in a triad that has not "
        "shared a key line of enquiry before the cycle's deadline.",
    )
    register_kind(
        "template_due",
        label="Event-day template due",
        default_days=2,
        description="Reminds the organisers and DCS of each council whose event-day template "
        "is not complete before the deadline after the event.",
    )
    register_source(triad_dues)
