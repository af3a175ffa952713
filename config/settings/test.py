"""Tests run on the real PostgreSQL and Redis of the machine."""

import os

from .base import *

SECRET_KEY = "test-only-key"  # noqa: S105
DEBUG = False
DEMO_MODE = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("TEST_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/peerchallenge")
    )
}
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
CACHES = {
    "default": {
        "BACKEND": "peerchallenge.cache.ResilientRedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "peerchallenge-test",
    }
}
CELERY_BROKER_URL = REDIS_URL
CELERY_BROKER_TRANSPORT = "config.broker:Transport"
# A real worker only in the tests that prove queue behaviour (they start it with
# CELERY_EAGER=0).
CELERY_TASK_ALWAYS_EAGER = os.environ.get("CELERY_EAGER", "1") == "1"
# The worker tests give their worker a queue of its own; what its tasks enqueue (the
# outbox's delivery tasks) goes there too.
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("TEST_CELERY_QUEUE", "celery")
# The worker tests shorten the outbox's waits (seconds) to see a dead worker's row re-sent.
OUTBOX_SENDING_TIMEOUT = float(os.environ.get("TEST_OUTBOX_SENDING_TIMEOUT", "180"))
OUTBOX_REDISPATCH_AFTER = float(os.environ.get("TEST_OUTBOX_REDISPATCH_AFTER", "300"))
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# The worker test's worker writes its email to files the test then counts.
EMAIL_BACKEND = os.environ.get(
    "TEST_EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend"
)
EMAIL_FILE_PATH = os.environ.get("TEST_EMAIL_FILE_PATH", "")
AXES_ENABLED = True
VAR_DIR = BASE_DIR / "var" / "test"
STORAGES = {
    **STORAGES,
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": VAR_DIR / "uploads", "base_url": None},
    },
}
AXES_VERBOSE = False
