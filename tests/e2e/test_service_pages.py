"""The service's own pages in the browser, signed out: each is reached from the footer of the
sign-in page, and the phase banner's feedback link opens the contact page at its feedback
section. axe on every page; and none scrolls sideways on a 320 pixel wide screen."""

from tests.e2e.conftest import assert_accessible

FOOTER = [
    ("Accessibility statement", "Accessibility statement for Peer Challenge"),
    ("Cookies", "Cookies"),
    ("Privacy notice", "Privacy notice"),
    ("Contact and feedback", "Contact and feedback"),
]


def test_service_pages_from_the_footer_signed_out(new_page, site):
    page = new_page()
    page.goto("/")
    page.get_by_role("heading", name="Sign in").wait_for()
    for link, heading in FOOTER:
        page.get_by_role("contentinfo").get_by_role("link", name=link, exact=True).click()
        page.get_by_role("heading", level=1, name=heading, exact=True).wait_for()
        assert (
            page.title() == f"{heading.removesuffix(' for Peer Challenge')} \u2013 Peer Challenge"
        )
        assert_accessible(page)

    page.get_by_role("link", name="give your feedback").click()
    page.get_by_role("heading", name="Give feedback").wait_for()
    assert page.url.endswith("/contact/#feedback")
    assert page.locator(".govuk-phase-banner").inner_text().startswith("Beta")

    page.set_viewport_size({"width": 320, "height": 640})
    for link, heading in FOOTER:
        page.get_by_role("contentinfo").get_by_role("link", name=link, exact=True).click()
        page.get_by_role("heading", level=1, name=heading, exact=True).wait_for()
        width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert width[0] <= width[1], (heading, width)
