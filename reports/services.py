"""Writes for report versions: request one, render it, record a failure."""

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format

from peerchallenge.models import Alliance, User

from .models import ReportVersion
from .registry import Report, get_report


def _alliance_id_of(subject) -> int:
    return subject.pk if isinstance(subject, Alliance) else subject.alliance_id


@transaction.atomic
def report_request(*, identifier: str, subject, requested_by: User | None) -> ReportVersion:
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
    )
    from .tasks import render

    # Robust: the request is saved either way. Where tasks run in-process (the demo, tests),
    # a rendering failure is recorded on the version instead of failing the asking page.
    transaction.on_commit(lambda: render.delay(version.pk), robust=True)
    return version


def _report_html(*, report: Report, subject, alliance, version: ReportVersion | None) -> str:
    """The report's template rendered with what every report shows (title, the metadata
    table) and the report's own context on top."""
    own = dict(report.context(subject))
    context = {
        "title": report.title,
        "report": report,
        "subject": subject,
        "version": version,
        "alliance": alliance,
        "sections": [],
        **own,
    }
    context["metadata"] = [
        ("Alliance", alliance.name),
        *([("Version", str(version.number))] if version is not None else []),
        ("Produced", date_format(timezone.localtime(), "j F Y, H:i")),
        *own.get("metadata", ()),
    ]
    return render_to_string(report.template, context)


def report_render_unstored(*, identifier: str, subject, alliance):
    """A registered report about `subject` rendered now, in this process, and returned as
    reports.pdf.RenderedPDF: no version, no file, no task, no notification. For live
    documents that a stored copy would soon contradict (a council's improvement plan); the
    caller checks who may have it."""
    from .pdf import html_to_pdf  # WeasyPrint: loaded only where a PDF is made

    report = get_report(identifier)
    return html_to_pdf(
        _report_html(report=report, subject=subject, alliance=alliance, version=None)
    )


def report_render(*, version: ReportVersion) -> ReportVersion:
    """Render the version's report about its subject to a tagged PDF, store the file under a
    random name and mark the version rendered (size, pages, time). Raises whatever rendering
    raises; the task records that with `report_record_failure`. If another worker has
    rendered the version meanwhile, its file is kept and this rendering dropped."""
    # WeasyPrint takes half a second to import: loaded where reports are rendered (the
    # worker), not in every web process that requests one.
    from .pdf import html_to_pdf

    report = get_report(version.report)
    subject = version.subject
    if subject is None:
        raise LookupError("The report's subject no longer exists.")
    pdf = html_to_pdf(
        _report_html(report=report, subject=subject, alliance=version.alliance, version=version)
    )
    filename = report.filename(subject, version)
    with transaction.atomic():
        current = ReportVersion.objects.select_for_update().get(pk=version.pk)
        if current.is_rendered:
            return current
        current.file.save(filename, ContentFile(pdf.content), save=False)
        current.filename = filename[:255]
        current.size = len(pdf.content)
        current.pages = pdf.pages
        current.status = ReportVersion.Status.RENDERED
        current.rendered_at = timezone.now()
        current.error = ""
        current.save()
        # Only the worker that stored the file tells anyone, and only once it is committed;
        # by then the caller's scope may be gone, so the hook enters the alliance's again.
        transaction.on_commit(lambda: _notify(report, subject, current))
    return current


def _notify(report: Report, subject, version: ReportVersion) -> None:
    from django_scopes import scope

    with scope(alliance=version.alliance_id):
        report.on_rendered(subject, version)


def report_record_failure(*, version: ReportVersion, error: BaseException) -> None:
    """Mark the version failed with the error's type and message (unless another worker has
    rendered it meanwhile)."""
    ReportVersion.objects.filter(pk=version.pk).exclude(
        status=ReportVersion.Status.RENDERED
    ).update(status=ReportVersion.Status.FAILED, error=f"{type(error).__name__}: {error}")
