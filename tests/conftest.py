"""Shared fixtures. Every test using `db_url` or `ws` runs twice: on SQLite and on PostgreSQL.

PostgreSQL tests use the server from MONITIO_TEST_POSTGRES_URL (default: the local one on
127.0.0.1:5432, database `test`), each in a schema of its own that is dropped afterwards; they skip
with the reason when no server answers.
"""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest

PG_URL = os.environ.get("MONITIO_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
_pg_state: dict[str, str | None] = {}


def _pg_unavailable() -> str | None:
    """Why PostgreSQL cannot be used here, or None when it can (checked once per run)."""
    if "reason" not in _pg_state:
        try:
            import psycopg  # noqa: F401
            from sqlalchemy import create_engine, text

            eng = create_engine(PG_URL, connect_args={"connect_timeout": 3})
            with eng.connect() as conn:
                conn.execute(text("select 1"))
            eng.dispose()
            _pg_state["reason"] = None
        except ImportError:
            _pg_state["reason"] = "psycopg is not installed (pip install 'monitio[postgres]')"
        except Exception as exc:  # connection refused, auth, ...
            _pg_state["reason"] = f"no PostgreSQL server at {PG_URL}: {str(exc).splitlines()[0]}"
    return _pg_state["reason"]


@pytest.fixture(autouse=True)
def cheap_password_hasher(request):
    """Tests that do not test password hashing use argon2id with cheap parameters (fast, still real).

    Mark a test `@pytest.mark.real_hasher` to keep the production parameters.
    """
    from argon2 import PasswordHasher

    from monitio.auth.secrets import use_password_hasher

    if request.node.get_closest_marker("real_hasher"):
        use_password_hasher(None)
        yield
        return
    use_password_hasher(PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))
    yield
    use_password_hasher(None)


@contextlib.contextmanager
def pg_schemas(n: int = 1) -> Iterator[list[str]]:
    """`n` fresh, empty PostgreSQL schemas on the test server, as database URLs; dropped afterwards."""
    from sqlalchemy import create_engine, text

    schemas = ["t_" + uuid.uuid4().hex[:12] for _ in range(n)]
    admin = create_engine(PG_URL)
    with admin.begin() as conn:
        for schema in schemas:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in PG_URL else "?"
    try:
        yield [f"{PG_URL}{sep}options={quote(f'-csearch_path={schema}')}" for schema in schemas]
    finally:
        with admin.begin() as conn:
            for schema in schemas:
                conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgres"])
def db_url(request, tmp_path):
    """A fresh, empty database URL on each backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'test.db'}"
        return
    reason = _pg_unavailable()
    if reason:
        pytest.skip(reason)
    with pg_schemas(1) as (url,):
        yield url


@pytest.fixture
def ws(db_url, tmp_path):
    """An initialised workspace on each backend."""
    from monitio.workspace import init_workspace

    url = None if db_url.startswith("sqlite") else db_url
    workspace = init_workspace(tmp_path / "ws", database_url=url)
    yield workspace
    workspace.engine.dispose()


@pytest.fixture
def shared_data() -> Path:
    if not SHARED_DATA.exists():
        pytest.skip(f"shared data not found at {SHARED_DATA}")
    return SHARED_DATA
