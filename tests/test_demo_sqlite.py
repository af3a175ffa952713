"""The demo command's zero-setup path: every migration and the whole of `seed_demo` run on a
fresh SQLite file, as `scripts/demo` does with nothing configured but `PORT`. (Everything else
is tested on PostgreSQL; this catches PostgreSQL-only SQL reaching the demo.)

One seeding for everything the newcomer sees: the accounts printed last, the emails in files,
the scheduled jobs already run (reminders on the Reminders page), links that follow `PORT`."""

import json
import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

from peerchallenge.demo import DEFAULT_PASSWORD, sign_in_accounts

# Run in the demo's process after seeding: what the programme manager sees on the Reminders
# page, and an invitation sent as the alliance admin would send it.
AFTER_SEEDING = """
import json
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django_scopes import scope, scopes_disabled
from peerchallenge.models import Alliance, ReminderLog, Role, User
from peerchallenge.services import invitation_create

client = Client(HTTP_HOST="127.0.0.1:8123")
client.force_login(User.objects.get(email="priya.shah@example.org"))
page = client.get(reverse("reminder_log", kwargs={"alliance": "east-midlands"}))
with scopes_disabled():
    em = Alliance.objects.get(slug="east-midlands")
    logged = ReminderLog.objects.filter(alliance=em, email__state="sent").count()
with scope(alliance=em), transaction.atomic():
    invitation_create(
        alliance=em,
        email="nell.newcomer@example.org",
        full_name="Nell Newcomer",
        role=Role.COORDINATOR,
        local_authority=None,
        invited_by=User.objects.get(email="helen.marchant@example.org"),
    )
print(json.dumps({"status": page.status_code, "html": page.content.decode(), "logged": logged}))
"""


def test_the_demo_seeds_on_sqlite_with_its_port_and_shows_it_all(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite3'}",
        "PEERCHALLENGE_VAR_DIR": str(tmp_path),
        "PORT": "8123",
        # One stream, in the order it is written, as on the newcomer's terminal.
        "PYTHONUNBUFFERED": "1",
    }
    # In-process tasks, no SMTP, the address from PORT.
    for name in ("REDIS_URL", "EMAIL_HOST", "SITE_URL"):
        env.pop(name, None)
    manage = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py")]

    def run(*command):
        done = subprocess.run(
            manage + list(command),
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            timeout=600,
            check=False,
        )
        assert done.returncode == 0, done.stdout[-4000:]
        return done.stdout

    run("migrate", "--noinput")
    printed = run("seed_demo")
    assert "(Evaluation)" in printed

    # Emails went to files, not the terminal; the accounts come last, after everything.
    emails = tmp_path / "emails"
    assert f"Emails are not sent: each is written to a file in {emails}/" in printed
    assert "Content-Type: text/plain" not in printed
    seeded_emails = list(emails.iterdir())
    assert len(seeded_emails) > 10
    accounts = sign_in_accounts()
    lines = printed.splitlines()
    assert lines[-len(accounts) - 2] == "Open http://127.0.0.1:8123 and sign in as:"
    assert [line.split()[-1] for line in lines[-len(accounts) - 1 : -1]] == [
        email for _label, email in accounts
    ]
    assert lines[-1].split() == ["Password:", DEFAULT_PASSWORD]

    after = json.loads(run("shell", "-c", AFTER_SEEDING).splitlines()[-1])

    # The scheduled reminder scan has run: overdue actions have been reminded.
    assert after["status"] == 200
    assert after["logged"] >= 10
    assert f'<h2 class="govuk-heading-m">{after["logged"]} reminders</h2>' in after["html"]
    assert (
        "[Action required] Derby&#x27;s agreed action was due on" in after["html"]
        and "Train front door staff on recognising criminal exploitation" in after["html"]
    )

    # The invitation's link (and every email's footer) points at the demo's port.
    (invitation,) = [
        path
        for path in set(emails.iterdir()) - set(seeded_emails)
        if "To: nell.newcomer@example.org" in path.read_text()
    ]
    text = invitation.read_text()
    assert "http://127.0.0.1:8123/invitations/" in text
    assert ":8000" not in text
