"""Two-factor secrets are encrypted at rest, so a backup of the database does not hold them."""

from importlib import import_module

import pyotp
from allauth.mfa.models import Authenticator
from cryptography.fernet import Fernet
from django.apps import apps
from django.urls import reverse

from peerchallenge.checks import totp_key_check
from tests.factories import PASSWORD, UserFactory

migration = import_module("peerchallenge.migrations.0011_encrypt_mfa_secrets")


def stored(user, kind):
    return Authenticator.objects.get(user=user, type=kind).data


def test_totp_secret_is_stored_encrypted_and_sign_in_works(client, db):
    user = UserFactory(email="ada@example.org")
    data = stored(user, Authenticator.Type.TOTP)
    assert data["secret"].startswith("fernet:")
    assert user.totp_secret not in str(data)

    client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    response = client.post(
        reverse("mfa_authenticate"), {"code": pyotp.TOTP(user.totp_secret).now()}
    )
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200


def test_migration_encrypts_secrets_stored_in_clear_text(client, db):
    user = UserFactory(email="ada@example.org")
    Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).update(
        data={"secret": user.totp_secret}
    )  # as allauth stored it before

    migration.encrypt(apps, None)
    migration.encrypt(apps, None)  # twice: already encrypted values are left alone

    data = stored(user, Authenticator.Type.TOTP)
    assert data["secret"].startswith("fernet:")
    assert user.totp_secret not in str(data)
    client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    response = client.post(
        reverse("mfa_authenticate"), {"code": pyotp.TOTP(user.totp_secret).now()}
    )
    assert response.status_code == 302


def test_deploy_check_requires_a_valid_key(settings):
    settings.PEERCHALLENGE_TOTP_KEY = ""
    assert [error.id for error in totp_key_check(None)] == ["peerchallenge.E001"]
    settings.PEERCHALLENGE_TOTP_KEY = "not-a-key"
    assert [error.id for error in totp_key_check(None)] == ["peerchallenge.E002"]
    settings.PEERCHALLENGE_TOTP_KEY = Fernet.generate_key().decode()
    assert totp_key_check(None) == []
