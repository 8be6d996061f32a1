"""Engines and migrations for the SQLite default and PostgreSQL.

>>> eng = make_engine("sqlite://")
>>> eng.dialect.name
'sqlite'
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, create_engine, event, inspect

from monitio.errors import Unavailable

MIGRATIONS = Path(__file__).parent / "migrations"


class DatabaseError(Unavailable, RuntimeError):
    """The database cannot be reached or is not set up; the message says what to do."""


def unreachable(exc: BaseException) -> DatabaseError | None:
    """A driver's operational error (database down, locked, disk full) as a DatabaseError, else None.

    >>> from sqlalchemy.exc import OperationalError
    >>> str(unreachable(OperationalError("SELECT 1", {}, Exception("database is locked"))))
    'database error: database is locked'
    >>> unreachable(ValueError("x")) is None
    True
    """
    from sqlalchemy.exc import OperationalError

    if isinstance(exc, OperationalError):
        return DatabaseError(f"database error: {exc.orig}")
    return None


def make_engine(url: str, **kwargs) -> Engine:
    """Create an engine with the pragmas Monitio relies on (WAL and foreign keys on SQLite)."""
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    if url.startswith("sqlite"):
        engine = create_engine(url, **kwargs)

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn, _record):  # pragma: no cover - exercised by every sqlite test
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.close()

        return engine
    kwargs.setdefault("pool_pre_ping", True)
    return create_engine(url, **kwargs)


def alembic_config(engine: Engine):
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False).replace("%", "%%"))
    return cfg


def migrate(engine: Engine) -> None:
    """Bring the schema up to the newest migration (safe to call every time)."""
    from alembic import command

    cfg = alembic_config(engine)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


def is_initialised(engine: Engine) -> bool:
    try:
        return inspect(engine).has_table("posts")
    except Exception as exc:  # connection refused, bad credentials, ...
        raise DatabaseError(f"cannot reach the database at {engine.url!r}: {exc}") from exc
