"""Opening an alliance's improvement cycle, its deadlines, and its self-evaluation
template."""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max

from peerchallenge.models import Alliance, User

from ..models import STEPS, Cycle, SectionText, TemplateSection
from ..selectors import has_submissions
from ..template_default import DEFAULT_SECTIONS


def deadlines_check(deadlines: dict[str, datetime.date]) -> None:
    """Each step's deadline on or after the one before: a ValidationError on the first that
    is not."""
    previous = None
    for field, label, _default in STEPS:
        day = deadlines[field]
        if previous is not None and day < deadlines[previous[0]]:
            raise ValidationError({field: f"“{label}” must be on or after “{previous[1]}”."})
        previous = (field, label)


@transaction.atomic
def cycle_open(
    *, alliance: Alliance, year: int, deadlines: dict[str, datetime.date], opened_by: User
) -> Cycle:
    """The alliance's cycle for `year`, with its deadlines and the template it starts with:
    a copy of the alliance's previous cycle's template, or the default one. Opening it twice
    (a double click, two planners at once) gives the one cycle."""
    if alliance.kind != Alliance.Kind.REGIONAL:
        raise ValidationError("Only a regional alliance runs the improvement cycle.")
    deadlines_check(deadlines)
    existing = Cycle.objects.filter(alliance=alliance, year=year).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            cycle = Cycle.objects.create(
                alliance=alliance, year=year, opened_by=opened_by, **deadlines
            )
    except IntegrityError:  # opened at the same moment by someone else
        return Cycle.objects.get(alliance=alliance, year=year)
    earlier = Cycle.objects.filter(alliance=alliance, year__lt=year).order_by("-year").first()
    if earlier is not None and earlier.sections.exists():
        sections = [
            (section.title, section.guidance, section.kind)
            for section in earlier.sections.order_by("position", "pk")
        ]
    else:
        sections = list(DEFAULT_SECTIONS)
    TemplateSection.objects.bulk_create(
        TemplateSection(
            alliance=alliance,
            cycle=cycle,
            position=position,
            title=title,
            guidance=guidance,
            kind=kind,
        )
        for position, (title, guidance, kind) in enumerate(sections, start=1)
    )
    return cycle


@transaction.atomic
def cycle_deadlines_change(*, cycle: Cycle, deadlines: dict[str, datetime.date]) -> Cycle:
    deadlines_check(deadlines)
    cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
    for field, day in deadlines.items():
        setattr(cycle, field, day)
    cycle.save(update_fields=list(deadlines))
    return cycle


def _refuse_if_fixed(cycle: Cycle) -> None:
    if has_submissions(cycle):
        raise ValidationError(
            "A council has submitted its self-evaluation: the template can no longer change."
        )


def _title_free(cycle: Cycle, title: str, *, other_than=None) -> None:
    taken = TemplateSection.objects.filter(cycle=cycle, title__iexact=title)
    if other_than is not None:
        taken = taken.exclude(pk=other_than.pk)
    if taken.exists():
        raise ValidationError({"title": f"The template already has a section “{title}”."})


@transaction.atomic
def section_add(*, cycle: Cycle, title: str, guidance: str, kind: str) -> TemplateSection:
    """A new section at the end of the template."""
    Cycle.objects.select_for_update().get(pk=cycle.pk)  # one change of the template at a time
    _refuse_if_fixed(cycle)
    title = title.strip()
    _title_free(cycle, title)
    last = TemplateSection.objects.filter(cycle=cycle).aggregate(last=Max("position"))["last"]
    return TemplateSection.objects.create(
        alliance_id=cycle.alliance_id,
        cycle=cycle,
        position=(last or 0) + 1,
        title=title,
        guidance=guidance.strip(),
        kind=kind,
    )


@transaction.atomic
def section_change(
    *, section: TemplateSection, title: str, guidance: str, kind: str, position: int
) -> TemplateSection:
    """Its heading, questions and kind, and its place (1 is first): the others close up
    around it. Saving the same again changes nothing."""
    cycle = Cycle.objects.select_for_update().get(pk=section.cycle_id)
    _refuse_if_fixed(cycle)
    title = title.strip()
    _title_free(cycle, title, other_than=section)
    ordered = [
        each
        for each in TemplateSection.objects.filter(cycle=cycle).order_by("position", "pk")
        if each.pk != section.pk
    ]
    position = max(1, min(position, len(ordered) + 1))
    ordered.insert(position - 1, section)
    for number, each in enumerate(ordered, start=1):
        if each.pk != section.pk and each.position != number:
            each.position = number
            each.save(update_fields=["position"])
    section.title, section.guidance, section.kind = title, guidance.strip(), kind
    section.position = position
    section.save(update_fields=["title", "guidance", "kind", "position"])
    return section


@transaction.atomic
def section_remove(*, section: TemplateSection) -> None:
    """Take a section out of the template, while no council has written in it."""
    cycle = Cycle.objects.select_for_update().get(pk=section.cycle_id)
    _refuse_if_fixed(cycle)
    written = SectionText.objects.filter(section=section).exclude(text="").count()
    if written:
        raise ValidationError(
            f"{written} council{'s have' if written != 1 else ' has'} written in “{section.title}”"
            ": it stays in the template."
        )
    section.delete()
    for number, each in enumerate(
        TemplateSection.objects.filter(cycle=cycle).order_by("position", "pk"), start=1
    ):
        if each.position != number:
            each.position = number
            each.save(update_fields=["position"])
