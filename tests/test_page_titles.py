"""base.html starts the page title with "Error: " whenever the page reports a problem: any
form on it with errors (a page with two forms included) or the view's own list of problems
(`errors`, `<something>_errors`; peerchallenge/templatetags/govuk_errors.py). A template
that adds its own to its title block makes screen readers announce "Error: Error:"."""

import re
from pathlib import Path

from django.conf import settings

TITLE_BLOCK = re.compile(r"{% block title %}(.*?){% endblock", re.DOTALL)


def test_no_template_adds_its_own_error_prefix_to_the_title():
    root = Path(settings.BASE_DIR)
    offenders = [
        str(path.relative_to(root))
        for app in (
            "templates",
            "peerchallenge",
            "reports",
            "triads",
            "lga_cspc",
            "thematic",
            "ondemand",
            "benchmarking",
            "improvement",
        )
        for path in (root / app).rglob("*.html")
        if any("Error:" in title for title in TITLE_BLOCK.findall(path.read_text()))
    ]
    assert offenders == []
