"""A task for the worker tests only (the worker imports it with --include)."""

import time

from celery import shared_task


@shared_task(name="tests.probe.sleep")
def sleep(seconds: float) -> str:
    time.sleep(seconds)
    return "slept"
