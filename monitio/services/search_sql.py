"""Compiling a query to an index pre-filter: one SQL condition over `posts` joined to `post_search`.

`to_sql(node, dialect)` returns the condition and whether it is *exact* (selects exactly the posts
the matcher accepts) or only a *superset* (the candidates must be verified by the matcher):

- terms, phrases and prefixes (`scam*`) of every script: exact (substring tests on the normalised
  text, see `monitio.store.fts`); the Vietnamese view is picked per post as the matcher picks it;
- fields: exact for lang, market, category, sentiment, engagement, date, and for source and author
  with ASCII values; `has:` and non-ASCII source/author values: no pre-filter (verified);
- AND / OR: exact when every part is; NOT: exact when its part is, else no pre-filter;
- NEAR/n and ONEAR/n: both sides must occur (a superset; the distance is verified).

>>> from monitio.query import parse
>>> cond, exact = to_sql(parse('"fake refund" OR scam* -lang:en'), "sqlite")
>>> exact
True
>>> to_sql(parse("refund NEAR/3 late"), "sqlite")[1]
False
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import and_, case, false, func, literal, not_, or_, true

from monitio.query import And, Field, Near, Node, Not, Or, Phrase, Term, compile_query, parse_field
from monitio.store.fts import (
    MIN_TRIGRAM,
    fts_any,
    fts_driver,
    fts_phrase,
    grams_have,
    is_gram_needle,
    like_any,
    row_contains,
)
from monitio.store.schema import posts
from monitio.store.schema_search import post_search

Cond = Any


def needle_of_form(form) -> str:
    """The substring of `TextView.flat` that a compiled term form matches exactly."""
    name = type(form).__name__
    if name == "WordForm":
        return f" {form.word} "
    if name == "PrefixForm":
        return f" {form.prefix}"
    if name == "SeqForm":
        return " " + " ".join(form.words) + ("" if form.prefix_last else " ")
    if name == "SubForm":
        return (" " if form.check_left else "") + form.needle + (" " if form.check_right else "")
    raise TypeError(f"unknown term form {form!r}")


def _effective(col, hint):
    """`doc.lang or doc.post.lang_hint` in SQL."""
    return case((and_(col.is_not(None), col != ""), col), else_=hint)


def is_vi_doc() -> Cond:
    """The matcher reads a post with its Vietnamese view: the text looks Vietnamese or lang is vi."""
    return or_(post_search.c.vi, func.coalesce(_effective(posts.c.lang, posts.c.lang_hint), "") == "vi")


def needles(node: Term | Phrase) -> tuple[str, str]:
    """The term's needle for a non-Vietnamese post and for a Vietnamese one (often the same)."""
    wildcard = isinstance(node, Term) and node.wildcard
    root = compile_query(Term(node.text, wildcard) if isinstance(node, Term) else node).root
    n0, n1 = (needle_of_form(f) for f in root.forms)
    return n0, n1


def term_sql(node: Term | Phrase, dialect: str) -> Cond:
    """The exact per-row test of a term: its needle in the view the matcher would read the post in."""
    n0, n1 = needles(node)
    body_vi_null = post_search.c.body_vi.is_(None)
    if n0 == n1:
        # the common case: one needle; only posts with a separate Vietnamese view need the choice
        return or_(
            and_(body_vi_null, row_contains(dialect, "body", n0)),
            and_(
                not_(body_vi_null),
                or_(
                    and_(is_vi_doc(), row_contains(dialect, "body_vi", n1)),
                    and_(not_(is_vi_doc()), row_contains(dialect, "body", n0)),
                ),
            ),
        )
    vi_view = or_(and_(body_vi_null, row_contains(dialect, "body", n1)), row_contains(dialect, "body_vi", n1))
    return or_(and_(is_vi_doc(), vi_view), and_(not_(is_vi_doc()), row_contains(dialect, "body", n0)))


Expand = Callable[[str], "list[str] | None"]
"""SQLite: the indexed trigrams that begin with a two-character needle (None: too many, or unknown)."""


def _term_driver(node: Term | Phrase, dialect: str, expand: Expand | None = None):
    n0, n1 = needles(node)
    both = ("body", "body_vi")
    if min(len(n0), len(n1)) < MIN_TRIGRAM:
        # one or two characters: no trigram of its own. Unspaced-script ones: the grams index
        # (PostgreSQL); two: the trigrams that begin with it (SQLite); otherwise the row test scans.
        if dialect == "postgresql" and is_gram_needle(n0) and is_gram_needle(n1):
            return grams_have(n0) if n0 == n1 else or_(grams_have(n0), grams_have(n1))
        if dialect != "sqlite" or expand is None:
            return None
        grams = [expand(n) for n in dict.fromkeys((n0, n1))]
        if any(g is None for g in grams):
            return None
        return fts_any(both, sorted({t for g in grams for t in g}))
    if dialect == "sqlite":
        if n0 == n1:
            return fts_phrase(both, n0)
        return "(" + fts_phrase(("body",), n0) + " OR " + fts_phrase(both, n1) + ")"
    return like_any(both, n0) if n0 == n1 else or_(like_any(("body",), n0), like_any(both, n1))


