"""Settings shared by every environment. Configuration comes from the environment.

With nothing set, the app runs as a self-contained demo: an SQLite file, Celery tasks run
in-process, email written to the console (to files in var/emails/ with the dev settings).
With DATABASE_URL and REDIS_URL it uses PostgreSQL, a Redis cache and a real Celery worker
and beat.
"""

import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("PEERCHALLENGE_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# Demo mode: a banner on every page, and accounts flagged as demo accounts may skip the
# two-factor set-up. Never on in production (production.py refuses it).
DEMO_MODE = env_bool("PEERCHALLENGE_DEMO", False)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "axes",
    "guardian",
    "crispy_forms",
    "crispy_forms_gds",
    "simple_history",
    "csp",
    "peerchallenge",
    "triads",
    "lga_cspc",
    "thematic",
    "ondemand",
    "benchmarking",
    "improvement",
    "reports",
    "bench",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages and exports compressed (a Tier 2 board is 167 KB, 11 KB gzipped). Below
    # WhiteNoise, which serves static files already compressed and returns before this
    # runs. Django's GZip adds random bytes to each response against BREACH, and CSRF
    # tokens are masked per response.
    "django.middleware.gzip.GZipMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "peerchallenge.middleware.RequireTwoFactorMiddleware",
    "peerchallenge.middleware.AllianceMiddleware",
    # After CSRF, sign-in and the alliance's 404: a replayed form token is answered with
    # the first submission's result, and the view does not run again.
    "peerchallenge.middleware.FormTokenMiddleware",
    # Axes last, as its documentation asks: it turns a lockout into a response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "peerchallenge.context_processors.site",
            ],
            # Its {% csrf_token %} adds a one-time form token (peerchallenge.form_tokens).
            "builtins": ["peerchallenge.templatetags.form_token"],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'demo.sqlite3'}", conn_max_age=60
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "peerchallenge.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "peerchallenge",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_USER_MODEL = "peerchallenge.User"
AUTHENTICATION_BACKENDS = [
    # Axes first: it refuses a locked-out login before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    # allauth's, loading the signed-in person with their two-factor state in one query.
    "peerchallenge.auth_backends.SignInBackend",
    # Role rules: has_perm(perm, alliance) from the person's memberships.
    "peerchallenge.permissions.RolePermissionBackend",
    # Per-object grants (this person on this challenge) with direct foreign-key models:
    # django-guardian's, asked only for models that have them, once per object a request.
    "peerchallenge.permissions.GrantBackend",
]
# guardian looks for its own backend by name; ours (above) extends it.
SILENCED_SYSTEM_CHECKS = ["guardian.W001"]
ANONYMOUS_USER_NAME = None  # guardian: no anonymous user row; anonymous users get nothing.

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

# django-allauth: email and password, no public sign-up (people are invited), verified
# email addresses, rate-limited logins, two factors with recovery codes.
ACCOUNT_ADAPTER = "peerchallenge.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Peer Challenge] "
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "reset_password": "20/m/ip,5/m/key",
    "confirm_email": "1/3m/key",
}
# Second factors: an authenticator app (TOTP) or a passkey or security key (WebAuthn), with
# recovery codes. A passkey is a second factor after the password, never instead of it:
# passkey-only sign-in would be a second way in, beside the password form that django-axes
# and the rate limits guard, for no gain the second-factor passkey does not already give
# (no code to copy, WCAG 3.3.8). The relying party is the host the page is served from
# (allauth's adapter), so a key works only on the host name it was added on. fido2 counts
# http://localhost as secure, so the demo and the browser tests need no
# MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN (it would stop checking the origin at all).
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_PASSKEY_LOGIN_ENABLED = False
MFA_TOTP_ISSUER = "Peer Challenge"
# Two-factor secrets are encrypted at rest with this Fernet key (peerchallenge/secrets_at_rest.py);
# required in production (a system check), derived from SECRET_KEY in the demo and tests.
MFA_ADAPTER = "peerchallenge.adapters.MFAAdapter"
PEERCHALLENGE_TOTP_KEY = os.environ.get("PEERCHALLENGE_TOTP_KEY", "")

# django-axes protects every login, the Django admin's included.
AXES_FAILURE_LIMIT = 10
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "login"
AXES_LOCKOUT_TEMPLATE = "account/locked_out.html"
AXES_RESET_ON_SUCCESS = True

CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"
CRISPY_GDS_FRONTEND_VERSION = "5.8.0"
CRISPY_FAIL_SILENTLY = False

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d %m %Y"]

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        # Uploads live outside every URL-served folder; a permission-checked view serves them.
        "OPTIONS": {"location": VAR_DIR / "uploads", "base_url": None},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Email: console (files under the dev settings, for the demo); SMTP when EMAIL_HOST is set.
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Peer Challenge <noreply@example.org>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
    EMAIL_TIMEOUT = 20
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

