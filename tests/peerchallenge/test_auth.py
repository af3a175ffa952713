"""Sign-in: no public sign-up, two factors before anything else, rate limits, lockouts."""

import pyotp
import pytest
from allauth.mfa.models import Authenticator
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_scopes import scopes_disabled

from peerchallenge.models import OutboundEmail, User
from tests.factories import PASSWORD, UserFactory
from tests.outbox import deliver_queued


def test_public_sign_up_is_closed(client, db):
    response = client.post(
        reverse("account_signup"),
        {"email": "someone@example.org", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 200
    assert "Sign up closed" in response.content.decode() or "closed" in response.content.decode()
    assert not User.objects.filter(email="someone@example.org").exists()


def test_person_without_two_factor_is_made_to_set_it_up(client, world):
    user = UserFactory(mfa=False)
    client.force_login(user)
    for url in [reverse("home"), reverse("council_list", kwargs={"alliance": world.em.slug})]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == reverse("mfa_activate_totp")
    # The first set-up does not ask for the password again; removing TOTP later does.
    assert client.get(reverse("mfa_activate_totp")).status_code == 200


def test_the_two_factor_gate_reads_the_person_with_their_authenticator(client, world):
    """The gate runs on every page: whether the person has an authenticator is read with the
    person (SignInBackend), not by a query of its own; taking it away gates the next page."""
    user = UserFactory()  # with an authenticator app
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("calendar_settings")).status_code == 200
    sql = [query["sql"] for query in queries.captured_queries]
    assert not [q for q in sql if q.startswith('SELECT 1 AS "a" FROM "mfa_authenticator"')]
    assert [q for q in sql if '"has_second_factor"' in q and 'FROM "peerchallenge_user"' in q]
    Authenticator.objects.filter(user=user).delete()
    assert client.get(reverse("home"))["Location"] == reverse("mfa_activate_totp")


def test_demo_account_skips_two_factor_only_in_demo_mode(client, db, settings):
    user = UserFactory(mfa=False, is_demo_account=True)
    client.force_login(user)
    settings.DEMO_MODE = False
    assert client.get(reverse("home"))["Location"] == reverse("mfa_activate_totp")
    settings.DEMO_MODE = True
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert "demo" in response.content.decode().lower()


def test_sign_in_asks_for_the_authenticator_code(client, db):
    user = UserFactory(email="ada@example.org")
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    assert client.get(reverse("home")).status_code == 302  # not signed in yet
    code = pyotp.TOTP(user.totp_secret).now()
    response = client.post(reverse("mfa_authenticate"), {"code": code})
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200


def test_failed_sign_ins_are_rate_limited(client, db):
    user = UserFactory()
    statuses = [
        client.post(
            reverse("account_login"), {"login": user.email, "password": "wrong"}
        ).status_code
        for _ in range(7)
    ]
    assert statuses == [200] * 7  # the form again, with an error
    # Even the right password is refused while the limit holds.
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 200
    assert "Too many failed login attempts. Try again later." in response.content.decode()
    assert client.get(reverse("home")).status_code == 302


def test_admin_login_goes_through_allauth(client, db):
    response = client.get("/admin/login/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_axes_locks_out_after_repeated_failures(client, db, settings):
    settings.ACCOUNT_RATE_LIMITS = False  # isolate django-axes from allauth's own limits
    user = UserFactory()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("account_login"), {"login": user.email, "password": "wrong"})
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 429
    assert "locked" in response.content.decode().lower()


def test_password_reset_sends_a_link(client, db, mailoutbox):
    user = UserFactory(email="forgetful@example.org")
    response = client.post(reverse("account_reset_password"), {"email": user.email})
    assert response.status_code == 302
    with scopes_disabled():
        queued = OutboundEmail.objects.get()
    assert (queued.to, queued.sensitive, queued.state) == ([user.email], True, "queued")
    assert deliver_queued() == 1  # allauth's mail goes through the outbox too
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [user.email]
    assert "/accounts/password/reset/key/" in mailoutbox[0].body


@pytest.mark.parametrize("url_name", ["account_login", "account_reset_password"])
def test_sign_in_pages_are_public(client, db, url_name):
    assert client.get(reverse(url_name)).status_code == 200


def test_removing_two_factor_asks_for_the_password_again(client, db):
    user = UserFactory()
    client.force_login(user)
    response = client.get(reverse("mfa_deactivate_totp"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))


def test_recovery_codes_need_the_password_again_once_enrolment_is_over(client, db):
    import time_machine

    user = UserFactory()
    client.force_login(user)
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

    RecoveryCodes.activate(user)
    assert client.get(reverse("mfa_view_recovery_codes")).status_code == 200  # just enrolled
    with time_machine.travel(timezone_now_plus(minutes=10)):
        client.force_login(user)
        response = client.get(reverse("mfa_view_recovery_codes"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))


def timezone_now_plus(**delta):
    from datetime import timedelta

    from django.utils import timezone

    return timezone.now() + timedelta(**delta)


def test_an_unverified_address_must_be_confirmed_before_sign_in(client, db, mailoutbox):
    """A person created outside an invitation (e.g. in the Django admin) confirms their
    address by the emailed link before the sign-in completes."""
    from allauth.account.models import EmailAddress

    user = UserFactory(email="ada@example.org")
    EmailAddress.objects.filter(user=user).update(verified=False)
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert client.get(reverse("home")).status_code == 302  # not signed in
    assert deliver_queued() == 1
    assert len(mailoutbox) == 1
    link = next(word for word in mailoutbox[0].body.split() if "/accounts/confirm-email/" in word)
    client.post(link.split("testserver", 1)[-1])
    assert EmailAddress.objects.get(user=user).verified is True
