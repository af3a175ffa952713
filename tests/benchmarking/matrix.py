"""The common framework's part of the cross-tenant matrix (tests/test_tenancy_matrix.py)."""


def benchmarking_ids(alliance, *, user) -> dict:
    """URL keyword -> the pk of an object of the common framework filed under `alliance`:
    this year's framework with one indicator in it, and a checked data import by `user`."""
    from django.core.files.base import ContentFile
    from django_scopes import scopes_disabled

    from benchmarking.models import DataImport, Framework, FrameworkEntry
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
    return {"entry": entry.pk, "data_import": data_import.pk}
