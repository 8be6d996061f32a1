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

TOKEN_PREFIX = "mnt_"
MIN_PASSWORD = 10
_state: dict[str, object] = {}


def password_hasher() -> PasswordHasher:
    """The argon2id hasher in use (argon2-cffi's recommended parameters unless a test swapped it)."""
    if "hasher" not in _state:
        _state["hasher"] = PasswordHasher()
    return _state["hasher"]  # type: ignore[return-value]


def use_password_hasher(hasher: PasswordHasher | None) -> None:
    """Swap the hasher (tests use cheap parameters; `None` restores the default). Never in production."""
    _state.clear()
    if hasher is not None:
        _state["hasher"] = hasher


def _dummy() -> str:
    """A valid hash to verify against when the user does not exist, so timing does not reveal who exists."""
    if "dummy" not in _state:
        _state["dummy"] = password_hasher().hash("monitio-dummy-password")
    return _state["dummy"]  # type: ignore[return-value]


def hash_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise ValueError(f"password must have at least {MIN_PASSWORD} characters")
    return password_hasher().hash(password)


def verify_password(stored: str | None, password: str) -> bool:
    try:
        return password_hasher().verify(stored or _dummy(), password) and stored is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def new_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def same(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())
