"""Writes of the cycle stage: the cycle, its triads and their consultants."""

from django.core.exceptions import ValidationError
from django.db import transaction
from guardian.shortcuts import assign_perm, remove_perm

from peerchallenge import dates
from peerchallenge.grouping import GroupingError, group_sizes
from peerchallenge.models import Alliance, LocalAuthority, User
from peerchallenge.selectors import councils_of_alliance

from ..models import (
    Cycle,
    Triad,
    TriadMember,
)
from ..selectors import consultants_of_alliance, summary_versions

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
