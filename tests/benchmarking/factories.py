"""Factories for the benchmarking app's reference data."""

from decimal import Decimal

import factory
from django.utils import timezone

from benchmarking.models import (
    DataImport,
    Figure,
    FlagAnswer,
    Framework,
    FrameworkEntry,
    Indicator,
    Level,
    LocalFigure,
    LocalIndicator,
    LocalReturn,
    Neighbour,
    Polarity,
    ReturnQuarter,
)
from tests.factories import AllianceFactory, LocalAuthorityFactory, UserFactory


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


# An alliance's own --------------------------------------------------------------------------


class DataImportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DataImport

    alliance = factory.SubFactory(AllianceFactory)
    file = factory.django.FileField(filename="upload", data=b"time_period\n2025\n")
    file_name = "cla_rate_per_10k.csv"
    size = 17
    kind = DataImport.Kind.FIGURES
    uploaded_by = factory.SubFactory(UserFactory)


class LocalIndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LocalIndicator

    alliance = factory.SubFactory(AllianceFactory)
    title = factory.Sequence(lambda n: f"Local indicator {n}")
    unit = "children"
    polarity = Polarity.LOW


class FrameworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Framework

    alliance = factory.SubFactory(AllianceFactory)
    year = 2026


class FrameworkEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FrameworkEntry

    framework = factory.SubFactory(FrameworkFactory)
    alliance = factory.SelfAttribute("framework.alliance")
    theme = "Help and protection"
    position = 1
    indicator = factory.SubFactory(IndicatorFactory)


class FlagAnswerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FlagAnswer

    alliance = factory.SubFactory(AllianceFactory)
    council = factory.SubFactory(LocalAuthorityFactory)
    indicator = factory.SubFactory(IndicatorFactory)
    period = "2025"
    answer = FlagAnswer.Answer.EXPLAINED
    text = "A change of practice agreed with partners."
    answered_by = factory.SubFactory(UserFactory)


class ReturnQuarterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReturnQuarter

    alliance = factory.SubFactory(AllianceFactory)
    year = 2026
    quarter = factory.Sequence(lambda n: n % 4 + 1)
    deadline = factory.LazyFunction(lambda: timezone.localdate() + timezone.timedelta(days=14))


class LocalReturnFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LocalReturn

    quarter = factory.SubFactory(ReturnQuarterFactory)
    alliance = factory.SelfAttribute("quarter.alliance")
    council = factory.SubFactory(LocalAuthorityFactory)


class LocalFigureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LocalFigure

    local_return = factory.SubFactory(LocalReturnFactory)
    alliance = factory.SelfAttribute("local_return.alliance")
    indicator = factory.SubFactory(
        LocalIndicatorFactory, alliance=factory.SelfAttribute("..alliance")
    )
    value = Decimal("12")
