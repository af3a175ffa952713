"""The report registry: one class per kind of report, registered by the offer it belongs to.

An offer declares a `Report` subclass (identifier, title, template, `context(obj)`) and
registers it from its AppConfig.ready(); the core and this app never import offers. One
rendering service (`reports.services.report_render`) turns any of them into a stored,
versioned PDF.

A report whose file is not a PDF of a template (an export to CSV or XLSX) sets
`content_type` and returns the file's bytes from `file_content`; it goes through the same
queue, worker, time limits, storage and permission-checked download.

Every PDF has a cover page (the owner, the title, the council, the dates, the version line
in words) and its protective marking at the top and bottom of every page: the class says
which marking (`marking`), whether a version is a draft (`is_draft`, a DRAFT watermark on
every page) and how its version line reads (`version_line`).
"""

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify

from peerchallenge.offers.registry import Registry

OFFICIAL = "OFFICIAL"
OFFICIAL_SENSITIVE = "OFFICIAL-SENSITIVE"


class Report:
    """One kind of report about one kind of object (its subject: a cycle, a triad, ...)."""

    identifier: str = ""  # "<offer>.<name>", e.g. "triads.summary"; stored on every version
    title: str = ""  # the document title (PDF metadata, <h1>) unless the context sets "title"
    template: str = ""  # a Django template that extends "reports/base.html"
    content_type: str = "application/pdf"  # what a download is served as
    # The protective marking printed at the top and bottom of every page. Fails closed: a
    # report of published statistics only says OFFICIAL.
    marking: str = OFFICIAL_SENSITIVE

    def council_of(self, obj) -> str:
        """The council the report is about, for the cover ("" for a report about several)."""
        return ""

    def is_draft(self, obj, version) -> bool:
        """Whether this version is a draft (watermarked DRAFT on every page); none by default:
        each version of most reports is issued when it is made."""
        return False

    def version_line(self, obj, version) -> str:
        """The cover's version line in words, e.g. "Version 2, issued 3 December 2026"."""
        if version is None:
            return "Preview, not issued"
        day = date_format(timezone.localtime(version.requested_at), "j F Y")
        if self.is_draft(obj, version):
            return f"Draft, version {version.number}, {day}"
        return f"Version {version.number}, issued {day}"

    def file_content(self, obj, version) -> bytes | None:
        """The file's bytes, for a report that is not its template rendered to PDF (an
        export; `version.options` holds what the person chose). None: the template, as a
        PDF. Runs in the worker, inside the alliance's scope."""
        return None

    def context(self, obj) -> dict:
        """The template context for a report about `obj`, read inside the alliance's scope.

        Keys the base template knows: `title`, `metadata` (extra (label, value) rows for the
        table under the title) and `sections` (dicts with `heading` and `paragraphs`)."""
        return {}

    def may_download_version(self, user, obj, version) -> bool:
        """Whether a person entitled to reports about `obj` may download this version;
        every version by default."""
        return True

    def on_rendered(self, obj, version) -> None:
        """Called once after a version is rendered and stored (e.g. to tell people it is
        ready). Runs in the worker, inside the alliance's scope."""

    def filename(self, obj, version) -> str:
        """The name a download is saved under."""
        return f"{slugify(self.title)}-{slugify(str(obj))}-version-{version.number}.pdf"


REPORTS: Registry[type[Report]] = Registry("reports", key=lambda report: report.identifier)


def register(report_cls: type[Report]) -> type[Report]:
    """Class decorator (or plain call from AppConfig.ready()) that makes a report known."""
    makes_its_own_file = report_cls.file_content is not Report.file_content
    for attribute in ("identifier", "title", *(() if makes_its_own_file else ("template",))):
        if not getattr(report_cls, attribute, ""):
            raise ValueError(f"{report_cls.__name__} must set `{attribute}`.")
    return REPORTS.register(report_cls)


def get_report(identifier: str) -> Report:
    """The registered report with this identifier; LookupError if there is none."""
    try:
        return REPORTS[identifier]()
    except KeyError:
        raise LookupError(f"No report is registered as {identifier!r}.") from None
