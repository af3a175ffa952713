"""Published statistics about councils' children's services: DfE's indicators, their
figures for England, the regions and each council, and each council's statistical
neighbours. Shared reference data, as councils are: read by every alliance, owned by none
(an alliance's own framework, local indicators and answers come in later steps of
docs/plan-benchmarking.md).

A figure is never changed in place: a load that brings a different value for the same
indicator, period and area stamps the old row `superseded_at` and adds the new one, so the
history of revisions is kept and only one row of each is current.

Published figures and neighbour groups are shared reference data (`alliance` empty), loaded
by the service (`manage.py load_dfe`, `seed_demo`): read-only to alliances. An alliance's
data lead may load DfE's files too (next year's, before the service has): those rows carry
the alliance and are read by that alliance only, ahead of the shared ones
(`selectors.data_pack`). The alliance's own framework, local indicators, imports and answers
to flags are `AllianceOwned`."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from peerchallenge.models import AllianceOwned, KeyLineOfEnquiry, LocalAuthority

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

    @property
    def is_local(self) -> bool:
        return False


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
    # Empty: the shared published figure. Set: loaded by that alliance, read by it alone.
    alliance = models.ForeignKey(
        "peerchallenge.Alliance", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    data_import = models.ForeignKey(
        "DataImport", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "period", "period_kind", "area_code", "alliance"],
                condition=Q(superseded_at__isnull=True),
                nulls_distinct=False,
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
    # Empty: DfE's groups as the service loaded them; set: an alliance's own load of them.
    alliance = models.ForeignKey(
        "peerchallenge.Alliance", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["model", "council", "rank"]
        constraints = [
            models.UniqueConstraint(
                fields=["model", "council", "rank", "alliance"],
                nulls_distinct=False,
                name="neighbour_rank",
            ),
            models.CheckConstraint(condition=Q(rank__gte=1, rank__lte=10), name="neighbour_1_10"),
        ]

    def __str__(self):
        return f"{self.council_id} #{self.rank}: {self.neighbour_id} ({self.model})"


# An alliance's own --------------------------------------------------------------------------


def _import_path(data_import: "DataImport", filename: str) -> str:
    # A random name outside every served folder; the person's file name is kept in the row.
    return f"benchmarking/{data_import.alliance_id}/{uuid.uuid4().hex}"


class DataImport(AllianceOwned):
    """One file a data lead gave us: checked first (a `dfe_files.ValidationReport`, kept as
    `report`), loaded only when they confirm. The row is the durable record of the work, like
    a report version: a task checks it and a task loads it, each claiming the row by its
    state so that running either twice does the work once."""

    class State(models.TextChoices):
        CHECKING = "checking", "Being checked"
        CHECKED = "checked", "Checked: waiting for you to confirm"
        REFUSED = "refused", "Refused"
        LOADING = "loading", "Being loaded"
        LOADED = "loaded", "Loaded"
        CANCELLED = "cancelled", "Not loaded"

    class Kind(models.TextChoices):
        FIGURES = "figures", "Published figures"
        NEIGHBOURS = "neighbours", "Statistical neighbours"

    file = models.FileField(upload_to=_import_path, max_length=200)
    file_name = models.CharField(max_length=200)  # as the person's computer called it
    size = models.PositiveIntegerField()
    # A tidy file's `.meta.csv`, when the person gave it: checked against the columns read.
    meta_file = models.FileField(upload_to=_import_path, max_length=200, blank=True)
    meta_file_name = models.CharField(max_length=200, blank=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, blank=True)
    state = models.CharField(max_length=20, choices=State.choices, default=State.CHECKING)
    report = models.JSONField(default=dict, blank=True)  # what the check found
    refusal = models.TextField(blank=True)  # why the whole file was refused
    result = models.JSONField(default=dict, blank=True)  # added / revised / unchanged
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    queued_at = models.DateTimeField(null=True, blank=True)  # last handed to the broker
    started_at = models.DateTimeField(null=True, blank=True)  # a worker's lease
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-uploaded_at", "-pk"]
        verbose_name = "data import"

    def __str__(self):
        return f"{self.file_name} ({self.get_state_display()})"

    @property
    def in_progress(self) -> bool:
        return self.state in {self.State.CHECKING, self.State.LOADING}


class LocalIndicator(AllianceOwned):
    """An indicator of the alliance's own (its quarterly local return), beside DfE's."""

    title = models.CharField(max_length=200)
    unit = models.CharField(max_length=60)
    polarity = models.CharField(max_length=10, choices=Polarity.choices)
    decimals = models.PositiveSmallIntegerField(default=1)
    description = models.TextField("how it is counted", blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(fields=["alliance", "title"], name="local_indicator_title")
        ]

    def __str__(self):
        return self.title

    @property
    def code(self) -> str:
        """Its code beside DfE's indicators' (a grid's column, sorted by it)."""
        return f"local_{self.pk}"

    @property
    def is_local(self) -> bool:
        return True


class Framework(AllianceOwned):
    """The alliance's choice of indicators for one year, in order, grouped by theme."""

    year = models.PositiveSmallIntegerField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-year"]
        constraints = [models.UniqueConstraint(fields=["alliance", "year"], name="framework_year")]

    def __str__(self):
        return f"Framework {self.year}"


class FrameworkEntry(AllianceOwned):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="entries")
    theme = models.CharField(max_length=100)
    position = models.PositiveIntegerField()
    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    local_indicator = models.ForeignKey(
        LocalIndicator, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["framework", "position", "pk"]
        verbose_name_plural = "framework entries"
        constraints = [
            models.CheckConstraint(
                condition=Q(indicator__isnull=False, local_indicator__isnull=True)
                | Q(indicator__isnull=True, local_indicator__isnull=False),
                name="framework_entry_one_indicator",
            ),
            models.UniqueConstraint(
                fields=["framework", "indicator"], name="framework_entry_indicator_once"
            ),
            models.UniqueConstraint(
                fields=["framework", "local_indicator"], name="framework_entry_local_once"
            ),
        ]

    def __str__(self):
        return f"{self.theme}: {self.indicator or self.local_indicator}"

    @property
    def title(self) -> str:
        return str(self.indicator or self.local_indicator)


class FlagAnswer(AllianceOwned):
    """A council's (or its programme manager's) answer to the flags on one indicator's
    figure for one period: explained, set aside, or taken up as a line of enquiry."""

    class Answer(models.TextChoices):
        EXPLAINED = "explained", "Explained"
        SET_ASIDE = "set_aside", "Set aside"
        ENQUIRY = "enquiry", "Line of enquiry"

    council = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT, related_name="+")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    period = models.CharField(max_length=20)
    answer = models.CharField(max_length=20, choices=Answer.choices)
    text = models.TextField()  # the commentary, the reason, or why it matters
    kloe = models.ForeignKey(
        KeyLineOfEnquiry, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    answered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["council__name", "indicator__title"]
        constraints = [
            models.UniqueConstraint(
                fields=["alliance", "council", "indicator", "period"], name="flag_answer_once"
            )
        ]

    def __str__(self):
        return f"{self.council} {self.indicator_id} {self.period}: {self.get_answer_display()}"


# The quarterly local return ------------------------------------------------------------------


class ReturnQuarter(AllianceOwned):
    """One quarter of the alliance's local return: opened with a deadline, filled in by each
    council, published by the data lead. Until it is published its figures are provisional:
    seen inside the alliance only, and every view of another council's figures is logged."""

    year = models.PositiveSmallIntegerField()  # the financial year's first: 2026 for 2026-27
    quarter = models.PositiveSmallIntegerField()  # 1 (April-June) to 4 (January-March)
    deadline = models.DateField()
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    opened_at = models.DateTimeField(default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-year", "-quarter"]
        constraints = [
            models.UniqueConstraint(fields=["alliance", "year", "quarter"], name="quarter_once"),
            models.CheckConstraint(condition=Q(quarter__gte=1, quarter__lte=4), name="quarter_1_4"),
        ]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        """As DfE writes a financial year quarter: "2026-27 Q3"."""
        return f"{self.year}-{(self.year + 1) % 100:02} Q{self.quarter}"

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class LocalReturn(AllianceOwned):
    """A council's return for a quarter: its figures, and whether it has been submitted."""

    quarter = models.ForeignKey(ReturnQuarter, on_delete=models.CASCADE, related_name="returns")
    council = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT, related_name="+")
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["quarter", "council__name"]
        constraints = [
            models.UniqueConstraint(fields=["quarter", "council"], name="local_return_once")
        ]

    def __str__(self):
        return f"{self.council} {self.quarter}"


class LocalFigure(AllianceOwned):
    """One figure of a council's return: a value, or "not available" with no value."""

    local_return = models.ForeignKey(LocalReturn, on_delete=models.CASCADE, related_name="figures")
    indicator = models.ForeignKey(LocalIndicator, on_delete=models.PROTECT, related_name="+")
    value = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    symbol = models.CharField(max_length=4, blank=True)  # "x": not available
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    entered_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["local_return", "indicator"], name="local_figure_once"),
            models.CheckConstraint(
                condition=(Q(value__isnull=True) & ~Q(symbol=""))
                | (Q(value__isnull=False) & Q(symbol="")),
                name="local_figure_value_or_symbol",
            ),
        ]

    def __str__(self):
        return f"{self.indicator}: {self.value if self.value is not None else self.symbol}"
