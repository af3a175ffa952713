"""Celery tasks: thin. Take ids, load under scopes_disabled, return quietly if gone."""

from celery import shared_task
from django_scopes import scope, scopes_disabled

from .services.imports import import_claim, import_run, imports_reap


@shared_task(
    name="benchmarking.imports.run",
    time_limit=300,
    soft_time_limit=240,
    acks_late=True,
    reject_on_worker_lost=True,
)
def run(import_id: int) -> None:
    """Check or load one data import. The claim leaves alone an import that is gone,
    finished, or held by another live worker, so running the task twice does the work once."""
    # Task entry point: no request scope; the import names its alliance.
    with scopes_disabled():
        data_import = import_claim(import_id=import_id)
    if data_import is None:
        return
    with scope(alliance=data_import.alliance):
        import_run(data_import=data_import)


@shared_task(name="benchmarking.imports.reap", time_limit=120, soft_time_limit=100)
def reap() -> int:
    # Beat entry point: every alliance's imports.
    with scopes_disabled():
        return imports_reap()
