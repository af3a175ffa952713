"""The worker survives Redis going away while it runs a task: a real worker (prefork, as in
production, gossip and mingle included) on a throwaway redis-server that the test stops mid-task
and starts again; the worker must reconnect and run the next task."""

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from kombu import Connection

from config.celery import app

pytestmark = [
    pytest.mark.real_clock,
    pytest.mark.skipif(shutil.which("redis-server") is None, reason="needs redis-server"),
]

TIMEOUT = 60


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_redis(port: int) -> subprocess.Popen:
    server = subprocess.Popen(
        [
            "redis-server",
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        # The throwaway Redis keeps real time even when the suite runs under libfaketime, which
        # stops it starting; only the worker and the test read the (moved) clock.
        env={k: v for k, v in os.environ.items() if k != "LD_PRELOAD"},
    )
    wait_for(lambda: _answers(port), "redis-server did not start")
    return server


def _answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


def wait_for(condition, message: str, log: Path | None = None) -> None:
    deadline = time.monotonic() + TIMEOUT
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"{message}:\n{log.read_text() if log else ''}")
        time.sleep(0.2)


def send(broker_url: str, seconds: float) -> None:
    with Connection(broker_url, transport=app.conf.broker_transport) as broker:
        app.send_task("tests.probe.sleep", args=[seconds], connection=broker)


def test_worker_reconnects_when_redis_goes_away_during_a_task(tmp_path):
    port = free_port()
    broker_url = f"redis://127.0.0.1:{port}/0"
    log = tmp_path / "worker.log"
    redis_server = start_redis(port)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "CELERY_EAGER": "0",
        "TEST_REDIS_URL": broker_url,
    }
    command = [
        str(Path(sys.executable).parent / "celery"),
        "-A", "config", "worker", "--include", "tests.config.worker_probe",
        "--pool=prefork", "--concurrency=2", "-l", "info",
    ]  # fmt: skip
    with log.open("wb") as output:
        worker = subprocess.Popen(
            command, env=env, cwd=django_settings.BASE_DIR, stdout=output, stderr=output
        )
    try:
        wait_for(lambda: " ready." in log.read_text(errors="replace"), "no worker", log)
        send(broker_url, 4)
        wait_for(lambda: "received" in log.read_text(errors="replace"), "no task", log)

        redis_server.terminate()  # Redis goes away while the task runs
        redis_server.wait(timeout=10)
        wait_for(lambda: "Connection to broker lost" in log.read_text(), "no loss seen", log)
        time.sleep(5)  # the task finishes and the worker retries while Redis is away
        assert worker.poll() is None, log.read_text()

        redis_server = start_redis(port)
        wait_for(lambda: log.read_text().count("Connected to") >= 2, "no reconnection", log)
        send(broker_url, 0)
        wait_for(
            lambda: len(re.findall(r"succeeded in [\d.]+s: 'slept'", log.read_text())) >= 2,
            "the task sent after the reconnection did not run",
            log,
        )
        assert worker.poll() is None
        assert "Unrecoverable error" not in log.read_text()
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=15)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
        redis_server.terminate()
        redis_server.wait(timeout=10)
