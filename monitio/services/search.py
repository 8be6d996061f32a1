"""Searching posts: the one service under `monitio search`, `GET /api/v1/posts`, the dashboard search,
exports and case-from-query.

A query is compiled to an index pre-filter (`search_sql.to_sql`). When the pre-filter is exact (plain
terms, phrases, prefixes, most fields, AND/OR/NOT of those) the total, the page and the facets are
counted in SQL. Otherwise (NEAR, `has:`, a NOT over those) every candidate is verified with the
matcher, so `total` is exact either way; `SearchPage.verified` says which path ran.

Results are newest first (`published_at`, then id); paging is by an opaque keyset cursor, so posts
arriving meanwhile do not shift the pages already seen.

>>> decode_cursor(encode_cursor(datetime(2026, 11, 2, tzinfo=UTC), 42))
(datetime.datetime(2026, 11, 2, 0, 0, tzinfo=datetime.timezone.utc), 42)
"""

from __future__ import annotations

import base64
import json
import re
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

import numpy as np
from sqlalchemy import Column, Engine, MetaData, Table, Text, and_, func, or_, select

from monitio.errors import BadRequest, Invalid
from monitio.query import Budget, CompiledQuery, Node, Phrase, QueryError, QueryTooCostly, Term, compile_query, walk
from monitio.records import Doc
from monitio.services import facet_columns
from monitio.services.search_cache import Counts, Frozen, PageIds, cache_for
from monitio.services.search_sql import _effective, driver_sql, to_sql
from monitio.store.fts import ensure_indexed, trigrams_after
from monitio.store.repo import doc_from_row, fetch_posts
from monitio.store.schema import UNKNOWN, Id, UtcDateTime, posts
from monitio.store.schema_search import post_search
from monitio.store.versions import data_version

BATCH = 1000
TOP_AUTHORS = 10
FACETS = ("market", "lang", "category", "source", "day", "author")
MAX_LIMIT = 1000


def _like_escape(value: str) -> str:
    r"""`value` as a literal inside a LIKE pattern with escape `\\`.

    >>> _like_escape("a_b%")
    'a\\_b\\%'
    """
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


@dataclass(frozen=True, slots=True)
class Filters:
    """Filters beside the query (the API's and dashboard's form fields); all exact, all optional."""

    market: str | None = None
    lang: str | None = None
    category: str | None = None
    source: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    author: str | None = None
    """Exactly this author (as stored)."""
    markets: tuple[str, ...] = ()
    """Any of these markets (the dashboard's filter bar); likewise `langs` and `categories`."""
    langs: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()

    def conditions(self) -> list[Any]:
        conds: list[Any] = []
        if self.markets:
            conds.append(posts.c.market.in_([m.upper() if m != UNKNOWN else m for m in self.markets]))
        if self.langs:
            conds.append(posts.c.lang.in_(list(self.langs)))
        if self.categories:
            padded = "," + func.coalesce(posts.c.categories, "") + ","
            conds.append(or_(*(padded.like(f"%,{_like_escape(c)},%", escape="\\") for c in self.categories)))
        if self.market:
            conds.append(posts.c.market == self.market.upper())
        if self.lang:
            conds.append(posts.c.lang == self.lang)
        if self.source:
            conds.append(posts.c.source == self.source)
        if self.author is not None:
            conds.append(posts.c.author == self.author)
        if self.category:
            padded = "," + func.coalesce(posts.c.categories, "") + ","
            conds.append(padded.like(f"%,{_like_escape(self.category)},%", escape="\\"))
        if self.since:
            conds.append(posts.c.published_at >= _aware(self.since))
        if self.until:
            conds.append(posts.c.published_at <= _aware(self.until))
        return conds


@dataclass(slots=True)
class Hit:
    """One matching post: its stored row, the query terms found in it, and where they are in its text."""

    row: Any
    matched: list[str]
    highlights: list[tuple[int, int]]


@dataclass(slots=True)
class SearchPage:
    total: int
    items: list[Hit]
    next_cursor: str | None
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    verified: bool = False
    """True when the candidates were checked one by one by the matcher (the pre-filter was a superset)."""


