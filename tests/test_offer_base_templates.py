"""Every page of an offer extends the offer's own base template (its breadcrumb trail, on
the core's alliance_base.html), never the core's bases directly; emails and PDFs keep
theirs."""

import re
from pathlib import Path

from django.conf import settings

OFFERS = ("triads", "thematic", "ondemand", "lga_cspc")
EXTENDS = re.compile(r'{%\s*extends\s+"([^"]+)"\s*%}')
NOT_PAGES = ("emails/base.html", "reports/base.html")


def test_every_page_of_an_offer_extends_its_base():
    root = Path(settings.BASE_DIR)
    wrong = []
    for offer in OFFERS:
        for path in sorted((root / offer / "templates" / offer).rglob("*.html")):
            found = EXTENDS.search(path.read_text())
            if found is None or found.group(1) in NOT_PAGES:
                continue
            expected = "alliance_base.html" if path.name == "base.html" else f"{offer}/base.html"
            if found.group(1) != expected:
                wrong.append(f"{path.relative_to(root)} extends {found.group(1)}")
    assert wrong == []
