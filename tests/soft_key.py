"""A passkey in software, for tests without a browser: it answers the WebAuthn options a page
gives the browser the way a browser and its authenticator would, so the server's checks
(challenge, origin, relying party, signature) all run for real."""

import hashlib
import json
import os

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from fido2.cose import ES256
from fido2.utils import websafe_decode, websafe_encode
from fido2.webauthn import (
    AttestationObject,
    AttestedCredentialData,
    AuthenticatorData,
    CollectedClientData,
)

# The test client's pages are served from localhost, which browsers (and fido2) count as a
# secure origin; "testserver" is not one.
HOST = "localhost"
ORIGIN = f"http://{HOST}"


def _challenge(options: dict) -> bytes:
    challenge = options["publicKey"]["challenge"]
    return websafe_decode(challenge) if isinstance(challenge, str) else bytes(challenge)


class SoftKey:
    def __init__(self):
        self.private_key = ec.generate_private_key(ec.SECP256R1())
        self.credential_id = os.urandom(16)
        self.counter = 0

    def _auth_data(self, rp_id: str, credential_data: bytes = b"") -> AuthenticatorData:
        self.counter += 1
        flags = AuthenticatorData.FLAG.UP | AuthenticatorData.FLAG.UV
        if credential_data:
            flags |= AuthenticatorData.FLAG.AT
        return AuthenticatorData.create(
            hashlib.sha256(rp_id.encode()).digest(), flags, self.counter, credential_data
        )

    def register(self, creation_options: dict, *, rp_id: str = HOST, origin: str = ORIGIN):
        """The browser's answer to navigator.credentials.create(), as allauth's JavaScript
        posts it."""
        public_key = ES256.from_cryptography_key(self.private_key.public_key())
        credential_data = AttestedCredentialData.create(b"\0" * 16, self.credential_id, public_key)
        attestation = AttestationObject.create("none", self._auth_data(rp_id, credential_data), {})
        client_data = CollectedClientData.create(
            "webauthn.create", _challenge(creation_options), origin
        )
        return {
            "id": websafe_encode(self.credential_id),
            "rawId": websafe_encode(self.credential_id),
            "type": "public-key",
            "response": {
                "clientDataJSON": websafe_encode(client_data),
                "attestationObject": websafe_encode(attestation),
            },
            "clientExtensionResults": {"credProps": {"rk": False}},
        }

    def sign(self, request_options: dict, *, rp_id: str = HOST, origin: str = ORIGIN):
        """The browser's answer to navigator.credentials.get()."""
        auth_data = self._auth_data(rp_id)
        client_data = CollectedClientData.create(
            "webauthn.get", _challenge(request_options), origin
        )
        signature = self.private_key.sign(
            bytes(auth_data) + hashlib.sha256(client_data).digest(), ec.ECDSA(hashes.SHA256())
        )
        return {
            "id": websafe_encode(self.credential_id),
            "rawId": websafe_encode(self.credential_id),
            "type": "public-key",
            "response": {
                "clientDataJSON": websafe_encode(client_data),
                "authenticatorData": websafe_encode(auth_data),
                "signature": websafe_encode(signature),
            },
            "clientExtensionResults": {},
        }


def as_posted(credential: dict) -> str:
    return json.dumps(credential)
