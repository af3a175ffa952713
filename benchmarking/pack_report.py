"""A council's data pack as a PDF (registered with reports/ through
BenchmarkingConfig.extra_report_modules): the page's figures, charts and flags on paper,
for a meeting. The worker makes it through the reports pipeline, never a web request; it
is about the alliance (the council is the version's option), and only the person who asked
for it downloads it (benchmarking.permissions)."""

from dataclasses import replace

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format

from peerchallenge.models import LocalAuthority
from reports.cover import report_frame
from reports.registry import OFFICIAL, Report, register

from .models import ATTRIBUTION
from .presentation import pack_sections, pack_symbols
from .selectors import NEIGHBOUR_MODEL, PACK_PDF, pack_contents
from .selectors_returns import local_pack


def pack_pdf_html(*, alliance, council, version=None) -> str:
    """The pack's HTML for WeasyPrint (also what the tests and the bench render)."""
    indicators, themes, local_indicators = pack_contents(alliance)
    rows, sections = pack_sections(
        alliance=alliance, council=council, indicators=indicators, themes=themes
    )
    # A file leaves the service: it carries published quarters only, never provisional
    # figures (which only the page shows, inside the alliance).
    local_sections = [
        replace(section, rows=[row for row in section.rows if row.quarter.is_published])
        for section in local_pack(alliance=alliance, council=council, indicators=local_indicators)
    ]
    title = f"Data pack: {council.name}"
    return render_to_string(
        "benchmarking/reports/data_pack.html",
        {
            "title": title,
            "alliance": alliance,
            **report_frame(
                report=DataPackPdf(),
                subject=alliance,
                alliance=alliance,
                version=version,
                council=council.official_name or council.name,
            ),
            "council": council,
            "region_name": council.region.name,
            "sections": sections,
            "local_sections": [section for section in local_sections if section.rows],
            "symbols": pack_symbols(rows),
            "attribution": ATTRIBUTION,
            "metadata": [
                ("Alliance", alliance.name),
                *([("Version", str(version.number))] if version is not None else []),
                ("Produced", date_format(timezone.localtime(), "j F Y, H:i")),
                ("Council", council.official_name or council.name),
                ("Statistical neighbours", f"DfE's {NEIGHBOUR_MODEL} model"),
                ("Flagged indicators", str(sum(1 for s in sections if s.flags))),
            ],
        },
    )


@register
class DataPackPdf(Report):
    identifier = PACK_PDF
    title = "Data pack"
    content_type = "application/pdf"
    marking = OFFICIAL  # published statistics only (provisional figures never leave the page)

    def file_content(self, alliance, version) -> bytes:
        from reports.pdf import html_to_pdf  # WeasyPrint: loaded only where a PDF is made

        council = LocalAuthority.objects.select_related("region").get(pk=version.options["council"])
        return html_to_pdf(
            pack_pdf_html(alliance=alliance, council=council, version=version)
        ).content

    def may_download_version(self, user, alliance, version) -> bool:
        # Made for one person's meeting: theirs alone, like the grid's exports.
        return version.requested_by_id is not None and version.requested_by_id == user.pk

    def filename(self, alliance, version) -> str:
        name = version.options.get("council_name", "council")
        return f"Data pack - {name} - {timezone.localdate():%Y-%m-%d}.pdf"
