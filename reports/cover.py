"""What every PDF report shows around its own content: the cover page (the owner, its logo,
the title, the council, the version line in words), the protective marking at the top and
bottom of every page and, on a draft, the DRAFT watermark (reports/base.html, print.css).

Reads only. The report class decides the marking, the council, whether a version is a
draft and how its version line reads (reports.registry.Report)."""

import base64
import logging

from peerchallenge.models import Alliance

from .registry import Report

logger = logging.getLogger(__name__)

LGA_NAME = "Local Government Association"
# The magic numbers of the two kinds of logo an alliance may upload (peerchallenge.uploads).
LOGO_TYPES = ((b"\x89PNG\r\n\x1a\n", "image/png"), (b"\xff\xd8\xff", "image/jpeg"))


def report_owner(alliance: Alliance) -> str:
    """Whose report it is: the LGA for its national alliance, else the alliance."""
    return LGA_NAME if alliance.is_national else alliance.name


def logo_data_uri(alliance: Alliance) -> str:
    """The alliance's uploaded logo as a data: URI (the only kind of image the PDF's URL
    fetcher loads besides our own assets), or "" when there is none or it cannot be read."""
    if not alliance.report_logo:
        return ""
    try:
        with alliance.report_logo.open("rb") as file:
            content = file.read()
    except OSError:
        # A missing file costs the logo, not the report.
        logger.warning("The logo of alliance %s could not be read", alliance.pk)
        return ""
    for magic, content_type in LOGO_TYPES:
        if content.startswith(magic):
            return f"data:{content_type};base64,{base64.b64encode(content).decode('ascii')}"
    return ""


def report_frame(
    *, report: Report, subject, alliance: Alliance, version, council: str = ""
) -> dict:
    """The context keys reports/base.html reads for the cover, the page margins and the
    watermark. `council` overrides the report's own (a data pack names it in its options)."""
    return {
        "owner": report_owner(alliance),
        "logo": logo_data_uri(alliance),
        "council_name": council or report.council_of(subject),
        "version_line": report.version_line(subject, version),
        "marking": report.marking,
        "draft": version is not None and report.is_draft(subject, version),
    }
