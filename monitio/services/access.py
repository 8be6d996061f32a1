"""Who may do what: the services check the caller's role themselves, so every face gets the same rules.

>>> from monitio.auth.users import User
>>> require(User(1, "a@example.org", None, "analyst", None, False), "signals:read")
"""

from __future__ import annotations

from monitio.auth.users import User
from monitio.errors import Forbidden


def require(actor: User | None, *permissions: str) -> None:
    """Raise Forbidden unless `actor` has one of `permissions` (None is a trusted local caller: the CLI)."""
    if actor is None:
        return
    if not any(actor.can(p) for p in permissions):
        raise Forbidden(f"your role ({actor.role}) may not do this ({' or '.join(permissions)})")


def actor_name(actor: User | None) -> str:
    """The name written to the audit log: the user's e-mail, or `cli` for the local command line."""
    return actor.email if actor is not None else "cli"
