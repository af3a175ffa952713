"""The access log becomes append-only: the database itself refuses UPDATE and DELETE of its
rows, whoever asks (the admin, a shell, a cascade). PostgreSQL in production and tests;
SQLite for the demo's zero-setup path, with the same effect.

The foreign keys become PROTECT (see AccessLog): a cascade or SET NULL would be a refused
DELETE or UPDATE. TRUNCATE fires no row triggers, so a test database's flush still works;
`peerchallenge.access_log.access_log_purge` is the maintenance path for the rest.

On SQLite a later migration that rebuilds this table (most AlterFields there) drops its
triggers with the old table: such a migration must create them again.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

TABLE = "peerchallenge_accesslog"

POSTGRESQL_CREATE = f"""
CREATE FUNCTION peerchallenge_accesslog_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'The access log is append-only: % refused.', TG_OP
        USING ERRCODE = 'restrict_violation';
END
$$;
CREATE TRIGGER peerchallenge_accesslog_append_only
    BEFORE UPDATE OR DELETE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION peerchallenge_accesslog_append_only();
"""
POSTGRESQL_DROP = f"""
DROP TRIGGER IF EXISTS peerchallenge_accesslog_append_only ON {TABLE};
DROP FUNCTION IF EXISTS peerchallenge_accesslog_append_only();
"""

SQLITE_CREATE = [
    f"""CREATE TRIGGER peerchallenge_accesslog_no_{op.lower()} BEFORE {op} ON {TABLE}
BEGIN SELECT RAISE(ABORT, 'The access log is append-only: {op} refused.'); END"""
    for op in ("UPDATE", "DELETE")
]
SQLITE_DROP = [
    f"DROP TRIGGER IF EXISTS peerchallenge_accesslog_no_{op}" for op in ("update", "delete")
]


def create_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        # No parameters: the % in the message is PL/pgSQL's, not a placeholder.
        schema_editor.execute(POSTGRESQL_CREATE, params=None)
    elif vendor == "sqlite":
        for sql in SQLITE_CREATE:
            schema_editor.execute(sql)
    else:
        raise NotImplementedError(f"No append-only triggers for {vendor}.")


def drop_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_DROP, params=None)
    elif vendor == "sqlite":
        for sql in SQLITE_DROP:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("peerchallenge", "0014_merge_0011_outbound_email_0013_merge_20261205_1624"),
    ]

    operations = [
        migrations.AlterField(
            model_name="accesslog",
            name="alliance",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="peerchallenge.alliance",
            ),
        ),
        migrations.AlterField(
            model_name="accesslog",
            name="user",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddIndex(
            model_name="accesslog",
            index=models.Index(fields=["alliance", "-at"], name="accesslog_alliance_at"),
        ),
        migrations.RunPython(create_triggers, drop_triggers, elidable=False),
    ]
