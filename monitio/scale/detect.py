"""The detection pass's per-group work on a Dask cluster: a `detect.fanout.Fanout` over a client.

Each group (a slice of the spike scan's series, a few markets' risk posts for the term bursts) is
one task whose arguments travel inside it, so a worker that dies mid-pass has its tasks recomputed
from their arguments by another worker; results come back in group order whatever order workers
finish in. Workers read and write nothing: the driver reads the store, joins the parts
(Benjamini-Hochberg across all of them) and writes the signals, as in one process.
"""

from __future__ import annotations

import pickle
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

from monitio.detect.fanout import split_even
from monitio.scale.cluster import worker_count

T = TypeVar("T")
G = TypeVar("G")

PARTS_PER_WORKER = 2
"""Groups per worker thread: a little slack for uneven groups, without a task per series."""


class ClusterFanout:
    """Runs a detection pass's groups as tasks on the client's workers (see the module docstring)."""

    def __init__(self, client: Any, parts_per_worker: int = PARTS_PER_WORKER):
        self.client = client
        self.parts = parts_per_worker * worker_count(client)

    def split(self, items: Sequence[G]) -> list[list[G]]:
        return split_even(items, self.parts)

    def map(self, fn: Callable[..., T], groups: Iterable[Any], /, *args: Any) -> list[T]:
        return self.start(fn, groups, *args)()

    def start(self, fn: Callable[..., T], groups: Iterable[Any], /, *args: Any) -> Callable[[], list[T]]:
        # Each group goes as one pickled blob: Dask then ships bytes instead of walking every post and
        # series of the group looking for nested tasks (which cost more than the work on a 100k workspace).
        # Groups are submitted as the iterable makes them, so workers start while the driver reads the next.
        futures = [
            self.client.submit(run_packed, fn, pickle.dumps(group, protocol=5), *args, pure=False) for group in groups
        ]
        self.submitted(futures)

        def collect() -> list[T]:
            try:
                return self.client.gather(futures)
            finally:
                for future in futures:
                    future.release()

        return collect

    def submitted(self, futures: list) -> None:
        """Called once a map's tasks are all submitted, before waiting for them (nothing by default)."""


def run_packed(fn: Callable[..., T], packed: bytes, *args: Any) -> T:
    """`fn(group, *args)` on a worker, the group unpickled from the driver's own bytes."""
    return fn(pickle.loads(packed), *args)
