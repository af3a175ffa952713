"""A mail server for the worker tests: each message becomes one `.eml` file in
EMAIL_FILE_PATH, written whole (a test never counts half a message). `TEST_EMAIL_DELAY`
(seconds) makes it a slow relay; `TEST_EMAIL_BLOCK_AT=N` makes it hang, before accepting,
once N messages are in, after leaving a `blocked` file: the test then kills the worker in
the middle of a send."""

import os
import time
import uuid
from pathlib import Path

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend


class SinkBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        directory = Path(settings.EMAIL_FILE_PATH)
        block_at = int(os.environ.get("TEST_EMAIL_BLOCK_AT", "0"))
        delay = float(os.environ.get("TEST_EMAIL_DELAY", "0"))
        for message in email_messages:
            if block_at and len(list(directory.glob("*.eml"))) >= block_at:
                (directory / "blocked").touch()
                time.sleep(600)
            if delay:
                time.sleep(delay)
            name = uuid.uuid4().hex
            partial = directory / f".{name}.tmp"
            partial.write_bytes(message.message().as_bytes())
            partial.rename(directory / f"{name}.eml")
        return len(email_messages)