@dataclass(slots=True)
class Plan:
    compiled: CompiledQuery | None
    cond: Any
    exact: bool
    joins_index: bool
    extra: list[Any]
    hits: Any = None
    """A temporary table holding the matches' ids, once materialised (then it replaces the condition)."""
    filters: Filters | None = None

    def where(self) -> list[Any]:
        return [c for c in (self.cond, *self.extra) if c is not None]

    def base(self, *cols):
        if self.hits is not None:
            return select(*cols).select_from(posts).where(posts.c.id.in_(select(self.hits.c.id)))
        src = posts.join(post_search, post_search.c.post_id == posts.c.id) if self.joins_index else posts
        return select(*cols).select_from(src).where(*self.where())


def _read_only(conn) -> bool:
    """True on a connection that may not even create a temporary table (read-only workspaces)."""
    if conn.dialect.name == "sqlite":
        return bool(conn.exec_driver_sql("PRAGMA query_only").scalar())
    if conn.dialect.name == "postgresql":
        return conn.exec_driver_sql("SHOW transaction_read_only").scalar() == "on"
    return True


HIT_COLUMNS = ("market", "lang", "source", "day", "categories", "author")
"""Facet values copied into the temporary table of matches, so that the total, every facet and the
page are read from it alone (no second lookup of each matching post)."""


@contextmanager
def materialised(conn, p: Plan) -> Iterator[Plan]:
    """The plan over a temporary table of its matches (id, published_at and the facet values): the
    index lookup and the exact checks run once, then the total, facets and page read that table
    (worth it when a query has a condition)."""
    if p.hits is not None or (p.cond is None and not p.extra) or _read_only(conn):
        yield p
        return
    if conn.dialect.name == "postgresql" and not p.joins_index:
        yield p  # field-only queries: nothing to save, and a temporary table cost 5x at 166k matches
        return
    name = "search_hits_" + uuid.uuid4().hex[:12]
    hits = Table(
        name,
        MetaData(),
        Column("id", Id),
        Column("published_at", UtcDateTime()),
        *(Column(c, Text) for c in HIT_COLUMNS),
        prefixes=["TEMPORARY"],
    )
    hits.create(conn)
    try:
        exprs = _facet_exprs(conn.dialect.name)
        cols = [posts.c.id, posts.c.published_at, *(exprs[c] if c in exprs else posts.c[c] for c in HIT_COLUMNS)]
        conn.execute(hits.insert().from_select(["id", "published_at", *HIT_COLUMNS], p.base(*cols)))
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql(f"ANALYZE {name}")  # row count for the planner (name is ours: hex)
        yield replace(p, hits=hits)
    finally:
        hits.drop(conn)


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


class BadQuery(BadRequest):
    """A query that cannot be parsed (400 `bad_query` in the API, one line in the CLI)."""

    kind = "bad_query"


def parse_query(query: str | None) -> CompiledQuery | None:
    """The compiled query, or None for an empty one (every post); a bad query raises `Invalid`."""
    if query is None or not query.strip():
        return None
    try:
        return compile_query(query)
    except QueryTooCostly:
        raise  # 422 too_costly with the limit named, not a "bad query"
    except QueryError as exc:
        raise BadQuery(f"bad query: {exc}", hint="fix the query; see docs/query-language.md") from None


def plan(engine: Engine, query: str | None, filters: Filters | None = None, compiled=None) -> Plan:
    compiled = compiled if compiled is not None else parse_query(query)
    extra = (filters or Filters()).conditions()
    if compiled is None:
        return Plan(None, None, True, False, extra, filters=filters)
    dialect = engine.dialect.name
    cond, exact = to_sql(compiled.node, dialect)
    uses_index = _uses_index(compiled.node)
    driver = None
    if uses_index and dialect == "sqlite":
        with engine.connect() as conn:
            driver = driver_sql(compiled.node, dialect, _expander(conn))
    elif uses_index:
        driver = driver_sql(compiled.node, dialect)
    if driver is not None:
        cond = driver if cond is None else and_(driver, cond)
    return Plan(compiled, cond, exact, uses_index, extra, filters=filters)


