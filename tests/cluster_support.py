"""Helpers for the tests that run on a Dask LocalCluster: a second PostgreSQL schema, a killed worker."""

import contextlib
import os
import signal
from collections.abc import Iterator

from tests.conftest import pg_schemas


@contextlib.contextmanager
def second_database(db_url: str) -> Iterator[str]:
    """Another empty database beside `db_url`: a fresh schema on PostgreSQL (dropped after), else
    `db_url` itself (an SQLite workspace gets its own file when given no URL)."""
    if db_url.startswith("sqlite"):
        yield db_url
        return
    with pg_schemas(1) as (url,):
        yield url


def kill_one_worker(client) -> int:
    """SIGKILL one worker process of the client's cluster (its nanny starts another); returns its pid."""
    pid = next(iter(client.run(os.getpid).values()))
    os.kill(pid, signal.SIGKILL)
    return pid
