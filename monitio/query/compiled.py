"""`CompiledQuery` (one query) and `RuleSet` (many rules, prefiltered by anchor terms).

>>> rules = compile_many({"scam": "scam* NOT scampi", "refund": '"refund" NEAR/3 (never OR late)'})
>>> rules.match_text("The refund was never paid, what a scammer")
{'scam': ['scammer'], 'refund': ['refund', 'never']}
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from monitio.query.budget import Budget, active
from monitio.query.evaluate import CNode, compile_node
from monitio.query.limits import QueryLimits, QueryTooCostly
from monitio.query.nodes import Node, to_string
from monitio.query.parser import parse
from monitio.query.text import Accents, TextView, view_of
from monitio.query.tokens import QueryError
from monitio.records import Doc


def doc_view(doc: Doc, accents: Accents = "auto") -> TextView:
    """The (cached) normalised view of a doc's text."""
    return view_of(doc.post.text, doc.lang or doc.post.lang_hint, accents)


def trie_regex(keys: list[str]) -> str:
    """One regex finding the longest of `keys` at a position, shared prefixes factored out.

    >>> trie_regex(["ab", "abc", "ad"])
    'a(?:bc?|d)'
    """
    trie: dict = {}
    for key in keys:
        node = trie
        for ch in key:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict) -> str:
        branches = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if "" not in node:
            return body
        return body + "?" if len(branches) == 1 and len(branches[0]) == 1 else f"(?:{body})?"

    return build(trie)


class _KeyFinder:
    """Which of many keys occur in a text, with one C-level regex scan (plus one per hit).

    The regex finds the longest key at the leftmost position; every shorter key starting there is a
    prefix of it; then the scan goes on one character further, so overlapping keys are all found.
    """

    def __init__(self, keys: dict[str, list[int]]) -> None:
        self.keys = keys
        self.regex = re.compile(trie_regex(list(keys)))

    def find(self, text: str, found: set[int]) -> None:
        search, keys = self.regex.search, self.keys
        m = search(text)
        while m is not None:
            longest = m.group()
            for n in range(len(longest), 0, -1):
                hit = keys.get(longest[:n])
                if hit:
                    found.update(hit)
            m = search(text, m.start() + 1)


