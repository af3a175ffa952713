"""Reminders go out once even when two scans race: a real Celery worker (prefork, two
processes) on the real Redis runs the daily scan twice at the same moment, against the test
database; its email goes to files that the test counts."""

import datetime
import email
import os
import re
import subprocess
import sys
import time
import uuid
from collections import Counter
from importlib import import_module
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings as django_settings
from django.db import connection
from django.utils import timezone
from django_scopes import scope, scopes_disabled
from kombu import Connection, Queue

from config.celery import app
from peerchallenge.models import ReminderLog
from peerchallenge.services import action_create
from peerchallenge.tasks import reminders_scan
from tests.factories import council
from tests.triads.factories import CycleFactory, make_triads

# A broker database of its own: the test cache (db 15) is flushed around every test.
BROKER = os.environ.get("TEST_WORKER_BROKER_URL", "redis://127.0.0.1:6379/13")
START_TIMEOUT = 30
RUN_TIMEOUT = 60

# The worker is a separate process on the machine's clock, so the test reads that clock too.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.real_clock]


@pytest.fixture
def reference_data(transactional_db):
    """A transactional test's flush removes the councils; load them again first."""
    import_module("peerchallenge.migrations.0002_reference_data").load(apps, None)


def database_url() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    return f"postgres://{db['USER']}{password}@{host}:{port}/{db['NAME']}"


def start_worker(
    *, queue: str, mail_dir: Path, log: Path, concurrency: int = 2, **extra_env
) -> subprocess.Popen:
    env = {
        "TEST_CELERY_QUEUE": queue,
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "CELERY_EAGER": "0",
        "TEST_DATABASE_URL": database_url(),
        "TEST_REDIS_URL": BROKER,
        "TEST_EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "TEST_EMAIL_FILE_PATH": str(mail_dir),
        **extra_env,
    }
    command = [
        str(Path(sys.executable).parent / "celery"),
        "-A",
        "config",
        "worker",
        "--pool=prefork",
        f"--concurrency={concurrency}",
        "-l",
        "info",
        "-Q",
        queue,
        "-n",
        f"{queue}@%h",
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
    ]
    with log.open("wb") as output:
        worker = subprocess.Popen(
            command,
            env=env,
            cwd=django_settings.BASE_DIR,
            stdout=output,
            stderr=output,
            start_new_session=True,  # its own process group, which a test may SIGKILL whole
        )
    deadline = time.monotonic() + START_TIMEOUT
    while " ready." not in log.read_text(errors="replace"):
        if worker.poll() is not None:
            pytest.fail(f"The Celery worker exited ({worker.returncode}):\n{log.read_text()}")
        if time.monotonic() > deadline:
            worker.kill()
            pytest.fail(f"The Celery worker did not start in {START_TIMEOUT} s:\n{log.read_text()}")
        time.sleep(0.2)
    return worker


def stop_worker(worker: subprocess.Popen, queue: str) -> None:
    worker.terminate()  # warm shutdown: the pool's processes stop with it
    try:
        worker.wait(timeout=15)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.wait()
    with Connection(BROKER) as broker:
        Queue(queue).bind(broker.default_channel).delete()


def sent_messages(mail_dir: Path) -> list[tuple[str, str]]:
    """(to, subject) of every message the file backend wrote (one file per connection)."""
    found = []
    for path in mail_dir.iterdir():
        for chunk in path.read_text().split("-" * 79):
            if chunk.strip():
                message = email.message_from_string(chunk.strip())
                found.append((message["To"], " ".join(message["Subject"].split())))
    return found


def test_two_racing_scans_send_each_reminder_once(reference_data, world, tmp_path):
    today = timezone.localdate()
    # Key lines of enquiry due in 7 days (the default reminder day) in both alliances, and
    # one of Derby's agreed actions due in 7 days.
    cycle = CycleFactory(
        alliance=world.em, name="Race cycle", event_date=today + datetime.timedelta(weeks=5)
    )
    make_triads(cycle, [[council("Derby"), council("Nottingham"), council("Leicester")]])
    london = CycleFactory(
        alliance=world.london, name="London race", event_date=today + datetime.timedelta(weeks=5)
    )
    make_triads(london, [[council("Camden"), council("Hackney"), council("Islington")]])
    with scope(alliance=world.em):
        action_create(
            source=cycle,
            local_authority=council("Derby"),
            what="Recruit managers",
            owner="Head of service",
            due_date=today + datetime.timedelta(days=7),
            tier2_group=None,
            created_by=world.pm,
        )
    when = f"{cycle.kloes_due.day} {cycle.kloes_due:%B %Y}"
    expected = {
        ("oscar@example.org", f"Share Derby's key lines of enquiry for Race cycle by {when}"),
        ("dee@example.org", f"Share Derby's key lines of enquiry for Race cycle by {when}"),
        (
            world.london_membership.user.email,
            f"Share Camden's key lines of enquiry for London race by {when}",
        ),
        ("oscar@example.org", f"Derby's agreed action is due by {when}: Recruit managers"),
        ("dee@example.org", f"Derby's agreed action is due by {when}: Recruit managers"),
    }
    expected = {(to, f"[Action required] {subject}") for to, subject in expected}

    queue = f"reminders-test-{uuid.uuid4().hex[:12]}"
    mail_dir, log = tmp_path / "mail", tmp_path / "worker.log"
    mail_dir.mkdir()
    eager = app.conf.task_always_eager
    worker = start_worker(queue=queue, mail_dir=mail_dir, log=log)
    try:
        app.conf.task_always_eager = False
        with Connection(BROKER) as broker:
            for _ in range(2):  # the same moment: one task for each of the worker's processes
                reminders_scan.apply_async(queue=queue, connection=broker)

        deadline = time.monotonic() + RUN_TIMEOUT
        while len(re.findall(r"scan\[[^]]+\] succeeded in [\d.]+s", log.read_text())) < 2 or (
            len(sent_messages(mail_dir)) < len(expected)
        ):
            if worker.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"The two scans did not both finish:\n{log.read_text()}")
            time.sleep(0.2)
    finally:
        app.conf.task_always_eager = eager
        stop_worker(worker, queue)

    results = [
        int(n) for n in re.findall(r"scan\[[^]]+\] succeeded in [\d.]+s: (\d+)", log.read_text())
    ]
    assert len(results) == 2
    assert sum(results) == 5  # between them, the two scans queued each reminder once

    messages = sent_messages(mail_dir)
    assert Counter(messages) == dict.fromkeys(expected, 1)
    with scopes_disabled():
        rows = list(
            ReminderLog.objects.values_list("recipient__email", "email_subject", "email__state")
        )
    assert sorted(rows) == sorted((to, subject, "sent") for to, subject in expected)
