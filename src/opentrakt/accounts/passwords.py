"""Argon2id hashing of the SHA1 hex digests clients send as passwords."""

from __future__ import annotations

import hashlib
import hmac
import os
import re

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()
_SHA1_HEX = re.compile(r"^[0-9a-fA-F]{40}\Z")


def is_sha1_hex(value: str) -> bool:
    return bool(_SHA1_HEX.match(value))


def sha1_hex(password: str) -> str:
    """What a v1 client sends for ``password``."""
    return hashlib.sha1(password.encode("utf-8")).hexdigest()


def hash_secret(secret_hex: str) -> str:
    return _hasher.hash(secret_hex.lower())


def verify_secret(stored_hash: str, secret_hex: str) -> bool:
    try:
        return _hasher.verify(stored_hash, secret_hex.lower())
    except (VerificationError, InvalidHashError):
        return False


class VerifiedSecrets:
    """Remembers which (stored hash, secret) pairs already verified in this process.

    Argon2 is deliberately slow, and clients send credentials on every request. The cache
    key includes the stored hash, so a password change invalidates every entry for that user
    without any coordination between server instances. Secrets are kept only as a keyed
    digest under a per-process random key.
    """

    def __init__(self, max_entries: int = 100_000) -> None:
        self._key = os.urandom(32)
        self._seen: dict[bytes, None] = {}
        self._max_entries = max_entries

    def _digest(self, stored_hash: str, secret_hex: str) -> bytes:
        message = f"{stored_hash}\0{secret_hex.lower()}".encode()
        return hmac.digest(self._key, message, "sha256")

    def verify_cached(self, stored_hash: str, secret_hex: str) -> bool:
        """True when this pair verified before; never runs Argon2."""
        return self._digest(stored_hash, secret_hex) in self._seen

    def verify(self, stored_hash: str, secret_hex: str) -> bool:
        digest = self._digest(stored_hash, secret_hex)
        if digest in self._seen:
            return True
        if not verify_secret(stored_hash, secret_hex):
            return False
        if len(self._seen) >= self._max_entries:
            self._seen.pop(next(iter(self._seen)))
        self._seen[digest] = None
        return True


verified_secrets = VerifiedSecrets()