def _expander(conn):
    """Two-character needles to the trigrams that begin with them (SQLite), or None when the
    connection cannot make the per-connection vocabulary table (read-only)."""
    if _read_only(conn):
        return None
    return lambda needle: trigrams_after(conn, needle)


def _uses_index(node: Node) -> bool:
    return any(isinstance(n, Term | Phrase) for n in walk(node))


def encode_cursor(published_at: datetime, post_id: int) -> str:
    raw = json.dumps([published_at.astimezone(UTC).isoformat(), post_id]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, int]:
    """The (published_at, id) a cursor continues after; a damaged cursor raises `BadRequest`."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        ts, pid = json.loads(raw)
        when = datetime.fromisoformat(ts)
        if when.tzinfo is None or not isinstance(pid, int):
            raise ValueError
        return when, pid
    except (ValueError, TypeError, json.JSONDecodeError, UnicodeDecodeError):
        raise BadRequest("the cursor is not valid", hint="use next_cursor from the previous page as given") from None


def _after(cursor: str | None) -> tuple[datetime, int] | None:
    """The cursor's (published_at, id): the page holds the matches older than it."""
    return None if cursor is None else decode_cursor(cursor)


def _older_than(ts: datetime, pid: int) -> Any:
    return or_(posts.c.published_at < ts, and_(posts.c.published_at == ts, posts.c.id < pid))


NEWEST = (posts.c.published_at.desc(), posts.c.id.desc())


def _index_new_posts(engine: Engine) -> None:
    with engine.begin() as conn:
        ensure_indexed(conn)


def search(
    engine: Engine,
    query: str | None,
    *,
    filters: Filters | None = None,
    limit: int = 50,
    cursor: str | None = None,
    offset: int = 0,
    facets: bool = True,
    budget=None,
) -> SearchPage:
    """One page of matches (newest first), the exact total, the next cursor and the facets.

    `budget` (a `monitio.query.Budget`) bounds the verification work; without one a search gets
    `DEFAULT_SECONDS`. Work past it raises `BudgetExceeded` (422 `too_costly`).

    Totals, facets and page ids are reused while no post changes (`search_cache`): the version of
    the posts is read first, then whatever is not cached for it is computed."""
    if not 1 <= limit <= MAX_LIMIT:
        raise Invalid(f"limit must be between 1 and {MAX_LIMIT}, got {limit}")
    compiled = parse_query(query)  # a bad query fails before anything else
    after = _after(cursor)
    offset = 0 if cursor is not None else offset
    with engine.connect() as conn:
        version = data_version(conn)
    cache = cache_for(engine) if version >= 0 else None
    if cache is None or cache.indexed != version:
        _index_new_posts(engine)
    ckey = ((query or "").strip(), filters or Filters(), version)
    pkey = (*ckey, limit, cursor, offset)
    hit = _cached_page(engine, cache, ckey, pkey, facets) if cache else None
    if hit is not None:
        return hit
    with cache.lock(ckey) if cache else nullcontext():  # one computation per key at a time
        hit = _cached_page(engine, cache, ckey, pkey, facets) if cache else None
        if hit is not None:
            return hit
        counts = _counts(cache, ckey, facets)
        p = plan(engine, query, filters, compiled)
        if p.exact:
            page = _search_exact(engine, p, limit, after, offset, facets, counts)
        else:
            page = _search_verified(engine, p, limit, after, offset, facets, budget or Budget(DEFAULT_SECONDS))
        if cache is not None:
            cache.indexed = version
            if counts is None:
                cache.counts.put(ckey, Counts(page.total, _copy(page.facets) if facets else None, page.verified))
            marks = tuple((h.row.id, tuple(h.matched), tuple(h.highlights)) for h in page.items)
            cache.pages.put(pkey, PageIds(marks, page.next_cursor))
    return page


