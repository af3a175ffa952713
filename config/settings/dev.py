"""The demo and local development: runs with nothing configured."""

from .base import *

DEBUG = env_bool("DEBUG", True)
DEMO_MODE = env_bool("PEERCHALLENGE_DEMO", True)
SECRET_KEY = SECRET_KEY or "dev-only-insecure-key-do-not-use-in-production"
VAR_DIR.mkdir(parents=True, exist_ok=True)

# SQLite (demo only) cannot enforce "nulls not distinct"; the membership services check it.
SILENCED_SYSTEM_CHECKS = ["models.W047"]
