"""Users, API tokens and web sessions. Every change is written to the audit log.

>>> User(1, "a@x.org", "A", "analyst", "Policy", False).can("cases:write")
True
>>> User(2, "s@x.org", "S", "service", None, False).can("signals:read")
False
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Connection, Engine, insert, select, update

from monitio import audit
from monitio.auth.secrets import hash_password, new_token, token_hash, verify_password
from monitio.errors import Conflict, Invalid, NotFound
from monitio.store.schema_collab import api_tokens, sessions, users

ROLES = ("admin", "analyst", "stakeholder", "service")
PERMISSIONS: dict[str, set[str]] = {
    "admin": {"*"},
    "analyst": {
        "posts:read",
        "posts:write",
        "signals:read",
        "signals:write",
        "cases:read",
        "cases:write",
        "cases:comment",
        "briefs:read",
        "briefs:write",
        "taxonomy:read",
        "labels:read",
        "labels:write",
        "alerts:read",
        "rules:write",
        "series:read",
        "narratives:read",
        "me",
    },
    "stakeholder": {
        "signals:read",
        "briefs:read",
        "cases:read_team",
        "cases:comment_team",
        "taxonomy:read",
        "series:read",
        "narratives:read",
        "me",
    },
    "service": {"posts:ingest", "me"},
}
TOKEN_MAX_DAYS: dict[str, int] = {"admin": 90, "analyst": 90, "stakeholder": 90, "service": 365}
"""The longest lifetime of an API token per role (setting `token_max_days`; 0 lets that role have
tokens that never expire)."""
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
SESSION_HOURS = 12
LAST_USED_EVERY = timedelta(minutes=1)
"""A token's `last_used_at` is refreshed at most this often."""


class AuthError(Invalid):
    """A user-facing problem with users or tokens (bad e-mail, bad role, no password, ...)."""


class UnknownUser(NotFound, AuthError):
    """No such user or token."""


class UserExists(Conflict, AuthError):
    """A user with this e-mail exists already."""


def max_token_days(role: str, limits: dict[str, int] | None = None) -> int | None:
    """The longest token lifetime in days for `role` (None: no limit).

    >>> max_token_days("analyst"), max_token_days("service", {"service": 0}), max_token_days("admin", {"admin": 7})
    (90, None, 7)
    """
    days = {**TOKEN_MAX_DAYS, **(limits or {})}.get(role, min(TOKEN_MAX_DAYS.values()))
    return days or None


@dataclass(frozen=True)
class User:
    id: int
    email: str
    name: str | None
    role: str
    team: str | None
    disabled: bool

    def can(self, permission: str) -> bool:
        granted = PERMISSIONS.get(self.role, set())
        return "*" in granted or permission in granted

    def public(self) -> dict:
        return {
            "id": self.id,
            "email": self.email,
            "name": self.name,
            "role": self.role,
            "team": self.team,
            "disabled": self.disabled,
        }


def _user(row) -> User:
    return User(row.id, row.email, row.name, row.role, row.team, bool(row.disabled))


def _now() -> datetime:
    return datetime.now(UTC)


def add_user(
    conn: Connection,
    email: str,
    role: str,
    password: str | None,
    *,
    team: str | None = None,
    name: str | None = None,
    actor: str = "cli",
) -> User:
    email = email.strip().lower()
    if not EMAIL_RE.match(email):
        raise AuthError(f"{email!r} is not an e-mail address")
    if role not in ROLES:
        raise AuthError(f"unknown role {role!r}; roles are {', '.join(ROLES)}")
    if conn.execute(select(users.c.id).where(users.c.email == email)).first():
        raise UserExists(f"a user {email} exists already")
    if role != "service" and not password:
        raise AuthError("a password is needed (MONITIO_PASSWORD or standard input)")
    if role == "service" and password:
        raise AuthError("service accounts have no password; they use API tokens (monitio tokens create EMAIL)")
    try:
        pw_hash = hash_password(password) if password else None
    except ValueError as exc:
        raise AuthError(str(exc)) from exc
    now = _now()
    uid = conn.execute(
        insert(users)
        .values(
            email=email,
            name=name,
            role=role,
            team=team,
            password_hash=pw_hash,
            disabled=False,
            created_at=now,
            updated_at=now,
        )
        .returning(users.c.id)
    ).scalar_one()
    audit.record(
        conn,
        actor=actor,
        action="user.create",
        entity="user",
        entity_id=uid,
        after={"email": email, "role": role, "team": team, "name": name},
    )
    return User(uid, email, name, role, team, False)


