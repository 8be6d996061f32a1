"""The full-text index under search: each post's normalised text, and substring tests over it.

The query language matches normalised tokens (`monitio.query.text`): a word, a phrase, a prefix
(`scam*`) or a Thai/Chinese/... substring is, exactly, a substring of the tokens joined by single
spaces with a space at both ends (`TextView.flat`):

>>> needle_of("scam", False), needle_of("fake refund", False), needle_of("scam", True), needle_of("หลอก", False)
(' scam ', ' fake refund ', ' scam', 'หลอก')

So the index stores that text per post (`post_search`) and answers "which posts contain this
substring": an FTS5 `trigram` table on SQLite, a pg_trgm GIN index on PostgreSQL. Needles shorter
than three characters (one- or two-character Chinese or Thai terms) have no trigram of their own:
SQLite looks up the trigrams that begin with them in the FTS5 vocabulary; PostgreSQL keeps the one-
and two-character substrings of each text's unspaced-script runs in `post_search.grams`, under a GIN
index (`grams_of`). Anything else that short (`a*`) is matched with `LIKE` over the stored text (still
exact, but a scan).

The stored text depends on the post's text only (not on enrichment): the Vietnamese view (tones
kept) is stored next to the default one when they differ, and the query picks one per post.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from sqlalchemy import Connection, Text, and_, column, func, literal, or_, select, table, text, type_coerce

from monitio.query.text import UNSPACED, build_view, fold, is_vietnamese, split_tokens, strip_accents
from monitio.store.schema import posts
from monitio.store.schema_search import post_search

FTS_TABLE = "post_search_fts"
VOCAB = "post_search_vocab"
"""SQLite: a per-connection (temp) fts5vocab view of the trigram table's terms, for two-character needles."""
MAX_EXPANSION = 400
"""SQLite: the FTS5 trigram table over `post_search` (external content, kept by triggers)."""
MIN_TRIGRAM = 3
_RUN_RE = re.compile(f"[{UNSPACED}]+")
UNSPACED_SQL = f"[{UNSPACED}]"
"""The unspaced-script characters as a PostgreSQL regular expression (the same class as `_RUN_RE`)."""

_INS = "INSERT INTO post_search_fts(rowid, body, body_vi) VALUES (new.post_id, new.body, new.body_vi);"
_DEL = (
    "INSERT INTO post_search_fts(post_search_fts, rowid, body, body_vi)"
    " VALUES ('delete', old.post_id, old.body, old.body_vi);"
)
SQLITE_DDL = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS post_search_fts USING fts5(body, body_vi, content='post_search',"
    " content_rowid='post_id', tokenize='trigram case_sensitive 1')",
    f"CREATE TRIGGER IF NOT EXISTS post_search_ai AFTER INSERT ON post_search BEGIN {_INS} END",
    f"CREATE TRIGGER IF NOT EXISTS post_search_ad AFTER DELETE ON post_search BEGIN {_DEL} END",
    f"CREATE TRIGGER IF NOT EXISTS post_search_au AFTER UPDATE ON post_search BEGIN {_DEL} {_INS} END",
)
SQLITE_DROP = (
    "DROP TRIGGER IF EXISTS post_search_ai",
    "DROP TRIGGER IF EXISTS post_search_ad",
    "DROP TRIGGER IF EXISTS post_search_au",
    "DROP TABLE IF EXISTS post_search_fts",
)


def trgm_opclass(conn: Connection) -> str:
    """PostgreSQL: make sure pg_trgm is installed and return its GIN operator class, schema-qualified."""
    conn.execute(text("CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public"))
    schema = conn.execute(
        text(
            "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace"
            " WHERE e.extname = 'pg_trgm'"
        )
    ).scalar_one()
    return f'"{schema}".gin_trgm_ops'


def create_text_index(conn: Connection) -> None:
    """Create the backend's substring index over `post_search` (idempotent)."""
    if conn.dialect.name == "sqlite":
        for ddl in SQLITE_DDL:
            conn.exec_driver_sql(ddl)
    elif conn.dialect.name == "postgresql":
        ops = trgm_opclass(conn)
        conn.exec_driver_sql(
            f"CREATE INDEX IF NOT EXISTS ix_post_search_body_trgm ON post_search USING gin (body {ops})"
        )
        conn.exec_driver_sql(
            "CREATE INDEX IF NOT EXISTS ix_post_search_body_vi_trgm ON post_search"
            f" USING gin (body_vi {ops}) WHERE body_vi IS NOT NULL"
        )  # the index over `grams` comes with that column (migration 0028)


