"""Where agreed actions come from, declared by each offer so the improvement plan and the
Tier 2 board can group and filter actions by offer and theme without knowing the offers.

An offer app registers, in its AppConfig.ready(), each model its actions hang from (an
`Action.source`): the offer's name, and optionally the ORM path from that model to the name
of its theme (the thematic offer's events: "theme__name"). Filtering by theme then costs one
subquery per registered model, whatever the number of actions; naming the sources of a page
of actions costs one query per kind of source (`source_labels`)."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q

from .offers.registry import Registry


@dataclass(frozen=True)
class ActionSource:
    model: type
    offer: str
    theme_path: str = ""
    # Loaded with the sources so that str(source) reads no more rows: by default every
    # required foreign key of the model (an LGA challenge's offer and council, say).
    related: tuple[str, ...] = ()

    @property
    def content_type(self) -> ContentType:
        return ContentType.objects.get_for_model(self.model)


@dataclass(frozen=True)
class SourceLabel:
    """How a page names an action's source: "Triad peer challenge", "Cycle", "March 2026"."""

    offer: str
    kind: str
    name: str

    @property
    def heading(self) -> str:
        return f"{self.offer} — {self.kind}: {self.name}"


SOURCES: Registry[ActionSource] = Registry(
    "action sources", key=lambda source: source.model._meta.label_lower
)


def _required_foreign_keys(model) -> tuple[str, ...]:
    return tuple(
        field.name for field in model._meta.concrete_fields if field.many_to_one and not field.null
    )


def register(
    model, *, offer: str, theme_path: str = "", related: tuple[str, ...] | None = None
) -> ActionSource:
    """Declare `model` a source of agreed actions of the named offer."""
    source = ActionSource(
        model=model,
        offer=offer,
        theme_path=theme_path,
        related=_required_foreign_keys(model) if related is None else tuple(related),
    )
    SOURCES.register(source)
    return source


def action_sources() -> list[ActionSource]:
    return sorted(SOURCES, key=lambda source: source.offer)


def _source_of_type(content_type_id: int) -> ActionSource | None:
    for source in SOURCES:
        if source.content_type.pk == content_type_id:
            return source
    return None


def offer_choices() -> list[tuple[str, str]]:
    """(value, label) per offer for a filter: the value is the offer's content type id."""
    return [(str(source.content_type.pk), source.offer) for source in action_sources()]


def offer_of(content_type_id: int) -> str:
    source = _source_of_type(content_type_id)
    return source.offer if source else "Other"


def offer_q(value: str) -> Q:
    """Actions of the offer chosen in a filter (its content type id); nothing if unknown."""
    for source in SOURCES:
        if str(source.content_type.pk) == value:
            return Q(source_type_id=source.content_type.pk)
    return Q(pk__in=[])


def theme_choices(*, alliance_id: int) -> list[str]:
    """The names of the themes the alliance's action sources have, sorted."""
    names = set()
    for source in SOURCES:
        if source.theme_path:
            names.update(
                source.model.objects.filter(alliance_id=alliance_id)
                .exclude(**{f"{source.theme_path}__isnull": True})
                .order_by()  # the model's ordering would put its columns into the DISTINCT
                .values_list(source.theme_path, flat=True)
                .distinct()
            )
    return sorted(name for name in names if name)


def theme_q(name: str) -> Q:
    """Actions whose source has the named theme: one subquery per themed source model."""
    condition = Q(pk__in=[])
    for source in SOURCES:
        if source.theme_path:
            ids = source.model.objects.filter(**{source.theme_path: name}).values("pk")
            condition |= Q(source_type_id=source.content_type.pk, source_id__in=ids)
    return condition


def source_labels(pairs: Iterable[tuple[int, int]]) -> dict[tuple[int, int], SourceLabel]:
    """The label of each (content type id, object id) source: one query per kind of source,
    whatever the number of pairs. A source that no longer exists is left out."""
    ids_by_type: dict[int, set[int]] = defaultdict(set)
    for type_id, object_id in pairs:
        ids_by_type[type_id].add(object_id)
    labels = {}
    for type_id, ids in ids_by_type.items():
        source = _source_of_type(type_id)
        model = source.model if source else ContentType.objects.get_for_id(type_id).model_class()
        if model is None:  # the app that made these actions is gone
            continue
        objects = model.objects.filter(pk__in=ids)
        if source and source.related:
            objects = objects.select_related(*source.related)
        offer = source.offer if source else "Other"
        kind = str(model._meta.verbose_name).capitalize()
        for obj in objects:
            labels[(type_id, obj.pk)] = SourceLabel(offer=offer, kind=kind, name=str(obj))
    return labels