def _dedupe(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


class CompiledQuery:
    """A query compiled once and run on many documents.

    >>> q = compile_query("scam -scampi")
    >>> q.match_text("SCAM alert"), q.match_text("scampi and scam")
    (True, False)
    """

    __slots__ = ("accents", "node", "root", "text")

    def __init__(self, node: Node, accents: Accents = "auto", text: str | None = None) -> None:
        self.node = node
        self.accents: Accents = accents
        self.text = text if text is not None else to_string(node)
        try:
            self.root: CNode = compile_node(node, accents)
        except ValueError as exc:  # a hand-built node the parser would have refused
            raise QueryError(str(exc), self.text, 0) from None

    def __repr__(self) -> str:
        return f"CompiledQuery({self.text!r})"

    def matches(self, doc: Doc, view: TextView | None = None, *, budget: Budget | None = None) -> bool:
        """True when the document (text and metadata) satisfies the query. `budget`: charge the work
        to it (raising `BudgetExceeded` when spent); default: the active one, if any."""
        with _using(budget) as b:
            if b is not None:
                b.charge(1)
            return self.root.test(view or doc_view(doc, self.accents), doc)

    def match_text(self, text: str, lang: str | None = None, *, budget: Budget | None = None) -> bool:
        """Match bare text; field filters see no metadata, so they are false (and `NOT field` true)."""
        with _using(budget) as b:
            if b is not None:
                b.charge(1)
            return self.root.test(view_of(text, lang, self.accents), None)

    def explain(self, doc: Doc, view: TextView | None = None, *, budget: Budget | None = None) -> list[str]:
        """The terms that made the document match (as found in it), or [] when it does not match."""
        out: list[str] = []
        with _using(budget) as b:
            if b is not None:
                b.charge(1)
            ok = self.root.collect(view or doc_view(doc, self.accents), doc, out)
        return _dedupe(out) if ok else []

    def explain_text(self, text: str, lang: str | None = None, *, budget: Budget | None = None) -> list[str]:
        """`explain` for bare text."""
        out: list[str] = []
        with _using(budget) as b:
            if b is not None:
                b.charge(1)
            ok = self.root.collect(view_of(text, lang, self.accents), None, out)
        return _dedupe(out) if ok else []


class _using:
    """Activate `budget` for one evaluation (or keep the active one when it is None)."""

    __slots__ = ("budget", "entered")

    def __init__(self, budget: Budget | None) -> None:
        self.budget = budget
        self.entered = False

    def __enter__(self) -> Budget | None:
        if self.budget is None:
            return active()
        if self.budget is not active():
            self.budget.__enter__()
            self.entered = True
        return self.budget

    def __exit__(self, *exc: object) -> None:
        if self.entered:
            self.budget.__exit__()  # type: ignore[union-attr]


def compile_query(query: str | Node, accents: Accents = "auto", limits: QueryLimits | None = None) -> CompiledQuery:
    """Parse (if text) and compile a query. `accents`: "auto" (default), "strict" or "loose";
    `limits`: the `QueryLimits` the text must keep (default `DEFAULT_LIMITS`)."""
    if isinstance(query, str):
        return CompiledQuery(parse(query, limits), accents, query)
    return CompiledQuery(query, accents)


class RuleSet:
    """Many rules matched together: each doc is tokenised once, and only the rules whose anchor terms
    occur in it (plus rules that have none, such as pure `NOT` or field rules) are evaluated."""

    def __init__(self, rules: Mapping[str, CompiledQuery]) -> None:
        self.rules = dict(rules)
        self.accents: Accents = next(iter(self.rules.values())).accents if self.rules else "auto"
        self._ids = list(self.rules)
        self._roots = [self.rules[r].root for r in self._ids]
        self.words: dict[str, list[int]] = {}
        self.pairs: dict[str, list[tuple[str, int]]] = {}
        self.prefixes: dict[str, list[tuple[str, int]]] = {}
        self.subs: dict[str, list[int]] = {}
        self.always: list[int] = []
        for k, root in enumerate(self._roots):
            anchors = root.anchors()
            if anchors is None:
                self.always.append(k)
                continue
            for kind, key in anchors:
                if kind == "w":
                    self.words.setdefault(key, []).append(k)
                elif kind == "b":
                    first, second = key.split(" ")
                    self.pairs.setdefault(first, []).append((second, k))
                elif kind == "p":
                    self.prefixes.setdefault(key[:2], []).append((key, k))
                else:
                    self.subs.setdefault(key, []).append(k)
        self._sub_finder = _KeyFinder(self.subs) if self.subs else None

    def __len__(self) -> int:
        return len(self.rules)

    def candidates(self, v: TextView) -> list[int]:
        """Indexes of the rules worth evaluating on this text, in rule order."""
        found = set(self.always)
        vocab, words = v.vocab, self.words
        for tok in words.keys() & vocab:
            found.update(words[tok])
        if self.pairs:
            pairs = self.pairs
            for tok in pairs.keys() & vocab:
                found.update(k for second, k in pairs[tok] if second in vocab)
        if self.prefixes:
            prefixes = self.prefixes
            for head in prefixes.keys() & {t[:2] for t in vocab}:
                found.update(k for p, k in prefixes[head] if v.with_prefix(p))
        if self._sub_finder is not None and v.has_unspaced:
            self._sub_finder.find(v.flat, found)
        return sorted(found)

    def match_view(self, v: TextView, doc: Doc | None) -> dict[str, list[str]]:
        """{rule id: matched terms} for a prepared view (and its doc, or None for bare text)."""
        out: dict[str, list[str]] = {}
        roots = self._roots
        for k in self.candidates(v):
            root = roots[k]
            if root.test(v, doc):
                terms: list[str] = []
                root.collect(v, doc, terms)
                out[self._ids[k]] = _dedupe(terms)
        return out

    def match(self, doc: Doc, *, budget: Budget | None = None) -> dict[str, list[str]]:
        """{rule id: matched terms} for every rule the document satisfies."""
        with _using(budget):
            return self.match_view(doc_view(doc, self.accents), doc)

    def match_text(self, text: str, lang: str | None = None, *, budget: Budget | None = None) -> dict[str, list[str]]:
        with _using(budget):
            return self.match_view(view_of(text, lang, self.accents), None)


def compile_many(
    rules: Mapping[str, str | Node], accents: Accents = "auto", limits: QueryLimits | None = None
) -> RuleSet:
    """Compile rules by id; a bad rule raises `QueryError` (or `QueryTooCostly`) naming the rule."""
    compiled = {}
    for rule_id, query in rules.items():
        try:
            compiled[rule_id] = compile_query(query, accents, limits)
        except QueryError as exc:
            raise _renamed(exc, rule_id) from None
    return RuleSet(compiled)


def _renamed(exc: QueryError, rule_id: str) -> QueryError:
    """The same error (same class, same limit) naming the rule it came from."""
    if isinstance(exc, QueryTooCostly):
        return QueryTooCostly(exc.message, exc.text, exc.pos, rule=rule_id, limit=exc.limit)
    return QueryError(exc.message, exc.text, exc.pos, rule=rule_id)