def search_json(
    engine: Engine,
    query: str | None,
    *,
    filters: Filters | None = None,
    limit: int = 50,
    cursor: str | None = None,
    offset: int = 0,
    facets: bool = True,
    budget=None,
) -> dict[str, Any]:
    """`page_json(search(...))`, the page as JSON, reused as a whole while no post changes (building
    the items from their rows costs more than the cached search itself)."""
    with engine.connect() as conn:
        version = data_version(conn)
    key = ((query or "").strip(), filters or Filters(), version, limit, cursor, offset, facets)
    cache = cache_for(engine).answers if version >= 0 else None
    hit = cache.get(key) if cache else None
    if hit is not None:
        return hit.thaw()
    found = page_json(
        search(engine, query, filters=filters, limit=limit, cursor=cursor, offset=offset, facets=facets, budget=budget)
    )
    if cache is not None:
        cache.put(key, Frozen(found))
    return found


def _counts(cache, ckey, facets: bool) -> Counts | None:
    counts = cache.counts.get(ckey) if cache else None
    return None if counts is None or (facets and counts.facets is None) else counts


def _cached_page(engine, cache, ckey, pkey, facets: bool) -> SearchPage | None:
    """The page from the cache (only the posts' rows are read again), or None."""
    counts = _counts(cache, ckey, facets)
    marks = cache.pages.get(pkey) if counts is not None else None
    if marks is None:
        return None
    with engine.connect() as conn:
        rows = fetch_posts(conn, [m[0] for m in marks.ids], raw=False)
    if len(rows) != len(marks.ids):
        return None  # a post went away under an unchanged version (cannot happen with the triggers)
    items = [Hit(r, list(m[1]), [tuple(x) for x in m[2]]) for r, m in zip(rows, marks.ids, strict=True)]
    return SearchPage(counts.total, items, marks.next_cursor, _copy(counts.facets) if facets else {}, counts.verified)


def _copy(facets: dict[str, dict[str, int]] | None) -> dict[str, dict[str, int]]:
    """The cache's facets are never handed out themselves (a caller may change its copy)."""
    return {k: dict(v) for k, v in (facets or {}).items()}


def _search_exact(engine, p: Plan, limit, after, offset, want_facets, known: Counts | None = None) -> SearchPage:
    cols = facet_columns.columns_for(engine, load=False)
    if cols is not None:
        page = _search_columns(engine, cols, p, limit, after, offset, want_facets, known)
        if page is not None:
            return page
    with engine.connect() as conn:
        if known is not None:  # only the page is needed: no temporary table of every match
            total, facets = known.total, _copy(known.facets) if want_facets else {}
            ids = _page_ids(conn, p, limit, after, offset) if total else []
            rows = fetch_posts(conn, ids, raw=False)
        else:
            with materialised(conn, p) as p:
                if want_facets:
                    facets, total = sql_facets(conn, p)
                else:
                    facets, total = {}, _count(conn, p)
                ids = _page_ids(conn, p, limit, after, offset) if total else []
                rows = fetch_posts(conn, ids, raw=False)
    more = len(rows) > limit
    rows = rows[:limit]
    items = [_hit(p.compiled, r) for r in rows]
    nxt = encode_cursor(rows[-1].published_at, rows[-1].id) if more and rows else None
    return SearchPage(total, items, nxt, facets or {}, verified=False)


def _search_columns(engine, cols, p: Plan, limit, after, offset, want_facets, known) -> SearchPage | None:
    """`_search_exact` over the facet columns (see `facet_columns`): the matches' positions from the
    columns themselves (field-only queries) or from one SQL read of their ids; None when the columns
    do not hold every match (a post newer than their last refresh): then SQL answers."""
    with engine.connect() as conn:
        pos = _column_positions(conn, cols, p)
        if pos is None:
            return None
        if known is not None:
            total, facets = known.total, _copy(known.facets) if want_facets else {}
        elif want_facets:
            facets, total = cols.facets(pos)
        else:
            facets, total = {}, len(pos)
        ids = [int(cols.ids[i]) for i in cols.page(pos, limit + 1, after, offset)] if total else []
        rows = fetch_posts(conn, ids, raw=False)
    if len(rows) != len(ids):
        return None
    more = len(rows) > limit
    rows = rows[:limit]
    items = [_hit(p.compiled, r) for r in rows]
    nxt = encode_cursor(rows[-1].published_at, rows[-1].id) if more and rows else None
    return SearchPage(total, items, nxt, facets or {}, verified=False)


