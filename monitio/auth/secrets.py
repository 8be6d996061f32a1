"""Password hashing (argon2id) and token hashing.

API tokens and session ids are long random strings, so a fast SHA-256 of them is safe to store;
passwords are low-entropy and get argon2id.

>>> h = hash_password("correct horse battery")
>>> verify_password(h, "correct horse battery"), verify_password(h, "wrong")
(True, False)
>>> tok = new_token(); tok.startswith("mnt_") and len(token_hash(tok)) == 64
True
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

_hasher = PasswordHasher()
TOKEN_PREFIX = "mnt_"
MIN_PASSWORD = 10
# A valid hash to verify against when the user does not exist, so timing does not reveal who exists.
_DUMMY = _hasher.hash("monitio-dummy-password")


def hash_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise ValueError(f"password must have at least {MIN_PASSWORD} characters")
    return _hasher.hash(password)


def verify_password(stored: str | None, password: str) -> bool:
    try:
        return _hasher.verify(stored or _DUMMY, password) and stored is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def new_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def same(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())
