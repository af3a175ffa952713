"""The outbox: every email is a row first; a row is sent once, retried with backoff when the
mail server fails, re-queued when its worker died, and nothing raises into the request."""

import datetime

import pytest
import time_machine
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled
from kombu.exceptions import OperationalError

from peerchallenge.models import Invitation, OutboundEmail
from peerchallenge.services.email import email_queue, outbox_deliver, outbox_retry
from peerchallenge.tasks import outbox_deliver_task
from tests.factories import UserFactory
from tests.outbox import deliver_queued


class SmtpDown(BaseEmailBackend):
    """An SMTP server that is down."""

    def send_messages(self, email_messages):
        raise ConnectionRefusedError("Connection refused by smtp.example.org")


SMTP_DOWN = "tests.peerchallenge.test_outbox.SmtpDown"


def queue(**kwargs) -> OutboundEmail:
    with scopes_disabled():
        return email_queue(
            template="invitation",
            to=["ivy@example.org"],
            context={"invitation": None, "accept_url": "http://testserver/x/"},
            **kwargs,
        )


def later(seconds):
    return time_machine.travel(timezone.now() + datetime.timedelta(seconds=seconds))


def test_a_sent_row_is_never_sent_again(db, mailoutbox):
    row = queue()
    assert outbox_deliver(email_id=row.pk) is True
    assert outbox_deliver(email_id=row.pk) is False  # a retry, a duplicate task
    assert deliver_queued() == 0
    assert len(mailoutbox) == 1
    row.refresh_from_db()
    assert (row.state, row.attempts) == ("sent", 1)
    assert mailoutbox[0].extra_headers["Message-ID"] == row.message_id


def test_the_same_dedupe_key_queues_once(db, mailoutbox):
    first = queue(dedupe_key="report:1:ivy@example.org")
    second = queue(dedupe_key="report:1:ivy@example.org")
    assert first.pk == second.pk
    assert deliver_queued() == 1
    assert len(mailoutbox) == 1


def test_smtp_down_retries_with_backoff_then_fails_and_can_be_retried(db, mailoutbox, settings):
    settings.EMAIL_BACKEND = SMTP_DOWN
    settings.OUTBOX_MAX_ATTEMPTS = 3
    row = queue()
    assert deliver_queued() == 1
    row.refresh_from_db()
    assert (row.state, row.attempts) == ("queued", 1)
    assert row.last_error == "ConnectionRefusedError: Connection refused by smtp.example.org"
    assert deliver_queued() == 0  # not before its minute is up
    with later(61):
        assert deliver_queued() == 1
    with later(61 + 121):
        assert deliver_queued() == 1
    row.refresh_from_db()
    assert (row.state, row.attempts) == ("failed", 3)

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with later(4000):
        assert deliver_queued() == 0  # failed: only a person sends it again
        assert outbox_retry(email_ids=[row.pk]) == 1
        assert deliver_queued() == 1
    row.refresh_from_db()
    assert (row.state, row.attempts, row.last_error) == ("sent", 1, "")
    assert len(mailoutbox) == 1


def test_a_row_left_sending_by_a_dead_worker_is_sent_later(db, mailoutbox):
    row = queue()
    OutboundEmail.objects.filter(pk=row.pk).update(
        state="sending", claimed_at=timezone.now(), attempts=1
    )
    assert deliver_queued() == 0  # a worker may still be sending it
    with later(181):
        assert deliver_queued() == 1
    row.refresh_from_db()
    assert (row.state, row.attempts) == ("sent", 2)
    assert len(mailoutbox) == 1


def test_a_sensitive_message_has_its_body_erased_once_sent(db, mailoutbox):
    row = queue(sensitive=True)
    deliver_queued()
    row.refresh_from_db()
    assert (row.state, row.body_text, row.body_html) == ("sent", "", "")
    assert "http://testserver/x/" in mailoutbox[0].body


def test_an_invitation_with_smtp_and_redis_down_is_saved_and_sent_later(
    client, world, mailoutbox, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = SMTP_DOWN

    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(outbox_deliver_task, "apply_async", broker_down)
    client.force_login(world.admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("member_invite", kwargs={"alliance": world.em.slug}),
            {"email": "ivy@example.org", "full_name": "Ivy Invitee", "role": "peer_reviewer"},
        )
    assert response.status_code == 302
    with scopes_disabled():
        invitation = Invitation.objects.get(email="ivy@example.org")
        row = OutboundEmail.objects.get(dedupe_key=f"invitation:{invitation.pk}")
    assert (row.state, row.attempts, row.to) == ("queued", 0, ["ivy@example.org"])

    monkeypatch.undo()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with later(301):  # the sweeper, once the lost task is overdue
        assert deliver_queued() == 1
    assert [message.to for message in mailoutbox] == [["ivy@example.org"]]


def test_seed_demo_works_with_smtp_down(db, settings):
    settings.EMAIL_BACKEND = SMTP_DOWN
    call_command("seed_demo", force=True, stdout=open("/dev/null", "w"))  # noqa: SIM115
    with scopes_disabled():
        rows = OutboundEmail.objects.all()
        assert rows.exists()
        assert not rows.filter(state="sent").exists()
        assert rows.filter(last_error__startswith="ConnectionRefusedError").exists()


@pytest.mark.parametrize("state", ["queued", "sent"])
def test_the_outbox_admin_is_read_only(client, db, state):
    superuser = UserFactory(email="root@example.org", is_staff=True, is_superuser=True)
    client.force_login(superuser)
    admin_client = client
    row = queue()
    OutboundEmail.objects.filter(pk=row.pk).update(state=state)
    page = admin_client.get(reverse("admin:peerchallenge_outboundemail_change", args=[row.pk]))
    assert page.status_code == 200
    assert b'name="_save"' not in page.content
    assert admin_client.get(reverse("admin:peerchallenge_outboundemail_add")).status_code == 403