def _filters_mask(cols, filters: Filters | None):
    """The filter bar's time range on the columns; None when another filter is set (SQL reads those)."""
    f = filters or Filters()
    if any((f.market, f.lang, f.category, f.source, f.author is not None, f.markets, f.langs, f.categories)):
        return None
    return cols.where_time(_aware(f.since) if f.since else None, _aware(f.until) if f.until else None, True, True)


def _column_positions(conn, cols, p: Plan):
    """Positions of the plan's matches in the columns, or None when the columns cannot tell."""
    try:
        mask = _filters_mask(cols, p.filters)
        if mask is not None and p.compiled is not None:
            found = facet_columns.query_mask(cols, p.compiled.node, conn.dialect.name, conn)
            mask = None if found is None else mask & found
        if mask is not None:
            return np.flatnonzero(mask)
        ids = np.fromiter(conn.execute(p.base(posts.c.id)).scalars(), dtype=np.int64)
        return np.flatnonzero(cols.mask_of(ids))
    except facet_columns.Stale:
        return None


def _page_ids(conn, p: Plan, limit, after, offset) -> list[int]:
    """The page's ids first (a narrow sort), then the caller reads their rows."""
    if p.hits is not None:
        h = p.hits.c
        stmt = select(h.id).order_by(h.published_at.desc(), h.id.desc()).limit(limit + 1)
        if after is not None:
            ts, pid = after
            stmt = stmt.where(or_(h.published_at < ts, and_(h.published_at == ts, h.id < pid)))
        elif offset:
            stmt = stmt.offset(offset)
        return list(conn.execute(stmt).scalars().all())
    stmt = p.base(posts.c.id).order_by(*NEWEST).limit(limit + 1)
    if after is not None:
        stmt = stmt.where(_older_than(*after))
    elif offset:
        stmt = stmt.offset(offset)
    return list(conn.execute(stmt).scalars().all())


def _search_verified(engine, p: Plan, limit, after_key, offset, want_facets, budget=None) -> SearchPage:
    total, items, more = 0, [], False
    acc = FacetCounter() if want_facets else None
    skip = offset if after_key is None else 0
    for row, doc in _verified_rows(engine, p, budget):
        total += 1
        if acc is not None:
            acc.add(row)
        if after_key is not None and (row.published_at, row.id) >= after_key:
            continue
        if skip:
            skip -= 1
            continue
        if len(items) < limit:
            items.append(_hit(p.compiled, row, doc))
        else:
            more = True
    nxt = encode_cursor(items[-1].row.published_at, items[-1].row.id) if more and items else None
    return SearchPage(total, items, nxt, acc.result() if acc else {}, verified=True)


def _verified_rows(engine: Engine, p: Plan, budget=None) -> Iterator[tuple[Any, Doc]]:
    stmt = p.base(posts).order_by(*NEWEST)
    with engine.connect() as conn:
        result = conn.execution_options(stream_results=True, yield_per=BATCH).execute(stmt)
        for rows in result.partitions(BATCH):
            for row in rows:
                doc = doc_from_row(row)
                if p.compiled is None or p.compiled.matches(doc, budget=budget):
                    yield row, doc


DEFAULT_SECONDS = 30.0
"""Time budget of a search's verification when its caller gives none."""


def iter_matches(engine: Engine, query: str | None, filters: Filters | None = None) -> Iterator[Hit]:
    """Every match, newest first, streamed in batches (for exports and case-from-query)."""
    _index_new_posts(engine)
    p = plan(engine, query, filters)
    if p.exact:
        stmt = p.base(posts).order_by(*NEWEST)
        with engine.connect() as conn:
            result = conn.execution_options(stream_results=True, yield_per=BATCH).execute(stmt)
            for rows in result.partitions(BATCH):
                for row in rows:
                    yield _hit(p.compiled, row)
        return
    for row, doc in _verified_rows(engine, p):
        yield _hit(p.compiled, row, doc)


def match_ids(engine: Engine, query: str, cap: int) -> tuple[list[int], int]:
    """The ids of the newest `cap` matches and the exact number of matches (for case-from-query)."""
    ids: list[int] = []
    for hit in iter_matches(engine, query):
        ids.append(hit.row.id)
        if len(ids) >= cap:
            break
    total = len(ids) if len(ids) < cap else count(engine, query)
    return ids, total


