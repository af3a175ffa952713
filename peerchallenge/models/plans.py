"""A council's improvement plan as something PDFs can be about.

The plan itself is the council's actions as they stand (`selectors.improvement_plan`); this
row only gives its PDFs a subject with an alliance, so they go through the report pipeline
(reports.ReportVersion: rendered by the worker under a time limit, stored, retried) instead
of tying up a web process."""

from django.db import models
from django.utils import timezone

from .core import LocalAuthority
from .tenancy import AllianceOwned


class ImprovementPlan(AllianceOwned):
    """One council's plan in one alliance, made the first time someone prepares its PDF.
    Each PDF is a numbered ReportVersion about this row, a copy of the plan as it stood when
    the worker rendered it."""

    local_authority = models.ForeignKey(LocalAuthority, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["alliance", "local_authority"], name="improvement_plan_once"
            )
        ]

    def __str__(self):
        return self.local_authority.name
