"""Facet columns: every post's facet values as NumPy arrays, for counting large match sets at once.

A broad search (`NOT lang:en`, a word in a tenth of the posts) matches hundreds of thousands of
posts. Counting their facets with SQL means reading each matching row again and grouping (about
15 µs per match at a million posts). The columns hold, per post in id order, its publication time,
market, language, source and author as small integer codes and its categories as a bit set, so the
total, every facet and the newest page of any set of matches are a few vectorised passes
(`np.bincount`, one partial sort), whatever the number of matches. Field-only conditions (language,
market, source, category, date and the filter bar's fields) are evaluated on the columns too, so such
a query touches no post row at all.

The values are read with the same SQL expressions as the SQL facets (`search._facet_exprs`), so both
paths count the same strings. They are kept fresh under the posts data version: when it moves, the
posts with an id above the last one loaded and the posts enriched since the last load (less a
margin, `ENRICHED_MARGIN`) are read again, the only writes that change a facet value; if the row
count then disagrees with the table, everything is read again.

One set of columns per engine and process (a weak reference), loaded by a long-running server when it
starts (`warm_up`) and on demand after that; a one-shot command never pays for the load.

>>> cols = FacetColumns.from_rows(
...     [(1, "2026-11-01 10:00:00", "ID", "id", "demo", "scam_ads,shop_fraud", "ana"),
...      (2, "2026-11-02 09:30:00", "MY", "ms", "demo", "", None),
...      (3, "2026-11-02 11:00:00", "ID", "en", "x", "scam_ads", "ana")])
>>> facets, total = cols.facets(np.arange(3))
>>> total, facets["market"], facets["category"], facets["author"]
(3, {'ID': 2, 'MY': 1}, {'scam_ads': 2, 'shop_fraud': 1}, {'ana': 2})
>>> [int(cols.ids[i]) for i in cols.page(np.arange(3), 2)]
[3, 2, 1]
"""

from __future__ import annotations

import threading
import time
import weakref
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
from sqlalchemy import Engine, cast, func, select, type_coerce
from sqlalchemy.types import BigInteger, Text

from monitio.store.schema import UNKNOWN, posts
from monitio.store.versions import data_version

TOP_AUTHORS = 10
ENRICHED_MARGIN = timedelta(minutes=10)
"""Posts enriched this long before the newest enrichment seen at the last load are read again at a
refresh: a transaction that stamped its posts earlier but committed later is still seen."""
MIN_POSTS = 20_000
"""Below this many posts SQL is as quick, and the columns are not worth their memory."""

Row = tuple[int, Any, str | None, str | None, str, str | None, str | None]
"""(id, published_at, market, language, source, categories, author) as read from the database; market
and language are the effective values (`doc.market or post.market_hint`), None when both are missing."""
NULL = "\x00null"
"""The code name of a missing market or language (counted as `_unknown` in the facets)."""
_WORD = (1 << 64) - 1


class _Codes:
    """Strings to small integers, in order of first sight."""

    def __init__(self) -> None:
        self.index: dict[str, int] = {}
        self.names: list[str] = []

    def code(self, value: str) -> int:
        c = self.index.get(value)
        if c is None:
            c = self.index[value] = len(self.names)
            self.names.append(value)
        return c

    def codes(self, values: Iterable[str]) -> np.ndarray:
        index, code = self.index, self.code
        return np.fromiter((index[v] if v in index else code(v) for v in values), dtype=np.int32)


def _micros(values: Sequence[Any]) -> np.ndarray:
    """Publication times as int64 microseconds since the epoch (UTC); SQLite gives text, PostgreSQL
    datetimes or, through `_LOAD`, integers already."""
    if not len(values):
        return np.zeros(0, dtype=np.int64)
    first = values[0]
    if isinstance(first, int | np.integer):
        return np.asarray(values, dtype=np.int64)
    if isinstance(first, datetime):
        values = [v.astimezone(UTC).replace(tzinfo=None) for v in values]
    return np.asarray(values, dtype="datetime64[us]").astype(np.int64)


