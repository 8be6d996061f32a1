"""Load and validate a taxonomy file into typed records.

The format is documented in `docs/taxonomy.md` and at the top of `default.yaml`. Version 2 rules
are queries in the Boolean query language (`monitio.query`); version 1 keyword rules (`any`, `all`,
`not`) are still read and turned into queries, so older workspace files keep working.

>>> tax = load_taxonomy()
>>> tax.version, tax.categories["scam_ads"].owner_team, len(tax.categories) >= 13
(2, 'Ads Integrity', True)
>>> tax.rule("scam_ads.en_pair").query[:12]
'(ad OR ads O'
>>> v1_query({"any": ["scam ad", "ponzi"], "not": ["not a scam"]})
'("scam ad" OR ponzi) NOT "not a scam"'
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from monitio.errors import Invalid
from monitio.query import QueryError, parse

SUPPORTED_VERSIONS = (1, 2)
TOP_FIELDS = {"version", "categories"}
CATEGORY_FIELDS = ("name", "description", "owner_team", "default_severity", "playbook", "rules")
RULE_FIELDS = {1: {"id", "lang", "any", "all", "not"}, 2: {"id", "lang", "query"}}
ID_RE = re.compile(r"^[a-z0-9][a-z0-9_]*$")
_BARE_RE = re.compile(r"\w+")
_HANGUL_RE = re.compile("[\uac00-\ud7af\u1100-\u11ff]")


class TaxonomyError(Invalid):
    """The taxonomy file is invalid; the message names the file, the place and the problem."""


@dataclass(frozen=True)
class Rule:
    """A taxonomy rule: a query in the Boolean query language; `lang` is for reporting and coverage."""

    id: str
    category: str
    lang: str
    query: str


@dataclass(frozen=True)
class Category:
    """A risk category: who owns it, how severe it is by default, how to respond, how to find it."""

    id: str
    name: str
    description: str
    owner_team: str
    default_severity: int
    playbook: tuple[str, ...]
    rules: tuple[Rule, ...] = field(default=())


@dataclass(frozen=True, eq=False)
class Taxonomy:
    """All categories of one taxonomy file, in file order (hashed by identity, to cache matchers)."""

    version: int
    categories: dict[str, Category]
    source: str

    @property
    def rules(self) -> list[Rule]:
        return [r for c in self.categories.values() for r in c.rules]

    def rule(self, rule_id: str) -> Rule:
        return next(r for r in self.rules if r.id == rule_id)

    @property
    def severities(self) -> dict[str, int]:
        return {cid: c.default_severity for cid, c in self.categories.items()}


class _UniqueKeyLoader(yaml.SafeLoader):
    """A safe YAML loader that refuses duplicate mapping keys (PyYAML keeps the last one silently)."""


def _unique_mapping(loader: _UniqueKeyLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            line = key_node.start_mark.line + 1
            raise TaxonomyError(f"line {line}: duplicate key {key!r} (a category or field given twice)")
        seen.add(key)
    return loader.construct_mapping(node, deep=deep)


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _unique_mapping)


def _terms(value: Any, where: str) -> list[str]:
    if not isinstance(value, list) or not value:
        raise TaxonomyError(f"{where}: expected a non-empty list of terms")
    out: list[str] = []
    for t in value:
        if isinstance(t, bool) or not isinstance(t, str | int | float) or not str(t).strip():
            raise TaxonomyError(f"{where}: empty or non-text term {t!r}")
        out.append(" ".join(str(t).split()))
    return out


def _text(body: dict, key: str, where: str) -> str:
    value = body[key]
    if not isinstance(value, str) or not value.strip():
        raise TaxonomyError(f"{where}: {key!r} must be non-empty text")
    return value.strip()


def _quote(term: str) -> str:
    """A version 1 keyword as query text: bare word, quoted phrase, or Korean stem with `*`."""
    words = term.split()
    if _HANGUL_RE.search(term) and len(words[-1]) >= 2:  # v1 matched Hangul inside words (particles)
        last = words[-1] + "*"
        return last if len(words) == 1 else "(" + " ONEAR/0 ".join([*words[:-1], last]) + ")"
    if _BARE_RE.fullmatch(term) and term.upper() not in ("AND", "OR", "NOT"):
        return term
    return '"' + term.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _group(terms: list[str]) -> str:
    return _quote(terms[0]) if len(terms) == 1 else "(" + " OR ".join(map(_quote, terms)) + ")"


def v1_query(rule: dict, where: str = "rule") -> str:
    """The query equivalent of a version 1 keyword rule (`any`, or `all` groups; `not` vetoes)."""
    if ("any" in rule) == ("all" in rule):
        raise TaxonomyError(f"{where}: give exactly one of 'any' or 'all'")
    if "any" in rule:
        body = " OR ".join(map(_quote, _terms(rule["any"], f"{where} any")))
        body = f"({body})" if "not" in rule and " OR " in body else body
    else:
        if not isinstance(rule["all"], list) or len(rule["all"]) < 2:
            raise TaxonomyError(f"{where}: 'all' needs a list of at least two term lists")
        body = " AND ".join(_group(_terms(g, f"{where} all[{k}]")) for k, g in enumerate(rule["all"]))
    if "not" in rule:
        body += " NOT " + _group(_terms(rule["not"], f"{where} not"))
    return body


def _query(r: dict, version: int, where: str) -> str:
    if version == 1:
        text = v1_query(r, where)
    else:
        text = r.get("query")
        if not isinstance(text, str) or not text.strip():
            raise TaxonomyError(f"{where}: missing field 'query' (a query such as scam* NEAR/3 (ad OR ads))")
        text = " ".join(text.split())
    try:
        parse(text)
    except QueryError as exc:
        caret = " " * (exc.pos + 4) + "^"
        raise TaxonomyError(f"{where}: bad query, col {exc.col}: {exc.message}\n    {text}\n{caret}") from None
    return text


def _rule(r: Any, cid: str, version: int, where: str, seen: set[str]) -> Rule:
    if not isinstance(r, dict):
        raise TaxonomyError(f"{where}: expected a mapping with id, lang and query")
    rid = r.get("id")
    if isinstance(rid, str) and rid.strip():
        where = f"{where} ({rid})"
    if extra := set(r) - RULE_FIELDS[version]:
        raise TaxonomyError(f"{where}: unknown field(s) {', '.join(sorted(map(str, extra)))}")
    if not isinstance(rid, str) or not rid.strip():
        raise TaxonomyError(f"{where}: missing field 'id'")
    if rid in seen:
        raise TaxonomyError(f"{where}: duplicate rule id {rid!r}")
    seen.add(rid)
    lang = r.get("lang")
    if not isinstance(lang, str) or not lang.strip():
        raise TaxonomyError(f"{where}: missing field 'lang' (a language code such as en, id, hi-Latn)")
    return Rule(id=rid, category=cid, lang=lang.strip(), query=_query(r, version, where))


def _category(cid: Any, body: Any, version: int, source: str, seen: set[str]) -> Category:
    where = f"{source}: category {cid!r}"
    if not isinstance(cid, str) or not ID_RE.match(cid):
        raise TaxonomyError(f"{where}: ids are lower-case letters, digits and '_'")
    if not isinstance(body, dict):
        raise TaxonomyError(f"{where}: expected a mapping")
    if extra := set(body) - set(CATEGORY_FIELDS):
        raise TaxonomyError(f"{where}: unknown field(s) {', '.join(sorted(map(str, extra)))}")
    if missing := [f for f in CATEGORY_FIELDS if f not in body]:
        raise TaxonomyError(f"{where}: missing field(s) {', '.join(missing)}")
    sev = body["default_severity"]
    if isinstance(sev, bool) or not isinstance(sev, int) or not 1 <= sev <= 10:
        raise TaxonomyError(f"{where}: default_severity must be a whole number from 1 to 10, got {sev!r}")
    playbook = body["playbook"]
    if not isinstance(playbook, list) or not playbook or not all(isinstance(s, str) and s.strip() for s in playbook):
        raise TaxonomyError(f"{where}: playbook must be a non-empty list of steps (text)")
    raw_rules = body["rules"]
    if not isinstance(raw_rules, list) or not raw_rules:
        raise TaxonomyError(f"{where}: rules must be a non-empty list")
    rules = tuple(_rule(r, cid, version, f"{where}, rule {i + 1}", seen) for i, r in enumerate(raw_rules))
    return Category(
        id=cid,
        name=_text(body, "name", where),
        description=_text(body, "description", where),
        owner_team=_text(body, "owner_team", where),
        default_severity=sev,
        playbook=tuple(s.strip() for s in playbook),
        rules=rules,
    )


def parse_taxonomy(data: Any, source: str = "<taxonomy>") -> Taxonomy:
    """Validate parsed YAML; raises `TaxonomyError` naming `source` and the offending place.

    >>> parse_taxonomy({"version": 2, "categories": {"x": {"name": "X"}}}, "t.yaml")
    Traceback (most recent call last):
    ...
    monitio.taxonomy.loader.TaxonomyError: t.yaml: category 'x': missing field(s) description, owner_team, \
