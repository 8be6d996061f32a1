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
...     [(1, "2026-11-01 10:00:00", "ID", "id", "demo", "scam_ads,shop_fraud", "ana", -0.5, "negative"),
...      (2, "2026-11-02 09:30:00", "MY", "ms", "demo", "", None, None, "neutral"),
...      (3, "2026-11-02 11:00:00", "ID", "en", "x", "scam_ads", "ana", 0.1, "neutral")])
>>> facets, total = cols.facets(np.arange(3))
>>> total, facets["market"], facets["category"], facets["author"]
(3, {'ID': 2, 'MY': 1}, {'scam_ads': 2, 'shop_fraud': 1}, {'ana': 2})
>>> [int(cols.ids[i]) for i in cols.page(np.arange(3), 2)]
[3, 2]
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
from sqlalchemy import Engine, cast, func, select, type_coerce
from sqlalchemy.types import BigInteger, Text

from monitio.services import hot_terms
from monitio.store.schema import UNKNOWN, posts
from monitio.store.versions import data_version

TOP_AUTHORS = 10
ENRICHED_MARGIN = timedelta(minutes=10)
"""Posts enriched this long before the newest enrichment seen at the last load are read again at a
refresh: a transaction that stamped its posts earlier but committed later is still seen."""
MIN_POSTS = 20_000
"""Below this many posts SQL is as quick, and the columns are not worth their memory."""

Row = tuple[int, Any, str | None, str | None, str, str | None, str | None, float | None, str]
"""(id, published_at, market, language, source, categories, author, sentiment, sentiment label) as
read from the database; market and language are the effective values (`doc.market or
post.market_hint`, None when both are missing), the label as `sentiment:` reads it (SQL's own
`lower(coalesce(nullif(label, ''), 'neutral'))`)."""
ARRAYS = ("ids", "ts", "market", "lang", "source", "author", "cats", "sentiment", "label")
NULL = "\x00null"
"""The code name of a missing market or language (counted as `_unknown` in the facets)."""
_WORD = (1 << 64) - 1


class Stale(Exception):
    """An id from the database that the columns do not hold yet: the caller asks SQL instead."""


class _Codes:
    """Strings to small integers, in order of first sight; `missing` is the code of None (`NULL`'s
    code when None is a value of its own, -1 when it stands for "none")."""

    def __init__(self, none_is_value: bool = True) -> None:
        self.index: dict[str | None, int] = {} if none_is_value else {None: -1}
        self.names: list[str] = []

    def code(self, value: str | None) -> int:
        c = self.index.get(value)
        if c is None:
            c = self.index[value] = len(self.names)
            self.names.append(NULL if value is None else value)
        return c

    def codes(self, values: Sequence[str | None]) -> np.ndarray:
        index = self.index
        for v in set(values) - index.keys():
            self.code(v)
        return np.fromiter(map(index.__getitem__, values), dtype=np.int32, count=len(values))


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