def _driver(node: Node, dialect: str, expand: Expand | None = None):
    """An index lookup whose rows include every match (FTS5 query text on SQLite, LIKEs over
    `post_search` on PostgreSQL), or None when the query has no such lookup (NOT, fields, short terms)."""
    if isinstance(node, Term | Phrase):
        return _term_driver(node, dialect, expand)
    if isinstance(node, And | Near):
        children = node.children if isinstance(node, And) else (node.left, node.right)
        parts = [d for d in (_driver(c, dialect, expand) for c in children) if d is not None]
        if not parts:
            return None
        return "(" + " AND ".join(parts) + ")" if dialect == "sqlite" else and_(*parts)
    if isinstance(node, Or):
        parts = [_driver(c, dialect, expand) for c in node.children]
        if any(d is None for d in parts):
            return None
        return "(" + " OR ".join(parts) + ")" if dialect == "sqlite" else or_(*parts)
    return None


def driver_sql(node: Node, dialect: str, expand: Expand | None = None) -> Cond | None:
    """The index pre-filter as one SQL condition (a superset of the matches), or None."""
    d = _driver(node, dialect, expand)
    if d is None:
        return None
    return fts_driver(d) if dialect == "sqlite" else d


def _like_prefix(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _names(expr, values: tuple[str, ...]) -> Cond:
    exact = [v for v in values if not v.endswith("*")]
    conds = [expr.in_(exact)] if exact else []
    conds += [expr.like(_like_prefix(v[:-1]), escape="\\") for v in values if v.endswith("*")]
    return func.coalesce(or_(*conds), false()) if len(conds) > 1 else conds[0]


def _bounds(expr, spec) -> Cond:
    conds = []
    if spec.low is not None:
        conds.append(expr >= spec.low if spec.low_incl else expr > spec.low)
    if spec.high is not None:
        conds.append(expr <= spec.high if spec.high_incl else expr < spec.high)
    return and_(*conds) if conds else true()


def field_sql(node: Field) -> Cond | None:
    """The exact SQL form of a field filter, or None when it has none (then it is verified)."""
    spec = parse_field(node.name, node.value)
    name = spec.name
    if name in ("lang", "market"):
        col, hint = (posts.c.lang, posts.c.lang_hint) if name == "lang" else (posts.c.market, posts.c.market_hint)
        norm = func.lower if name == "lang" else func.upper
        return func.coalesce(norm(_effective(col, hint)).in_(spec.values), false())
    if name in ("source", "author"):
        if not all(v.isascii() for v in spec.values):
            return None
        if name == "source":
            return _names(func.lower(posts.c.source), spec.values)
        low = func.lower(posts.c.author)
        stripped = case((low.like("@%"), func.substr(low, 2)), else_=low)
        return and_(posts.c.author.is_not(None), func.coalesce(_names(stripped, spec.values), false()))
    if name == "category":
        if not all(v.isascii() for v in spec.values):
            return None
        padded = literal(",") + func.lower(func.coalesce(posts.c.categories, "")) + literal(",")
        return or_(*(padded.like("%," + _like_prefix(v)[:-1] + ",%", escape="\\") for v in spec.values))
    if name == "sentiment" and spec.values:
        label = func.lower(func.coalesce(func.nullif(posts.c.sentiment_label, ""), "neutral"))
        return label.in_(spec.values)
    if name == "sentiment":
        return _bounds(func.coalesce(posts.c.sentiment, 0.0), spec)
    if name == "engagement":
        return _bounds(posts.c.likes + posts.c.shares + posts.c.comments, spec)
    if name == "date":
        return _bounds(posts.c.published_at, spec)
    return None  # has: (indicator lists in JSON) is verified


def to_sql(node: Node, dialect: str) -> tuple[Cond | None, bool]:
    """(condition or None for "no pre-filter", exact?) for a parsed query."""
    if isinstance(node, Term | Phrase):
        return term_sql(node, dialect), True
    if isinstance(node, Field):
        cond = field_sql(node)
        return cond, cond is not None
    if isinstance(node, Not):
        cond, exact = to_sql(node.child, dialect)
        return (not_(cond), True) if exact and cond is not None else (None, False)
    if isinstance(node, And):
        parts = [to_sql(c, dialect) for c in node.children]
        conds = [c for c, _ in parts if c is not None]
        return (and_(*conds) if conds else None), all(e for _, e in parts)
    if isinstance(node, Or):
        parts = [to_sql(c, dialect) for c in node.children]
        if any(c is None for c, _ in parts):
            return None, False
        return or_(*(c for c, _ in parts)), all(e for _, e in parts)
    if isinstance(node, Near):
        cond, _ = to_sql(And((node.left, node.right)), dialect)
        return cond, False
    raise TypeError(f"not a query node: {node!r}")