WORD_MAX_CHARS = 249
WORDS_SQL = (
    r"array_to_tsvector(array_remove(string_to_array(regexp_replace(body, '(\S{249})\S+', '\1~', 'g'), ' '), ''))"
)
"""PostgreSQL: a stored text's words (it is words joined by single spaces) as a tsvector, taken verbatim
(no parser, no stemming): the expression of the GIN word index, built-in functions only, so each
insert pays a few microseconds for it. A tsvector holds no lexeme of 2 kB, so a longer word is kept
as its first `WORD_MAX_CHARS` characters and a `~` (no word holds one): its beginnings are still
found, and no shorter word equals it. A query must spell it the same way for the planner to use the
index."""


def create_gram_index(conn: Connection) -> None:
    """PostgreSQL: the GIN indexes over `post_search.grams` and over each text's words (idempotent)."""
    conn.exec_driver_sql("CREATE INDEX IF NOT EXISTS ix_post_search_grams ON post_search USING gin (grams)")
    conn.exec_driver_sql(f"CREATE INDEX IF NOT EXISTS ix_post_search_words ON post_search USING gin ({WORDS_SQL})")


def word_query(needle: str) -> str | None:
    """PostgreSQL: a needle that is one whole word (`' scam '`) or a word's beginning (`' scam'`) as
    the tsquery over `WORDS_SQL` that selects exactly the texts holding it; None for other needles
    (phrases, unspaced-script substrings, words too long for the word index), which trigrams answer.

    >>> word_query(" scam "), word_query(" scam"), word_query(" fake refund "), word_query("หลอก")
    ("'scam'", "'scam':*", None, None)
    >>> word_query(" it's "), word_query(" a ")
    ("'it''s'", "'a'")
    """
    word = needle[1:-1] if needle.endswith(" ") else needle[1:]
    if not needle.startswith(" ") or not word or " " in word or len(word) > WORD_MAX_CHARS:
        return None
    quoted = "'" + word.replace("\\", "\\\\").replace("'", "''") + "'"
    return quoted if needle.endswith(" ") else quoted + ":*"


def backfill_grams(conn: Connection, batch: int = 5000, out=None) -> int:
    """PostgreSQL: fill `grams` for the indexed texts that have unspaced-script characters (migration
    0028), printing progress; returns how many rows were filled."""
    ids = (
        conn.execute(
            text("SELECT post_id FROM post_search WHERE grams IS NULL AND body ~ :cls ORDER BY post_id"),
            {"cls": UNSPACED_SQL},
        )
        .scalars()
        .all()
    )
    done = 0
    for i in range(0, len(ids), batch):
        chunk = ids[i : i + batch]
        rows = conn.execute(select(post_search.c.post_id, post_search.c.body).where(post_search.c.post_id.in_(chunk)))
        values = [{"pid": pid, "grams": grams_of(body)} for pid, body in rows]
        conn.execute(text("UPDATE post_search SET grams = :grams WHERE post_id = :pid"), values)
        done += len(values)
        print(f"short-term index: {done:,} of {len(ids):,} texts", file=out or sys.stderr, flush=True)
    return done


def drop_text_index(conn: Connection) -> None:
    if conn.dialect.name == "sqlite":
        for ddl in SQLITE_DROP:
            conn.exec_driver_sql(ddl)
    else:
        conn.exec_driver_sql("DROP INDEX IF EXISTS ix_post_search_body_trgm")
        conn.exec_driver_sql("DROP INDEX IF EXISTS ix_post_search_body_vi_trgm")
        conn.exec_driver_sql("DROP INDEX IF EXISTS ix_post_search_grams")


def grams_of(body: str) -> list[str] | None:
    """The one- and two-character substrings of a stored text's unspaced-script runs (Thai, Chinese,
    Japanese, Khmer, Burmese ...), sorted, or None when it has none: PostgreSQL's index for needles too
    short for a trigram. A needle of one or two such characters occurs in the text exactly when it is
    one of these (two adjacent unspaced characters always sit in the same run).

    >>> grams_of(" 我要退款 ok ")
    ['我', '我要', '款', '要', '要退', '退', '退款']
    >>> grams_of(" scam ") is None
    True
    """
    out: set[str] = set()
    for m in _RUN_RE.finditer(body):
        run = m.group()
        out.update(run)
        out.update(run[i : i + 2] for i in range(len(run) - 1))
    return sorted(out) if out else None


def is_gram_needle(needle: str) -> bool:
    """True when `needle` is one or two unspaced-script characters (answered by `grams_of`'s index).

    >>> is_gram_needle("退款"), is_gram_needle("骗"), is_gram_needle(" a"), is_gram_needle("不退款")
    (True, True, False, False)
    """
    return 0 < len(needle) < MIN_TRIGRAM and _RUN_RE.fullmatch(needle) is not None


