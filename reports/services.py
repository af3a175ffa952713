"""Writes for report versions: request one, queue it, claim and render it, record a
failure, reap the stale ones, try a failed one again.

The version row is the durable record; a queue message is only a nudge. `report_enqueue`
never fails its caller when the broker is away (the row stays queued with no `queued_at`),
and `report_reap` (beat, every few minutes) queues again what was never handed over, what the
broker lost, and what a dead worker left half-rendered."""

import logging
from datetime import timedelta

from celery.exceptions import SoftTimeLimitExceeded
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from django_scopes import scope, scopes_disabled
from kombu.exceptions import OperationalError

from peerchallenge.models import Alliance, User

from .cover import report_frame
from .models import ReportVersion
from .registry import Report, get_report

logger = logging.getLogger(__name__)

# The render task's hard time limit (reports.tasks); a lease older than this plus a margin
# belongs to a worker that died.
RENDER_TIME_LIMIT = 120
RENDER_SOFT_TIME_LIMIT = 100
LEASE = timedelta(seconds=RENDER_TIME_LIMIT + 60)
# Renders started before a version is marked failed (each start that a dead worker or a
# lost message cut short counts).
MAX_ATTEMPTS = 3
# Handed to the broker this long ago and still not started: the message was lost.
QUEUE_STALE = timedelta(minutes=15)
# Never handed over (broker away at the time): retried on every reap after this grace,
# which leaves the request's own on-commit hook time to run.
UNQUEUED_GRACE = timedelta(minutes=1)
REAP_BATCH = 200
# A report's HTML longer than this is not given to WeasyPrint: text that reached the data
# without a form's limits (an import, a script) would hold a worker until the time limit.
# A 40-council triad summary or a CSPC report with its case appendix is well under 1 MB.
REPORT_HTML_MAX_CHARS = 4_000_000


class ReportTooLong(ValueError):
    """The report's text is past REPORT_HTML_MAX_CHARS: failed at once, not rendered."""


def _alliance_id_of(subject) -> int:
    return subject.pk if isinstance(subject, Alliance) else subject.alliance_id


@transaction.atomic
def report_request(
    *, identifier: str, subject, requested_by: User | None, options: dict | None = None
) -> ReportVersion:
    """Add the next pending version of the report `identifier` about `subject` and, once the
    transaction commits, enqueue its rendering (task `peerchallenge.reports.render`).
    Raises LookupError for a report nobody registered. Runs inside the subject's alliance
    scope, like every caller's view."""
    report = get_report(identifier)
    subject_type = ContentType.objects.get_for_model(subject)
    # Lock the subject's row so two requests at once cannot take the same number. The base
    # manager: the caller has already loaded the subject, in its scope.
    subject._meta.model._base_manager.select_for_update().filter(pk=subject.pk).first()
    earlier = ReportVersion.objects.filter(
        alliance_id=_alliance_id_of(subject),
        report=identifier,
        subject_type=subject_type,
        subject_id=subject.pk,
    )
    number = (earlier.aggregate(last=Max("number"))["last"] or 0) + 1
    version = ReportVersion.objects.create(
        alliance_id=_alliance_id_of(subject),
        report=identifier,
        title=report.title,
        subject_type=subject_type,
        subject_id=subject.pk,
        number=number,
        requested_by=requested_by,
        options=options or {},
    )
    # Robust: the request is saved either way. Where tasks run in-process (the demo, tests),
    # a rendering failure is recorded on the version instead of failing the asking page.
    transaction.on_commit(lambda: report_enqueue(version_id=version.pk), robust=True)
    return version


@transaction.atomic
def report_request_once(
    *, identifier: str, subject, requested_by: User, options: dict | None = None
) -> ReportVersion:
    """`report_request`, unless this person's version of the same report about the same
    subject with the same options is still queued or being made: then that one (a double
    click, a reload). The subject's row is locked first, so two presses at once queue one."""
    subject._meta.model._base_manager.select_for_update().filter(pk=subject.pk).first()
    waiting = ReportVersion.objects.filter(
        alliance_id=_alliance_id_of(subject),
        report=identifier,
        subject_type=ContentType.objects.get_for_model(subject),
        subject_id=subject.pk,
        requested_by=requested_by,
        options=options or {},
        status__in=[ReportVersion.Status.PENDING, ReportVersion.Status.RENDERING],
    ).first()
    if waiting is not None:
        return waiting
    return report_request(
        identifier=identifier, subject=subject, requested_by=requested_by, options=options
    )


def _broker_errors() -> tuple[type[BaseException], ...]:
    return (OperationalError, OSError)


