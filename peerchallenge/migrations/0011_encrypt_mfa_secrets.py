"""Encrypt the two-factor secrets already stored in clear text (peerchallenge/secrets_at_rest.py)."""

from django.db import migrations

FIELDS = {"totp": ["secret"], "recovery_codes": ["seed"]}


def _convert(apps, convert):
    Authenticator = apps.get_model("mfa", "Authenticator")
    for authenticator in Authenticator.objects.filter(type__in=FIELDS):
        data = dict(authenticator.data)
        for field in FIELDS[authenticator.type]:
            if data.get(field):
                data[field] = convert(data[field])
        if data != authenticator.data:
            authenticator.data = data
            authenticator.save(update_fields=["data"])


def encrypt(apps, schema_editor):
    from peerchallenge.secrets_at_rest import secret_encrypt

    _convert(apps, secret_encrypt)


def decrypt(apps, schema_editor):
    from peerchallenge.secrets_at_rest import secret_decrypt

    _convert(apps, secret_decrypt)


class Migration(migrations.Migration):
    dependencies = [
        ("peerchallenge", "0010_session_site_visit_kinds"),
        ("mfa", "0003_authenticator_type_uniq"),
    ]

    operations = [migrations.RunPython(encrypt, decrypt)]
