"""Load and validate a taxonomy file into typed records.

>>> tax = load_taxonomy()
>>> tax.categories["scam_ads"].owner_team
'Ads Integrity'
>>> len(tax.categories) >= 12
True
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

CATEGORY_FIELDS = {"name", "description", "owner_team", "default_severity", "playbook", "rules"}
RULE_FIELDS = {"id", "lang", "any", "all", "not"}
REQUIRED_CATEGORY = ("name", "description", "owner_team", "default_severity", "playbook", "rules")


class TaxonomyError(ValueError):
    """The taxonomy file is invalid; the message names the file, the place and the problem."""


@dataclass(frozen=True)
class Rule:
    """A keyword rule: `any` of its terms, or one term of `all` of its groups; vetoed by `not` terms."""

    id: str
    category: str
    lang: str
    any: tuple[str, ...] = ()
    all: tuple[tuple[str, ...], ...] = ()
    not_: tuple[str, ...] = ()


@dataclass(frozen=True)
class Category:
    id: str
    name: str
    description: str
    owner_team: str
    default_severity: int
    playbook: tuple[str, ...]
    rules: tuple[Rule, ...] = field(default=())


@dataclass(frozen=True)
class Taxonomy:
    version: int
    categories: dict[str, Category]
    source: str

    @property
    def rules(self) -> list[Rule]:
        return [r for c in self.categories.values() for r in c.rules]


def _terms(value: Any, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not value:
        raise TaxonomyError(f"{where}: expected a non-empty list of terms")
    out = []
    for t in value:
        if not isinstance(t, str | int | float) or not str(t).strip():
            raise TaxonomyError(f"{where}: empty or non-text term {t!r}")
        out.append(str(t).strip())
    return tuple(out)


def parse_taxonomy(data: Any, source: str = "<taxonomy>") -> Taxonomy:
    """Validate the parsed YAML; raises `TaxonomyError` naming `source` and the offending place."""
    if not isinstance(data, dict):
        raise TaxonomyError(f"{source}: expected a mapping with 'version' and 'categories'")
    unknown = set(data) - {"version", "categories"}
    if unknown:
        raise TaxonomyError(f"{source}: unknown top-level field(s) {', '.join(sorted(unknown))}")
    version = data.get("version")
    if not isinstance(version, int):
        raise TaxonomyError(f"{source}: 'version' must be a whole number")
    cats = data.get("categories")
    if not isinstance(cats, dict) or not cats:
        raise TaxonomyError(f"{source}: 'categories' must be a non-empty mapping")
    seen_rules: set[str] = set()
    categories: dict[str, Category] = {}
    for cid, body in cats.items():
        where = f"{source}: category {cid!r}"
        if not isinstance(body, dict):
            raise TaxonomyError(f"{where}: expected a mapping")
        if extra := set(body) - CATEGORY_FIELDS:
            raise TaxonomyError(f"{where}: unknown field(s) {', '.join(sorted(extra))}")
        if missing := [f for f in REQUIRED_CATEGORY if f not in body]:
            raise TaxonomyError(f"{where}: missing field(s) {', '.join(missing)}")
        sev = body["default_severity"]
        if not isinstance(sev, int) or not 1 <= sev <= 10:
            raise TaxonomyError(f"{where}: default_severity must be a whole number from 1 to 10")
        if not isinstance(body["playbook"], list) or not body["playbook"]:
            raise TaxonomyError(f"{where}: playbook must be a non-empty list of steps")
        rules = []
        for i, r in enumerate(body["rules"] or []):
            rwhere = f"{where}, rule {i + 1}"
            if not isinstance(r, dict):
                raise TaxonomyError(f"{rwhere}: expected a mapping")
            if extra := set(r) - RULE_FIELDS:
                raise TaxonomyError(f"{rwhere}: unknown field(s) {', '.join(sorted(extra))}")
            rid = r.get("id")
            if not isinstance(rid, str) or not rid:
                raise TaxonomyError(f"{rwhere}: missing 'id'")
            if rid in seen_rules:
                raise TaxonomyError(f"{rwhere}: duplicate rule id {rid!r}")
            seen_rules.add(rid)
            if ("any" in r) == ("all" in r):
                raise TaxonomyError(f"{rwhere} ({rid}): give exactly one of 'any' or 'all'")
            groups = ()
            if "all" in r:
                if not isinstance(r["all"], list) or len(r["all"]) < 2:
                    raise TaxonomyError(f"{rwhere} ({rid}): 'all' needs at least two term groups")
                groups = tuple(_terms(g, f"{rwhere} ({rid}) all") for g in r["all"])
            rules.append(
                Rule(
                    id=rid,
                    category=cid,
                    lang=str(r.get("lang", "")),
                    any=_terms(r["any"], f"{rwhere} ({rid}) any") if "any" in r else (),
                    all=groups,
                    not_=_terms(r["not"], f"{rwhere} ({rid}) not") if "not" in r else (),
                )
            )
        if not rules:
            raise TaxonomyError(f"{where}: needs at least one rule")
        categories[cid] = Category(
            id=cid,
            name=str(body["name"]),
            description=str(body["description"]),
            owner_team=str(body["owner_team"]),
            default_severity=sev,
            playbook=tuple(str(s) for s in body["playbook"]),
            rules=tuple(rules),
        )
    return Taxonomy(version=version, categories=categories, source=source)


@lru_cache(maxsize=8)
def _load_cached(path: str, mtime: float) -> Taxonomy:
    text = Path(path).read_text(encoding="utf-8")
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise TaxonomyError(f"{path}: not valid YAML: {exc}") from None
    return parse_taxonomy(data, path)


def load_taxonomy(path: Path | str | None = None) -> Taxonomy:
    """The taxonomy at `path`, or the built-in one. Cached until the file changes."""
    if path is None:
        path = Path(str(resources.files("monitio.taxonomy") / "default.yaml"))
    path = Path(path)
    if not path.exists():
        raise TaxonomyError(f"taxonomy file {path} does not exist")
    return _load_cached(str(path.resolve()), path.stat().st_mtime)
