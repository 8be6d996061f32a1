"""Taxonomy rules edited in the workspace, versioned in the database over the file taxonomy.

The taxonomy file (`settings.taxonomy`, else the built-in one) is the base, version 1. Each save of a
category's rules adds a row to `taxonomy_versions` (version 2, 3, ...); the workspace's active
taxonomy is the base with each category's newest saved rules (`active_taxonomy`), and enrichment
(`monitio run`, `reenrich`, the Dask workers) builds its category stage from it.

A category's rules are edited as the YAML list the taxonomy file holds under `rules:` (format
version 2: `id`, `lang`, `query`), validated by the same loader, with errors placed by line and column.

>>> from monitio.taxonomy.loader import load_taxonomy
>>> base = load_taxonomy()
>>> text = "- id: scam_ads.mine\\n  lang: en\\n  query: 'fake NEAR/3 ad'\\n"
>>> [r.query for r in parse_rules(text, "scam_ads", base)]
['fake NEAR/3 ad']
>>> try:
...     parse_rules("- id: x.bad\\n  lang: en\\n  query: 'scam AND'\\n", "scam_ads", base)
... except RulesError as exc:
...     print(exc.line, exc.col, exc.message)
3 16 rule x.bad: AND needs a term after it
>>> parse_rules(rules_text(base.categories["scam_ads"].rules), "scam_ads", base) == base.categories["scam_ads"].rules
True
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import Any

import yaml
from sqlalchemy import Connection, Engine, func, select
from sqlalchemy.exc import DBAPIError, OperationalError, ProgrammingError

from monitio.errors import Invalid, MonitioError, NotFound
from monitio.query import QueryError, compile_query, parse
from monitio.store.schema_taxonomy import taxonomy_versions
from monitio.taxonomy.loader import RULE_FIELDS, Rule, Taxonomy, TaxonomyError, _rule, _UniqueKeyLoader

log = logging.getLogger(__name__)
MAX_TEXT = 100_000


class RulesError(Invalid):
    """Rules text that does not validate: `line` and `col` place the problem in the text (1-based);
    `excerpt` shows the offending query with a caret under the place, when it is a query."""

    def __init__(self, message: str, line: int, col: int, excerpt: str = "") -> None:
        self.line, self.col, self.excerpt = line, col, excerpt
        details = {"line": line, "column": col, "problem": message, "excerpt": excerpt or None}
        super().__init__(f"line {line}, column {col}: {message}", details=details)
        self.message = message


def _scalar(value: str) -> str:
    """A YAML scalar in single quotes ('' for a quote inside), as the taxonomy file writes queries."""
    return "'" + value.replace("'", "''") + "'"


def rules_text(rules: Iterable[Rule]) -> str:
    """Rules as the YAML list a taxonomy file holds under a category's `rules:`.

    >>> print(rules_text([Rule("a.x", "a", "en", "it's NEAR/2 fake")]), end="")
    - id: 'a.x'
      lang: 'en'
      query: 'it''s NEAR/2 fake'
    """
    return "".join(f"- id: {_scalar(r.id)}\n  lang: {_scalar(r.lang)}\n  query: {_scalar(r.query)}\n" for r in rules)


def _mark(node: yaml.Node | None) -> tuple[int, int]:
    return (node.start_mark.line + 1, node.start_mark.column + 1) if node is not None else (1, 1)


def _value_node(mapping: yaml.Node, key: str) -> yaml.Node | None:
    if isinstance(mapping, yaml.MappingNode):
        for k, v in mapping.value:
            if getattr(k, "value", None) == key:
                return v
    return None


def _compose(text: str) -> tuple[Any, yaml.Node | None]:
    if len(text) > MAX_TEXT:
        raise RulesError(f"the rules are longer than {MAX_TEXT:,} characters", 1, 1)
    try:
        node = yaml.compose(text, Loader=_UniqueKeyLoader)
        data = yaml.load(text, Loader=_UniqueKeyLoader)
    except TaxonomyError as exc:  # a duplicate key: the message names its line
        raise RulesError(str(exc), 1, 1) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
        raise RulesError(f"not valid YAML: {exc.problem or exc.context}", line, col) from None
    except yaml.YAMLError as exc:
        raise RulesError(f"not valid YAML: {exc}", 1, 1) from None
    return data, node


def _query_error(raw: Any, rid: str, node: yaml.Node | None) -> RulesError | None:
    """The first problem of a rule's query (parse error or a query limit), placed in the text."""
    if not isinstance(raw, str) or not raw.strip():
        return None  # the loader reports a missing query
    text = " ".join(raw.split())
    try:
        compile_query(parse(text))
    except QueryError as exc:
        line, col = _mark(node)
        caret = " " * (exc.pos + 2) + "^"
        return RulesError(f"rule {rid}: {exc.message}", line, col + exc.col, f"  {text}\n{caret}")
    return None