default_severity, playbook, rules
    """
    if not isinstance(data, dict):
        raise TaxonomyError(f"{source}: expected a mapping with 'version' and 'categories'")
    if unknown := set(data) - TOP_FIELDS:
        raise TaxonomyError(f"{source}: unknown top-level field(s) {', '.join(sorted(map(str, unknown)))}")
    version = data.get("version")
    if version not in SUPPORTED_VERSIONS or isinstance(version, bool):
        raise TaxonomyError(f"{source}: 'version' must be one of {list(SUPPORTED_VERSIONS)}, got {version!r}")
    cats = data.get("categories")
    if not isinstance(cats, dict) or not cats:
        raise TaxonomyError(f"{source}: 'categories' must be a non-empty mapping")
    seen_rules: set[str] = set()
    categories = {cid: _category(cid, body, version, source, seen_rules) for cid, body in cats.items()}
    return Taxonomy(version=version, categories=categories, source=source)


def parse_taxonomy_text(text: str, source: str = "<taxonomy>") -> Taxonomy:
    """Parse and validate YAML text (duplicate keys are refused, not silently merged)."""
    try:
        data = yaml.load(text, Loader=_UniqueKeyLoader)  # a SafeLoader subclass
    except TaxonomyError as exc:
        raise TaxonomyError(f"{source}: {exc}") from None
    except yaml.YAMLError as exc:
        raise TaxonomyError(f"{source}: not valid YAML: {exc}") from None
    return parse_taxonomy(data, source)


def default_path() -> Path:
    """The built-in taxonomy file shipped in the package."""
    return Path(str(resources.files("monitio.taxonomy") / "default.yaml"))


_LOADING = threading.Lock()


@lru_cache(maxsize=8)
def _load_cached(path: str, mtime: float, size: int) -> Taxonomy:
    return parse_taxonomy_text(Path(path).read_text(encoding="utf-8"), path)


def load_taxonomy(path: Path | str | None = None) -> Taxonomy:
    """The taxonomy at `path`, or the built-in one when None. Cached until the file changes."""
    path = default_path() if path is None else Path(path).expanduser()
    try:
        stat = path.stat()
    except OSError:
        raise TaxonomyError(f"taxonomy file {path} does not exist or cannot be read") from None
    with _LOADING:  # one parse at a time: a server's threads asking at once would each parse the file
        return _load_cached(str(path.resolve()), stat.st_mtime, stat.st_size)
