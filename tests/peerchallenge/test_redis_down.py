"""While Redis is away (the cache pointed at a port where nothing listens), sign-in keeps
working, two factors included, and replaying a used code is still refused."""

import pyotp
import pytest
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory

DEAD_REDIS = "redis://127.0.0.1:1/0"


@pytest.fixture
def redis_down(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "peerchallenge.cache.ResilientRedisCache",
            "LOCATION": DEAD_REDIS,
            "KEY_PREFIX": "peerchallenge-test",
        }
    }


def test_sign_in_with_two_factors_works_while_redis_is_down(client, db, redis_down):
    user = UserFactory(email="ada@example.org")
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    code = pyotp.TOTP(user.totp_secret).now()
    response = client.post(reverse("mfa_authenticate"), {"code": code})
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200

    # The same code again, in another session, is refused (the process remembers it).
    other = client.__class__()
    other.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    response = other.post(reverse("mfa_authenticate"), {"code": code})
    assert response.status_code == 200
    assert "Incorrect code." in response.content.decode()


def test_failed_sign_ins_are_still_rate_limited_while_redis_is_down(client, db, redis_down):
    user = UserFactory()
    for _ in range(7):
        client.post(reverse("account_login"), {"login": user.email, "password": "wrong"})
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 200
    assert "Too many failed login attempts. Try again later." in response.content.decode()
