"""Passkeys and security keys (WebAuthn) as a second factor, beside the authenticator app:
adding one (also as the first), signing in with it after the password, managing keys, and
the two-factor gate counting a key. The keys are software ones (tests/soft_key.py), so the
server's checks run for real."""

import pytest
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.webauthn.internal.auth import WebAuthn
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse

from tests.factories import PASSWORD, UserFactory
from tests.soft_key import HOST, SoftKey, as_posted


@pytest.fixture
def client(client):
    # WebAuthn needs a secure origin: localhost is one, "testserver" is not.
    client.defaults["HTTP_HOST"] = HOST
    return client


def key_added(user, key: SoftKey, name: str = "Work laptop") -> Authenticator:
    """A key as if added through the page: its registration, stored by allauth."""
    options = {"publicKey": {"challenge": "AAAA"}}  # not checked when stored directly
    return WebAuthn.add(user, name, key.register(options)).instance


def sign_in_with_key(client, user, key: SoftKey):
    """Password, then the key, through the real pages; returns the last response."""
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response["Location"] == reverse("mfa_authenticate")
    page = client.get(reverse("mfa_authenticate"))
    credential = key.sign(page.context["js_data"]["request_options"])
    return client.post(reverse("mfa_authenticate"), {"credential": as_posted(credential)})


def confirm_with_key(client, key: SoftKey, next_url: str):
    """Confirm it is you (allauth's reauthentication) with the key, as changing keys asks."""
    response = client.get(next_url)
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    url = reverse("mfa_reauthenticate_webauthn")
    page = client.get(url, {"next": next_url})
    assert page.status_code == 200
    credential = key.sign(page.context["js_data"]["request_options"])
    response = client.post(url, {"credential": as_posted(credential), "next": next_url})
    assert response["Location"] == next_url


def test_passkeys_are_a_second_factor_and_never_the_only_one(settings):
    assert settings.MFA_SUPPORTED_TYPES == ["totp", "recovery_codes", "webauthn"]
    assert mfa_settings.PASSKEY_LOGIN_ENABLED is False
    # fido2 checks the origin itself (it accepts http://localhost): never switched off.
    assert mfa_settings.WEBAUTHN_ALLOW_INSECURE_ORIGIN is False
    with pytest.raises(NoReverseMatch):
        reverse("mfa_login_webauthn")


def test_person_with_only_a_key_passes_the_two_factor_gate(client, db):
    user = UserFactory(mfa=False)
    key_added(user, SoftKey())
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("home"))
    assert response.status_code == 200
    sql = [query["sql"] for query in queries.captured_queries]
    # Read with the person (SignInBackend), not by a query of the gate's own.
    assert [q for q in sql if '"has_second_factor"' in q and 'FROM "peerchallenge_user"' in q]
    assert not [q for q in sql if q.startswith('SELECT 1 AS "a" FROM "mfa_authenticator"')]


def test_person_with_only_an_authenticator_app_passes_the_two_factor_gate(client, db):
    client.force_login(UserFactory())  # TOTP, as the factory sets up
    response = client.get(reverse("home"))
    assert response.status_code == 200


def test_person_with_neither_is_sent_to_set_up_and_may_choose_a_key(client, db):
    user = UserFactory(mfa=False)
    client.force_login(user)
    response = client.get(reverse("home"))
    assert (response.status_code, response["Location"]) == (302, reverse("mfa_activate_totp"))
    page = client.get(reverse("mfa_activate_totp")).content.decode()
    assert "Use a passkey or security key" in page
    assert f'href="{reverse("mfa_add_webauthn")}"' in page
    assert "Use an authenticator app" in page
    # The key's page is open to them, without the password again (a first factor).
    response = client.get(reverse("mfa_add_webauthn"))
    assert response.status_code == 200
    page = response.content.decode()
    assert '<h1 class="govuk-heading-l">Add a passkey or security key</h1>' in page
    assert (
        "A passkey or security key lets you sign in with your fingerprint, face, screen lock "
        "or a USB key instead of typing a code." in page
    )
    assert "Use an authenticator app instead" in page


def test_recovery_codes_alone_are_not_a_second_factor(client, db):
    user = UserFactory(mfa=False)
    RecoveryCodes.activate(user)
    client.force_login(user)
    assert client.get(reverse("home"))["Location"] == reverse("mfa_activate_totp")


def test_a_new_person_adds_a_key_as_their_second_factor(client, db):
    user = UserFactory(mfa=False)
    client.force_login(user)
    page = client.get(reverse("mfa_add_webauthn"))
    options = page.context["js_data"]["creation_options"]
    assert options["publicKey"]["rp"]["id"] == HOST
    credential = SoftKey().register(options)
    response = client.post(
        reverse("mfa_add_webauthn"), {"name": "Work laptop", "credential": as_posted(credential)}
    )
    # A first authenticator comes with recovery codes, shown straight away.
    assert (response.status_code, response["Location"]) == (
        302,
        reverse("mfa_view_recovery_codes"),
    )
    key = Authenticator.objects.get(user=user, type=Authenticator.Type.WEBAUTHN)
    assert key.wrap().name == "Work laptop"
    assert client.get(reverse("mfa_view_recovery_codes")).status_code == 200
    assert client.get(reverse("home")).status_code == 200


