"""The demo command's zero-setup path: every migration and the whole of `seed_demo` run on a
fresh SQLite file, as `scripts/demo` does with nothing configured. (Everything else is tested
on PostgreSQL; this catches PostgreSQL-only SQL reaching the demo.)"""

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings


def test_the_demo_migrates_and_seeds_on_a_fresh_sqlite_file(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite3'}",
    }
    for name in ("REDIS_URL", "EMAIL_HOST"):  # in-process tasks, console e-mail
        env.pop(name, None)
    manage = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py")]
    for command in (["migrate", "--noinput"], ["seed_demo"]):
        done = subprocess.run(
            manage + command, env=env, capture_output=True, text=True, timeout=600, check=False
        )
        assert done.returncode == 0, done.stderr[-4000:]
    assert "(Evaluation)" in done.stdout
