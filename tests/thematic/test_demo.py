"""The thematic demo data: believable, and seeded once however often the command runs."""

from django.core.management import call_command
from django.db.models import Count
from django_scopes import scopes_disabled

from peerchallenge.models import Action
from reports.models import ReportVersion
from thematic.models import NextSteps, Nomination, ThematicEvent, Theme, ThemeSuggestion


def seed():
    call_command("seed_demo", force=True, stdout=open("/dev/null", "w"))  # noqa: SIM115


def counts():
    return (
        ThematicEvent.objects.count(),
        Nomination.objects.count(),
        NextSteps.objects.count(),
        Action.objects.filter(source_type__model="thematicevent").count(),
        ReportVersion.objects.filter(report="thematic.summary").count(),
        Theme.objects.count(),
        ThemeSuggestion.objects.count(),
    )


@scopes_disabled()  # a cross-alliance look at the seeded data
def test_seed_demo_adds_past_and_upcoming_events_once(db):
    seed()
    first = counts()
    seed()
    assert counts() == first
    past = ThematicEvent.objects.get(
        alliance__slug="east-midlands", theme__name="Reduction of Harm"
    )
    assert past.is_past and past.kloes_published
    assert past.summary.issued_at is not None
    assert set(
        Action.objects.filter(source_type__model="thematicevent", source_id=past.pk).values_list(
            "status", flat=True
        )
    ) == {"amber", "complete", "green", "red"}
    assert list(
        NextSteps.objects.filter(event=past, is_late=True).values_list("council__name", flat=True)
    ) == ["Nottinghamshire"]
    upcoming = ThematicEvent.objects.filter(date__gt=past.date).annotate(
        nominated=Count("nominations__council", distinct=True),
        taking_part=Count("councils", distinct=True),
    )
    assert {e.alliance.slug for e in upcoming} == {"east-midlands", "london"}
    assert all(0 < e.nominated < e.taking_part for e in upcoming)  # nominations under way
    assert ThemeSuggestion.objects.get().supports.count() == 2