def report_enqueue(*, version_id: int) -> bool:
    """Hand the version to the broker (task `peerchallenge.reports.render`) and record when
    (`queued_at`). With the broker unreachable, log it and return False: the version stays
    queued and the reaper hands it over once the broker is back."""
    # Here, not at the top: reports.tasks imports this module (a cycle).
    from .tasks import render

    # Runs on commit, often outside the request's alliance scope; the id names one version.
    def waiting():
        return ReportVersion.objects.filter(pk=version_id, status=ReportVersion.Status.PENDING)

    try:
        render.apply_async((version_id,))
    except _broker_errors() as error:
        logger.warning("Report version %s not queued, broker unreachable: %s", version_id, error)
        with scopes_disabled():
            waiting().update(unqueued_at=timezone.now())
        return False
    # Only a version still waiting: where tasks run in-process it is rendered by now.
    with scopes_disabled():
        waiting().update(queued_at=timezone.now(), unqueued_at=None)
    return True


def report_claim(*, version_id: int) -> ReportVersion | None:
    """Take the version for rendering: mark it rendering, start its lease and count the
    attempt. None when there is nothing to do: it is gone, rendered, failed, or another
    worker holds a live lease. A version whose lease expired MAX_ATTEMPTS times is marked
    failed instead of started again (a render that kills its worker must not loop)."""
    now = timezone.now()
    with transaction.atomic():
        version = (
            ReportVersion.objects.select_for_update()
            .select_related("alliance")
            .filter(pk=version_id)
            .first()
        )
        if version is None or version.status in (
            ReportVersion.Status.RENDERED,
            ReportVersion.Status.FAILED,
        ):
            return None
        if version.status == ReportVersion.Status.RENDERING and version.started_at > now - LEASE:
            return None
        if version.attempts >= MAX_ATTEMPTS:
            _fail_after_attempts(version)
            return None
        version.status = ReportVersion.Status.RENDERING
        version.started_at = now
        version.attempts += 1
        version.save(update_fields=["status", "started_at", "attempts"])
    return version


def _fail_after_attempts(version: ReportVersion) -> None:
    version.status = ReportVersion.Status.FAILED
    version.error = (
        f"The rendering stopped before it finished {version.attempts} times "
        "(the worker died or ran out of time)."
    )
    version.save(update_fields=["status", "error"])


def report_reap(*, now=None) -> dict[str, int]:
    """Queue again the versions nobody is working on: never handed to the broker, handed
    over but never started (QUEUE_STALE), or rendering under an expired lease (a dead
    worker); fail those already started MAX_ATTEMPTS times. Returns the counts. Runs across
    alliances (the beat task disables scopes); at most REAP_BATCH of each kind per run."""
    now = now or timezone.now()
    pending = ReportVersion.Status.PENDING
    counts = {"requeued": 0, "failed": 0}
    with transaction.atomic():
        dead = list(
            ReportVersion.objects.select_for_update(skip_locked=True)
            .filter(status=ReportVersion.Status.RENDERING, started_at__lt=now - LEASE)
            .order_by("started_at")[:REAP_BATCH]
        )
        to_queue = []
        for version in dead:
            if version.attempts >= MAX_ATTEMPTS:
                _fail_after_attempts(version)
                counts["failed"] += 1
            else:
                version.status, version.started_at, version.queued_at = pending, None, None
                version.save(update_fields=["status", "started_at", "queued_at"])
                to_queue.append(version.pk)
    waiting = ReportVersion.objects.filter(status=pending).filter(
        models.Q(queued_at__isnull=True, requested_at__lt=now - UNQUEUED_GRACE)
        | models.Q(queued_at__lt=now - QUEUE_STALE)
    )
    to_queue += list(waiting.order_by("requested_at").values_list("pk", flat=True)[:REAP_BATCH])
    for version_id in dict.fromkeys(to_queue):
        try:
            queued = report_enqueue(version_id=version_id)
        except Exception:  # tasks run in-process (the demo): the task recorded the failure
            logger.exception("Report version %s failed when queued again", version_id)
            queued = True
        if not queued:
            break  # the broker is still away: the next reap tries again
        counts["requeued"] += 1
    return counts


def report_retry(*, version: ReportVersion) -> ReportVersion:
    """Queue a failed version again from scratch (attempts, error and lease cleared), once
    the transaction commits. The caller checks who may (`reports.permissions.may_retry`).
    A version that is no longer failed is left as it is."""
    updated = ReportVersion.objects.filter(
        pk=version.pk, status=ReportVersion.Status.FAILED
    ).update(
        status=ReportVersion.Status.PENDING,
        attempts=0,
        error="",
        started_at=None,
        queued_at=None,
        unqueued_at=None,
        requested_at=timezone.now(),
    )
    if updated:
        transaction.on_commit(lambda: report_enqueue(version_id=version.pk), robust=True)
    version.refresh_from_db()
    return version


