"""HTML to PDF with WeasyPrint, fetching nothing but our own print assets.

- The PDF variant is PDF/UA-1: WeasyPrint 70 tags the structure (sections, headings,
  paragraphs, lists, tables, figures; the page margin boxes stay out of the structure
  tree), writes /MarkInfo, the document language from <html lang>, the title from <title>
  shown as the window title, and the PDF/UA identification in the XMP metadata. Whether a
  document fully conforms also depends on the template (alt text on every image, headings
  in order), which `reports/base.html` sets up.
- The URL fetcher refuses every URL but data: URIs and files inside
  `reports/static/reports/`. A refused resource is dropped (WeasyPrint logs it and renders
  the rest); nothing is ever fetched from the network or from elsewhere on the disk.
- A report longer than CONTENTS_OVER_PAGES pages gets a contents list (its <h2>s with their
  page numbers, by `target-counter`) on its own page after the cover. Whether it is that
  long is known only once it is laid out, so the document is laid out with the contents
  first, and again without them only when it turns out short: a long report (the costly
  kind) is laid out once, a short one (cheap) twice.
"""

import html as html_lib
import mimetypes
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

import weasyprint
from weasyprint.urls import URLFetcher, URLFetcherResponse

ASSETS_DIR = (Path(__file__).resolve().parent / "static" / "reports").resolve()
# Relative URLs in report templates ("print.css") resolve inside the assets folder.
BASE_URL = ASSETS_DIR.as_uri() + "/"
PDF_VARIANT = "pdf/ua-1"
CONTENTS_OVER_PAGES = 4
# Where reports/base.html takes the contents list, and the headings it lists: the <h2>s of
# <main> as the templates write them (no attributes; their text already escaped).
CONTENTS_MARKER = "<!--report-contents-->"
SECTION_HEADING = re.compile(r"<h2>(.*?)</h2>", re.DOTALL)
TAG = re.compile(r"<[^>]+>")


class URLRefused(ValueError):
    """A report tried to load something from outside our own assets."""


class RestrictiveURLFetcher(URLFetcher):
    """WeasyPrint's fetcher, allowed only data: URIs and files in ASSETS_DIR.

    A subclass rather than a plain function: WeasyPrint 70 expects a URLFetcher instance.
    Make a new one per rendering (the base class keeps per-request state)."""

    def __init__(self):
        super().__init__(allowed_protocols={"data", "file"}, allow_redirects=False)

    def fetch(self, url, headers=None):
        scheme = url.split(":", 1)[0].lower()
        if scheme == "data":
            return super().fetch(url, headers)
        path = _asset_path(url) if scheme == "file" else None
        if path is None:
            raise URLRefused(f"Reports may only load their own assets, not {url[:200]}")
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})


def _asset_path(url: str) -> Path | None:
    """The file a file: URL names, if it is a file inside ASSETS_DIR (after resolving '..'
    and symbolic links); None otherwise."""
    parts = urlsplit(url)
    if parts.netloc not in ("", "localhost"):
        return None
    path = Path(url2pathname(parts.path)).resolve()
    if not path.is_relative_to(ASSETS_DIR) or not path.is_file():
        return None
    return path


@dataclass(frozen=True)
class RenderedPDF:
    content: bytes
    pages: int


def html_to_pdf(html: str) -> RenderedPDF:
    """Lay out the HTML (print media, A4 from print.css) and write a tagged PDF/UA-1, with a
    contents list when it is longer than CONTENTS_OVER_PAGES pages (the contents page aside)."""
    with_contents = _with_contents(html)
    document = _layout(with_contents or html)
    if with_contents is not None and len(document.pages) - 1 <= CONTENTS_OVER_PAGES:
        document = _layout(html)
    return RenderedPDF(
        content=document.write_pdf(pdf_variant=PDF_VARIANT), pages=len(document.pages)
    )


def _layout(html: str):
    return weasyprint.HTML(
        string=html, base_url=BASE_URL, url_fetcher=RestrictiveURLFetcher()
    ).render(pdf_variant=PDF_VARIANT)


def _with_contents(html: str) -> str | None:
    """The HTML with a contents list of its sections in place of CONTENTS_MARKER (each <h2>
    given an id to link to); None when it has no marker or no sections."""
    head, marker, body = html.partition(CONTENTS_MARKER)
    if not marker:
        return None
    entries = []

    def number(match):
        entries.append(match.group(1))
        return f'<h2 id="section-{len(entries)}">{match.group(1)}</h2>'

    body = SECTION_HEADING.sub(number, body)
    if not entries:
        return None
    items = "".join(
        f'<li><a href="#section-{n}">{_one_line(text)}</a></li>'
        for n, text in enumerate(entries, start=1)
    )
    contents = f'<nav class="contents"><h2>Contents</h2><ol>{items}</ol></nav>'
    return head + contents + body


def _one_line(heading_html: str) -> str:
    # A heading's text without its markup (a <br> from linebreaksbr), escaped again.
    return html_lib.escape(" ".join(html_lib.unescape(TAG.sub(" ", heading_html)).split()))