# Celery: a real broker when REDIS_URL is set; otherwise tasks run in-process.
CELERY_BROKER_URL = REDIS_URL or "memory://"
# Redis's transport with a fix that lets the worker reconnect when Redis goes away while a
# task runs (config/broker.py). Only for a Redis broker: it would replace memory://.
CELERY_BROKER_TRANSPORT = "config.broker:Transport" if REDIS_URL else None
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
# With acks_late, Redis hands a task that was taken but never acknowledged (its worker was
# killed) to another worker after this long. It must exceed the longest a task can wait
# reserved plus run (prefetch 1: one task's hard limit, then its own), or a running task would
# be delivered twice; email does not wait for it (the outbox sweeper re-queues sooner).
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 2 * CELERY_TASK_TIME_LIMIT + 300}
CELERY_BEAT_SCHEDULE = {
    # Heartbeats of beat and the worker, which /healthz reports (peerchallenge.heartbeat).
    "heartbeat": {
        "task": "peerchallenge.heartbeat",
        "schedule": 60.0,
        "options": {"expires": 50},
    },
    # Email reminders of stage deadlines (peerchallenge.reminders), once a day: queued in
    # the outbox, which delivers them.
    "reminders-daily": {
        "task": "peerchallenge.reminders.scan",
        "schedule": crontab(hour=7, minute=0),
    },
    # Report versions the broker lost, that were requested while it was away, or that a dead
    # worker left half-rendered are queued again; those that keep dying are marked failed.
    "reports-reap": {
        "task": "peerchallenge.reports.reap",
        "schedule": crontab(minute="*/5"),
    },
    # Data imports (benchmarking) the broker lost or a dead worker left: checked or loaded
    # again; those that keep dying are refused.
    "imports-reap": {
        "task": "benchmarking.imports.reap",
        "schedule": crontab(minute="*/5"),
    },
    # Forget one-time form tokens older than PEERCHALLENGE_FORM_TOKEN_DAYS.
    "form-tokens-purge": {
        "task": "peerchallenge.form_tokens.purge",
        "schedule": crontab(hour=3, minute=30),
    },
    # The outbox: re-queue email that is due and not sent (peerchallenge.services.email).
    "outbox-sweep": {
        "task": "peerchallenge.outbox.sweep",
        "schedule": 60.0,
    },
}
# The outbox (peerchallenge.services.email): one delivery task per message with this hard
# limit (seconds; SMTP's own timeout is 20 s); a claim older than OUTBOX_SENDING_TIMEOUT
# belongs to a worker that died; a queued row whose task was lost is enqueued again after
# OUTBOX_REDISPATCH_AFTER; failed attempts wait 1, 2, 4 ... minutes (at most 2 hours), with
# OUTBOX_MAX_ATTEMPTS in all (about six hours) before the row is failed.
OUTBOX_TASK_TIME_LIMIT = 60
OUTBOX_SENDING_TIMEOUT = 3 * OUTBOX_TASK_TIME_LIMIT
OUTBOX_REDISPATCH_AFTER = 300
OUTBOX_BACKOFF_SECONDS = 60
OUTBOX_MAX_ATTEMPTS = 10
CELERY_TIMEZONE = TIME_ZONE

# Content Security Policy (django-csp 4): nothing from elsewhere, no inline script.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 60 * 60 * 8
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Peer Challenge's own settings.
PEERCHALLENGE_INVITATION_DAYS = 14
PEERCHALLENGE_CSV_MAX_BYTES = 2 * 1024 * 1024
# Evidence documents: the largest file accepted (MB), configurable per installation.
PEERCHALLENGE_UPLOAD_MAX_BYTES = (
    int(os.environ.get("PEERCHALLENGE_UPLOAD_MAX_MB", "25")) * 1024 * 1024
)
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# One-time form tokens (peerchallenge.form_tokens): kept this many days, so a form sent
# again within them is answered with the first result; a replay that arrives while the
# first is still being done waits this long for its result.
PEERCHALLENGE_FORM_TOKEN_DAYS = 7
PEERCHALLENGE_FORM_TOKEN_WAIT_SECONDS = 5.0
# The national-scale benchmark (bench/): mounts /bench/ (its signed-in "floor" page).
PEERCHALLENGE_BENCH = env_bool("PEERCHALLENGE_BENCH", False)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # WeasyPrint logs every rendering step at INFO.
        "weasyprint.progress": {"level": "WARNING"},
    },
}

# The address people reach the site at, for links in emails sent outside a request.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
