"""The service's own pages (peerchallenge/views/service_pages.py): the accessibility
statement, cookies, the privacy notice and contact. Anyone may read them, signed in or not,
and so may a person still setting up two-factor authentication; every page links them from
its footer and shows the phase banner with its feedback link. axe checks them in
tests/e2e/test_service_pages.py."""

import pytest
from django.urls import reverse

from tests.factories import UserFactory

PAGES = {
    "service_accessibility": "Accessibility statement for Peer Challenge",
    "service_cookies": "Cookies",
    "service_privacy": "Privacy notice",
    "service_contact": "Contact and feedback",
}
FOOTER_LINKS = [
    ("service_accessibility", "Accessibility statement"),
    ("service_cookies", "Cookies"),
    ("service_privacy", "Privacy notice"),
    ("service_contact", "Contact and feedback"),
]
PHASE_BANNER = (
    '<strong class="govuk-tag govuk-phase-banner__content__tag">Beta</strong>\n'
    '    <span class="govuk-phase-banner__text">This is a new service. Help us improve it and '
    '<a class="govuk-link" href="/contact/#feedback">give your feedback</a>.</span>'
)


def assert_footer_and_banner(html: str) -> None:
    footer = html[html.index('<footer class="govuk-footer">') :]
    assert '<h2 class="govuk-visually-hidden">Support links</h2>' in footer
    for name, text in FOOTER_LINKS:
        link = f'<a class="govuk-footer__link" href="{reverse(name)}">{text}</a>'
        assert link in footer, link
    assert PHASE_BANNER in html


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "heading"), PAGES.items())
def test_page_answers_signed_out(client, name, heading):
    response = client.get(reverse(name))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<h1 class="govuk-heading-l">{heading}</h1>' in html
    assert_footer_and_banner(html)


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "heading"), PAGES.items())
def test_page_answers_signed_in(client, name, heading):
    client.force_login(UserFactory())
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert f'<h1 class="govuk-heading-l">{heading}</h1>' in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("name", PAGES)
def test_page_answers_before_two_factor_is_set_up(client, name):
    client.force_login(UserFactory(mfa=False))
    assert client.get(reverse(name)).status_code == 200
    # Everything else still waits for it.
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


@pytest.mark.django_db
def test_every_page_has_the_footer_links_and_phase_banner(client):
    assert_footer_and_banner(client.get(reverse("account_login")).content.decode())
    client.force_login(UserFactory())
    assert_footer_and_banner(client.get(reverse("home")).content.decode())


@pytest.mark.django_db
def test_cookies_page_names_each_cookie_and_how_long_it_lasts(client):
    html = client.get(reverse("service_cookies")).content.decode()
    assert '<h3 class="govuk-heading-s">sessionid</h3>' in html
    assert "8 hours after you sign in" in html
    assert '<h3 class="govuk-heading-s">csrftoken</h3>' in html
    assert '<dd class="govuk-summary-list__value">1 year</dd>' in html
    assert '<h3 class="govuk-heading-s">messages</h3>' in html
    assert "after 7 days at the latest" in html
    assert "analytics" in html


@pytest.mark.django_db
def test_accessibility_statement_is_honest_about_what_does_not_comply(client):
    html = client.get(reverse("service_accessibility")).content.decode()
    assert "This service is partially compliant with the" in html
    for known in ("1.4.10 (Reflow)", "PDF/UA-1"):
        assert known in html, known
    # Fixed, so no longer listed: dates are typed in GOV.UK's day, month and year boxes.
    assert "2027-05-10" not in html and "year, month and day" not in html
    # Fixed, so no longer listed: signing in with a passkey or security key is offered.
    assert "3.3.8" not in html
    assert "Equality Advisory and Support Service (EASS)" in html
    assert "Equality Commission for Northern Ireland (ECNI)" in html
    assert "This statement was prepared on 7 December 2026." in html


@pytest.mark.django_db
def test_privacy_notice_gives_basis_rights_and_contact(client):
    html = client.get(reverse("service_privacy")).content.decode()
    assert "public task, Article 6(1)(e)" in html
    assert 'href="mailto:privacy@peer-challenge.example.org"' in html
    assert "https://ico.org.uk/make-a-complaint/" in html
