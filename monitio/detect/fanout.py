"""How a detection pass hands its per-group work to a cluster: the `Fanout` protocol.

The per-series and per-market parts of a pass (the spike scan's candidates, the term bursts' tests)
are pure functions over a group. A `Fanout` splits the items into groups and runs such a function
on each, returning the results **in group order**, so joining them (Benjamini-Hochberg and the rest)
gives exactly what one process gives. The Dask implementation is `monitio.scale.detect.ClusterFanout`;
without a cluster the pass calls the functions itself on everything, and nothing here is used.

>>> fan = InOrder(parts=2)
>>> fan.split([1, 2, 3, 4, 5])
[[1, 2, 3], [4, 5]]
>>> fan.map(sum, fan.split([1, 2, 3, 4, 5]))
[6, 9]
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any, Protocol, TypeVar

T = TypeVar("T")
G = TypeVar("G")


class Fanout(Protocol):
    """Runs a pure function over groups of items, somewhere; results in group order."""

    def split(self, items: Sequence[G]) -> list[list[G]]:
        """The items cut into contiguous groups (their order kept)."""
        ...

    def map(self, fn: Callable[..., T], groups: Iterable[Any], /, *args: Any) -> list[T]:
        """`[fn(group, *args) for group in groups]`, computed wherever the fanout runs work; `groups` may be
        a generator, consumed as the groups are handed out (the caller can read the next one meanwhile)."""
        ...

    def start(self, fn: Callable[..., T], groups: Iterable[Any], /, *args: Any) -> Callable[[], list[T]]:
        """Hand the groups out now; the returned callable waits for and returns `map`'s result."""
        ...


def split_even(items: Sequence[G], parts: int) -> list[list[G]]:
    """`items` cut into at most `parts` contiguous groups of nearly equal size (none empty).

    >>> split_even(list(range(7)), 3)
    [[0, 1, 2], [3, 4], [5, 6]]
    >>> split_even([], 4)
    []
    """
    parts = max(1, min(parts, len(items)))
    size, extra = divmod(len(items), parts)
    out, at = [], 0
    for i in range(parts if items else 0):
        n = size + (i < extra)
        out.append(list(items[at : at + n]))
        at += n
    return out


class InOrder:
    """A `Fanout` that runs every group here, one after the other (for tests and doctests)."""

    def __init__(self, parts: int = 1):
        self.parts = parts

    def split(self, items: Sequence[G]) -> list[list[G]]:
        return split_even(items, self.parts)

    def map(self, fn: Callable[..., T], groups: Iterable[Any], /, *args: Any) -> list[T]:
        return [fn(group, *args) for group in groups]

    def start(self, fn: Callable[..., T], groups: Iterable[Any], /, *args: Any) -> Callable[[], list[T]]:
        done = self.map(fn, groups, *args)
        return lambda: done
