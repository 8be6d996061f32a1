"""Helpers for the tests that run on a Dask LocalCluster: a second PostgreSQL schema, a killed worker."""

import contextlib
import os
import signal
import uuid
from collections.abc import Iterator
from urllib.parse import quote

from sqlalchemy import create_engine, text

from tests.conftest import PG_URL


@contextlib.contextmanager
def second_database(db_url: str) -> Iterator[str]:
    """Another empty database beside `db_url`: a fresh schema on PostgreSQL (dropped after), else
    `db_url` itself (an SQLite workspace gets its own file when given no URL)."""
    if db_url.startswith("sqlite"):
        yield db_url
        return
    schema = "t_" + uuid.uuid4().hex[:12]
    admin = create_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in PG_URL else "?"
    try:
        yield f"{PG_URL}{sep}options={quote(f'-csearch_path={schema}')}"
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def kill_one_worker(client) -> int:
    """SIGKILL one worker process of the client's cluster (its nanny starts another); returns its pid."""
    pid = next(iter(client.run(os.getpid).values()))
    os.kill(pid, signal.SIGKILL)
    return pid
