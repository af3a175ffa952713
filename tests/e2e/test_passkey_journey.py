"""A person who signs in with an authenticator app adds a passkey, signs out, and signs in
again with their password and the passkey instead of a code. Chromium's virtual
authenticator (through DevTools) stands in for the fingerprint reader. The live server is
http://localhost:<port>: a secure context for the browser, and the relying party allauth
derives from the request's host ("localhost"). axe on every page, under the page's CSP."""

import re
from datetime import timedelta

from allauth.mfa.models import Authenticator
from django.utils import timezone

from peerchallenge.models import Role
from tests.e2e.conftest import assert_accessible, sign_in
from tests.factories import PASSWORD, AllianceFactory, MembershipFactory, UserFactory, region


def virtual_authenticator(page) -> tuple:
    """A platform authenticator that verifies the person at once (a fingerprint, say)."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    added = cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
            }
        },
    )
    return cdp, added["authenticatorId"]


def test_person_adds_a_passkey_and_signs_in_with_it(new_page, site):
    alliance = AllianceFactory(
        name="East Midlands RIIA",
        short_name="East Midlands RIIA",
        slug="east-midlands",
        regions=[region("East Midlands")],
    )
    person = UserFactory(email="pat@example.org", full_name="Pat Passkey")
    MembershipFactory(alliance=alliance, user=person, role=Role.PROGRAMME_MANAGER)
    # Their app was set up long ago, so changing their second factors asks for the password.
    Authenticator.objects.filter(user=person).update(created_at=timezone.now() - timedelta(days=30))

    page = new_page()
    cdp, authenticator_id = virtual_authenticator(page)
    sign_in(page, person)

    page.get_by_role("link", name="Two-factor authentication").click()
    page.get_by_role("heading", name="Passkeys and security keys").wait_for()
    assert page.get_by_text(
        "A passkey or security key lets you sign in with your fingerprint, face, screen lock "
        "or a USB key instead of typing a code."
    ).is_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Add a passkey or security key").click()

    # Confirm it is you (the password), then back to adding the key.
    page.get_by_role("heading", name="Confirm it is you").wait_for()
    assert_accessible(page)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    page.get_by_role("heading", name="Add a passkey or security key").wait_for()
    assert_accessible(page)
    page.get_by_label("Name of the key").fill("Work laptop")
    page.get_by_role("button", name="Add passkey or security key").click()

    # The first key comes with recovery codes (the app had none).
    page.get_by_role("heading", name=re.compile("Recovery codes")).wait_for()
    assert page.get_by_text("Passkey or security key added.").is_visible()
    assert_accessible(page)
    credentials = cdp.send("WebAuthn.getCredentials", {"authenticatorId": authenticator_id})
    assert len(credentials["credentials"]) == 1
    keys = Authenticator.objects.filter(user=person, type=Authenticator.Type.WEBAUTHN)
    assert [key.wrap().name for key in keys] == ["Work laptop"]

    page.goto("/accounts/2fa/webauthn/")
    page.get_by_role("heading", name="Work laptop").wait_for()
    assert_accessible(page)
    page.get_by_role("link", name="Rename Work laptop").click()
    assert_accessible(page)
    page.get_by_label("Name of the key").fill("Pat's laptop")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("heading", name="Pat's laptop").wait_for()
    page.get_by_role("link", name="Remove Pat's laptop").click()
    page.get_by_role("heading", name="Remove Pat's laptop").wait_for()
    assert_accessible(page)
    page.get_by_role("link", name="Cancel").click()  # kept, to sign in with below
    page.get_by_role("heading", name="Pat's laptop").wait_for()

    # The same key again: the browser refuses, and the page says so.
    page.get_by_role("button", name="Add a passkey or security key").click()
    page.get_by_role("heading", name="Add a passkey or security key").wait_for()
    page.wait_for_load_state()  # allauth's script sets the button up once the page is loaded
    page.get_by_role("button", name="Add passkey or security key").click()
    summary = page.locator("#passkey-error")
    summary.get_by_text(
        "This passkey or security key is already added to your account. Use another one."
    ).wait_for()
    assert summary.evaluate("element => element === document.activeElement")
    assert page.title().startswith("Error: Add a passkey or security key")
    assert_accessible(page)

    # Signing in again: the password, then the passkey instead of a code.
    page.get_by_role("button", name="Sign out").first.click()
    page.goto("/")
    page.get_by_label("Email").fill(person.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Use your passkey or security key").wait_for()
    assert page.get_by_label("Authenticator code or recovery code").is_visible()  # the other way
    assert_accessible(page)
    page.get_by_role("button", name="Use passkey or security key").click()
    page.get_by_role("heading", name="Your alliances").wait_for()
    assert_accessible(page)
    assert "East Midlands RIIA" in page.locator("main").inner_text()


def test_new_person_chooses_a_passkey_as_their_second_factor(new_page, site):
    person = UserFactory(email="nia@example.org", full_name="Nia Newcomer", mfa=False)
    page = new_page()
    virtual_authenticator(page)
    page.goto("/")
    page.get_by_label("Email").fill(person.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    # Set-up comes first; the page offers a passkey beside the authenticator app.
    page.get_by_role("heading", name="Set up two-factor authentication").wait_for()
    assert page.get_by_role("heading", name="Use an authenticator app").is_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Add a passkey or security key").click()
    page.get_by_role("heading", name="Add a passkey or security key").wait_for()
    assert page.get_by_role("link", name="Use an authenticator app instead").is_visible()
    assert_accessible(page)
    # Enter in the name field asks for the key too (the form alone would send no key).
    page.get_by_label("Name of the key").press("Enter")
    page.get_by_role("heading", name=re.compile("Recovery codes")).wait_for()
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("Continue")).click()
    page.get_by_role("heading", name="Your alliances").wait_for()
    assert_accessible(page)
    keys = Authenticator.objects.filter(user=person, type=Authenticator.Type.WEBAUTHN)
    assert [key.wrap().name for key in keys] == ["Key 1"]
