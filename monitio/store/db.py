"""Engines and migrations for the SQLite default and PostgreSQL.

>>> eng = make_engine("sqlite://")
>>> eng.dialect.name
'sqlite'
"""

from __future__ import annotations

import functools
import re
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


def sqlite_path(url: str) -> Path | None:
    """The file of a SQLite URL, or None for other databases and in-memory SQLite.

    >>> sqlite_path("sqlite:////tmp/w/monitio.db"), sqlite_path("sqlite://"), sqlite_path("postgresql://h/db")
    (PosixPath('/tmp/w/monitio.db'), None, None)
    """
    if not url.startswith("sqlite") or "///" not in url:
        return None
    path = url.split("///", 1)[1].split("?", 1)[0]
    return Path(path) if path and path != ":memory:" else None


def _read_only_sqlite(path: Path, **kwargs) -> Engine:
    """A SQLite engine that never writes: `mode=ro` (no WAL switch, no migration, `query_only`). A WAL
    database in a folder this process cannot write (no `-shm` to create) is opened `immutable`."""
    from urllib.parse import quote

    def engine_for(params: str) -> Engine:
        eng = create_engine(f"sqlite:///file:{quote(str(path.resolve()))}?{params}&uri=true", **kwargs)

        @event.listens_for(eng, "connect")
        def _pragmas(dbapi_conn, _record):  # pragma: no cover - exercised by the read-only tests
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA busy_timeout=30000")
            cur.execute("PRAGMA query_only=ON")
            cur.close()

        return eng

    from sqlalchemy import text
    from sqlalchemy.exc import OperationalError

    eng = engine_for("mode=ro")
    try:
        with eng.connect() as conn:
            conn.execute(text("SELECT count(*) FROM sqlite_master"))
    except OperationalError:
        eng.dispose()
        eng = engine_for("mode=ro&immutable=1")
    return eng


SQLITE_POOL = 20
"""Connections an SQLite engine keeps open (more are opened when needed, and closed when returned)."""


def make_engine(url: str, *, read_only: bool = False, **kwargs) -> Engine:
    """Create an engine with the pragmas Monitio relies on (WAL and foreign keys on SQLite).

    `read_only` opens the database so that nothing is written, not even a pragma (SQLite `mode=ro`,
    PostgreSQL `default_transaction_read_only`): for reading commands on a workspace one may not write.
    """
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    if read_only and (path := sqlite_path(url)) is not None:
        return _read_only_sqlite(path, **kwargs)
    if read_only and url.startswith("postgresql"):
        kwargs.setdefault("connect_args", {}).setdefault("options", "-c default_transaction_read_only=on")
    if url.startswith("sqlite"):
        if sqlite_path(url) is not None:
            # a server runs up to 40 handlers at once (anyio's thread pool): keep their connections
            # open rather than connecting (and setting the pragmas) again for every request past 5
            kwargs.setdefault("pool_size", SQLITE_POOL)
            kwargs.setdefault("max_overflow", 2 * SQLITE_POOL)
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


@functools.cache
def head_revision() -> str | None:
    """The newest migration's revision id, read from the migration files' text (no Alembic import):
    the one revision no other migration names as its `down_revision`. None if that is not one revision.

    >>> head_revision() is not None
    True
    """
    revs: dict[str, str | None] = {}
    for path in (MIGRATIONS / "versions").glob("*.py"):
        text = path.read_text(encoding="utf-8")
        rev = re.search(r'^revision\s*=\s*"([^"]+)"', text, re.M)
        down = re.search(r'^down_revision\s*=\s*(?:"([^"]+)"|None)', text, re.M)
        if rev:
            revs[rev.group(1)] = down.group(1) if down else None
    heads = set(revs) - {d for d in revs.values() if d}
    return heads.pop() if len(heads) == 1 else None


def at_head(engine: Engine) -> bool:
    """True when the database says it is at the newest migration: one cheap query, no Alembic import."""
    from sqlalchemy import text

    head = head_revision()
    if head is None:
        return False
    try:
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
    except Exception:  # no version table yet, or another problem: let `migrate` decide and report
        return False
    return rows == [head]


def migrate(engine: Engine) -> None:
    """Bring the schema up to the newest migration (safe to call every time; a workspace already at the
    newest one costs one query and no Alembic import)."""
    if at_head(engine):
        return
    from alembic import command

    cfg = alembic_config(engine)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


def is_current(engine: Engine) -> bool:
    """True when the database's schema is at the newest migration (read without writing)."""
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    heads = set(ScriptDirectory.from_config(alembic_config(engine)).get_heads())
    with engine.connect() as conn:
        return set(MigrationContext.configure(conn).get_current_heads()) == heads


def is_initialised(engine: Engine) -> bool:
    try:
        return inspect(engine).has_table("posts")
    except Exception as exc:  # connection refused, bad credentials, ...
        raise DatabaseError(f"cannot reach the database at {engine.url!r}: {exc}") from exc
