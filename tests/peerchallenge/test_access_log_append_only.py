"""The access log is append-only in the database itself: PostgreSQL refuses UPDATE and
DELETE of its rows whoever asks; people and alliances with lines are protected; the admin
reads it only; the maintenance path removes exactly what it is told to."""

import sqlite3
from importlib import import_module

import pytest
from django.contrib import admin
from django.db import IntegrityError, connection, transaction
from django.db.models import ProtectedError
from django.test import RequestFactory
from django.urls import reverse
from django_scopes import scopes_disabled

from peerchallenge.access_log import access_log_purge
from peerchallenge.models import AccessLog, Alliance, User
from tests.clock import at
from tests.factories import AccessLogFactory, UserFactory, council

MIGRATION = import_module("peerchallenge.migrations.0015_access_log_append_only")


def log(alliance, user, n=1):
    with scopes_disabled():
        return AccessLogFactory(
            alliance=alliance,
            user=user,
            action=AccessLog.Action.DOWNLOAD,
            object_type="peerchallenge.LocalAuthority",
            object_id=str(council("Derby").pk),
            object_repr="Derby",
            at=at(-n),
        )


def test_the_database_is_postgresql():
    assert connection.vendor == "postgresql"


def test_an_update_is_refused_by_the_database(world):
    line = log(world.em, world.pm)
    line.user = world.admin
    with scopes_disabled():
        with (
            pytest.raises(IntegrityError, match="append-only: UPDATE refused"),
            transaction.atomic(),
        ):
            AccessLog.objects.filter(pk=line.pk).update(object_repr="Nothing to see")
        with (
            pytest.raises(IntegrityError, match="append-only: UPDATE refused"),
            transaction.atomic(),
        ):
            line.save()
        assert AccessLog.objects.get(pk=line.pk).object_repr == "Derby"


def test_a_delete_is_refused_by_the_database(world):
    line = log(world.em, world.pm)
    with scopes_disabled():
        with (
            pytest.raises(IntegrityError, match="append-only: DELETE refused"),
            transaction.atomic(),
        ):
            line.delete()
        with (
            pytest.raises(IntegrityError, match="append-only: DELETE refused"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute("DELETE FROM peerchallenge_accesslog")
        assert AccessLog.objects.filter(pk=line.pk).exists()


def test_a_person_or_alliance_with_lines_cannot_be_deleted(world):
    log(world.em, world.pm)
    with scopes_disabled():
        with pytest.raises(ProtectedError):
            User.objects.filter(pk=world.pm.pk).delete()
        with pytest.raises(ProtectedError):
            Alliance.objects.filter(pk=world.em.pk).delete()
        assert AccessLog.objects.count() == 1


def test_a_person_without_lines_can_still_be_deleted(world):
    log(world.em, world.pm)
    leaver = UserFactory(email="lee@example.org", mfa=False)
    User.objects.filter(pk=leaver.pk).delete()
    assert not User.objects.filter(email="lee@example.org").exists()


def test_the_purge_removes_only_the_named_lines_and_the_guard_comes_back(world):
    log(world.em, world.pm, 1)
    log(world.em, world.coordinator, 2)
    log(world.london, world.outsider, 3)
    assert access_log_purge(alliances=Alliance.objects.filter(pk=world.london.pk)) == 1
    assert access_log_purge(users=User.objects.filter(pk=world.pm.pk)) == 1
    with scopes_disabled():
        assert list(AccessLog.objects.values_list("user__email", flat=True)) == ["cora@example.org"]
        with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
            AccessLog.objects.all().delete()
    # Its people can go now that their lines have gone.
    User.objects.filter(pk=world.pm.pk).delete()


def test_the_purge_needs_to_be_told_what_goes(db):
    with pytest.raises(ValueError, match="Name the alliances, the people or the date"):
        access_log_purge()


def test_the_demos_sqlite_triggers_refuse_update_and_delete():
    """The same guard for the demo's SQLite database, from the migration's own SQL."""
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE peerchallenge_accesslog (id INTEGER PRIMARY KEY, object_repr TEXT)")
    for sql in MIGRATION.SQLITE_CREATE:
        db.execute(sql)
    db.execute("INSERT INTO peerchallenge_accesslog (object_repr) VALUES ('Derby')")
    with pytest.raises(sqlite3.IntegrityError, match="append-only: UPDATE refused"):
        db.execute("UPDATE peerchallenge_accesslog SET object_repr = 'x'")
    with pytest.raises(sqlite3.IntegrityError, match="append-only: DELETE refused"):
        db.execute("DELETE FROM peerchallenge_accesslog")
    assert db.execute("SELECT object_repr FROM peerchallenge_accesslog").fetchall() == [("Derby",)]
    for sql in MIGRATION.SQLITE_DROP:
        db.execute(sql)
    db.execute("DELETE FROM peerchallenge_accesslog")


def test_the_admin_has_no_add_change_or_delete(client, world):
    line = log(world.em, world.pm)
    model_admin = admin.site._registry[AccessLog]
    superuser = UserFactory(email="root@example.org", is_staff=True, is_superuser=True)
    request = RequestFactory().get("/")
    request.user = superuser
    assert model_admin.has_add_permission(request) is False
    assert model_admin.has_change_permission(request, line) is False
    assert model_admin.has_delete_permission(request, line) is False
    assert model_admin.has_view_permission(request, line) is True
    client.force_login(superuser)
    changelist = client.get(reverse("admin:peerchallenge_accesslog_changelist"))
    assert changelist.status_code == 200
    assert b"delete_selected" not in changelist.content
    change = client.get(reverse("admin:peerchallenge_accesslog_change", args=[line.pk]))
    assert change.status_code == 200
    assert b'name="_save"' not in change.content
    assert b"deletelink" not in change.content
    delete = reverse("admin:peerchallenge_accesslog_delete", args=[line.pk])
    assert client.get(delete).status_code == 403
    assert client.post(delete, {"post": "yes"}).status_code == 403
    with scopes_disabled():
        assert AccessLog.objects.filter(pk=line.pk).exists()


def test_archiving_writes_the_old_lines_to_csv_then_removes_only_them(world, tmp_path):
    import csv
    import io

    from django.core.management import call_command

    log(world.em, world.pm, 40)
    log(world.london, world.outsider, 35)
    log(world.em, world.coordinator, 2)
    archive = tmp_path / "access-log.csv"
    out = io.StringIO()
    call_command(
        "access_log_archive", before=at(-30).date().isoformat(), output=str(archive), stdout=out
    )
    rows = list(csv.DictReader(archive.open()))
    assert [(row["alliance"], row["user"], row["object"]) for row in rows] == [
        ("east-midlands", "pat@example.org", "Derby"),
        ("london", "olu@example.org", "Derby"),
    ]
    assert "Archived and removed 2 line(s)" in out.getvalue()
    with scopes_disabled():
        assert list(AccessLog.objects.values_list("user__email", flat=True)) == ["cora@example.org"]
        with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
            AccessLog.objects.all().delete()
