"""The session's clock: fixed at sign-in, read without writing, started again on "Stay
signed in", and the page told how long is left (the timeout warning, WCAG 2.2.1)."""

import datetime

import time_machine
from django.conf import settings
from django.contrib.sessions.models import Session
from django.urls import reverse

from peerchallenge.session_clock import WARNING_SECONDS, draft_owner_key
from tests import clock
from tests.factories import UserFactory

AGE = settings.SESSION_COOKIE_AGE


def _expire_date(client):
    return Session.objects.get(session_key=client.session.session_key).expire_date


def test_signing_in_fixes_the_end_of_the_session(client, world):
    client.force_login(world.pm)
    answer = client.get(reverse("session_status")).json()
    assert AGE - 5 <= answer["expires_in"] <= AGE
    assert answer["warn_before"] == WARNING_SECONDS
    # The database row ends when the page says it does.
    left = (_expire_date(client) - clock.NOW).total_seconds()
    assert abs(left - AGE) < 60


def test_asking_writes_nothing_and_the_time_runs_down(client, world):
    client.force_login(world.pm)
    ends = _expire_date(client)
    with time_machine.travel(clock.NOW + datetime.timedelta(hours=7), tick=False):
        answer = client.get(reverse("session_status")).json()
        home = client.get(reverse("home"))
    assert 3500 <= answer["expires_in"] <= 3600
    assert _expire_date(client) == ends  # neither the status nor a page moved the end
    body = home.content.decode()
    assert 'data-pc-session-expires-in="36' in body or 'data-pc-session-expires-in="35' in body
    assert 'id="session-timeout"' in body


def test_staying_signed_in_starts_the_full_time_again(client, world):
    client.force_login(world.pm)
    with time_machine.travel(clock.NOW + datetime.timedelta(hours=7, minutes=56), tick=False):
        assert client.get(reverse("session_status")).json()["expires_in"] <= WARNING_SECONDS
        answer = client.post(reverse("session_extend"), HTTP_ACCEPT="application/json").json()
        assert answer["expires_in"] == AGE
    with time_machine.travel(clock.NOW + datetime.timedelta(hours=9), tick=False):
        # Past the first end: still signed in.
        assert client.get(reverse("home")).status_code == 200


def test_without_staying_the_session_ends(client, world):
    client.force_login(world.pm)
    with time_machine.travel(clock.NOW + datetime.timedelta(hours=8, minutes=1), tick=False):
        response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_the_form_without_script_goes_back_to_the_page(client, world):
    client.force_login(world.pm)
    page = reverse("calendar_settings")
    response = client.post(reverse("session_extend"), {"next": page})
    assert response.status_code == 302 and response["Location"] == page
    response = client.post(reverse("session_extend"), {"next": "https://elsewhere.example.org/"})
    assert response["Location"] == "/"


def test_signed_out_the_clock_is_not_shown_and_cannot_be_kept_going(client):
    assert client.get(reverse("session_status")).status_code == 302
    assert client.post(reverse("session_extend")).status_code == 302
    page = client.get(reverse("account_login")).content.decode()
    assert "session-timeout" not in page and "data-pc-draft-owner" not in page


def test_a_session_without_a_fixed_end_shows_no_warning_time(client, world):
    client.force_login(world.pm)
    session = client.session
    del session["_session_expiry"]
    session.save()
    assert client.get(reverse("session_status")).json()["expires_in"] is None
    assert 'data-pc-session-expires-in=""' in client.get(reverse("home")).content.decode()


def test_drafts_are_kept_under_a_label_that_is_not_the_persons_id(world):
    other = UserFactory()
    assert draft_owner_key(world.pm) == draft_owner_key(world.pm)
    assert draft_owner_key(world.pm) != draft_owner_key(other)
    assert str(world.pm.pk) != draft_owner_key(world.pm)
    assert len(draft_owner_key(world.pm)) == 16
