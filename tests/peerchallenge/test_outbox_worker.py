"""The outbox under faults, with a real Celery worker on Redis and the test database: a
worker killed in the middle of 600 reminders, and a slow mail server. Every reminder arrives,
none twice."""

import datetime
import email
import os
import signal
import time
import uuid
from collections import Counter
from pathlib import Path

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled
from kombu import Connection

from config.celery import app
from peerchallenge.models import Action, OutboundEmail
from peerchallenge.tasks import outbox_sweep_task, reminders_scan
from tests.factories import ActionFactory, council
from tests.peerchallenge.test_reminders_worker import (
    BROKER,
    reference_data,  # noqa: F401  (a fixture)
    start_worker,
    stop_worker,
)
from tests.triads.factories import CycleFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.real_clock]
SINK = "tests.mail_sink.SinkBackend"
TIMEOUT = 90


def arrived(mail_dir: Path) -> list[tuple[str, str]]:
    found = []
    for path in mail_dir.glob("*.eml"):
        message = email.message_from_bytes(path.read_bytes())
        found.append((message["To"], " ".join(message["Subject"].split())))
    return found


def actions_due_in_a_week(world, count: int) -> None:
    """`count` of Derby's agreed actions due in 7 days: two reminders each (organiser, DCS)."""
    today = timezone.localdate()
    with scopes_disabled():
        cycle = CycleFactory(alliance=world.em, name="Kill cycle", event_date=today)
        # Built by the factory, saved in one insert: hundreds of rows, for a worker to chew on.
        Action.objects.bulk_create(
            ActionFactory.build(
                source=cycle,
                local_authority=council("Derby"),
                what=f"Action {number:03}",
                due_date=today + datetime.timedelta(days=7),
            )
            for number in range(count)
        )


def wait_for(condition, worker, log: Path, what: str) -> None:
    deadline = time.monotonic() + TIMEOUT
    while not condition():
        if worker.poll() is not None or time.monotonic() > deadline:
            pytest.fail(f"{what} did not happen:\n{log.read_text()[-5000:]}")
        time.sleep(0.2)


def sent_rows() -> int:
    with scopes_disabled():
        return OutboundEmail.objects.filter(state="sent").count()


def test_a_worker_killed_mid_batch_loses_no_reminder_and_sends_none_twice(
    reference_data,  # noqa: F811
    world,
    tmp_path,
):
    actions_due_in_a_week(world, 300)
    queue = f"outbox-kill-{uuid.uuid4().hex[:12]}"
    mail_dir, log = tmp_path / "mail", tmp_path / "worker.log"
    mail_dir.mkdir()
    sink = {"TEST_EMAIL_BACKEND": SINK, "TEST_EMAIL_FILE_PATH": str(mail_dir)}
    # One process, so the kill lands while the sink holds message 201 unaccepted.
    worker = start_worker(
        queue=queue,
        mail_dir=mail_dir,
        log=log,
        concurrency=1,
        TEST_EMAIL_BLOCK_AT="200",
        **sink,
    )
    eager = app.conf.task_always_eager
    try:
        app.conf.task_always_eager = False
        with Connection(BROKER) as broker:
            reminders_scan.apply_async(queue=queue, connection=broker)
        wait_for((mail_dir / "blocked").exists, worker, log, "The 201st send")
        os.killpg(worker.pid, signal.SIGKILL)  # the worker and its pool, mid-send
        worker.wait()
        assert len(arrived(mail_dir)) == 200

        # Back up, with the dead worker's claim considered stale after 2 s (180 s in
        # production) and lost tasks re-queued after 1 s (300 s); the sweeper runs as beat
        # would, every few seconds here.
        worker = start_worker(
            queue=queue,
            mail_dir=mail_dir,
            log=tmp_path / "worker2.log",
            concurrency=2,
            TEST_OUTBOX_SENDING_TIMEOUT="2",
            TEST_OUTBOX_REDISPATCH_AFTER="1",
            **sink,
        )
        log = tmp_path / "worker2.log"
        deadline = time.monotonic() + TIMEOUT
        while sent_rows() < 600:
            if worker.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"Not every reminder was sent:\n{log.read_text()[-5000:]}")
            with Connection(BROKER) as broker:
                outbox_sweep_task.apply_async(queue=queue, connection=broker)
            time.sleep(1.5)
    finally:
        app.conf.task_always_eager = eager
        stop_worker(worker, queue)

    messages = arrived(mail_dir)
    assert len(messages) == 600
    counts = Counter(messages)
    assert set(counts.values()) == {1}  # none twice
    assert {to for to, _ in counts} == {"oscar@example.org", "dee@example.org"}
    with scopes_disabled():
        assert OutboundEmail.objects.exclude(state="sent").count() == 0
        # The message the dead worker was sending was claimed twice, sent once.
        assert OutboundEmail.objects.filter(attempts=2).count() == 1


def test_a_slow_mail_server_gets_every_reminder_once(
    reference_data,  # noqa: F811
    world,
    tmp_path,
):
    actions_due_in_a_week(world, 10)  # 20 reminders, 0.5 s each
    queue = f"outbox-slow-{uuid.uuid4().hex[:12]}"
    mail_dir, log = tmp_path / "mail", tmp_path / "worker.log"
    mail_dir.mkdir()
    worker = start_worker(
        queue=queue,
        mail_dir=mail_dir,
        log=log,
        TEST_EMAIL_BACKEND=SINK,
        TEST_EMAIL_FILE_PATH=str(mail_dir),
        TEST_EMAIL_DELAY="0.5",
    )
    eager = app.conf.task_always_eager
    try:
        app.conf.task_always_eager = False
        with Connection(BROKER) as broker:
            reminders_scan.apply_async(queue=queue, connection=broker)
        wait_for(lambda: sent_rows() == 20, worker, log, "Sending all 20 reminders")
    finally:
        app.conf.task_always_eager = eager
        stop_worker(worker, queue)

    counts = Counter(arrived(mail_dir))
    assert len(counts) == 20
    assert set(counts.values()) == {1}
    # One task per message: none comes near a time limit, whatever the relay's pace.
    assert "TimeLimitExceeded" not in log.read_text()
