"""Sessions in the browser: the timeout warning before the session ends, with "Stay signed
in" (WCAG 2.2.1), and a half-written section that survives the session ending while it was
being written (issue 14's "nothing lost when a session times out"; static/js/drafts.mjs and
session.mjs). The page's clock is Playwright's, moved on with the server's (time_machine)."""

import datetime

import time_machine
from django.contrib.sessions.models import Session
from django.urls import reverse
from django_scopes import scope

from improvement.models import SectionText, TemplateSection, step_defaults
from improvement.services.cycle import cycle_open
from peerchallenge.models import Role
from tests import clock
from tests.e2e.conftest import assert_accessible, sign_in
from tests.factories import AllianceFactory, MembershipFactory, UserFactory, council, region

TEXT = "Leaders audit practice every month, and the audits now reach every team."


def _derby_writing():
    alliance = AllianceFactory(
        name="East Midlands RIIA", slug="east-midlands", regions=[region("East Midlands")]
    )
    pm = UserFactory(email="pat@example.org", full_name="Pat Manager")
    MembershipFactory(alliance=alliance, user=pm, role=Role.PROGRAMME_MANAGER)
    organiser = UserFactory(email="oscar@example.org", full_name="Oscar Organiser")
    MembershipFactory(
        alliance=alliance, user=organiser, role=Role.LA_ORGANISER, local_authority=council("Derby")
    )
    with scope(alliance=alliance):
        cycle = cycle_open(
            alliance=alliance,
            year=clock.TODAY.year,
            deadlines=step_defaults(clock.TODAY.year),
            opened_by=pm,
        )
        section = cycle.sections.filter(kind=TemplateSection.Kind.TEXT).order_by("position")[0]
    url = reverse(
        "improvement:section_edit",
        kwargs={
            "alliance": alliance.slug,
            "improvement_cycle": cycle.pk,
            "gss": council("Derby").gss_code,
            "template_section": section.pk,
        },
    )
    return alliance, organiser, section, url


def _drafts(page) -> list[str]:
    return page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('pc-draft:'))")


def _wait_for_a_draft(page) -> None:
    # Polled from here: wait_for_function evaluates its text in the page, which the page's
    # CSP (no 'unsafe-eval') refuses.
    for _ in range(50):
        if _drafts(page):
            return
        page.wait_for_timeout(100)
    raise AssertionError("the text was not kept on the device")


def test_the_warning_before_the_session_ends_keeps_it_going(new_page, site):
    _alliance, organiser, section, url = _derby_writing()
    page = new_page()
    page.clock.install()
    sign_in(page, organiser)
    page.goto(url)
    dialog = page.locator("#session-timeout")
    assert not dialog.is_visible()
    key = Session.objects.get().session_key

    later = clock.NOW + datetime.timedelta(hours=7, minutes=56)
    with time_machine.travel(later, tick=True):
        page.clock.fast_forward("07:56:00")
        dialog.wait_for(state="visible")
        assert "we will sign you out in 4 minutes" in dialog.inner_text()
        assert_accessible(page)
        # Focus starts on the way to stay, inside the dialog.
        assert page.evaluate("document.activeElement.textContent") == "Stay signed in"
        page.get_by_role("button", name="Stay signed in").click()
        dialog.wait_for(state="hidden")
        ends = Session.objects.get(session_key=key).expire_date
        assert ends > later + datetime.timedelta(hours=7, minutes=59)

    # Escape also stays signed in (the dialog is never dismissed without an answer).
    with time_machine.travel(later + datetime.timedelta(hours=7, minutes=56), tick=True):
        page.clock.fast_forward("07:56:00")
        dialog.wait_for(state="visible")
        page.keyboard.press("Escape")
        dialog.wait_for(state="hidden")
        assert Session.objects.get(session_key=key).expire_date > ends
    page.get_by_label(section.title).fill("still here")  # the page works on


def test_text_written_when_the_session_ended_is_put_back_after_signing_in(new_page, site):
    alliance, organiser, section, url = _derby_writing()
    page = new_page()
    sign_in(page, organiser)
    page.goto(url)
    page.get_by_label(section.title).fill(TEXT)
    Session.objects.all().delete()  # the session ends while the section is being written
    page.get_by_role("button", name="Save this section").click()
    page.get_by_label("Email").wait_for()  # sent to sign in; nothing was saved
    with scope(alliance=alliance):
        assert not SectionText.objects.filter(section=section).exclude(text="").exists()

    sign_in(page, organiser)
    page.goto(url)
    banner = page.locator(".pc-draft-banner")
    banner.wait_for()
    assert "Text you wrote here was not saved" in banner.inner_text()
    assert page.get_by_label(section.title).input_value() == ""
    assert_accessible(page)
    page.get_by_role("button", name="Put my text back").click()
    assert page.get_by_label(section.title).input_value() == TEXT
    assert page.evaluate("document.activeElement.name") == page.get_by_label(
        section.title
    ).get_attribute("name")
    page.get_by_role("button", name="Save this section").click()
    page.get_by_text(f"“{section.title}” is saved.").wait_for()
    with scope(alliance=alliance):
        assert SectionText.objects.get(section=section).text == TEXT

    # Saved: the page no longer offers it, and nothing is left on the device.
    page.goto(url)
    assert page.get_by_label(section.title).input_value() == TEXT
    assert page.locator(".pc-draft-banner").count() == 0
    assert _drafts(page) == []

    # Text being written when the person signs out is not left behind on the device.
    page.get_by_label(section.title).fill(TEXT + " More to come.")
    _wait_for_a_draft(page)
    page.get_by_role("button", name="Sign out").first.click()
    page.wait_for_url("**/accounts/**")
    assert _drafts(page) == []


def test_a_draft_is_discarded_on_request(new_page, site):
    _alliance, organiser, section, url = _derby_writing()
    page = new_page()
    sign_in(page, organiser)
    page.goto(url)
    page.get_by_label(section.title).fill(TEXT)
    _wait_for_a_draft(page)
    page.goto(url)  # left without saving, then back
    page.get_by_role("button", name="Discard it").click()
    assert page.locator(".pc-draft-banner").count() == 0
    assert _drafts(page) == []
    page.goto(url)
    assert page.locator(".pc-draft-banner").count() == 0
