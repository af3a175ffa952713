"""Factories for the benchmarking app's reference data."""

from decimal import Decimal

import factory
from django.utils import timezone

from benchmarking.models import Figure, Indicator, Level, Neighbour, Polarity
from tests.factories import LocalAuthorityFactory


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"indicator_{n}")
    title = factory.Sequence(lambda n: f"Indicator {n}")
    unit = "percent"
    polarity = Polarity.LOW
    publication = "Children in need"


class FigureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Figure

    indicator = factory.SubFactory(IndicatorFactory)
    period = "2025"
    period_kind = "Reporting year"
    level = Level.COUNCIL
    council = factory.SubFactory(LocalAuthorityFactory)
    area_code = factory.Sequence(lambda n: f"{n % 1000:03}")
    value = Decimal("21.5")
    source = "test.csv"
    loaded_at = factory.LazyFunction(timezone.now)


class NeighbourFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Neighbour

    model = "2025"
    council = factory.SubFactory(LocalAuthorityFactory)
    rank = 1
    neighbour = factory.SubFactory(LocalAuthorityFactory)
    band = "Very close"
    loaded_at = factory.LazyFunction(timezone.now)
