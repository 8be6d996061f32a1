"""Limits on what one query may ask for, checked while parsing (before any document is read).

A query over the limits raises `QueryTooCostly`: both a `QueryError` (so every caller that reports
bad queries reports it, with line and column) and a `monitio.errors.TooCostly`.

>>> from monitio.query import parse
>>> try:
...     parse("a NEAR/5 b NEAR/5 c", QueryLimits(max_nears=1))
... except QueryTooCostly as exc:
...     print(exc)
line 1, col 12: more than 1 NEAR/ONEAR operators (limit max_nears); split the query or drop some
"""

from __future__ import annotations

from dataclasses import dataclass

from monitio.errors import TooCostly
from monitio.query.tokens import QueryError


class QueryTooCostly(QueryError, TooCostly):
    """A query over one of the `QueryLimits` (or a search over its time or work budget)."""

    kind, http_status = "too_costly", 422

    def __init__(self, message: str, text: str = "", pos: int = 0, rule: str | None = None, *, limit: str = "") -> None:
        self.limit = limit
        super().__init__(message, text, pos, rule)


@dataclass(frozen=True, slots=True)
class QueryLimits:
    """The most a query may contain. The defaults leave room for the built-in taxonomy (its largest
    rule: 703 characters, 51 terms, 24 wildcards, 20 NEARs, nesting 3).

    >>> QueryLimits().max_nears
    32
    """

    max_chars: int = 5_000
    """Characters in the query text."""
    max_terms: int = 256
    """Terms, phrases and field filters."""
    max_depth: int = 32
    """Nesting: each `( )`, each `NOT` and each `NEAR`/`ONEAR` inside another one counts one level."""
    max_nears: int = 32
    """`NEAR/n` and `ONEAR/n` operators in all."""
    max_wildcards: int = 64
    """Terms ending in `*`."""
    max_expansions: int = 2_000
    """Distinct words one wildcard may stand for when it is expanded against an index's vocabulary
    (`check_expansion`); matching one document never expands beyond that document's own words."""


DEFAULT_LIMITS = QueryLimits()


def too_costly(what: str, limit: str, value: int, text: str, pos: int) -> QueryTooCostly:
    """The error for a limit passed at `pos`, naming the limit and saying what to do."""
    return QueryTooCostly(
        f"more than {value} {what} (limit {limit}); split the query or drop some", text, pos, limit=limit
    )


def check_expansion(term: str, count: int, limits: QueryLimits = DEFAULT_LIMITS) -> None:
    """For search indexes that expand `term*` against their vocabulary: refuse an expansion to more
    than `limits.max_expansions` words.

    >>> check_expansion("sc", 10)
    >>> try:
    ...     check_expansion("sc", 5000)
    ... except QueryTooCostly as exc:
    ...     print(exc.one_line())
    line 1, col 1: sc* stands for 5000 different words (limit max_expansions 2000); write more letters before the *
    """
    if count > limits.max_expansions:
        raise QueryTooCostly(
            f"{term}* stands for {count} different words (limit max_expansions {limits.max_expansions}); "
            "write more letters before the *",
            f"{term}*",
            0,
            limit="max_expansions",
        )
