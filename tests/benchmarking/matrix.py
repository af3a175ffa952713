"""The common framework's part of the cross-tenant matrix (tests/test_tenancy_matrix.py)."""


def benchmarking_ids(alliance, *, user) -> dict:
    """URL keyword -> the pk of an object of the common framework filed under `alliance`:
    this year's framework with one indicator in it, and a checked data import by `user`."""
    import datetime

    from django.core.files.base import ContentFile
    from django.utils import timezone
    from django_scopes import scopes_disabled

    from benchmarking.models import (
        DataImport,
        Framework,
        FrameworkEntry,
        LocalIndicator,
        ReturnQuarter,
    )
    from benchmarking.selectors import framework_year
    from tests.benchmarking.factories import IndicatorFactory

    with scopes_disabled():
        framework = Framework.objects.create(alliance=alliance, year=framework_year())
        entry = FrameworkEntry.objects.create(
            alliance=alliance,
            framework=framework,
            theme="Secret theme",
            position=1,
            indicator=IndicatorFactory(code="matrix_indicator"),
        )
        data_import = DataImport(
            alliance=alliance,
            file_name="secret.csv",
            size=10,
            kind=DataImport.Kind.FIGURES,
            state=DataImport.State.CHECKED,
            report={"rows_read": 1, "refused": [{"line": 2, "reason": "secret"}]},
            uploaded_by=user,
        )
        data_import.file.save("upload", ContentFile(b"a,b\n1,2\n"), save=False)
        data_import.save()
        # A quarter of the local return, open, with a local indicator in the framework.
        local = LocalIndicator.objects.create(
            alliance=alliance, title="Secret local indicator", unit="percent", polarity="Low"
        )
        FrameworkEntry.objects.create(
            alliance=alliance, framework=framework, theme="Local", position=2, local_indicator=local
        )
        quarter = ReturnQuarter.objects.create(
            alliance=alliance,
            year=2026,
            quarter=3,
            deadline=timezone.localdate() + datetime.timedelta(days=60),
        )
    # The flag answer page is about an indicator (a shared one, by its code) of a council.
    return {
        "entry": entry.pk,
        "data_import": data_import.pk,
        "indicator": "matrix_indicator",
        "quarter": quarter.pk,
    }
