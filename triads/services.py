"""Writes for the triad offer."""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from guardian.shortcuts import assign_perm, remove_perm

from peerchallenge import dates
from peerchallenge.concurrency import record_lock_unchanged, values_check_unchanged
from peerchallenge.models import Action, Alliance, LocalAuthority, User
from peerchallenge.selectors import councils_of_alliance
from peerchallenge.text_limits import LONG, refuse_long_text
from reports.services import report_request

from .grouping import GroupingError, group_sizes
from .models import (
    Cycle,
    CycleSummary,
    EventTemplate,
    SupportOffer,
    Triad,
    TriadMember,
    TriadSummary,
)
from .selectors import consultants_of_alliance, summary_texts, summary_versions

CONSULTANT_PERMS = ("triads.view_triad", "triads.change_triad")


def _dates_errors(cycle: Cycle) -> dict[str, str]:
    """No date of the cycle more than three years ahead (a mistyped year)."""
    names = {"event_date": "The date of the event"} | {
        name: f"The date “{cycle._meta.get_field(name).verbose_name}”"
        for name in ("kloes_due", "templates_due", "report_due")
    }
    return dates.collect(
        **{
            name: dates.too_far_ahead(getattr(cycle, name), what=what)
            for name, what in names.items()
        }
    )


def _save_cycle(*, cycle: Cycle, councils: list[LocalAuthority]) -> Cycle:
    if errors := _dates_errors(cycle):
        raise ValidationError(errors)
    allowed = set(councils_of_alliance(alliance=cycle.alliance).values_list("pk", flat=True))
    if not councils:
        raise ValidationError({"councils": "Choose the councils taking part."})
    if any(council.pk not in allowed for council in councils):
        raise ValidationError({"councils": "Choose only councils of this alliance."})
    try:
        group_sizes(len(councils))
    except GroupingError as error:
        raise ValidationError({"councils": str(error)}) from error
    cycle.full_clean(exclude=["councils", "created_by"])
    cycle.save()
    cycle.councils.set(councils)
    # Councils that left the cycle leave their triads too.
    TriadMember.objects.filter(cycle=cycle).exclude(council__in=councils).delete()
    return cycle


@transaction.atomic
def cycle_create(
    *,
    alliance: Alliance,
    created_by: User,
    councils: list[LocalAuthority],
    **fields,
) -> Cycle:
    """Create a cycle with its participating councils. Deadlines not given follow from the
    event date (Cycle.default_deadlines)."""
    defaults = Cycle.default_deadlines(fields["event_date"])
    for name, value in defaults.items():
        if not fields.get(name):
            fields[name] = value
    cycle = Cycle(alliance=alliance, created_by=created_by, **fields)
    return _save_cycle(cycle=cycle, councils=councils)


@transaction.atomic
def cycle_update(*, cycle: Cycle, councils: list[LocalAuthority], **fields) -> Cycle:
    """Change a cycle's details, deadlines or councils. The event date is fixed once a
    summary report has been issued: the report is about the event held on that day."""
    new_date = fields.get("event_date", cycle.event_date)
    if new_date != cycle.event_date and summary_versions(cycle=cycle).exists():
        raise ValidationError(
            {
                "event_date": "The summary report of this cycle has been issued: the date of "
                "the event can no longer change (it was held on "
                f"{dates.day_text(cycle.event_date)}).",
            }
        )
    for name, value in fields.items():
        setattr(cycle, name, value)
    return _save_cycle(cycle=cycle, councils=councils)


def _check_grouping(cycle: Cycle, groups: list[list[int]]) -> None:
    expected = set(cycle.councils.values_list("pk", flat=True))
    placed = [council for group in groups for council in group]
    if sorted(placed) != sorted(expected):
        raise ValidationError("Put every participating council in exactly one triad.")
    bad = [index + 1 for index, group in enumerate(groups) if not 3 <= len(group) <= 4]
    if bad:
        names = ", ".join(f"Triad {n}" for n in bad)
        raise ValidationError(
            f"{names}: a triad needs 3 councils (or 4 where the number of councils is not a "
            "multiple of 3). Move councils so that no triad has 2, or 5 or more."
        )


@transaction.atomic
def triads_save(*, cycle: Cycle, groups: list[list[int]]) -> list[Triad]:
    """Replace the cycle's triads with `groups` (council ids), numbered in order. A triad
    number keeps its consultant."""
    groups = [group for group in groups if group]
    _check_grouping(cycle, groups)
    TriadMember.objects.filter(cycle=cycle).delete()
    triads = []
    for number, group in enumerate(groups, start=1):
        triad, _ = Triad.objects.get_or_create(
            cycle=cycle, number=number, defaults={"alliance": cycle.alliance}
        )
        triads.append(triad)
        TriadMember.objects.bulk_create(
            TriadMember(alliance=cycle.alliance, cycle=cycle, triad=triad, council_id=council)
            for council in group
        )
    for triad in Triad.objects.filter(cycle=cycle, number__gt=len(groups)):
        if triad.consultant_id:
            _revoke(triad, triad.consultant)
        triad.delete()
    return triads


def _revoke(triad: Triad, user: User) -> None:
    for perm in CONSULTANT_PERMS:
        remove_perm(perm, user, triad)


@transaction.atomic
def triad_assign_consultant(*, triad: Triad, consultant: User | None) -> Triad:
    """Make `consultant` (a consultant of the alliance, or nobody) the triad's consultant,
    moving the per-triad guardian grants from the previous one."""
    if (
        consultant is not None
        and not consultants_of_alliance(alliance=triad.alliance).filter(pk=consultant.pk).exists()
    ):
        raise ValidationError({"consultant": "Choose a consultant of this alliance."})
    if triad.consultant_id and triad.consultant != consultant:
        _revoke(triad, triad.consultant)
    triad.consultant = consultant
    triad.save(update_fields=["consultant"])
    if consultant is not None:
        for perm in CONSULTANT_PERMS:
            assign_perm(perm, consultant, triad)
    return triad


def event_template_for(*, cycle: Cycle, council) -> EventTemplate:
    """The council's template for the cycle (created empty on first use)."""

    template, _ = EventTemplate.objects.get_or_create(
        cycle=cycle, local_authority=council, defaults={"alliance": cycle.alliance}
    )
    return template


NEXT_STEPS_FIELDS = ("next_steps",)


@transaction.atomic
def event_template_save(
    *, template, next_steps: str, complete: bool, user: User, base_version: str | None = None
):
    """Save the next steps; marking the template complete needs at least one action.
    Raises EditConflict if someone saved the next steps since `base_version`
    (peerchallenge.concurrency)."""
    record_lock_unchanged(record=template, fields=NEXT_STEPS_FIELDS, base_version=base_version)
    template.next_steps = (next_steps or "").strip()
    if complete:
        has_actions = Action.objects.filter(
            source_type=ContentType.objects.get_for_model(Cycle),
            source_id=template.cycle_id,
            local_authority=template.local_authority,
        ).exists()
        if not has_actions:
            raise ValidationError(
                {"next_steps": "Add at least one agreed action before marking it complete."}
            )
        if template.completed_at is None:
            template.completed_at = timezone.now()
            template.completed_by = user
    template.save()
    return template


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
