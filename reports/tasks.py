"""Celery tasks: thin. Take ids, load under scopes_disabled, return quietly if gone."""

from celery import shared_task
from django_scopes import scope, scopes_disabled

from .models import ReportVersion
from .services import report_record_failure, report_render


@shared_task(
    name="peerchallenge.reports.render",
    # WeasyPrint on a runaway template must not hold a worker: the soft limit raises inside
    # the rendering (recorded as a failure below); the hard one kills the process.
    time_limit=120,
    soft_time_limit=100,
    acks_late=True,
)
def render(version_id: int) -> None:
    """Render one report version to its PDF. A version that is gone or already rendered is
    left alone, so running the task twice renders once; a failed one is tried again."""
    # Task entry point: no request scope here; the version names its alliance.
    with scopes_disabled():
        version = ReportVersion.objects.select_related("alliance").filter(pk=version_id).first()
    if version is None or version.is_rendered:
        return
    with scope(alliance=version.alliance):
        try:
            report_render(version=version)
        except Exception as error:  # includes SoftTimeLimitExceeded
            report_record_failure(version=version, error=error)
            raise
