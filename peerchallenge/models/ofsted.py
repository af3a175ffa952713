"""Ofsted judgements: national reference data, like the councils they are about.

No alliance owns them and no alliance edits them. Staff load Ofsted's published outcomes
(`services.ofsted_import_csv`); each load is an `OfstedImport` (who, when, which publication)
and each judgement row points at the load it came from. Rows are never changed: a council's
history is every judgement it has had, and a correction Ofsted publishes is a new row from a
later load. Anything that needs a council's grade asks `selectors.ofsted_latest` (or
`ofsted_latest_by_council` for many), never a field of the council.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from .core import LocalAuthority, OfstedGrade


class OfstedImport(models.Model):
    """One load of Ofsted's published outcomes."""

    source = models.CharField(
        "source", max_length=300, help_text="The publication the outcomes come from."
    )
    file_name = models.CharField(max_length=255, blank=True)
    imported_at = models.DateTimeField(default=timezone.now)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-imported_at", "-pk"]
        verbose_name = "Ofsted import"

    def __str__(self):
        return f"{self.source} ({self.imported_at:%Y-%m-%d})"


class OfstedJudgement(models.Model):
    """One Ofsted ILACS judgement of a council's children's services, as published."""

    local_authority = models.ForeignKey(
        LocalAuthority, on_delete=models.PROTECT, related_name="ofsted_judgements"
    )
    grade = models.CharField(max_length=30, choices=OfstedGrade.choices)
    judgement_date = models.DateField("date of the judgement")
    source = models.ForeignKey(OfstedImport, on_delete=models.PROTECT, related_name="judgements")

    class Meta:
        # The latest first; of two on the same day, the later load (a correction) first.
        ordering = ["local_authority", "-judgement_date", "-pk"]
        verbose_name = "Ofsted judgement"
        constraints = [
            models.UniqueConstraint(
                fields=["local_authority", "judgement_date", "grade"],
                name="ofsted_judgement_once",
            )
        ]

    def __str__(self):
        return f"{self.local_authority}: {self.get_grade_display()} ({self.judgement_date})"
