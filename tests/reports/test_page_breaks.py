"""The print stylesheet's page breaks, measured in WeasyPrint's own layout: no page ends on
a heading (the heading goes over with its text) and no paragraph leaves fewer than three of
its lines alone at the foot or the head of a page. The same document laid out with those
rules switched off breaks both, so the checks can fail."""

import pytest
from weasyprint import HTML
from weasyprint.formatting_structure.boxes import LineBox

from reports.pdf import BASE_URL, RestrictiveURLFetcher

WORDS = (
    "The service knows its children well and leaders are visible to practitioners, who "
    "describe a culture of support and challenge in which they can ask for help. "
)
# Sections of every length: some heading is bound to fall at a page's foot.
SECTIONS = "".join(
    f"<h2>Section {n}</h2><p>{WORDS * (1 + (n * 7) % 13)}</p>"
    f"<h3>Detail {n}</h3><p>{WORDS * (1 + (n * 5) % 9)}</p>"
    for n in range(1, 41)
)
RULES_OFF = "<style>h2, h3 { break-after: auto; } p { orphans: 1; widows: 1; }</style>"


def document(extra_head: str = ""):
    html = (
        '<!doctype html><html lang="en-GB"><head><meta charset="utf-8"><title>Breaks</title>'
        f'<link rel="stylesheet" href="print.css">{extra_head}</head>'
        f"<body><main>{SECTIONS}</main></body></html>"
    )
    return HTML(string=html, base_url=BASE_URL, url_fetcher=RestrictiveURLFetcher()).render()


def blocks(page):
    """The page's headings and paragraphs in order, each with its element and how many of
    its lines are on this page."""
    found = []
    for box in page._page_box.descendants():
        wanted = getattr(box, "element_tag", None) in {"h2", "h3", "p"}
        if wanted and box.is_in_normal_flow() and not any(b is box for b, _ in found):
            lines = sum(1 for child in box.children if isinstance(child, LineBox))
            found.append((box, lines))
    return found


def faults(doc) -> tuple[list, list]:
    headings_last, lonely_lines = [], []
    for number, page in enumerate(doc.pages, start=1):
        on_page = blocks(page)
        last_box, _ = on_page[-1]
        if last_box.element_tag in {"h2", "h3"}:
            headings_last.append(number)
        for box, lines in (on_page[0], on_page[-1]):
            if box.element_tag == "p" and 0 < lines < 3 and not whole(doc, box):
                lonely_lines.append((number, lines))
    return headings_last, lonely_lines


def whole(doc, box) -> bool:
    """Whether the paragraph is all on one page (a short one may be under three lines)."""
    pages = [p for p in doc.pages if any(b.element is box.element for b, _ in blocks(p))]
    return len(pages) == 1


@pytest.fixture(scope="module")
def laid_out():
    return document()


def test_the_document_runs_over_several_pages(laid_out):
    assert len(laid_out.pages) > 8


def test_no_page_ends_on_a_heading_or_leaves_lines_alone(laid_out):
    assert faults(laid_out) == ([], [])


def test_without_the_rules_the_same_document_breaks_badly():
    headings_last, lonely_lines = faults(document(RULES_OFF))
    assert headings_last and lonely_lines
