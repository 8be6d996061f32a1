"""Connect to a Dask scheduler (`tcp://host:8786`) or start a one-machine LocalCluster (`local:N`).

>>> parse_cluster("local:3")
ClusterSpec(address=None, local_workers=3)
>>> parse_cluster("tcp://scheduler:8786").address
'tcp://scheduler:8786'
>>> parse_cluster("scheduler:8786").address
'tcp://scheduler:8786'
"""

from __future__ import annotations

import contextlib
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from monitio.errors import Invalid, Unavailable

CONNECT_TIMEOUT = 10.0
"""Seconds to wait for a remote scheduler before giving up."""

_ADDRESS = re.compile(r"^(?:(tcp|tls|ws|wss)://)?([A-Za-z0-9_.\-]+|\[[0-9A-Fa-f:]+\]):([0-9]{1,5})$")


class ClusterSpecError(Invalid):
    """A `cluster` value that is neither `local:N` nor a scheduler address."""


class ClusterUnavailable(Unavailable):
    """Dask is not installed, or the scheduler did not answer."""


@dataclass(frozen=True, slots=True)
class ClusterSpec:
    """Where enrichment runs: a remote scheduler `address`, or `local_workers` processes on this machine."""

    address: str | None = None
    local_workers: int | None = None

    def describe(self) -> str:
        return f"LocalCluster of {self.local_workers} worker processes" if self.local_workers else str(self.address)


def parse_cluster(text: str) -> ClusterSpec:
    """`local`, `local:N` (1-256 worker processes) or `[tcp://]host:port`; anything else is `ClusterSpecError`.

    >>> parse_cluster("local").local_workers
    2
    """
    value = (text or "").strip()
    fix = "use local:N (N worker processes on this machine) or tcp://HOST:8786 (a running dask scheduler)"
    if value.lower() == "local" or value.lower().startswith("local:"):
        count = value.partition(":")[2] or "2"
        if not (count.isascii() and count.isdigit()) or not 1 <= int(count) <= 256:
            raise ClusterSpecError(f"cluster {value!r}: the worker count must be 1-256", hint=fix)
        return ClusterSpec(local_workers=int(count))
    match = _ADDRESS.match(value)
    if not match or not 0 < int(match.group(3)) < 65536:
        raise ClusterSpecError(f"cluster {value!r} is not a scheduler address", hint=fix)
    scheme = match.group(1) or "tcp"
    return ClusterSpec(address=f"{scheme}://{match.group(2)}:{match.group(3)}")


def _distributed() -> Any:
    try:
        import distributed
    except ImportError:
        raise ClusterUnavailable(
            "running on a cluster needs Dask", hint="install it with: pip install 'monitio[cluster]'"
        ) from None
    return distributed


@contextlib.contextmanager
def open_cluster(spec: ClusterSpec | str, *, timeout: float = CONNECT_TIMEOUT) -> Iterator[Any]:
    """A `distributed.Client` for the spec, closed (and a LocalCluster shut down) on exit.

    An unreachable scheduler, or one without a worker after `timeout` seconds, raises
    `ClusterUnavailable` naming the address, before anything is written.
    """
    spec = parse_cluster(spec) if isinstance(spec, str) else spec
    distributed = _distributed()
    if spec.local_workers:
        cluster = distributed.LocalCluster(
            n_workers=spec.local_workers,
            processes=True,
            threads_per_worker=1,
            dashboard_address=None,
            silence_logs=logging.ERROR,
        )
        try:
            with distributed.Client(cluster) as client:
                yield client
        finally:
            cluster.close()
        return
    try:
        client = distributed.Client(spec.address, timeout=timeout)
    except (OSError, TimeoutError) as exc:
        raise ClusterUnavailable(
            f"cannot reach the Dask scheduler at {spec.address} ({type(exc).__name__})",
            hint="start it with `dask scheduler` there, or fix the cluster setting / --cluster",
        ) from None
    with client:
        if not client.nthreads():
            try:  # a scheduler alone would queue the batches forever
                client.wait_for_workers(1, timeout=timeout)
            except TimeoutError:
                raise ClusterUnavailable(
                    f"the Dask scheduler at {spec.address} has no workers",
                    hint=f"start some with `dask worker {spec.address}`",
                ) from None
        yield client


def worker_count(client: Any) -> int:
    """Worker threads the scheduler knows of now (at least 1)."""
    return max(1, sum(client.nthreads().values()))
