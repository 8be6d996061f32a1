"""The hourly rollups of a time range, read once into numpy arrays and shared by the detectors.

A detection pass needs the rollups twice: the spike scan wants every category and market x category
series over the history (35 days), the sentiment shifts want the posts and negatives of every
market x category over the last 16 days. Both read one `RollupFrame`: one range scan of `rollups` on
its covering index (`ix_rollups_bucket_cover`: bucket, market, category, count, negative), summed over
language and source with `numpy.bincount` instead of a GROUP BY, with no Python work per row beyond
reading it (each distinct hour is converted to an index once).

Cells are float64 sums of integer counts, so they are exact whatever the order of summation, and
every view gives the same numbers, in the same key order, as the per-row loops it replaced.

>>> from datetime import UTC, datetime
>>> t0 = datetime(2026, 11, 1, tzinfo=UTC)
>>> cells = [("ID", "scam_ads", 0, 4, 1), ("ID", "scam_ads", 2, 5, 0), ("ID", "_all", 0, 9, 0)]
>>> f = RollupFrame.from_cells(t0, 3, cells)
>>> {k: v.tolist() for k, v in f.series(t0, 3).items()}
{'total': [9.0, 0.0, 0.0], 'cat=scam_ads': [4.0, 0.0, 5.0], 'cat=scam_ads|mkt=ID': [4.0, 0.0, 5.0]}
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np
from sqlalchemy import Connection, select, type_coerce
from sqlalchemy.types import NullType

from monitio.store.schema import ALL, UNKNOWN, rollups

TOTAL = "total"
HOUR = timedelta(hours=1)


@dataclass
class RollupFrame:
    """Rollup counts summed per (market, category) pair and hour of `[start, start + hours)`.

    `pairs` are sorted by (market, category); `present[i, h]` is True when a rollup row exists for pair `i` at
    hour `h` (even with a count of 0: such a pair still has a series).
    """

    start: datetime
    hours: int
    markets: list[str]
    categories: list[str]
    count: np.ndarray  # (pairs, hours) float64
    negative: np.ndarray  # (pairs, hours) float64
    present: np.ndarray  # (pairs, hours) bool

    @property
    def end(self) -> datetime:
        return self.start + self.hours * HOUR

    def covers(self, start: datetime, end: datetime) -> bool:
        """True when `[start, end)` lies inside the frame and starts on one of its hour boundaries."""
        offset = (start - self.start).total_seconds()
        return self.start <= start and end <= self.end and offset % 3600 == 0

    @classmethod
    def load(cls, conn: Connection, start: datetime, end: datetime) -> RollupFrame:
        """The rollups with `start <= bucket < end`; hour `i` holds the buckets of `[start + i h, start + (i+1) h)`."""
        hours = max(0, int((end - start).total_seconds() // 3600))
        # The bucket comes back as the driver gives it and each distinct value is converted once, not once per row.
        q = select(
            type_coerce(rollups.c.bucket, NullType()),
            rollups.c.market,
            rollups.c.category,
            rollups.c.count,
            rollups.c.negative,
        ).where(rollups.c.bucket >= start, rollups.c.bucket < end)
        with paused_gc():
            return cls._from_rows(conn, start, hours, conn.execute(q).all())

    @classmethod
    def _from_rows(cls, conn: Connection, start: datetime, hours: int, rows: list) -> RollupFrame:
        if not rows:
            return cls.from_arrays(start, hours, [], np.zeros(0, int), np.zeros(0, int), np.zeros(0), np.zeros(0))
        buckets, markets, categories, counts, negatives = zip(*rows, strict=True)
        to_datetime = rollups.c.bucket.type.dialect_impl(conn.dialect).result_processor(conn.dialect, None)
        index = {b: int(((to_datetime(b) if to_datetime else b) - start).total_seconds() // 3600) for b in set(buckets)}
        hour = np.fromiter(map(index.__getitem__, buckets), dtype=np.int64, count=len(rows))
        keys = list(zip(markets, categories, strict=True))
        pairs = sorted(set(keys))
        code = {k: i for i, k in enumerate(pairs)}
        pair = np.fromiter(map(code.__getitem__, keys), dtype=np.int64, count=len(rows))
        n = np.array(counts, dtype=np.float64)
        neg = np.array([0 if v is None else v for v in negatives], dtype=np.float64)
        return cls.from_arrays(start, hours, pairs, pair, hour, n, neg)

    @classmethod
    def from_cells(
        cls, start: datetime, hours: int, cells: Iterable[tuple[str, str, int, float, float]]
    ) -> RollupFrame:
        """A frame from (market, category, hour index, count, negative) cells (tests and examples)."""
        cells = list(cells)
        pairs = sorted({(m, c) for m, c, *_ in cells})
        code = {k: i for i, k in enumerate(pairs)}
        return cls.from_arrays(
            start,
            hours,
            pairs,
            np.array([code[(m, c)] for m, c, *_ in cells], dtype=np.int64),
            np.array([h for _, _, h, _, _ in cells], dtype=np.int64),
            np.array([n for *_, n, _ in cells], dtype=np.float64),
            np.array([k for *_, k in cells], dtype=np.float64),
        )

    @classmethod
    def from_arrays(cls, start, hours, pairs, pair, hour, n, neg) -> RollupFrame:
        keep = (hour >= 0) & (hour < hours)
        flat = pair[keep] * hours + hour[keep]
        size = len(pairs) * hours
        shape = (len(pairs), hours)
        return cls(
            start=start,
            hours=hours,
            markets=[m for m, _ in pairs],
            categories=[c for _, c in pairs],
            count=np.bincount(flat, weights=n[keep], minlength=size).reshape(shape),
            negative=np.bincount(flat, weights=neg[keep], minlength=size).reshape(shape),
            present=(np.bincount(flat, minlength=size) > 0).reshape(shape),
        )

    def _span(self, start: datetime, hours: int) -> slice:
        first = int((start - self.start).total_seconds() // 3600)
        return slice(first, first + hours)

    def pairs_in(self, start: datetime, hours: int) -> list[int]:
        """Pairs with a rollup row in `[start, start + hours h)`, in the order of their first row by
        (hour, market, category): the order in which the rows of the range would be read sorted."""
        present = self.present[:, self._span(start, hours)]
        seen = present.any(axis=1)
        first = np.where(seen, present.argmax(axis=1), hours)
        return [int(i) for i in np.lexsort((np.arange(len(first)), first)) if seen[i]]

    def series(self, start: datetime, hours: int) -> dict[str, np.ndarray]:
        """Hourly counts keyed `total`, `cat=C`, `cat=C|mkt=M` (markets other than unknown) over
        `[start, start + hours h)`, keys in the order of their first rollup row."""
        span = self._span(start, hours)
        out: dict[str, np.ndarray] = {}
        for i in self.pairs_in(start, hours):
            market, category, values = self.markets[i], self.categories[i], self.count[i, span]
            if category == ALL:
                out[TOTAL] = out[TOTAL] + values if TOTAL in out else values.copy()
                continue
            key = f"cat={category}"
            out[key] = out[key] + values if key in out else values.copy()
            if market != UNKNOWN:
                out[f"{key}|mkt={market}"] = values.copy()
        return out


@contextmanager
def paused_gc() -> Iterator[None]:
    """No cyclic garbage collection while hundreds of thousands of rows (acyclic tuples) are read.

    Each row allocates containers, so the collector would otherwise run over and over across the whole heap
    while the rows pile up: on a 700k-row read that was about a third of the time.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