def search_row(post_id: int, post_text: str) -> dict[str, Any]:
    """The `post_search` row of one post.

    >>> r = search_row(7, "Café SCAM")
    >>> r["vi"], r["body"], r["body_vi"], r["grams"]
    (False, ' cafe scam ', ' café scam ', None)
    >>> search_row(8, "Bị lừa đảo")["body"], search_row(8, "Bị lừa đảo")["body_vi"]
    (' bị lừa đảo ', None)
    """
    folded = fold(post_text)
    vi = is_vietnamese(folded)
    body = build_view(post_text, "vi" if vi else None).flat
    # the two views differ only by Latin accents stripped from the non-Vietnamese one
    body_vi = None if vi or strip_accents(folded) == folded else build_view(post_text, "vi").flat
    return {
        "post_id": post_id,
        "vi": vi,
        "body": body,
        "body_vi": None if body_vi == body else body_vi,
        "grams": grams_of(body),
    }


def index_posts(
    conn: Connection, items: Iterable[tuple[int, str]], views: Mapping[str, dict] | None = None, *, grams: bool = True
) -> int:
    """Add (post id, text) pairs to the index in the caller's transaction; returns how many.

    `grams`: false before migration 0028 has added that column (migration 0009's backfill).

    `views`: `search_row` results already computed (by a cluster's workers), keyed by the text; a text
    found there is not worked out again.
    """
    views = views or {}
    rows = [{**views[txt], "post_id": pid} if txt in views else search_row(pid, txt) for pid, txt in items]
    if rows and not (grams and conn.dialect.name == "postgresql"):  # SQLite: short needles from FTS5's vocabulary
        rows = [{k: v for k, v in r.items() if k != "grams"} for r in rows]
    if rows:
        from monitio.store.repo import dialect_insert

        stmt = dialect_insert(conn, post_search).on_conflict_do_nothing(index_elements=["post_id"])
        conn.execute(stmt, rows)
    return len(rows)


def ensure_indexed(
    conn: Connection, batch: int = 2000, progress: Callable[[int], None] | None = None, *, grams: bool = True
) -> int:
    """Index every post newer than the newest indexed one (posts written around the usual path, e.g.
    a raw SQL import); returns how many were added. Cheap when there is nothing to do."""
    done = 0
    while True:
        last = conn.execute(select(func.coalesce(func.max(post_search.c.post_id), 0))).scalar_one()
        rows = conn.execute(
            select(posts.c.id, posts.c.text)
            .where(posts.c.id > last, posts.c.text != "")  # "": text dropped by retention
            .order_by(posts.c.id)
            .limit(batch)
        ).all()
        if not rows:
            return done
        done += index_posts(conn, rows, grams=grams)
        if progress is not None:
            progress(done)


def backfill(conn: Connection, batch: int = 5000, out=None) -> int:
    """Index every post not indexed yet (migration 0009, before `grams`), printing progress every 50,000 posts."""
    total = conn.execute(select(func.count()).select_from(posts)).scalar_one()
    if not total:
        return 0
    step = [0]

    def report(n: int) -> None:
        if n - step[0] >= 50_000 or n == total:
            step[0] = n
            print(f"search index: {n:,} of {total:,} posts indexed", file=out or sys.stderr, flush=True)

    return ensure_indexed(conn, batch, report, grams=False)  # migration 0028 fills them


def needle_of(normalised: str, wildcard: bool) -> str:
    """The substring of `TextView.flat` that a normalised term, phrase or prefix is."""
    from monitio.query.text import is_unspaced

    words = split_tokens(normalised)
    body = " ".join(words)
    if any(is_unspaced(w) for w in words):
        left = " " if not is_unspaced(words[0]) else ""
        right = " " if not is_unspaced(words[-1][-1]) and not wildcard else ""
        return left + body + right
    return " " + body + ("" if wildcard else " ")


