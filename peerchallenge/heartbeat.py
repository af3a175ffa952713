"""Heartbeats of the Celery worker and beat, for /healthz.

Beat sends the `peerchallenge.heartbeat` task every minute and records its own heartbeat as it
sends it (config/celery.py); the worker records its heartbeat when it runs the task. So a
stale beat heartbeat means beat stopped, and a stale worker heartbeat with a fresh beat one
means the worker stopped (or is stuck). Kept in Redis, which both already reach.
"""

import time

import redis
from django.conf import settings

PROCESSES = ("worker", "beat")
STALE_AFTER = 180  # seconds: three missed beats of the one-minute schedule
TIMEOUT = 2  # seconds to wait for Redis: /healthz must not hang


def _key(process: str) -> str:
    return f"peerchallenge:heartbeat:{process}"


def _client() -> redis.Redis:
    return redis.Redis.from_url(
        settings.REDIS_URL, socket_connect_timeout=TIMEOUT, socket_timeout=TIMEOUT
    )


def heartbeat_record(*, process: str) -> None:
    """Write `process`'s heartbeat (now), kept a day. Nothing without Redis (the demo runs
    the schedule in-process: there is no worker or beat to watch)."""
    if not settings.REDIS_URL:
        return
    _client().set(_key(process), str(time.time()), ex=60 * 60 * 24)


def heartbeats_stale() -> list[str]:
    """The processes whose heartbeat is missing or older than STALE_AFTER seconds."""
    values = _client().mget([_key(process) for process in PROCESSES])
    now = time.time()
    return [
        process
        for process, value in zip(PROCESSES, values, strict=True)
        if value is None or now - float(value) > STALE_AFTER
    ]