def count(engine: Engine, query: str | None, filters: Filters | None = None) -> int:
    """How many posts match (exact)."""
    return search(engine, query, filters=filters, limit=1, facets=False).total


# --- facets --------------------------------------------------------------------------------------


def _day_expr(dialect: str):
    if dialect == "postgresql":
        return func.to_char(func.timezone("UTC", posts.c.published_at), "YYYY-MM-DD")
    return func.substr(posts.c.published_at, 1, 10)


def _facet_exprs(dialect: str) -> dict[str, Any]:
    return {
        "market": func.coalesce(_effective(posts.c.market, posts.c.market_hint), UNKNOWN),
        "lang": func.coalesce(_effective(posts.c.lang, posts.c.lang_hint), UNKNOWN),
        "source": posts.c.source,
        "day": _day_expr(dialect),
    }


def _count(conn, p: Plan) -> int:
    if p.hits is not None:
        return int(conn.execute(select(func.count()).select_from(p.hits)).scalar_one())
    return int(conn.execute(p.base(func.count())).scalar_one())


def _hits_facets(conn, hits: Table) -> tuple[dict[str, dict[str, int]], int]:
    """Facets from the temporary table of matches: one GROUP BY for market, language, source and day,
    one for the category lists, one for the top authors."""
    counts: dict[str, Counter[str]] = {k: Counter() for k in ("market", "lang", "source", "day")}
    cols = [hits.c.market, hits.c.lang, hits.c.source, hits.c.day]
    for market, lang, source, day, n in conn.execute(select(*cols, func.count()).group_by(*cols)):
        n = int(n)  # one sort for four facets (a few thousand groups at most: days x markets x ...)
        counts["market"][str(market)] += n
        counts["lang"][str(lang)] += n
        counts["source"][str(source)] += n
        counts["day"][str(day)] += n
    out: dict[str, dict[str, int]] = {k: dict(v) for k, v in counts.items()}
    total = sum(out["market"].values())
    cats: Counter[str] = Counter()
    for combo, n in conn.execute(select(hits.c.categories, func.count()).group_by(hits.c.categories)):
        for c in (combo or "").split(","):
            if c:
                cats[c] += int(n)
    out["category"] = dict(cats)
    out = {k: _ordered(v, by_key=k == "day") for k, v in out.items()}
    authors = (
        select(hits.c.author, func.count())
        .where(hits.c.author.is_not(None))
        .group_by(hits.c.author)
        .order_by(func.count().desc(), hits.c.author)
        .limit(TOP_AUTHORS)
    )
    out["author"] = {a: int(n) for a, n in conn.execute(authors)} if total else {}
    return {k: out[k] for k in FACETS}, total


def sql_facets(conn, p: Plan) -> tuple[dict[str, dict[str, int]], int]:
    """Counts by market, language, category, source and day, the top authors, and the total (the sum
    of the groups): from the temporary table of matches when there is one, else one grouped pass
    over the posts and a second for the authors."""
    if p.hits is not None:
        return _hits_facets(conn, p.hits)
    exprs = _facet_exprs(conn.dialect.name)
    cols = [exprs["market"], exprs["lang"], exprs["source"], exprs["day"], posts.c.categories]
    counts: dict[str, Counter[str]] = {k: Counter() for k in FACETS}
    total = 0
    for market, lang, source, day, combo, n in conn.execute(p.base(*cols, func.count()).group_by(*cols)):
        n = int(n)
        total += n
        counts["market"][str(market)] += n
        counts["lang"][str(lang)] += n
        counts["source"][str(source)] += n
        counts["day"][str(day)] += n
        for c in (combo or "").split(","):
            if c:
                counts["category"][c] += n
    authors = (
        p.base(posts.c.author, func.count())
        .where(posts.c.author.is_not(None))
        .group_by(posts.c.author)
        .order_by(func.count().desc(), posts.c.author)
        .limit(TOP_AUTHORS)
    )
    out = {k: _ordered(dict(v), by_key=k == "day") for k, v in counts.items()}
    out["author"] = {a: int(n) for a, n in conn.execute(authors)} if total else {}
    return {k: out[k] for k in FACETS}, total


