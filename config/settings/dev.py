"""The demo and local development: runs with nothing configured."""

from .base import *

DEBUG = env_bool("DEBUG", True)
DEMO_MODE = env_bool("PEERCHALLENGE_DEMO", True)
SECRET_KEY = SECRET_KEY or "dev-only-insecure-key-do-not-use-in-production"
VAR_DIR.mkdir(parents=True, exist_ok=True)

# scripts/demo serves on PORT, read as runserver reads it: "8123" (on 127.0.0.1) or
# "address:8123". Links in emails follow it unless SITE_URL says otherwise (a proxy, say).
_address, _, _port = os.environ.get("PORT", "").rpartition(":")
# runserver's "every address": links need one a browser opens.
_named = _address if _address not in {"", "0", "0.0.0.0", "[::]"} else ""  # noqa: S104
if _named and _named not in ALLOWED_HOSTS:
    ALLOWED_HOSTS = [*ALLOWED_HOSTS, _named]
if not os.environ.get("SITE_URL"):
    SITE_URL = f"http://{_named or '127.0.0.1'}:{_port or '8000'}"

# Emails go to files, one per message, not the terminal (seeding alone sends a hundred,
# which buried the demo accounts); SMTP when EMAIL_HOST is set.
if not EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = VAR_DIR / "emails"

# SQLite (demo only) cannot enforce "nulls not distinct"; the membership services check it.
SILENCED_SYSTEM_CHECKS = [*SILENCED_SYSTEM_CHECKS, "models.W047"]
