"""Production: PostgreSQL, Redis, SMTP, HTTPS. Everything secret comes from the environment."""

from django.core.exceptions import ImproperlyConfigured

from config.error_reporting import init_error_reporting

from .base import *

DEBUG = False
if DEMO_MODE:
    raise ImproperlyConfigured("PEERCHALLENGE_DEMO must not be set in production.")
if not SECRET_KEY:
    raise ImproperlyConfigured("Set SECRET_KEY.")
if not os.environ.get("DATABASE_URL"):
    raise ImproperlyConfigured("Set DATABASE_URL (PostgreSQL) — SQLite is for the demo only.")
if not os.environ.get("ALLOWED_HOSTS"):
    raise ImproperlyConfigured("Set ALLOWED_HOSTS (comma-separated host names).")
if not REDIS_URL:
    # Without a broker, reports and email would run inside web requests, with no time limit.
    raise ImproperlyConfigured("Set REDIS_URL (the cache and the Celery broker).")

# The database: check a pooled connection before reusing it (a dropped connection is replaced
# instead of failing the request), give up connecting after 5 s and stop any statement after
# 30 s, so that a hanging database gives a quick 503 rather than hung gunicorn workers.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("CONN_MAX_AGE", "60"))
DATABASES["default"].setdefault("OPTIONS", {}).update(
    {
        "connect_timeout": int(os.environ.get("DATABASE_CONNECT_TIMEOUT", "5")),
        "options": "-c statement_timeout="
        + str(int(os.environ.get("DATABASE_STATEMENT_TIMEOUT_MS", "30000"))),
    }
)

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# /healthz answers the load balancer over plain HTTP inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "config.storage.StaticFilesStorage"},
}

# Error reporting (Sentry): on only when SENTRY_DSN is set, with personal data left behind.
# Here rather than in base.py so that development and the tests never report.
init_error_reporting(os.environ)
