"""Editing a category's taxonomy rules: validate, test live on the last 7 days of posts, save a version.

The taxonomy file stays the base (version 1); each save writes the category's rules before and after
to `taxonomy_versions` (version 2, 3, ...) and to the audit log, and the workspace's active taxonomy
(what enrichment uses) reads the newest version of each category (`monitio.taxonomy.versions`).
Reading the rules needs `taxonomy:read`; testing and saving `taxonomy:write` (admins).

The live test runs each rule through the search service (`monitio search`), bounded by one query
`Budget` of `search_timeout_seconds`, so its counts are what a search for the rule over the same
days finds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, insert, select

from monitio import audit
from monitio.auth.users import User
from monitio.errors import Invalid
from monitio.query import Budget
from monitio.services import search
from monitio.services.access import actor_name, require
from monitio.services.case_timeline import when_text
from monitio.store.schema_taxonomy import taxonomy_versions
from monitio.taxonomy.loader import Rule, Taxonomy
from monitio.taxonomy.versions import base_taxonomy, parse_rules, rules_text, taxonomy_at
from monitio.workspace import Workspace

LIVE_DAYS = 7
EXAMPLES = 10


@dataclass(frozen=True)
class CategoryRules:
    """A category's rules as they are in force: readable name, rules text, version (1 = the file)."""

    id: str
    name: str
    text: str
    version: int
    rules: int


@dataclass(frozen=True)
class RuleCount:
    id: str
    lang: str
    query: str
    matches: int


@dataclass(frozen=True)
class Example:
    """A matching post (newest first): its text and which rules found it with which words."""

    post_id: int
    when: str
    market: str | None
    lang: str | None
    text: str
    rules: list[str]
    terms: list[str]


@dataclass(frozen=True)
class LiveTest:
    """What the rules find among posts published since `since`: in all, per rule, and examples."""

    category: str
    since: datetime
    matches: int
    per_rule: list[RuleCount]
    examples: list[Example] = field(default_factory=list)

    @property
    def since_text(self) -> str:
        return when_text(self.since)


@dataclass(frozen=True)
class Version:
    """One saved version: who changed which category's rules, when, and the text before and after."""

    version: int
    category: str
    category_name: str
    actor: str
    when: str
    rules_before: str
    rules_after: str


def _active(ws: Workspace) -> Taxonomy:
    with ws.engine.connect() as conn:
        return taxonomy_at(conn, base_taxonomy(ws.settings))


def _versions_now(conn) -> dict[str, int]:
    rows = conn.execute(
        select(taxonomy_versions.c.category, func.max(taxonomy_versions.c.version)).group_by(
            taxonomy_versions.c.category
        )
    ).all()
    return {c: v for c, v in rows}


def categories(ws: Workspace, actor: User | None) -> list[CategoryRules]:
    """Every category with its rules in force (as editable text) and the version they come from."""
    require(actor, "taxonomy:read")
    base = base_taxonomy(ws.settings)
    with ws.engine.connect() as conn:
        tax = taxonomy_at(conn, base)
        versions = _versions_now(conn)
    return [
        CategoryRules(cid, cat.name, rules_text(cat.rules), versions.get(cid, 1), len(cat.rules))
        for cid, cat in tax.categories.items()
    ]


def validate(ws: Workspace, actor: User | None, category: str, text: str) -> tuple[Rule, ...]:
    """The rules the text holds, validated against the active taxonomy (`RulesError` says where not)."""
    require(actor, "taxonomy:write")
    return parse_rules(text, category, _active(ws))


def live_test(
    ws: Workspace, actor: User | None, category: str, text: str, *, days: int = LIVE_DAYS, now: datetime | None = None
) -> LiveTest:
    """Validate, then count what each rule finds among the posts of the last `days` days (published at
    or after now minus `days`), the posts any rule finds, and up to `EXAMPLES` of them, newest first."""
    rules = validate(ws, actor, category, text)
    since = (now or datetime.now(UTC)) - timedelta(days=days)
    filters = search.Filters(since=since)
    budget = Budget(ws.settings.search_timeout_seconds)
    found: dict[int, set[str]] = {}
    terms: dict[int, list[str]] = {}
    newest: dict[int, tuple[datetime, object]] = {}
    per_rule: list[RuleCount] = []
    with budget:
        for rule in rules:
            n = 0
            for hit in search.iter_matches(ws.engine, rule.query, filters):
                budget.charge(1)
                n += 1
                pid = hit.row.id
                found.setdefault(pid, set()).add(rule.id)
                if n <= EXAMPLES:  # the newest matches of the union are among each rule's newest
                    newest[pid] = (hit.row.published_at, hit.row)
                    terms.setdefault(pid, [])
                    terms[pid] += [t for t in hit.matched if t not in terms[pid]]
            per_rule.append(RuleCount(rule.id, rule.lang, rule.query, n))
    top = sorted(newest.items(), key=lambda kv: (kv[1][0], kv[0]), reverse=True)[:EXAMPLES]
    order = [r.id for r in rules]
    examples = [
        Example(
            post_id=pid,
            when=when_text(row.published_at),
            market=row.market,
            lang=row.lang,
            text=row.text,
            rules=[r for r in order if r in found[pid]],
            terms=terms.get(pid, [])[:8],
        )
        for pid, (_, row) in top
    ]
    return LiveTest(category, since, len(found), per_rule, examples)


def save(ws: Workspace, actor: User | None, category: str, text: str) -> Version:
    """Save the category's rules as the next version (validated first; nothing is written when they do
    not validate or do not change anything), with an audit entry."""
    require(actor, "taxonomy:write")
    base = base_taxonomy(ws.settings)
    who = actor_name(actor)
    with ws.engine.begin() as conn:
        tax = taxonomy_at(conn, base)
        rules = parse_rules(text, category, tax)
        before = rules_text(tax.categories[category].rules)
        after = rules_text(rules)
        if after == before:
            raise Invalid("the rules are the same as the ones in force; nothing to save")
        last = conn.execute(select(func.max(taxonomy_versions.c.version))).scalar_one()
        version = (last or 1) + 1
        now = datetime.now(UTC)
        conn.execute(
            insert(taxonomy_versions).values(
                version=version,
                category=category,
                rules_before=before,
                rules_after=after,
                actor=who,
                created_at=now,
            )
        )
        audit.record(
            conn,
            actor=who,
            action="taxonomy.edit",
            entity="taxonomy",
            entity_id=category,
            before={"rules": before},
            after={"rules": after, "version": version},
        )
    name = tax.categories[category].name
    return Version(version, category, name, who, when_text(now), before, after)


def history(ws: Workspace, actor: User | None, category: str | None = None, limit: int = 50) -> list[Version]:
    """Saved versions, newest first (all categories, or one)."""
    require(actor, "taxonomy:read")
    names = {cid: c.name for cid, c in base_taxonomy(ws.settings).categories.items()}
    stmt = select(taxonomy_versions).order_by(taxonomy_versions.c.version.desc()).limit(limit)
    if category:
        stmt = stmt.where(taxonomy_versions.c.category == category)
    with ws.engine.connect() as conn:
        rows = conn.execute(stmt).all()
    return [
        Version(
            r.version,
            r.category,
            names.get(r.category, r.category),
            r.actor,
            when_text(r.created_at),
            r.rules_before,
            r.rules_after,
        )
        for r in rows
    ]