def _day_names(micros: np.ndarray) -> np.ndarray:
    return (micros // 86_400_000_000).astype(np.int32)


@dataclass
class FacetColumns:
    """The facet values of every post, aligned by position in id order (see the module's doc)."""

    ids: np.ndarray
    ts: np.ndarray
    market: np.ndarray
    lang: np.ndarray
    source: np.ndarray
    author: np.ndarray
    """-1 where the post has no author."""
    cats: np.ndarray
    """One row of uint64 words per post: bit i set when the post has category `cat_codes.names[i]`."""
    market_codes: _Codes = field(default_factory=_Codes)
    lang_codes: _Codes = field(default_factory=_Codes)
    source_codes: _Codes = field(default_factory=_Codes)
    author_codes: _Codes = field(default_factory=_Codes)
    cat_codes: _Codes = field(default_factory=_Codes)
    version: int = -1
    enriched_mark: datetime | None = None
    _combo_masks: dict[str | None, int] = field(default_factory=dict)

    @classmethod
    def empty(cls) -> FacetColumns:
        z = np.zeros(0, dtype=np.int32)
        return cls(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), z, z, z, z, np.zeros((0, 1), np.uint64))

    @classmethod
    def from_rows(cls, rows: Sequence[Row]) -> FacetColumns:
        cols = cls.empty()
        cols.merge(rows)
        return cols

    def __len__(self) -> int:
        return len(self.ids)

    def nbytes(self) -> int:
        """Memory held by the arrays (the code tables aside)."""
        return sum(a.nbytes for a in (self.ids, self.ts, self.market, self.lang, self.source, self.author, self.cats))

    # --- building ---------------------------------------------------------------------------------

    def _encode(self, rows: Sequence[Row]) -> tuple[np.ndarray, ...]:
        n = len(rows)
        ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=n)
        ts = _micros([r[1] for r in rows])
        market = self.market_codes.codes(NULL if r[2] is None else r[2] for r in rows)
        lang = self.lang_codes.codes(NULL if r[3] is None else r[3] for r in rows)
        source = self.source_codes.codes(r[4] for r in rows)
        acodes = self.author_codes
        author = np.fromiter((-1 if r[6] is None else acodes.code(r[6]) for r in rows), np.int32, n)
        ccodes, masks = self.cat_codes, self._combo_masks
        for combo in {r[5] for r in rows} - masks.keys():
            bits = 0
            for c in (combo or "").split(","):
                if c:
                    bits |= 1 << ccodes.code(c)
            masks[combo] = bits
        words = max(1, (len(ccodes.names) + 63) // 64)
        cats = np.zeros((n, words), dtype=np.uint64)
        combos = [masks[r[5]] for r in rows]
        for w in range(words):
            cats[:, w] = np.fromiter(((m >> (64 * w)) & _WORD for m in combos), dtype=np.uint64, count=n)
        return ids, ts, market, lang, source, author, cats

    def merge(self, rows: Sequence[Row]) -> None:
        """Add new posts and replace the values of posts already held (by id)."""
        if not rows:
            return
        ids, ts, market, lang, source, author, cats = self._encode(rows)
        ids, keep = np.unique(ids, return_index=True)  # sorted; a post read twice counts once
        ts, market, lang, source, author, cats = (a[keep] for a in (ts, market, lang, source, author, cats))
        if cats.shape[1] > self.cats.shape[1]:
            grow = cats.shape[1] - self.cats.shape[1]
            self.cats = np.hstack([self.cats, np.zeros((len(self.cats), grow), np.uint64)])
        elif cats.shape[1] < self.cats.shape[1]:
            cats = np.hstack([cats, np.zeros((len(cats), self.cats.shape[1] - cats.shape[1]), np.uint64)])
        pos = np.searchsorted(self.ids, ids)
        known = (
            (pos < len(self.ids)) & (self.ids[np.minimum(pos, len(self.ids) - 1)] == ids)
            if len(self.ids)
            else (np.zeros(len(ids), dtype=bool))
        )
        at = pos[known]
        self.ts[at], self.market[at], self.lang[at] = ts[known], market[known], lang[known]
        self.source[at], self.author[at], self.cats[at] = source[known], author[known], cats[known]
        new = ~known
        if new.any():
            fresh = (ids[new], ts[new], market[new], lang[new], source[new], author[new], cats[new])
            names = ("ids", "ts", "market", "lang", "source", "author", "cats")
            merged = {n: np.concatenate([getattr(self, n), a]) for n, a in zip(names, fresh, strict=True)}
            order = np.argsort(merged["ids"], kind="stable")
            for n in names:
                setattr(self, n, merged[n][order])

    # --- reading ----------------------------------------------------------------------------------

    def positions(self, ids: Iterable[int] | np.ndarray) -> np.ndarray:
        """Positions of these post ids (ids not held are dropped)."""
        arr = np.unique(np.asarray(ids if isinstance(ids, np.ndarray) else list(ids), dtype=np.int64))
        pos = np.searchsorted(self.ids, arr)
        ok = pos < len(self.ids)
        pos = pos[ok]
        return pos[self.ids[pos] == arr[ok]]

    def facets(self, pos: np.ndarray) -> tuple[dict[str, dict[str, int]], int]:
        """Counts by market, language, category, source and day, the top authors, and the total."""
        total = len(pos)
        out: dict[str, dict[str, int]] = {}
        for name, col, codes in (
            ("market", self.market, self.market_codes),
            ("lang", self.lang, self.lang_codes),
            ("source", self.source, self.source_codes),
        ):
            counts = np.bincount(col[pos], minlength=len(codes.names)) if total else np.zeros(0, np.int64)
            named: dict[str, int] = {}
            for i in np.flatnonzero(counts):
                key = UNKNOWN if codes.names[i] == NULL else codes.names[i]
                named[key] = named.get(key, 0) + int(counts[i])
            out[name] = _ordered(named)
        days, dcounts = np.unique(_day_names(self.ts[pos]), return_counts=True)
        day_names = np.datetime_as_string(days.astype("datetime64[D]")) if len(days) else []
        out["day"] = {str(d): int(n) for d, n in zip(day_names, dcounts, strict=True)}
        cats: dict[str, int] = {}
        words = self.cats[pos] if total else self.cats[:0]
        for i, name in enumerate(self.cat_codes.names):
            n = int(np.count_nonzero(words[:, i >> 6] & (np.uint64(1) << np.uint64(i & 63))))
            if n:
                cats[name] = n
        out["category"] = _ordered(cats)
        authors = self.author[pos]
        authors = authors[authors >= 0]
        top: dict[str, int] = {}
        if len(authors):
            counts = np.bincount(authors, minlength=len(self.author_codes.names))
            nz = np.flatnonzero(counts)
            if len(nz) > TOP_AUTHORS:  # the candidates: at least the tenth largest count
                floor = np.partition(counts[nz], len(nz) - TOP_AUTHORS)[len(nz) - TOP_AUTHORS]
                nz = nz[counts[nz] >= floor]
            names = self.author_codes.names
            ranked = sorted(((names[i], int(counts[i])) for i in nz), key=lambda kv: (-kv[1], kv[0]))
            top = dict(ranked[:TOP_AUTHORS])
        out["author"] = top
        return {k: out[k] for k in ("market", "lang", "category", "source", "day", "author")}, total

    def page(
        self, pos: np.ndarray, limit: int, after: tuple[datetime, int] | None = None, offset: int = 0
    ) -> np.ndarray:
        """Positions of the newest `limit` matches (by publication time, then id) after the cursor."""
        if after is not None:
            t = _micros([after[0]])[0]
            ts, ids = self.ts[pos], self.ids[pos]
            pos = pos[(ts < t) | ((ts == t) & (ids < after[1]))]
            offset = 0
        want = limit + offset
        if len(pos) > want:
            ts = self.ts[pos]
            floor = np.partition(ts, len(ts) - want)[len(ts) - want]
            pos = pos[ts >= floor]  # ties at the floor stay in: the sort below settles them by id
        order = np.lexsort((self.ids[pos], self.ts[pos]))[::-1]
        return pos[order][offset:want]

    # --- field conditions -------------------------------------------------------------------------

    def where_codes(self, column: str, accept: Callable[[str], bool]) -> np.ndarray:
        """Boolean mask of the posts whose `column` value (market, lang, source, author) is accepted."""
        codes: _Codes = getattr(self, column + "_codes")
        table = np.fromiter((accept(n) for n in codes.names), dtype=bool, count=len(codes.names))
        col = getattr(self, column)
        if column == "author":
            table = np.append(table, False)  # code -1 (no author) reads the last entry
        return table[col] if len(table) else np.zeros(len(col), dtype=bool)

    def where_category(self, accept: Callable[[str], bool]) -> np.ndarray:
        mask = np.zeros(len(self.ids), dtype=bool)
        for i, name in enumerate(self.cat_codes.names):
            if accept(name):
                mask |= (self.cats[:, i >> 6] & (np.uint64(1) << np.uint64(i & 63))) != 0
        return mask

    def where_time(self, low: datetime | None, high: datetime | None, low_incl=True, high_incl=False) -> np.ndarray:
        mask = np.ones(len(self.ids), dtype=bool)
        if low is not None:
            t = _micros([low])[0]
            mask &= self.ts >= t if low_incl else self.ts > t
        if high is not None:
            t = _micros([high])[0]
            mask &= self.ts <= t if high_incl else self.ts < t
        return mask


_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
_ASCII_UPPER = str.maketrans("abcdefghijklmnopqrstuvwxyz", "ABCDEFGHIJKLMNOPQRSTUVWXYZ")


def _case(dialect: str, upper: bool) -> Callable[[str], str]:
    """SQL's lower()/upper(): ASCII letters only on SQLite, every letter on PostgreSQL."""
    if dialect == "sqlite":
        table = _ASCII_UPPER if upper else _ASCII_LOWER
        return lambda s: s.translate(table)
    return str.upper if upper else str.lower


def _names_accept(values: tuple[str, ...]) -> Callable[[str], bool]:
    """`search_sql._names`: exact values, or prefixes for values ending in `*`."""
    exact = frozenset(v for v in values if not v.endswith("*"))
    prefixes = tuple(v[:-1] for v in values if v.endswith("*"))
    return lambda x: x in exact or (bool(prefixes) and x.startswith(prefixes))


def field_mask(cols: FacetColumns, name: str, value: str, dialect: str) -> np.ndarray | None:
    """The posts a field filter accepts, exactly as `search_sql.field_sql` selects them, or None
    when the columns do not hold what the filter reads (sentiment, engagement, has:)."""
    from monitio.query import parse_field

    spec = parse_field(name, value)
    if name in ("lang", "market"):
        norm, wanted = _case(dialect, upper=name == "market"), frozenset(spec.values)
        return cols.where_codes(name, lambda x: x != NULL and norm(x) in wanted)
    if name in ("source", "author", "category") and not all(v.isascii() for v in spec.values):
        return None
    lower = _case(dialect, upper=False)
    if name == "source":
        accept = _names_accept(spec.values)
        return cols.where_codes("source", lambda x: accept(lower(x)))
    if name == "author":
        accept = _names_accept(spec.values)
        return cols.where_codes("author", lambda x: accept(lower(x).removeprefix("@")))
    if name == "category":
        if any("," in v for v in spec.values):
            return None  # a comma spans two categories in the SQL test: leave it to SQL
        wanted = frozenset(spec.values)
        return cols.where_category(lambda c: lower(c) in wanted)
    if name == "date":
        return cols.where_time(spec.low, spec.high, spec.low_incl, spec.high_incl)
    return None


def query_mask(cols: FacetColumns, node: Any, dialect: str) -> np.ndarray | None:
    """The posts a field-only query (fields under AND, OR and NOT) selects, or None when it has a
    term, a phrase, NEAR or a field the columns cannot test."""
    from monitio.query import And, Field, Not, Or

    if isinstance(node, Field):
        return field_mask(cols, node.name, node.value, dialect)
    if isinstance(node, Not):
        inner = query_mask(cols, node.child, dialect)
        return None if inner is None else ~inner
    if isinstance(node, And | Or):
        masks = [query_mask(cols, c, dialect) for c in node.children]
        if any(m is None for m in masks):
            return None
        out = masks[0].copy()
        for m in masks[1:]:
            out = out & m if isinstance(node, And) else out | m
        return out
    return None


def _ordered(counts: dict[str, int]) -> dict[str, int]:
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


# --- loading and keeping fresh ---------------------------------------------------------------------


def _select(dialect: str):
    from monitio.services.search_sql import _effective

    if dialect == "postgresql":
        when = cast(func.floor(func.extract("epoch", posts.c.published_at) * 1_000_000), BigInteger)
    else:
        when = type_coerce(posts.c.published_at, Text)  # the stored text, parsed by NumPy
    market, lang = _effective(posts.c.market, posts.c.market_hint), _effective(posts.c.lang, posts.c.lang_hint)
    return select(posts.c.id, when, market, lang, posts.c.source, posts.c.categories, posts.c.author)


def _read(conn, where=None, chunk: int = 50_000) -> list[Row]:
    stmt = _select(conn.dialect.name)
    if where is not None:
        stmt = stmt.where(where)
    result = conn.execution_options(stream_results=True, yield_per=chunk).execute(stmt.order_by(posts.c.id))
    rows: list[Row] = []
    for part in result.partitions(chunk):
        rows.extend(tuple(r) for r in part)
    return rows


class _Holder:
    def __init__(self) -> None:
        self.columns: FacetColumns | None = None
        self.lock = threading.Lock()
        self.loads = 0
        self.refreshes = 0
        self.load_seconds = 0.0


_holders: weakref.WeakKeyDictionary[Engine, _Holder] = weakref.WeakKeyDictionary()
_holders_lock = threading.Lock()


def _holder(engine: Engine) -> _Holder:
    with _holders_lock:
        h = _holders.get(engine)
        if h is None:
            h = _holders[engine] = _Holder()
        return h


def _mark(conn) -> datetime | None:
    newest = conn.execute(select(func.max(posts.c.enriched_at))).scalar()
    return None if newest is None else newest - ENRICHED_MARGIN


def _load(engine: Engine) -> FacetColumns:
    with engine.connect() as conn:
        version = data_version(conn)
        mark = _mark(conn)
        cols = FacetColumns.from_rows(_read(conn))
    cols.version, cols.enriched_mark = version, mark
    return cols


def _refresh(engine: Engine, cols: FacetColumns) -> FacetColumns:
    """The columns brought up to the current version: new posts and recently enriched ones read again."""
    with engine.connect() as conn:
        version = data_version(conn)
        if version == cols.version:
            return cols
        mark = _mark(conn)
        last = int(cols.ids[-1]) if len(cols) else 0
        rows = _read(conn, posts.c.id > last)
        if cols.enriched_mark is not None:
            rows += _read(conn, posts.c.enriched_at >= cols.enriched_mark)
        elif len(cols):
            rows += _read(conn, posts.c.enriched_at.is_not(None))
        cols.merge(rows)
        count = conn.execute(select(func.count()).select_from(posts)).scalar_one()
    if count != len(cols):  # posts went away (or another writer's shape): read everything again
        return _load(engine)
    cols.version, cols.enriched_mark = version, mark if mark is not None else cols.enriched_mark
    return cols


def columns_for(engine: Engine, *, load: bool = True) -> FacetColumns | None:
    """The engine's facet columns, fresh for the current posts version; None when not loaded and
    `load` is false, or when the workspace is too small to need them."""
    h = _holder(engine)
    with h.lock:
        if h.columns is None:
            if not load:
                return None
            started = time.perf_counter()
            cols = _load(engine)
            h.load_seconds = time.perf_counter() - started
            h.loads += 1
            h.columns = cols
        else:
            before = h.columns
            h.columns = _refresh(engine, before)
            h.refreshes += before is h.columns or 0
        return h.columns if len(h.columns) >= MIN_POSTS else None


def loaded(engine: Engine) -> bool:
    """True when this process holds the engine's columns already."""
    h = _holders.get(engine)
    return h is not None and h.columns is not None


def warm_up(engine: Engine) -> None:
    """Load the columns in a background thread (a server calls it when it starts)."""

    def run() -> None:
        try:
            columns_for(engine)
        except Exception:  # a server must start even if this fails; searches then use SQL
            import logging

            logging.getLogger(__name__).warning("facet columns could not be loaded", exc_info=True)

    threading.Thread(target=run, name="facet-columns", daemon=True).start()


def forget(engine: Engine) -> None:
    """Drop the engine's columns (tests, and after a schema change)."""
    with _holders_lock:
        _holders.pop(engine, None)
