"""Encryption at rest of the two-factor secrets (TOTP secrets, recovery-code seeds).

allauth stores them in the database in clear text unless its MFA adapter encrypts them, so a
backup would hold every person's second factor. They are encrypted with Fernet (AES-128-CBC
with HMAC-SHA256, from `cryptography`) under the key in PEERCHALLENGE_TOTP_KEY. Encrypted
values carry a prefix, so a value written before encryption was switched on still reads (and
the migration that encrypts existing values can tell which are done).
"""

import base64
import hashlib

from cryptography.fernet import Fernet
from django.conf import settings

PREFIX = "fernet:"


def _fernet() -> Fernet:
    key = settings.PEERCHALLENGE_TOTP_KEY
    if not key:
        # Demo and tests only (production refuses to start without a key, see checks.py):
        # a key derived from SECRET_KEY.
        key = base64.urlsafe_b64encode(hashlib.sha256(settings.SECRET_KEY.encode()).digest())
    return Fernet(key)


def secret_encrypt(text: str) -> str:
    if text.startswith(PREFIX):
        return text
    return PREFIX + _fernet().encrypt(text.encode()).decode()


def secret_decrypt(stored: str) -> str:
    if not stored.startswith(PREFIX):
        return stored  # written before encryption: the migration encrypts these
    return _fernet().decrypt(stored.removeprefix(PREFIX).encode()).decode()