def _widen(bits: np.ndarray, width: int) -> np.ndarray:
    """Category bit sets padded with zero words to `width` words per post."""
    if bits.shape[1] >= width:
        return bits
    return np.hstack([bits, np.zeros((len(bits), width - bits.shape[1]), np.uint64)])


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
    sentiment: np.ndarray
    """NaN where the post has no score."""
    label: np.ndarray
    market_codes: _Codes = field(default_factory=_Codes)
    lang_codes: _Codes = field(default_factory=_Codes)
    source_codes: _Codes = field(default_factory=_Codes)
    author_codes: _Codes = field(default_factory=lambda: _Codes(none_is_value=False))
    cat_codes: _Codes = field(default_factory=_Codes)
    label_codes: _Codes = field(default_factory=_Codes)
    vi_ids: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    """Posts whose text looks Vietnamese (`post_search.vi`): the matcher reads them in the Vietnamese view."""
    vi_body_ids: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    """Posts with a separate Vietnamese view (`post_search.body_vi`)."""
    version: int = -1
    enriched_mark: datetime | None = None
    hot: hot_terms.HotTerms | None = None
    """The ids of the most frequent words' posts (`hot_terms`); None until built, or while rebuilt."""
    _combo_masks: dict[str | None, int] = field(default_factory=dict)
    _normalised: dict[tuple, np.ndarray] = field(default_factory=dict)
    _vi_view: tuple[np.ndarray, np.ndarray] | None = None
    _hot_building: bool = False

    @classmethod
    def empty(cls) -> FacetColumns:
        z, z64 = np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.int64)
        return cls(z64, z64, z, z, z, z, np.zeros((0, 1), np.uint64), np.zeros(0), z)

    @classmethod
    def from_rows(cls, rows: Sequence[Row]) -> FacetColumns:
        cols = cls.empty()
        cols.merge(rows)
        return cols

    def __len__(self) -> int:
        return len(self.ids)

    def nbytes(self) -> int:
        """Memory held by the arrays and the hot terms' ids (the code tables aside)."""
        return sum(getattr(self, name).nbytes for name in ARRAYS) + (self.hot.nbytes() if self.hot else 0)

    # --- building ---------------------------------------------------------------------------------

    def _encode(self, rows: Sequence[Row]) -> dict[str, np.ndarray]:
        n = len(rows)
        ids_c, ts_c, market_c, lang_c, source_c, cats_c, author_c, sent_c, label_c = zip(*rows, strict=True)
        ccodes, masks = self.cat_codes, self._combo_masks
        for combo in set(cats_c) - masks.keys():
            bits = 0
            for c in (combo or "").split(","):
                if c:
                    bits |= 1 << ccodes.code(c)
            masks[combo] = bits
        words = max(1, (len(ccodes.names) + 63) // 64)
        cats = np.zeros((n, words), dtype=np.uint64)
        if words == 1:
            cats[:, 0] = np.fromiter(map(masks.__getitem__, cats_c), dtype=np.uint64, count=n)
        else:
            combos = [masks[c] for c in cats_c]
            for w in range(words):
                cats[:, w] = np.fromiter(((m >> (64 * w)) & _WORD for m in combos), dtype=np.uint64, count=n)
        return {
            "ids": np.fromiter(ids_c, dtype=np.int64, count=n),
            "ts": _micros(ts_c),
            "market": self.market_codes.codes(market_c),
            "lang": self.lang_codes.codes(lang_c),
            "source": self.source_codes.codes(source_c),
            "author": self.author_codes.codes(author_c),
            "cats": cats,
            "sentiment": np.array(sent_c, dtype=np.float64),  # None reads as NaN
            "label": self.label_codes.codes(label_c),
        }

    def merge(self, rows: Sequence[Row]) -> None:
        """Add new posts and replace the values of posts already held (by id)."""
        if not rows:
            return
        self._vi_view = None
        fresh = self._encode(rows)
        _, keep = np.unique(fresh["ids"], return_index=True)  # sorted; a post read twice counts once
        fresh = {k: a[keep] for k, a in fresh.items()}
        width = max(fresh["cats"].shape[1], self.cats.shape[1])  # words of category bits: new categories widen
        fresh["cats"], self.cats = _widen(fresh["cats"], width), _widen(self.cats, width)
        ids = fresh["ids"]
        pos = np.searchsorted(self.ids, ids)
        known = np.zeros(len(ids), dtype=bool)
        if len(self.ids):
            known = (pos < len(self.ids)) & (self.ids[np.minimum(pos, len(self.ids) - 1)] == ids)
        at = pos[known]
        for name in ARRAYS[1:]:
            getattr(self, name)[at] = fresh[name][known]
        new = ~known
        if new.any():
            merged = {n: np.concatenate([getattr(self, n), fresh[n][new]]) for n in ARRAYS}
            order = np.argsort(merged["ids"], kind="stable")
            for n in ARRAYS:
                setattr(self, n, merged[n][order])

    # --- reading ----------------------------------------------------------------------------------

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

    def vi_view(self) -> tuple[np.ndarray, np.ndarray]:
        """(posts read in the Vietnamese view: the text looks Vietnamese or the language is vi, as
        `search_sql.is_vi_doc`; posts with a separate Vietnamese view), kept until the columns change."""
        view = self._vi_view
        if view is None or len(view[0]) != len(self.ids):
            vi_doc = self.mask_of(self.vi_ids) | self.where_codes("lang", lambda x: x == "vi")
            view = (vi_doc, self.mask_of(self.vi_body_ids))
            for mask in view:
                mask.setflags(write=False)  # shared by every search until the columns change
            self._vi_view = view
        return view

    def add_vi(self, vi_ids: Iterable[int], vi_body_ids: Iterable[int]) -> None:
        self._vi_view = None
        self.vi_ids = np.union1d(self.vi_ids, np.asarray(list(vi_ids), dtype=np.int64))
        self.vi_body_ids = np.union1d(self.vi_body_ids, np.asarray(list(vi_body_ids), dtype=np.int64))

    def mask_of(self, ids: Sequence[int]) -> np.ndarray:
        """A boolean mask of these post ids; `Stale` when one is not held (newer than the columns)."""
        mask = np.zeros(len(self.ids), dtype=bool)
        if len(ids):
            arr = np.asarray(ids, dtype=np.int64)
            pos = np.searchsorted(self.ids, arr)
            if (pos >= len(self.ids)).any() or (self.ids[pos] != arr).any():
                raise Stale
            mask[pos] = True
        return mask

    # --- field conditions -------------------------------------------------------------------------

    def where_codes(self, column: str, accept: Callable[[str], bool]) -> np.ndarray:
        """Boolean mask of the posts whose `column` value (market, lang, source, author) is accepted."""
        codes: _Codes = getattr(self, column + "_codes")
        table = np.fromiter((accept(n) for n in codes.names), dtype=bool, count=len(codes.names))
        col = getattr(self, column)
        if column == "author":
            table = np.append(table, False)  # code -1 (no author) reads the last entry
        return table[col] if len(table) else np.zeros(len(col), dtype=bool)

    def where_names(self, column: str, values: tuple[str, ...], norm: Callable[[str], str]) -> np.ndarray:
        """`where_codes` for `search_sql._names` (exact values, or prefixes ending in `*`) over the
        normalised names, vectorised: authors number in the hundreds of thousands."""
        codes: _Codes = getattr(self, column + "_codes")
        key = (column, norm)
        have = self._normalised.get(key)
        if have is None or len(have) < len(codes.names):
            done = 0 if have is None else len(have)
            more = np.array([norm(n) for n in codes.names[done:]], dtype=str)
            have = self._normalised[key] = more if have is None else np.concatenate([have, more])
        exact = [v for v in values if not v.endswith("*")]
        table = np.isin(have, exact) if exact else np.zeros(len(have), dtype=bool)
        for v in values:
            if v.endswith("*") and len(have):
                table |= np.char.startswith(have, v[:-1])
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


def _ascii_lower(s: str) -> str:
    return s.translate(_ASCII_LOWER)


def _ascii_lower_handle(s: str) -> str:
    return s.translate(_ASCII_LOWER).removeprefix("@")


def _lower_handle(s: str) -> str:
    return s.lower().removeprefix("@")


_NORMS = {
    ("sqlite", "source"): _ascii_lower,
    ("sqlite", "author"): _ascii_lower_handle,
    ("postgresql", "source"): str.lower,
    ("postgresql", "author"): _lower_handle,
}
"""How `search_sql.field_sql` normalises a source or an author before comparing, per backend."""


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
        return cols.where_names("source", spec.values, _NORMS.get((dialect, "source"), str.lower))
    if name == "author":
        return cols.where_names("author", spec.values, _NORMS.get((dialect, "author"), _lower_handle))
    if name == "category":
        if any("," in v for v in spec.values):
            return None  # a comma spans two categories in the SQL test: leave it to SQL
        wanted = frozenset(spec.values)
        return cols.where_category(lambda c: lower(c) in wanted)
    if name == "date":
        return cols.where_time(spec.low, spec.high, spec.low_incl, spec.high_incl)
    if name == "sentiment" and spec.values:
        wanted = frozenset(spec.values)
        return cols.where_codes("label", lambda x: x in wanted)
    if name == "sentiment":
        return _within(np.nan_to_num(cols.sentiment, nan=0.0), spec)
    return None


def _within(values: np.ndarray, spec) -> np.ndarray:
    """`search_sql._bounds` over an array."""
    mask = np.ones(len(values), dtype=bool)
    if spec.low is not None:
        mask &= values >= spec.low if spec.low_incl else values > spec.low
    if spec.high is not None:
        mask &= values <= spec.high if spec.high_incl else values < spec.high
    return mask


def containing_any(cols: FacetColumns, conn, column: str, needles: Sequence[str]) -> np.ndarray:
    """A mask of the posts whose `post_search.<column>` holds one of `needles`: the hot terms' ids
    where they have the needle (`hot_terms`), one index read (`fts.ids_containing_any`) for the rest."""
    from monitio.store.fts import ids_containing_any

    held = cols.hot  # read once: a refresh in another thread may drop them meanwhile
    hot = held.ids if held is not None and column == "body" else {}
    cold = [n for n in needles if n not in hot]
    mask = cols.mask_of(ids_containing_any(conn, column, cold)) if cold else np.zeros(len(cols.ids), dtype=bool)
    for n in needles:
        if n in hot:
            mask |= cols.mask_of(hot[n])
    return mask


def term_mask(cols: FacetColumns, conn, node: Any, vi_doc: np.ndarray) -> np.ndarray | None:
    """The posts a term or phrase matches, exactly as `search_sql.term_sql` selects them, from the
    index alone (`fts.ids_containing`); None for needles shorter than a trigram, except PostgreSQL's
    one- and two-character unspaced ones (its grams, the same in either view)."""
    from monitio.services.search_sql import needles
    from monitio.store.fts import MIN_TRIGRAM, is_gram_needle

    def has(column: str, needle: str) -> np.ndarray:
        return containing_any(cols, conn, column, [needle])

    n0, n1 = needles(node)
    if min(len(n0), len(n1)) < MIN_TRIGRAM:
        gram = conn.dialect.name == "postgresql" and n0 == n1 and is_gram_needle(n0)
        return has("body", n0) if gram else None
    plain = has("body", n0)
    if not vi_doc.any():
        return plain
    # A post read in the Vietnamese view: in body_vi when it has one, else in body (with n1).
    has_vi_body = cols.vi_view()[1]
    in_vi_view = has("body_vi", n1) & has_vi_body
    in_body_n1 = plain if n1 == n0 else has("body", n1)
    return (plain & ~vi_doc) | (vi_doc & ~has_vi_body & in_body_n1) | (vi_doc & in_vi_view)


def or_mask(cols: FacetColumns, conn, children: Sequence[Any], vi_doc: np.ndarray) -> np.ndarray | None:
    """An OR of terms and phrases in three index reads, not three per term: the OR of `term_mask`s
    is (any n0 in body, not Vietnamese) | (Vietnamese, no body_vi, any n1 in body) | (Vietnamese,
    any n1 in body_vi). None when a child has no lookup of its own."""
    from monitio.services.search_sql import needles
    from monitio.store.fts import MIN_TRIGRAM

    pairs = [needles(c) for c in children]
    if any(min(len(n0), len(n1)) < MIN_TRIGRAM for n0, n1 in pairs):
        return None
    n0s, n1s = sorted({n0 for n0, _ in pairs}), sorted({n1 for _, n1 in pairs})
    plain = containing_any(cols, conn, "body", n0s)
    if not vi_doc.any():
        return plain
    has_vi_body = cols.vi_view()[1]
    in_vi_view = containing_any(cols, conn, "body_vi", n1s) & has_vi_body
    in_body_n1 = plain if n1s == n0s else containing_any(cols, conn, "body", n1s)
    return (plain & ~vi_doc) | (vi_doc & ~has_vi_body & in_body_n1) | (vi_doc & in_vi_view)


def query_mask(cols: FacetColumns, node: Any, dialect: str, conn=None) -> np.ndarray | None:
    """The posts an exact query selects: fields from the columns, terms and phrases from the index
    (with `conn`); None when it holds something else (NEAR, `has:`, sentiment, short terms ...).
    May raise `Stale`."""
    from monitio.query import And, Field, Not, Or, Phrase, Term

    def walk(n: Any) -> np.ndarray | None:
        if isinstance(n, Field):
            return field_mask(cols, n.name, n.value, dialect)
        if isinstance(n, Term | Phrase):
            if conn is None:
                return None
            return term_mask(cols, conn, n, cols.vi_view()[0])
        if isinstance(n, Not):
            inner = walk(n.child)
            return None if inner is None else ~inner
        if isinstance(n, Or) and conn is not None and all(isinstance(c, Term | Phrase) for c in n.children):
            found = or_mask(cols, conn, n.children, cols.vi_view()[0])
            if found is not None:
                return found
        if isinstance(n, And | Or):
            out = None
            for c in n.children:
                m = walk(c)
                if m is None:
                    return None
                out = m if out is None else (out & m if isinstance(n, And) else out | m)
            return out
        return None

    return walk(node)


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
    label = func.lower(func.coalesce(func.nullif(posts.c.sentiment_label, ""), "neutral"))
    cols = (posts.c.id, when, market, lang, posts.c.source, posts.c.categories, posts.c.author, posts.c.sentiment)
    return select(*cols, label)


def _read(conn, where=None, chunk: int = 50_000) -> list[Row]:
    stmt = _select(conn.dialect.name)
    if where is not None:  # a refresh: a few rows, through SQLAlchemy (the bounds are bound values)
        return [tuple(r) for r in conn.execute(stmt.where(where).order_by(posts.c.id))]
    # The whole table: straight from the driver's cursor (SQLAlchemy's rows cost twice the read).
    sql = str(stmt.order_by(posts.c.id).compile(dialect=conn.dialect, compile_kwargs={"literal_binds": True}))
    cursor = conn.connection.driver_connection.cursor()
    try:
        cursor.execute(sql)
        rows: list[Row] = []
        while part := cursor.fetchmany(chunk):
            rows.extend(part)
        return rows
    finally:
        cursor.close()


class _Holder:
    def __init__(self) -> None:
        self.columns: FacetColumns | None = None
        self.lock = threading.Lock()


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


def _read_vi(conn, cols: FacetColumns, after: int = 0) -> None:
    """The Vietnamese flags of the posts above `after` (from the search index's table)."""
    from monitio.store.schema_search import post_search

    ps = post_search.c
    vi = conn.execute(select(ps.post_id).where(ps.post_id > after, ps.vi.is_(True))).scalars().all()
    body = conn.execute(select(ps.post_id).where(ps.post_id > after, ps.body_vi.is_not(None))).scalars().all()
    cols.add_vi(vi, body)


def _load(engine: Engine) -> FacetColumns:
    with engine.connect() as conn:
        version = data_version(conn)
        mark = _mark(conn)
        cols = FacetColumns.from_rows(_read(conn))
        _read_vi(conn, cols)
        for name in ("source", "author"):  # normalised names ready before the first `author:` filter
            cols.where_names(name, ("-",), _NORMS.get((conn.dialect.name, name), str.lower))
        if len(cols) >= MIN_POSTS:
            cols.hot = hot_terms.build(conn, cols.ids)
    cols.version, cols.enriched_mark = version, mark
    return cols


def _rebuild_hot(engine: Engine, cols: FacetColumns) -> None:
    """Build the hot terms again in a background thread; searches read the index meanwhile."""

    def run() -> None:
        try:
            with engine.connect() as conn:
                built = hot_terms.build(conn, cols.ids)
            with _holder(engine).lock:
                if cols.hot is None:
                    cols.hot = built
        except Exception:  # searches stay exact without them
            import logging

            logging.getLogger(__name__).warning("hot terms could not be built", exc_info=True)
        finally:
            cols._hot_building = False

    cols._hot_building = True
    threading.Thread(target=run, name="hot-terms", daemon=True).start()


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
        _read_vi(conn, cols, after=last)
        count = conn.execute(select(func.count()).select_from(posts)).scalar_one()
        stale_hot = cols.hot is not None and len(cols) and not hot_terms.refresh(conn, cols.hot, int(cols.ids[-1]))
    if count != len(cols):  # posts went away (or another writer's shape): read everything again
        return _load(engine)
    if stale_hot:
        cols.hot = None
    if cols.hot is None and len(cols) >= MIN_POSTS and not cols._hot_building:
        _rebuild_hot(engine, cols)
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
            h.columns = _load(engine)
        else:
            h.columns = _refresh(engine, h.columns)
        return h.columns if len(h.columns) >= MIN_POSTS else None


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
