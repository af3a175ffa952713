from cryptography.fernet import Fernet
from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def totp_key_check(app_configs, **kwargs):
    """Production encrypts two-factor secrets with a key of its own (PEERCHALLENGE_TOTP_KEY),
    not one derived from SECRET_KEY: `manage.py check --deploy` refuses to pass without it."""
    key = settings.PEERCHALLENGE_TOTP_KEY
    if not key:
        return [
            Error(
                "PEERCHALLENGE_TOTP_KEY is not set: two-factor secrets are encrypted with a key "
                "derived from SECRET_KEY.",
                hint="Generate one with: python -c 'from cryptography.fernet import Fernet; "
                "print(Fernet.generate_key().decode())'",
                id="peerchallenge.E001",
            )
        ]
    try:
        Fernet(key)
    except ValueError:
        return [
            Error(
                "PEERCHALLENGE_TOTP_KEY is not a Fernet key (32 url-safe base64-encoded bytes).",
                id="peerchallenge.E002",
            )
        ]
    return []
