"""People: log in and out (sessions), users, API tokens and the audit log.

Every function owns its transaction. The login rate limit is the face's (it knows the address).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from monitio import audit
from monitio.auth import users as people
from monitio.auth.secrets import token_hash
from monitio.auth.users import User
from monitio.errors import Forbidden, Invalid, Unauthorized
from monitio.services.access import actor_name, require
from monitio.services.search_cache import cache_for
from monitio.store.versions import PEOPLE, data_version
from monitio.workspace import Workspace

UnknownUser = people.UnknownUser
AuthError = people.AuthError
ROLES = people.ROLES
SESSION_HOURS = people.SESSION_HOURS


class WrongLogin(Unauthorized):
    """Wrong e-mail or password (the same answer for both, so e-mails cannot be guessed)."""


@dataclass
class Session:
    user: User
    sid: str
    csrf: str


def login(ws: Workspace, email: str, password: str) -> Session:
    """Check the password and open a session; service accounts use tokens, not sessions."""
    with ws.engine.begin() as conn:
        user = people.authenticate(conn, email, password)
        if user is None:  # service accounts have no password: same answer as a wrong one (no oracle)
            raise WrongLogin("wrong e-mail or password")
        sid, csrf = people.create_session(conn, user)
    return Session(user, sid, csrf)


def logout(ws: Workspace, sid: str) -> None:
    with ws.engine.begin() as conn:
        people.end_session(conn, sid)


def session_user(ws: Workspace, sid: str) -> tuple[User, str] | None:
    """The user and CSRF token of a live session, or None."""
    with ws.engine.connect() as conn:
        return people.session_user(conn, sid)


def token_user(ws: Workspace, token: str) -> User | None:
    """The user of a live API token, or None (its last use is recorded at most once a minute).

    Answered from memory while the people version (bumped by the database on every change of
    `users` or `api_tokens`: a user disabled or changed, a token revoked, by any process) is the
    one the answer was read under, the token has not expired and its last use is less than a
    minute old; so a read costs one small query instead of a join, and a disabled user's token
    fails at the next request."""
    key = token_hash(token)
    cache = cache_for(ws.engine).tokens
    with ws.engine.connect() as conn:
        version = data_version(conn, PEOPLE)
    hit = cache.get(key)
    if hit is not None and hit[0] == version >= 0:
        now = datetime.now(UTC)
        use: people.TokenUse = hit[1]
        if (use.expires_at is None or now < use.expires_at) and now - use.last_used_at <= people.LAST_USED_EVERY:
            return use.user
    with ws.engine.begin() as conn:
        version = data_version(conn, PEOPLE)  # before the lookup: a change after it bumps the version
        found = people.token_use(conn, token)
        if found is not None and found.recorded and data_version(conn, PEOPLE) == version + 1:
            version += 1  # the one bump is this lookup's own record of the use: nothing else changed
    if found is not None:
        cache.put(key, (version, found))
    return found.user if found else None


def user_by_email(ws: Workspace, email: str) -> User:
    """The user with this e-mail (for the CLI's `--as EMAIL`)."""
    return people.engine_user(ws.engine, email)


def list_users(ws: Workspace, actor: User | None) -> list[User]:
    require(actor, "users:admin")
    with ws.engine.connect() as conn:
        return people.list_users(conn)


def add_user(
    ws: Workspace,
    actor: User | None,
    email: str,
    role: str,
    password: str | None,
    *,
    team: str | None = None,
    name: str | None = None,
) -> User:
    require(actor, "users:admin")
    with ws.engine.begin() as conn:
        return people.add_user(conn, email, role, password, team=team, name=name, actor=actor_name(actor))


def update_user(ws: Workspace, actor: User | None, user_id: int, **changes) -> User:
    require(actor, "users:admin")
    if not changes:
        raise Invalid("nothing to change")
    if actor is not None and user_id == actor.id and changes.get("disabled"):
        raise Invalid("you cannot disable yourself")
    with ws.engine.begin() as conn:
        return people.update_user(conn, user_id, actor=actor_name(actor), **changes)


def list_tokens(ws: Workspace, actor: User | None) -> list[dict]:
    """Admins (and the local CLI) see every token; others their own (never the token, only its prefix)."""
    with ws.engine.connect() as conn:
        return people.list_tokens(conn, None if actor is None or actor.can("users:admin") else actor.id)


def create_token(
    ws: Workspace, actor: User | None, name: str, *, user_id: int | None = None, days: int | None = 90
) -> tuple[str, int]:
    """A new token for the caller (or, as admin, for `user_id`); the token is returned once."""
    if actor is not None:
        if actor.role == "service":
            raise Forbidden("service accounts cannot create tokens")
        if user_id not in (None, actor.id) and not actor.can("users:admin"):
            raise Forbidden("only admins create tokens for other users")
    target_id = user_id if user_id is not None else (actor.id if actor else None)
    with ws.engine.begin() as conn:
        target = people.get_user(conn, user_id=target_id) if target_id is not None else None
        if target is None:
            raise UnknownUser(f"no user {target_id}")
        return people.create_token(
            conn, target, name[:200] or "api", days=days, actor=actor_name(actor), limits=ws.settings.token_max_days
        )


def create_token_for(ws: Workspace, email: str, name: str, *, days: int | None = 90) -> str:
    """A new token for the user with this e-mail (the CLI's `monitio tokens create EMAIL`)."""
    user = user_by_email(ws, email)
    with ws.engine.begin() as conn:
        token, _ = people.create_token(conn, user, name, days=days, actor="cli", limits=ws.settings.token_max_days)
    return token


def revoke_token(ws: Workspace, actor: User | None, token_id: int) -> None:
    """Revoke a token: your own, or any as admin (others' tokens are "not found")."""
    with ws.engine.begin() as conn:
        if actor is not None and not actor.can("users:admin"):
            if token_id not in {t["id"] for t in people.list_tokens(conn, actor.id)}:
                raise UnknownUser(f"no token {token_id}")
        people.revoke_token(conn, token_id, actor=actor_name(actor))


def audit_log(
    ws: Workspace,
    actor: User | None,
    *,
    entity: str | None = None,
    entity_id: str | None = None,
    limit: int = 100,
    offset: int = 0,
) -> list[dict]:
    """The append-only audit log, newest first."""
    require(actor, "audit:read")
    with ws.engine.connect() as conn:
        return audit.entries(conn, entity=entity, entity_id=entity_id, limit=limit, offset=offset)