def test_a_key_answering_another_challenge_is_refused(client, db):
    user = UserFactory(mfa=False)
    client.force_login(user)
    client.get(reverse("mfa_add_webauthn"))
    credential = SoftKey().register({"publicKey": {"challenge": "c29tZXRoaW5nIGVsc2U"}})
    response = client.post(reverse("mfa_add_webauthn"), {"credential": as_posted(credential)})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Your passkey or security key was not recognised." in page
    assert page.count('class="govuk-error-summary"') == 1
    assert "<title>Error: Add a passkey or security key" in page
    assert not Authenticator.objects.filter(user=user).exists()


def test_sign_in_with_password_then_key(client, db):
    user = UserFactory(mfa=False)
    key = SoftKey()
    key_added(user, key)
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response["Location"] == reverse("mfa_authenticate")
    page = client.get(reverse("mfa_authenticate"))
    text = page.content.decode()
    assert '<h1 class="govuk-heading-l">Use your passkey or security key</h1>' in text
    assert 'id="mfa_webauthn_authenticate"' in text
    assert "Authenticator code or recovery code" in text  # the other way
    # allauth's scripts load as static files; the options come in a JSON data block.
    assert "script-src 'self'" in page["Content-Security-Policy"]
    assert "<script>" not in text
    assert '<script id="js_data" type="application/json">' in text
    assert client.get(reverse("home")).status_code == 302  # not signed in yet
    credential = key.sign(page.context["js_data"]["request_options"])
    response = client.post(reverse("mfa_authenticate"), {"credential": as_posted(credential)})
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200


def test_sign_in_refuses_a_key_that_is_not_theirs(client, db):
    user = UserFactory(mfa=False)
    key_added(user, SoftKey())
    client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    page = client.get(reverse("mfa_authenticate"))
    stranger = SoftKey().sign(page.context["js_data"]["request_options"])
    response = client.post(reverse("mfa_authenticate"), {"credential": as_posted(stranger)})
    assert response.status_code == 200
    text = response.content.decode()
    assert "Your passkey or security key was not recognised." in text
    assert "<title>Error: Use your passkey or security key" in text
    assert client.get(reverse("home")).status_code == 302


def test_sign_in_page_of_a_person_without_a_key_asks_for_the_code(client, db):
    user = UserFactory()
    client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    text = client.get(reverse("mfa_authenticate")).content.decode()
    assert '<h1 class="govuk-heading-l">Enter your authenticator code</h1>' in text
    assert "mfa_webauthn_authenticate" not in text


def test_two_factor_page_shows_the_app_and_the_keys(client, db):
    user = UserFactory()
    client.force_login(user)
    text = client.get(reverse("mfa_index")).content.decode()
    assert "Authenticator app" in text
    assert "Passkeys and security keys" in text
    assert "You have not added a passkey or security key." in text
    assert f'href="{reverse("mfa_add_webauthn")}"' in text
    key_added(user, SoftKey())
    key_added(user, SoftKey(), name="Blue USB key")
    text = client.get(reverse("mfa_index")).content.decode()
    assert "You have added 2 passkeys or security keys." in text
    assert f'href="{reverse("mfa_list_webauthn")}"' in text


def test_keys_are_listed_renamed_and_removed(client, db):
    user = UserFactory(mfa=False)
    key = SoftKey()
    added = key_added(user, key)
    sign_in_with_key(client, user, key)

    text = client.get(reverse("mfa_list_webauthn")).content.decode()
    assert '<h2 class="govuk-summary-card__title">Work laptop</h2>' in text
    assert "Security key" in text  # not kept on the device (a passkey would be)
    assert "Not used yet" not in text  # used to sign in just now

    edit_url = reverse("mfa_edit_webauthn", kwargs={"pk": added.pk})
    confirm_with_key(client, key, edit_url)  # changing a key asks to confirm it is you
    assert (
        '<h1 class="govuk-heading-l">Rename Work laptop</h1>'
        in client.get(edit_url).content.decode()
    )
    response = client.post(edit_url, {"name": "Home laptop"})
    assert response["Location"] == reverse("mfa_list_webauthn")
    added.refresh_from_db()
    assert added.wrap().name == "Home laptop"

    remove_url = reverse("mfa_remove_webauthn", kwargs={"pk": added.pk})
    assert (
        '<h1 class="govuk-heading-l">Remove Home laptop</h1>'
        in client.get(remove_url).content.decode()
    )
    response = client.post(remove_url)
    assert response["Location"] == reverse("mfa_list_webauthn")
    # With it went the recovery codes: nothing left, so set up a second factor again.
    assert not Authenticator.objects.filter(user=user).exists()
    assert client.get(reverse("home"))["Location"] == reverse("mfa_activate_totp")


def test_another_persons_key_is_not_found(client, db):
    theirs = key_added(UserFactory(mfa=False), SoftKey())
    me, my_key = UserFactory(mfa=False), SoftKey()
    mine = key_added(me, my_key)
    client.force_login(me)
    confirm_with_key(client, my_key, reverse("mfa_edit_webauthn", kwargs={"pk": mine.pk}))
    for name in ["mfa_edit_webauthn", "mfa_remove_webauthn"]:
        assert client.get(reverse(name, kwargs={"pk": theirs.pk})).status_code == 404
    assert client.post(reverse("mfa_remove_webauthn", kwargs={"pk": theirs.pk})).status_code == 404
    assert Authenticator.objects.filter(pk=theirs.pk).exists()


def test_confirming_it_is_you_with_a_key(client, db):
    user = UserFactory(mfa=False)
    key_added(user, SoftKey())
    client.force_login(user)
    response = client.get(reverse("mfa_reauthenticate_webauthn"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Use your passkey or security key" in text
    assert "<script>" not in text