def _report_html(*, report: Report, subject, alliance, version: ReportVersion | None) -> str:
    """The report's template rendered with what every report shows (title, the cover and
    its metadata table, the marking) and the report's own context on top."""
    own = dict(report.context(subject))
    context = {
        "title": report.title,
        "report": report,
        "subject": subject,
        "version": version,
        "alliance": alliance,
        "sections": [],
        **report_frame(report=report, subject=subject, alliance=alliance, version=version),
        **own,
    }
    context["metadata"] = _metadata(
        [
            ("Alliance", alliance.name),
            *([("Version", str(version.number))] if version is not None else []),
            ("Produced", date_format(timezone.localtime(), "j F Y, H:i")),
        ],
        own.get("metadata", ()),
    )
    html = render_to_string(report.template, context)
    if len(html) > REPORT_HTML_MAX_CHARS:
        raise ReportTooLong(
            f"The report holds {len(html):,} characters, more than the "
            f"{REPORT_HTML_MAX_CHARS:,} a report may have; shorten the longest texts."
        )
    return html


def _metadata(common: list, own) -> list:
    """The rows every report shows, then the report's own; a row of the report's own with a
    label already there replaces that row (an "Alliance" row is shown once)."""
    own = list(own)
    mine = dict(own)
    rows = [
        (label, mine.pop(label)) if label in mine else (label, value) for label, value in common
    ]
    return rows + [(label, value) for label, value in own if label in mine]


def report_render_unstored(*, identifier: str, subject, alliance):
    """A registered report about `subject` rendered now, in this process, and returned as
    reports.pdf.RenderedPDF: no version, no file, no task, no notification, and no time
    limit: for tests and benchmarks only, never a web request (every report a person asks
    for, the improvement plan included, is rendered by the worker)."""
    from .pdf import html_to_pdf  # WeasyPrint: loaded only where a PDF is made

    report = get_report(identifier)
    return html_to_pdf(
        _report_html(report=report, subject=subject, alliance=alliance, version=None)
    )


def report_render(*, version: ReportVersion) -> ReportVersion:
    """Render the version's report about its subject to a tagged PDF (or the file it makes
    itself: `Report.file_content`), store the file under a random name and mark the version
    rendered (size, pages, time). Raises whatever rendering
    raises; the task records that with `report_record_failure`. If another worker has
    rendered the version meanwhile, its file is kept and this rendering dropped."""
    # WeasyPrint takes half a second to import: loaded where reports are rendered (the
    # worker), not in every web process that requests one.
    from .pdf import html_to_pdf

    report = get_report(version.report)
    subject = version.subject
    if subject is None:
        raise LookupError("The report's subject no longer exists.")
    content, pages = report.file_content(subject, version), 0
    if content is None:
        pdf = html_to_pdf(
            _report_html(report=report, subject=subject, alliance=version.alliance, version=version)
        )
        content, pages = pdf.content, pdf.pages
    filename = report.filename(subject, version)
    with transaction.atomic():
        current = ReportVersion.objects.select_for_update().get(pk=version.pk)
        if current.is_rendered:
            return current
        current.file.save(filename, ContentFile(content), save=False)
        current.filename = filename[:255]
        current.size = len(content)
        current.pages = pages
        current.status = ReportVersion.Status.RENDERED
        current.rendered_at = timezone.now()
        current.started_at = None
        current.error = ""
        current.save()
        # Only the worker that stored the file tells anyone: its emails are queued in the
        # outbox in this transaction, so they exist exactly when the rendered file does. The
        # caller's scope may be gone, so the hook enters the alliance's again.
        _notify(report, subject, current)
    return current


def _notify(report: Report, subject, version: ReportVersion) -> None:
    with scope(alliance=version.alliance_id):
        report.on_rendered(subject, version)


def report_record_failure(*, version: ReportVersion, error: BaseException) -> None:
    """Mark the version failed with the error's type and message (unless another worker has
    rendered it meanwhile). A time limit is said in words."""
    if isinstance(error, SoftTimeLimitExceeded):
        message = (
            f"The rendering took longer than {RENDER_SOFT_TIME_LIMIT} seconds and was stopped."
        )
    else:
        message = f"{type(error).__name__}: {error}"
    ReportVersion.objects.filter(pk=version.pk).exclude(
        status=ReportVersion.Status.RENDERED
    ).update(status=ReportVersion.Status.FAILED, started_at=None, error=message[:2000])
