"""An alliance's framework for the year: which indicators, in which order, under which
theme; and the alliance's own (local) indicators."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max

from peerchallenge.models import Alliance, User

from ..models import Framework, FrameworkEntry, Indicator, LocalIndicator
from ..selectors import DEFAULT_THEMES, OTHER_THEME, default_theme


@transaction.atomic
def framework_start(*, alliance: Alliance, year: int, created_by: User) -> Framework:
    """The year's framework: a copy of the alliance's latest earlier one or, for its first,
    every DfE indicator under its publication's theme. Starting it twice gives the one."""
    existing = Framework.objects.filter(alliance=alliance, year=year).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            framework = Framework.objects.create(
                alliance=alliance, year=year, created_by=created_by
            )
    except IntegrityError:  # started at the same moment by someone else
        return Framework.objects.get(alliance=alliance, year=year)
    earlier = Framework.objects.filter(alliance=alliance, year__lt=year).order_by("-year").first()
    if earlier is not None:
        entries = [
            FrameworkEntry(
                alliance=alliance,
                framework=framework,
                theme=entry.theme,
                position=entry.position,
                indicator_id=entry.indicator_id,
                local_indicator_id=entry.local_indicator_id,
            )
            for entry in earlier.entries.all()
        ]
    else:
        themes = [theme for _publication, theme in DEFAULT_THEMES] + [OTHER_THEME]
        indicators = sorted(
            Indicator.objects.order_by("pk"),
            key=lambda indicator: themes.index(default_theme(indicator)),
        )
        entries = [
            FrameworkEntry(
                alliance=alliance,
                framework=framework,
                theme=default_theme(indicator),
                position=position,
                indicator=indicator,
            )
            for position, indicator in enumerate(indicators, start=1)
        ]
    FrameworkEntry.objects.bulk_create(entries)
    return framework


def _clean_theme(theme: str) -> str:
    theme = (theme or "").strip()
    if not theme:
        raise ValidationError({"theme": "Enter the theme the indicator belongs to."})
    return theme


@transaction.atomic
def entry_add(
    *,
    framework: Framework,
    theme: str,
    indicator: Indicator | None = None,
    local_indicator: LocalIndicator | None = None,
) -> FrameworkEntry:
    """Add an indicator at the end of the framework."""
    theme = _clean_theme(theme)
    Framework.objects.select_for_update().filter(pk=framework.pk).first()
    entries = framework.entries.all()
    if (indicator is not None and entries.filter(indicator=indicator).exists()) or (
        local_indicator is not None and entries.filter(local_indicator=local_indicator).exists()
    ):
        raise ValidationError({"indicator": "That indicator is in the framework already."})
    last = entries.aggregate(last=Max("position"))["last"] or 0
    return FrameworkEntry.objects.create(
        alliance_id=framework.alliance_id,
        framework=framework,
        theme=theme,
        position=last + 1,
        indicator=indicator,
        local_indicator=local_indicator,
    )


@transaction.atomic
def entry_change(*, entry: FrameworkEntry, theme: str, position: int) -> FrameworkEntry:
    """Rename the entry's theme and move it to `position` (1 is first): the others close up
    around it. Saying the position, not "up" or "down", makes a repeated save harmless."""
    theme = _clean_theme(theme)
    Framework.objects.select_for_update().filter(pk=entry.framework_id).first()
    entries = [e for e in entry.framework.entries.order_by("position", "pk") if e.pk != entry.pk]
    position = max(1, min(position, len(entries) + 1))
    entries.insert(position - 1, entry)
    entry.theme = theme
    for number, each in enumerate(entries, start=1):
        each.position = number
    FrameworkEntry.objects.bulk_update(entries, ["position"])
    entry.save(update_fields=["theme", "position"])
    return entry


@transaction.atomic
def entry_remove(*, entry: FrameworkEntry) -> None:
    """Take the indicator out of this year's framework (its figures stay)."""
    framework_id = entry.framework_id
    FrameworkEntry.objects.filter(pk=entry.pk).delete()
    rest = list(FrameworkEntry.objects.filter(framework_id=framework_id).order_by("position", "pk"))
    for number, each in enumerate(rest, start=1):
        each.position = number
    FrameworkEntry.objects.bulk_update(rest, ["position"])


@transaction.atomic
def local_indicator_add(
    *,
    framework: Framework,
    title: str,
    unit: str,
    polarity: str,
    decimals: int,
    description: str,
    theme: str,
) -> LocalIndicator:
    """One of the alliance's own indicators, added to the framework under `theme`."""
    title = (title or "").strip()
    if LocalIndicator.objects.filter(
        alliance_id=framework.alliance_id, title__iexact=title
    ).exists():
        raise ValidationError({"title": "The alliance has an indicator with that title already."})
    indicator = LocalIndicator.objects.create(
        alliance_id=framework.alliance_id,
        title=title,
        unit=unit.strip(),
        polarity=polarity,
        decimals=decimals,
        description=(description or "").strip(),
    )
    entry_add(framework=framework, theme=theme, local_indicator=indicator)
    return indicator
