"""Search answers kept per workspace and posts version: the exact total and facets of a query, and
the ids of a page, reused until any post changes.

The key holds the posts version (`monitio.store.versions.data_version`), which the database bumps
in the same transaction as every insert, update or delete of a post, so a cached total is never
older than the data it is served with: the reader takes the version first, then computes.
One cache per engine (a weak reference: it goes with the engine), bounded in entries (LRU).

>>> c = LruCache(2)
>>> c.put("a", 1); c.put("b", 2); c.get("a"); c.put("c", 3)
1
>>> c.get("b") is None, c.get("a"), c.get("c")
(True, 1, 3)
"""

from __future__ import annotations

import copy
import marshal
import threading
import weakref
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

COUNTS = 512
PAGES = 4096
OTHER = 1024
TOKENS = 1024
ANSWERS = 512


class LruCache:
    """A small thread-safe least-recently-used map."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[Any, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Any) -> Any:
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def put(self, key: Any, value: Any) -> None:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def __len__(self) -> int:
        return len(self._items)


@dataclass(frozen=True, slots=True)
class Counts:
    """A query's exact total, its facets (None when they were not counted) and which path ran."""

    total: int
    facets: dict[str, dict[str, int]] | None
    verified: bool


@dataclass(frozen=True, slots=True)
class PageIds:
    ids: tuple[tuple[int, tuple[str, ...], tuple[tuple[int, int], ...]], ...]
    """Per item of the page: post id, matched terms, highlight spans."""
    next_cursor: str | None


class Frozen:
    """A cached answer nobody can change: plain JSON-like values are kept marshalled (thawing them
    is 7x faster than `copy.deepcopy`), anything else as a deep copy.

    >>> f = Frozen({"a": [1, "x"]})
    >>> v = f.thaw(); v["a"].append(2); f.thaw()
    {'a': [1, 'x']}
    """

    __slots__ = ("_data", "_marshalled")

    def __init__(self, value: Any) -> None:
        try:
            self._data, self._marshalled = marshal.dumps(value), True
        except ValueError:  # a datetime, a dataclass, ...
            self._data, self._marshalled = copy.deepcopy(value), False

    def thaw(self) -> Any:
        """A fresh copy of the value, the caller's to change."""
        return marshal.loads(self._data) if self._marshalled else copy.deepcopy(self._data)


STRIPES = 64


@dataclass(slots=True)
class SearchCache:
    counts: LruCache
    pages: LruCache
    other: LruCache
    """Other answers keyed by their own versions (e.g. the narratives list)."""
    answers: LruCache = field(default_factory=lambda: LruCache(ANSWERS))
    """Whole search pages as JSON (`Frozen`), keyed by the query, filters, page and posts version."""
    tokens: LruCache = field(default_factory=lambda: LruCache(TOKENS))
    """API token hash -> (people version, `TokenUse`) (`monitio.services.people.token_user`)."""
    indexed: int = -1
    """The posts version at which the search index was last brought up to date in this process."""
    locks: tuple[threading.Lock, ...] = field(default_factory=lambda: tuple(threading.Lock() for _ in range(STRIPES)))

    def lock(self, key: Any) -> threading.Lock:
        """A lock per key (striped): concurrent misses of one query compute it once."""
        return self.locks[hash(key) % STRIPES]


_caches: weakref.WeakKeyDictionary[Any, SearchCache] = weakref.WeakKeyDictionary()
_lock = threading.Lock()


def cache_for(engine) -> SearchCache:
    """The cache of one engine (one workspace in this process)."""
    with _lock:
        cache = _caches.get(engine)
        if cache is None:
            cache = _caches[engine] = SearchCache(LruCache(COUNTS), LruCache(PAGES), LruCache(OTHER))
        return cache