def get_user(conn: Connection, *, email: str | None = None, user_id: int | None = None) -> User | None:
    q = select(users)
    q = q.where(users.c.email == email.strip().lower()) if email else q.where(users.c.id == user_id)
    row = conn.execute(q).first()
    return _user(row) if row else None


def list_users(conn: Connection) -> list[User]:
    return [_user(r) for r in conn.execute(select(users).order_by(users.c.id))]


def update_user(conn: Connection, user_id: int, *, actor: str, **changes) -> User:
    allowed = {"role", "team", "name", "disabled"}
    bad = set(changes) - allowed
    if bad:
        raise AuthError(f"cannot change {', '.join(sorted(bad))}")
    if "role" in changes and changes["role"] not in ROLES:
        raise AuthError(f"unknown role {changes['role']!r}; roles are {', '.join(ROLES)}")
    before = get_user(conn, user_id=user_id)
    if before is None:
        raise UnknownUser(f"no user with id {user_id}")
    values = dict(changes)
    if values.get("role") == "service":
        values["password_hash"] = None  # service accounts log in with tokens only
    conn.execute(update(users).where(users.c.id == user_id).values(updated_at=_now(), **values))
    after = get_user(conn, user_id=user_id)
    audit.record(
        conn,
        actor=actor,
        action="user.update",
        entity="user",
        entity_id=user_id,
        before=before.public(),
        after=after.public(),
    )
    if changes.get("disabled"):  # sessions end and tokens die: enabling again does not revive them
        conn.execute(sessions.delete().where(sessions.c.user_id == user_id))
        live = api_tokens.c.revoked_at.is_(None)
        ids = list(conn.execute(select(api_tokens.c.id).where(api_tokens.c.user_id == user_id, live)).scalars())
        if ids:
            conn.execute(update(api_tokens).where(api_tokens.c.id.in_(ids)).values(revoked_at=_now()))
            audit.record(
                conn,
                actor=actor,
                action="token.revoke",
                entity="user",
                entity_id=user_id,
                before={"tokens": ids},
                after={"revoked": True, "reason": "user disabled"},
            )
    return after


def authenticate(conn: Connection, email: str, password: str) -> User | None:
    """The user if the password is right and the account enabled; same work either way (no enumeration).
    Service accounts never log in with a password (the answer is the same as for a wrong one)."""
    row = conn.execute(select(users).where(users.c.email == email.strip().lower())).first()
    ok = verify_password(row.password_hash if row else None, password)
    if not row or not ok or row.disabled or row.role == "service":
        return None
    conn.execute(update(users).where(users.c.id == row.id).values(last_login_at=_now()))
    return _user(row)


def create_token(
    conn: Connection,
    user: User,
    name: str,
    *,
    days: int | None = 90,
    actor: str,
    limits: dict[str, int] | None = None,
) -> tuple[str, int]:
    """A new API token for `user`: returns (the token, shown only now; its id). Only its hash is kept.

    `days=None` asks for a token that never expires; `limits` (setting `token_max_days`) caps the
    lifetime per role, and a longer or endless token is refused with the cap in the message.
    """
    cap = max_token_days(user.role, limits)
    if days is not None and days < 1:
        raise AuthError("a token lives at least 1 day")
    if cap is not None and (days is None or days > cap):
        raise AuthError(
            f"tokens of {user.role} users live at most {cap} days; ask for {cap} or fewer "
            "(the limit is the setting token_max_days)"
        )
    token = new_token()
    now = _now()
    tid = conn.execute(
        insert(api_tokens)
        .values(
            user_id=user.id,
            name=name,
            prefix=token[:10],
            token_hash=token_hash(token),
            created_at=now,
            expires_at=now + timedelta(days=days) if days else None,
        )
        .returning(api_tokens.c.id)
    ).scalar_one()
    audit.record(
        conn,
        actor=actor,
        action="token.create",
        entity="token",
        entity_id=tid,
        after={"user": user.email, "name": name, "prefix": token[:10], "days": days},
    )
    return token, tid


