"""base.html already starts the page title with "Error: " when the page's `form` has
errors; a template that adds its own for the same form makes screen readers announce
"Error: Error:". Other forms' errors (a page with two forms) are the template's to add."""

from pathlib import Path

from django.conf import settings

DOUBLED = "{% if form.errors %}Error: {% endif %}"


def test_no_template_repeats_the_error_prefix_of_the_pages_form():
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
        )
        for path in (root / app).rglob("*.html")
        if DOUBLED in path.read_text()
    ]
    assert offenders == []
