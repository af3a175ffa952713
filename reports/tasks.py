"""Celery tasks: thin. Take ids, load under scopes_disabled, return quietly if gone."""

from celery import shared_task
from django_scopes import scope, scopes_disabled

from .services import (
    RENDER_SOFT_TIME_LIMIT,
    RENDER_TIME_LIMIT,
    report_claim,
    report_reap,
    report_record_failure,
    report_render,
)


@shared_task(
    name="peerchallenge.reports.render",
    # WeasyPrint on a runaway template must not hold a worker: the soft limit raises inside
    # the rendering (recorded as a failure below); the hard one kills the process, and the
    # reaper finds its expired lease.
    time_limit=RENDER_TIME_LIMIT,
    soft_time_limit=RENDER_SOFT_TIME_LIMIT,
    acks_late=True,
    # A pool process killed mid-render: give the message back rather than ack it. The
    # claim's attempt count stops a render that kills its worker from looping.
    reject_on_worker_lost=True,
)
def render(version_id: int) -> None:
    """Render one report version to its PDF. The claim (`report_claim`) leaves alone a
    version that is gone, rendered, failed or held by another live worker, so running the
    task twice renders once."""
    # Task entry point: no request scope here; the version names its alliance.
    with scopes_disabled():
        version = report_claim(version_id=version_id)
    if version is None:
        return
    with scope(alliance=version.alliance):
        try:
            report_render(version=version)
        except Exception as error:  # includes SoftTimeLimitExceeded
            report_record_failure(version=version, error=error)
            raise


@shared_task(name="peerchallenge.reports.reap", time_limit=120, soft_time_limit=100)
def reap() -> dict[str, int]:
    """Beat, every few minutes: queue again the report versions that the broker lost, that
    were requested while it was away, or that a dead worker left; fail those that keep
    dying (`report_reap`)."""
    # Beat entry point: the reaper looks at every alliance's versions.
    with scopes_disabled():
        return report_reap()