def trigrams_after(conn: Connection, needle: str, cap: int = MAX_EXPANSION) -> list[str] | None:
    """SQLite: the indexed trigrams that begin with a two-character `needle`, or None when there are
    more than `cap` (then the caller scans).

    Every occurrence of a two-character needle in `post_search` is followed by at least one
    character (each stored text ends with a space), so a row contains the needle exactly when it
    contains one of these trigrams: an index lookup for terms too short to have a trigram.
    """
    if len(needle) != 2:
        return None
    conn.exec_driver_sql(f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.{VOCAB} USING fts5vocab(main, {FTS_TABLE}, row)")
    terms = (
        conn.exec_driver_sql(
            "SELECT term FROM temp.post_search_vocab WHERE term >= ? AND term < ? LIMIT ?",
            (needle, needle + "\U0010ffff", cap + 1),
        )
        .scalars()
        .all()
    )
    return None if len(terms) > cap else list(terms)


def _fts_phrase(needle: str) -> str:
    return '"' + needle.replace('"', '""') + '"'


def _like_pattern(needle: str) -> str:
    return "%" + needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def row_contains(dialect: str, column: str, needle: str):
    """A per-row SQL test: `post_search.<column>` contains `needle` (false, never NULL, when the column
    is NULL, so it can be negated). Cheap on candidate rows; the index narrows them (`driver`)."""
    col = post_search.c[column]
    if dialect == "sqlite":
        return and_(col.is_not(None), func.instr(col, needle) > 0)
    return and_(col.is_not(None), col.like(_like_pattern(needle), escape="\\"))


def fts_any(columns: tuple[str, ...], needles: list[str]) -> str:
    """An FTS5 query: any of `needles` as a substring of any of `columns` (none: no row).

    >>> fts_any(("body",), ["abc", "abd"])
    '({body} : ("abc" OR "abd"))'
    """
    if not needles:
        return "({" + " ".join(columns) + '} : "\x00\x00\x00")'  # a trigram no normalised text holds
    return "({" + " ".join(columns) + "} : (" + " OR ".join(_fts_phrase(n) for n in needles) + "))"


def fts_phrase(columns: tuple[str, ...], needle: str) -> str:
    """An FTS5 query term: `needle` as a substring of any of `columns` (SQLite trigram table).

    >>> fts_phrase(("body", "body_vi"), ' say "hi" ')
    '({body body_vi} : " say ""hi"" ")'
    """
    return "({" + " ".join(columns) + "} : " + _fts_phrase(needle) + ")"


def fts_driver(match: str):
    """`post_search.post_id IN (the rows whose text matches the FTS5 query)`: the index lookup."""
    cond = _FTS.c[FTS_TABLE].op("MATCH")(literal(match))
    return post_search.c.post_id.in_(select(_FTS.c.rowid).where(cond))


def ids_containing(conn, column: str, needle: str) -> list[int]:
    """Ids of the posts whose `post_search.<column>` contains `needle`, from the index alone
    (`ids_containing_any` with one needle)."""
    return ids_containing_any(conn, column, [needle])


def ids_containing_any(conn, column: str, needles: list[str]) -> list[int]:
    """Ids of the posts whose `post_search.<column>` contains at least one of `needles` (each of three
    characters or more, or one of PostgreSQL's grams), in one index read. SQLite: the FTS5 trigram
    table's rowids (a phrase of a trigram table is an exact substring test). PostgreSQL: one tsquery
    over the word index for whole words and word beginnings (`word_query`), OR'ed with the grams of
    one or two unspaced characters and the GIN-backed LIKEs of the rest, the ids as one array value
    (a common word has a hundred thousand of them; they parse faster as one array)."""
    postgres = conn.dialect.name == "postgresql"
    for needle in needles:
        if len(needle) < MIN_TRIGRAM and not (postgres and is_gram_needle(needle)):
            raise ValueError(f"needle {needle!r} is shorter than a trigram")
    if column not in ("body", "body_vi"):
        raise ValueError(f"not an indexed column: {column!r}")
    cursor = conn.connection.driver_connection.cursor()
    try:
        if not postgres:
            cursor.execute(
                "SELECT rowid FROM post_search_fts WHERE post_search_fts MATCH ?", (fts_any((column,), needles),)
            )
            return [r[0] for r in cursor.fetchall()]
        words = [w for n in needles if column == "body" and (w := word_query(n)) is not None]
        grams = [n for n in needles if len(n) < MIN_TRIGRAM]  # the same in both views
        likes = [n for n in needles if len(n) >= MIN_TRIGRAM and not (column == "body" and word_query(n))]
        conds, params = [], []
        if words:
            conds.append(f"{WORDS_SQL} @@ %s::tsquery")
            params.append(" | ".join(words))
        if grams:
            conds.append("grams && %s::text[]")
            params.append(grams)
        for n in likes:
            conds.append(f"{column} LIKE %s ESCAPE '\\'")
            params.append(_like_pattern(n))
        where = " OR ".join(conds)  # the column is one of two names checked above; values are parameters
        cursor.execute("SELECT array_agg(post_id) FROM post_search WHERE " + where, params)  # noqa: S608
        return cursor.fetchone()[0] or []
    finally:
        cursor.close()


def grams_have(needle: str):
    """PostgreSQL: the rows whose unspaced-script runs contain a one- or two-character `needle`
    (`is_gram_needle`), from the GIN index over `grams`."""
    from sqlalchemy.dialects.postgresql import ARRAY

    return type_coerce(post_search.c.grams, ARRAY(Text)).contains([needle])


def like_any(columns: tuple[str, ...], needle: str):
    """PostgreSQL: `needle` in any of `columns`, as LIKEs the pg_trgm GIN indexes answer."""
    pattern = _like_pattern(needle)
    return or_(*(post_search.c[c].like(pattern, escape="\\") for c in columns))


_FTS = table(FTS_TABLE, column("rowid"), column(FTS_TABLE))