def _ordered(counts: dict[str, int], by_key: bool = False) -> dict[str, int]:
    if by_key:
        return dict(sorted(counts.items()))
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


class FacetCounter:
    """The same facets, counted in Python over verified rows."""

    def __init__(self) -> None:
        self.counts: dict[str, Counter[str]] = {k: Counter() for k in FACETS}

    def add(self, row) -> None:
        c = self.counts
        market = row.market if row.market else row.market_hint
        lang = row.lang if row.lang else row.lang_hint
        c["market"][market or UNKNOWN] += 1
        c["lang"][lang or UNKNOWN] += 1
        c["source"][row.source] += 1
        c["day"][row.published_at.astimezone(UTC).date().isoformat()] += 1
        for cat in (row.categories or "").split(","):
            if cat:
                c["category"][cat] += 1
        if row.author is not None:
            c["author"][row.author] += 1

    def result(self) -> dict[str, dict[str, int]]:
        out = {k: _ordered(dict(v), by_key=k == "day") for k, v in self.counts.items()}
        out["author"] = dict(list(out["author"].items())[:TOP_AUTHORS])
        return out


# --- items and highlighting ------------------------------------------------------------------------


def _hit(compiled: CompiledQuery | None, row, doc: Doc | None = None) -> Hit:
    if compiled is None:
        return Hit(row, [], [])
    doc = doc or doc_from_row(row)
    matched = compiled.explain(doc)
    return Hit(row, matched, highlight_spans(row.text, matched))


def highlight_spans(text: str, terms: list[str]) -> list[tuple[int, int]]:
    """Where the matched terms occur in the original text (case-insensitive), merged and sorted.

    >>> highlight_spans("A SCAM, a Fake  Refund!", ["scam", "fake refund"])
    [(2, 6), (10, 22)]
    """
    spans: list[tuple[int, int]] = []
    for term in terms:
        words = term.split()
        if not words:
            continue
        body = r"[\W_]+".join(re.escape(w) for w in words)
        spaced = not _unspaced(words[0])
        pattern = rf"(?<!\w){body}(?!\w)" if spaced else body
        spans.extend(m.span() for m in re.finditer(pattern, text, re.IGNORECASE))
    spans.sort()
    merged: list[tuple[int, int]] = []
    for s, e in spans:
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(e, merged[-1][1]))
        else:
            merged.append((s, e))
    return merged


def _unspaced(word: str) -> bool:
    from monitio.query.text import is_unspaced

    return is_unspaced(word)


def item_json(hit: Hit) -> dict[str, Any]:
    """A match as JSON, the same in the CLI, the API and exports: the post, its matched terms and where."""
    return {**post_json(hit.row), "matched": hit.matched, "highlights": [list(s) for s in hit.highlights]}


def post_json(r) -> dict[str, Any]:
    """A stored post row as JSON (every face shows posts with these fields)."""
    return {
        "id": r.id,
        "source": r.source,
        "source_id": r.source_id,
        "url": r.url,
        "author": r.author,
        "text": r.text,
        "published_at": r.published_at.isoformat(),
        "market": r.market or r.market_hint,
        "lang": r.lang or r.lang_hint,
        "sentiment": r.sentiment,
        "sentiment_label": r.sentiment_label,
        "complaint": bool(getattr(r, "complaint", False)),
        "categories": [c for c in (r.categories or "").split(",") if c],
        "risk_score": r.risk_score,
        "likes": r.likes,
        "shares": r.shares,
        "comments": r.comments,
        "views": r.views,
        "engagement": r.likes + r.shares + r.comments,
        "evidence": r.evidence,
        "model_scores": (r.evidence or {}).get("model", {}),
        "indicators": r.indicators or {},
    }


def page_json(page: SearchPage) -> dict[str, Any]:
    """`{"total", "items", "next_cursor", "facets"}` (the machine contract of `monitio search --json`)."""
    return {
        "total": page.total,
        "items": [item_json(h) for h in page.items],
        "next_cursor": page.next_cursor,
        "facets": page.facets,
    }
