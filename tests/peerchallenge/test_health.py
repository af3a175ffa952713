import datetime
import json

import redis
import time_machine
from django.db import OperationalError, connection
from django.urls import reverse
from django.utils import timezone
from kombu import Connection, Queue

from peerchallenge.tasks import heartbeat


def test_healthz_reports_database_and_redis(client, db):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert json.loads(response.content) == {"status": "ok", "database": "ok", "redis": "ok"}


def test_healthz_is_503_when_redis_is_down(client, db, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert json.loads(response.content) == {
        "status": "unavailable",
        "database": "ok",
        "redis": "unavailable",
    }


def test_healthz_reports_a_stopped_worker_and_beat(client, db, settings):
    """With a real broker, the worker and beat must have written a heartbeat lately."""
    settings.CELERY_TASK_ALWAYS_EAGER = False
    redis.Redis.from_url(settings.REDIS_URL).delete(
        "peerchallenge:heartbeat:worker", "peerchallenge:heartbeat:beat"
    )
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert json.loads(response.content) == {
        "status": "unavailable",
        "database": "ok",
        "redis": "ok",
        "worker": "unavailable",
        "beat": "unavailable",
    }

    # Beat sends the heartbeat task (and records its own): the worker is still missing.
    with Connection(settings.CELERY_BROKER_URL) as broker:
        heartbeat.apply_async(connection=broker, queue="healthz-test-unconsumed")
        Queue("healthz-test-unconsumed").bind(broker.default_channel).delete()
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert json.loads(response.content)["beat"] == "ok"
    assert json.loads(response.content)["worker"] == "unavailable"

    heartbeat()  # the worker runs it
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert json.loads(response.content) == {
        "status": "ok",
        "database": "ok",
        "redis": "ok",
        "worker": "ok",
        "beat": "ok",
    }

    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=4)):
        response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert json.loads(response.content)["worker"] == "unavailable"


def test_a_database_outage_gives_a_503_try_again_page(client, world):
    """Every query fails as it does when PostgreSQL is unreachable: a 503 page that says to
    try again shortly, with Retry-After, not the generic 500."""

    def unreachable(execute, sql, params, many, context):
        raise OperationalError("connection to server at 127.0.0.1, port 5432 failed")

    client.force_login(world.pm)
    client.raise_request_exception = False
    with connection.execute_wrapper(unreachable):
        response = client.get(reverse("home"))
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "Sorry, the service is unavailable for a moment" in response.content.decode()
    assert "We cannot reach our database just now. Try again in a minute." in (
        response.content.decode()
    )