def parse_rules(text: str, category: str, base: Taxonomy) -> tuple[Rule, ...]:
    """Validate a category's rules text against the taxonomy it goes into; `RulesError` when it fails.

    Rule ids must be unique across the whole taxonomy; queries keep the query limits (`monitio.query`)."""
    if category not in base.categories:
        raise NotFound(f"no category {category!r} in the taxonomy", hint="see the categories: GET /api/v1/taxonomy")
    data, node = _compose(text)
    if not isinstance(data, list) or not data:
        line, col = _mark(node)
        raise RulesError("expected a list of rules, each starting with '- id:' (then lang and query)", line, col)
    seen = {r.id for r in base.rules if r.category != category}
    items = node.value if isinstance(node, yaml.SequenceNode) else [None] * len(data)
    rules: list[Rule] = []
    for i, (raw, item) in enumerate(zip(data, items, strict=True)):
        line, col = _mark(item)
        rid = str(raw.get("id")) if isinstance(raw, dict) else f"#{i + 1}"
        if isinstance(raw, dict) and not set(raw) - RULE_FIELDS[2]:
            problem = _query_error(raw.get("query"), rid, _value_node(item, "query"))
            if problem is not None:
                raise problem
        try:
            rules.append(_rule(raw, category, 2, f"rule {i + 1}", seen))
        except TaxonomyError as exc:
            raise RulesError(str(exc), line, col) from None
    return tuple(rules)


def with_rules(base: Taxonomy, edited: Mapping[str, tuple[Rule, ...]]) -> Taxonomy:
    """The base taxonomy with the given categories' rules replaced (names, teams, playbooks kept)."""
    cats = {cid: replace(cat, rules=edited[cid]) if cid in edited else cat for cid, cat in base.categories.items()}
    return Taxonomy(version=base.version, categories=cats, source=f"{base.source} + edits")


def newest(conn: Connection) -> dict[str, tuple[int, str]]:
    """Each edited category's newest version: {category: (version, rules text)}."""
    last = (
        select(taxonomy_versions.c.category, func.max(taxonomy_versions.c.version).label("v"))
        .group_by(taxonomy_versions.c.category)
        .subquery()
    )
    rows = conn.execute(
        select(taxonomy_versions.c.category, taxonomy_versions.c.version, taxonomy_versions.c.rules_after).join(
            last, (last.c.category == taxonomy_versions.c.category) & (last.c.v == taxonomy_versions.c.version)
        )
    ).all()
    return {r.category: (r.version, r.rules_after) for r in rows}


def apply_versions(base: Taxonomy, versions: Mapping[str, tuple[int, str]]) -> Taxonomy:
    """The base with each category's newest saved rules. A saved version that no longer fits the base
    (its category removed from the file, a rule id now taken there) is skipped with a warning."""
    edited: dict[str, tuple[Rule, ...]] = {}
    for cid, (version, text) in versions.items():
        try:
            edited[cid] = parse_rules(text, cid, base)
        except MonitioError as exc:
            log.warning("taxonomy version %s of %s is not applied: %s", version, cid, exc)
    return with_rules(base, edited) if edited else base


_CACHE: dict[tuple, tuple[Taxonomy, Taxonomy]] = {}


def taxonomy_at(conn: Connection, base: Taxonomy) -> Taxonomy:
    """The active taxonomy seen through `conn` (cached per base and newest version, so matchers are
    compiled once)."""
    try:
        versions = newest(conn)
    except (OperationalError, ProgrammingError):  # a database from before migration 0022
        conn.rollback()
        return base
    if not versions:
        return base
    key = (id(base), tuple(sorted((c, v) for c, (v, _) in versions.items())))
    cached = _CACHE.get(key)
    if cached is None or cached[0] is not base:  # the base is kept with it, so its id is not reused
        if len(_CACHE) > 16:
            _CACHE.clear()
        cached = _CACHE[key] = (base, apply_versions(base, versions))
    return cached[1]


def base_taxonomy(settings) -> Taxonomy:
    """The workspace's taxonomy file (relative to the workspace), else the built-in one."""
    from monitio.enrich.categories import taxonomy_path
    from monitio.taxonomy.loader import load_taxonomy

    return load_taxonomy(taxonomy_path(settings))


def active_taxonomy(settings, engine: Engine | None = None) -> Taxonomy:
    """The taxonomy in force for a workspace: the file with the newest saved rules of each category.

    Without an engine, the workspace's database is opened read-only (when it exists) just to read the
    versions, so code that holds only the settings (the pipeline, Dask workers) sees the edits too."""
    base = base_taxonomy(settings)
    if engine is not None:
        with engine.connect() as conn:
            return taxonomy_at(conn, base)
    if settings is None or getattr(settings, "workspace", None) is None:
        return base
    from monitio.store.db import make_engine, sqlite_path

    url = settings.resolved_database_url()
    path = sqlite_path(url)
    if url.startswith("sqlite") and (path is None or not path.exists()):
        return base
    # read-only on SQLite (not even a pragma); a plain engine on PostgreSQL, so the URL's own options
    # (such as a search_path) stay in force
    engine = make_engine(url, read_only=path is not None)
    try:
        with engine.connect() as conn:
            return taxonomy_at(conn, base)
    except DBAPIError as exc:  # no database to read: the file taxonomy alone
        log.warning("taxonomy versions not read (%s); using the taxonomy file", exc.__class__.__name__)
        return base
    finally:
        engine.dispose()