def revoke_token(conn: Connection, token_id: int, *, actor: str) -> None:
    row = conn.execute(select(api_tokens).where(api_tokens.c.id == token_id)).first()
    if row is None:
        raise UnknownUser(f"no token with id {token_id}")
    conn.execute(update(api_tokens).where(api_tokens.c.id == token_id).values(revoked_at=_now()))
    audit.record(
        conn,
        actor=actor,
        action="token.revoke",
        entity="token",
        entity_id=token_id,
        before={"revoked": False},
        after={"revoked": True},
    )


def list_tokens(conn: Connection, user_id: int | None = None) -> list[dict]:
    q = select(api_tokens, users.c.email).join(users, users.c.id == api_tokens.c.user_id).order_by(api_tokens.c.id)
    if user_id is not None:
        q = q.where(api_tokens.c.user_id == user_id)
    return [
        {
            "id": r.id,
            "user": r.email,
            "name": r.name,
            "prefix": r.prefix,
            "created_at": r.created_at,
            "expires_at": r.expires_at,
            "revoked": r.revoked_at is not None,
            "last_used_at": r.last_used_at,
        }
        for r in conn.execute(q)
    ]


@dataclass(frozen=True, slots=True)
class TokenUse:
    """A live token's user, when it expires and when its use was last recorded (`recorded`: by
    this lookup)."""

    user: User
    expires_at: datetime | None
    last_used_at: datetime
    recorded: bool = False


def token_use(conn: Connection, token: str) -> TokenUse | None:
    """The use of a live API token (its last use recorded at most once a minute), or None."""
    row = conn.execute(
        select(
            api_tokens.c.id,
            api_tokens.c.expires_at,
            api_tokens.c.revoked_at,
            api_tokens.c.last_used_at.label("token_last_used"),
            users,
        )
        .join(users, users.c.id == api_tokens.c.user_id)
        .where(api_tokens.c.token_hash == token_hash(token))
    ).first()
    now = _now()
    if row is None or row.revoked_at is not None or (row.expires_at and row.expires_at <= now) or row.disabled:
        return None
    used = row.token_last_used
    if used is not None and now - used <= LAST_USED_EVERY:
        return TokenUse(_user(row), row.expires_at, used)
    # at most once a minute: a read with a token must not be a write every time (SQLite has one writer)
    conn.execute(update(api_tokens).where(api_tokens.c.id == row[0]).values(last_used_at=now))
    return TokenUse(_user(row), row.expires_at, now, recorded=True)


def user_for_token(conn: Connection, token: str) -> User | None:
    use = token_use(conn, token)
    return use.user if use else None


def create_session(conn: Connection, user: User) -> tuple[str, str]:
    """A new web session: returns (session id for the cookie, CSRF token). Only the id's hash is kept."""
    sid = secrets.token_urlsafe(32)
    csrf = secrets.token_urlsafe(32)
    now = _now()
    conn.execute(
        insert(sessions).values(
            id_hash=token_hash(sid),
            user_id=user.id,
            csrf_token=csrf,
            created_at=now,
            expires_at=now + timedelta(hours=SESSION_HOURS),
        )
    )
    return sid, csrf


def session_user(conn: Connection, sid: str) -> tuple[User, str] | None:
    row = conn.execute(
        select(sessions.c.csrf_token, sessions.c.expires_at, users)
        .join(users, users.c.id == sessions.c.user_id)
        .where(sessions.c.id_hash == token_hash(sid))
    ).first()
    if row is None or row.expires_at <= _now() or row.disabled:
        return None
    return _user(row), row.csrf_token


def end_session(conn: Connection, sid: str) -> None:
    conn.execute(sessions.delete().where(sessions.c.id_hash == token_hash(sid)))


def engine_user(engine: Engine, email: str) -> User:
    with engine.connect() as conn:
        user = get_user(conn, email=email)
    if user is None:
        raise UnknownUser(f"no user {email}; add one with: monitio users add {email} --role analyst")
    return user
