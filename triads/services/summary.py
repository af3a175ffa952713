"""Writes of the summary stage: the summary report, support offers and the issue."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from peerchallenge import dates
from peerchallenge.concurrency import values_check_unchanged
from peerchallenge.models import User
from peerchallenge.text_limits import LONG, refuse_long_text
from reports.services import report_request

from ..models import (
    Cycle,
    CycleSummary,
    SupportOffer,
    Triad,
    TriadSummary,
)
from ..selectors import summary_texts


@transaction.atomic
def summary_save(
    *,
    cycle: Cycle,
    overview: str,
    recommendations: str,
    triad_texts: dict[int, str],
    base_version: str | None = None,
):
    """Save the summary report's text: overview, recommendations, a section per triad.
    Raises EditConflict if someone saved it since `base_version` (the version of
    `summary_texts` the form was filled from): the cycle's row is locked while comparing,
    so of two people saving at once the second sees the first's text."""
    refuse_long_text(
        overview=("Overview", overview, LONG),
        recommendations=("Recommendations", recommendations, LONG),
        **{f"triad_{pk}": ("The triad's section", text, LONG) for pk, text in triad_texts.items()},
    )

    Cycle.objects.select_for_update().get(pk=cycle.pk)  # one save of the summary at a time
    triads = list(Triad.objects.filter(cycle=cycle, pk__in=list(triad_texts)).order_by("number"))
    values_check_unchanged(
        current=summary_texts(cycle=cycle, triads=triads),
        labels={
            "overview": "Overview",
            "recommendations": "Recommendations for addressing identified challenges",
            **{f"triad_{triad.pk}": str(triad) for triad in triads},
        },
        base_version=base_version,
    )
    summary, _ = CycleSummary.objects.get_or_create(
        cycle=cycle, defaults={"alliance": cycle.alliance}
    )
    summary.overview = (overview or "").strip()
    summary.recommendations = (recommendations or "").strip()
    summary.updated_at = timezone.now()
    summary.save()
    for triad in triads:
        TriadSummary.objects.update_or_create(
            triad=triad,
            defaults={"alliance": cycle.alliance, "text": triad_texts[triad.pk].strip()},
        )
    return summary


def support_offer_add(*, cycle: Cycle, from_council, to_council, topic: str):
    """Record that one participating council offers support to another on a topic."""
    errors = {}
    taking_part = set(cycle.councils.values_list("pk", flat=True))
    if from_council is None or from_council.pk not in taking_part:
        errors["from_council"] = "Choose a council taking part in this cycle."
    if to_council is None or to_council.pk not in taking_part:
        errors["to_council"] = "Choose a council taking part in this cycle."
    elif from_council is not None and from_council.pk == to_council.pk:
        errors["to_council"] = "Choose a different council from the one offering support."
    if not (topic or "").strip():
        errors["topic"] = "Enter what the support is about."
    if errors:
        raise ValidationError(errors)
    return SupportOffer.objects.create(
        alliance=cycle.alliance,
        cycle=cycle,
        from_council=from_council,
        to_council=to_council,
        topic=topic.strip(),
    )


def summary_issue(*, cycle: Cycle, issued_by: User):
    """Issue the summary report: the next numbered version is rendered to PDF by a Celery
    task, and the participating councils' DCSs are told when it is ready. Refused before
    the event day: the report is about what happened there."""
    if refusal := dates.not_yet(
        cycle.event_date, doing="issue the summary report", limit_what="the event"
    ):
        raise ValidationError(refusal)
    if not getattr(cycle, "summary", None) or not cycle.summary.overview:
        raise ValidationError("Write the overview before issuing the report.")
    return report_request(identifier="triads.summary", subject=cycle, requested_by=issued_by)
