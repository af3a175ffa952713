"""Published statistics about councils' children's services: DfE's indicators, their
figures for England, the regions and each council, and each council's statistical
neighbours. Shared reference data, as councils are: read by every alliance, owned by none
(an alliance's own framework, local indicators and answers come in later steps of
docs/plan-benchmarking.md).

A figure is never changed in place: a load that brings a different value for the same
indicator, period and area stamps the old row `superseded_at` and adds the new one, so the
history of revisions is kept and only one row of each is current."""

from django.db import models
from django.db.models import Q

from peerchallenge.models import LocalAuthority

ATTRIBUTION = "Contains public sector information licensed under the Open Government Licence v3.0."


class Polarity(models.TextChoices):
    HIGH = "High", "Higher is better"
    LOW = "Low", "Lower is better"
    NEUTRAL = "Neutral", "No better direction"


class Indicator(models.Model):
    code = models.SlugField(max_length=60, unique=True)
    title = models.CharField(max_length=300)
    unit = models.CharField(max_length=60)
    polarity = models.CharField(max_length=10, choices=Polarity.choices)
    decimals = models.PositiveSmallIntegerField(default=1)
    publication = models.CharField("DfE publication", max_length=200)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["title"]

    def __str__(self):
        return self.title


class Level(models.TextChoices):
    NATIONAL = "national", "England"
    REGIONAL = "regional", "Region"
    COUNCIL = "council", "Council"


class Figure(models.Model):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="figures")
    period = models.CharField(max_length=20)  # as DfE writes it: "2025", "2024-25"
    period_kind = models.CharField(max_length=40)  # "Reporting year", "Financial year"
    level = models.CharField(max_length=10, choices=Level.choices)
    # E92000001 for England, E12…/E13… for a region or a half of London, the DfE code for a
    # council (with `council` set).
    area_code = models.CharField(max_length=9)
    council = models.ForeignKey(
        LocalAuthority, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    value = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    # A suppression symbol (dfe_files.SYMBOLS) where there is no value; never a 0.
    symbol = models.CharField(max_length=4, blank=True)
    numerator = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    source = models.CharField(max_length=200)  # the file it was read from
    loaded_at = models.DateTimeField()
    superseded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "period", "period_kind", "area_code"],
                condition=Q(superseded_at__isnull=True),
                name="figure_one_current",
            ),
            models.CheckConstraint(
                condition=(Q(value__isnull=True) & ~Q(symbol=""))
                | (Q(value__isnull=False) & Q(symbol="")),
                name="figure_value_or_symbol",
            ),
            models.CheckConstraint(
                condition=Q(level="council", council__isnull=False)
                | (~Q(level="council") & Q(council__isnull=True)),
                name="figure_council_rows_name_it",
            ),
        ]
        indexes = [models.Index(fields=["indicator", "council", "period"])]

    def __str__(self):
        shown = self.value if self.value is not None else self.symbol
        return f"{self.indicator_id} {self.period} {self.area_code}: {shown}"


class Neighbour(models.Model):
    """One of a council's ten statistical neighbours in one model of DfE's (2021, 2025)."""

    model = models.CharField(max_length=10)
    council = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT, related_name="+")
    rank = models.PositiveSmallIntegerField()  # 1, the closest, to 10
    neighbour = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT, related_name="+")
    band = models.CharField(max_length=20)  # "Very close", ...
    loaded_at = models.DateTimeField()

    class Meta:
        ordering = ["model", "council", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["model", "council", "rank"], name="neighbour_rank"),
            models.CheckConstraint(condition=Q(rank__gte=1, rank__lte=10), name="neighbour_1_10"),
        ]

    def __str__(self):
        return f"{self.council_id} #{self.rank}: {self.neighbour_id} ({self.model})"
