"""Compiled query nodes: fast boolean tests, evidence (matched terms), spans for NEAR, anchors.

NEAR works on `SpanSet`s (see `monitio.query.spans`): no all-pairs loops, and every step is charged
to the active `Budget` (see `monitio.query.budget`).

Each term is compiled twice, once for Vietnamese documents (tones kept) and once for the others
(Latin accents ignored unless the term itself is Vietnamese), so a doc picks its variant by
`view.vi` without normalising anything again.
"""

from __future__ import annotations

from collections.abc import Callable

from monitio.query.budget import charge
from monitio.query.fields import field_test, parse_field
from monitio.query.matchers import Anchor, Form, WordForm, term_form
from monitio.query.nodes import And, Field, Near, Node, Not, Or, Phrase, Term
from monitio.query.spans import SpanSet, near, near_any, spans_near
from monitio.query.text import WORD_UNITS, Accents, TextView, fold, is_vietnamese, normalize
from monitio.records import Doc

Anchors = frozenset[Anchor] | None
"""Anchors one of which every matching text contains, or None when there is no such set."""


class CTerm:
    __slots__ = ("forms", "word")

    def __init__(self, text: str, wildcard: bool, accents: Accents) -> None:
        other = normalize(text, accents, vietnamese=is_vietnamese(fold(text)))
        viet = normalize(text, accents, vietnamese=True)
        f0 = term_form(other, wildcard)
        self.forms: tuple[Form, Form] = (f0, f0 if viet == other else term_form(viet, wildcard))
        self.word = f0.word if isinstance(f0, WordForm) and self.forms[1] is f0 else None
        """The one word this term is, for set-based fast paths (None for anything else)."""

    def test(self, v: TextView, doc: Doc | None) -> bool:
        return self.forms[v.vi].test(v)

    def collect(self, v: TextView, doc: Doc | None, out: list[str]) -> bool:
        found = self.forms[v.vi].found(v)
        out.extend(found)
        return bool(found)

    def maybe(self, v: TextView) -> bool:
        return self.forms[v.vi].test(v)

    def span_set(self, v: TextView, scale: int) -> SpanSet:
        spans = self.forms[v.vi].spans(v)
        charge(1 + len(spans))
        return SpanSet.from_spans(spans, scale)

    def anchors(self) -> Anchors:
        return frozenset(f.anchor() for f in self.forms)


def _split_words(children: list[CNode]) -> tuple[frozenset[str], tuple[CNode, ...]]:
    """Plain one-word terms (tested together with one set operation) and the other children."""
    words = frozenset(c.word for c in children if isinstance(c, CTerm) and c.word is not None)
    rest = tuple(c for c in children if not (isinstance(c, CTerm) and c.word is not None))
    return words, rest


class CField:
    __slots__ = ("fn",)

    def __init__(self, fn: Callable[[Doc | None], bool]) -> None:
        self.fn = fn

    def test(self, v: TextView, doc: Doc | None) -> bool:
        return self.fn(doc)

    def collect(self, v: TextView, doc: Doc | None, out: list[str]) -> bool:
        return self.fn(doc)

    def anchors(self) -> Anchors:
        return None


class CNot:
    __slots__ = ("child",)

    def __init__(self, child: CNode) -> None:
        self.child = child

    def test(self, v: TextView, doc: Doc | None) -> bool:
        return not self.child.test(v, doc)

    def collect(self, v: TextView, doc: Doc | None, out: list[str]) -> bool:
        return not self.child.test(v, doc)

    def anchors(self) -> Anchors:
        return None


class CAnd:
    __slots__ = ("children", "rest", "words")

    def __init__(self, children: list[CNode]) -> None:
        # metadata filters are cheapest: test them first
        self.children = tuple(sorted(children, key=lambda c: not isinstance(c, CField)))
        self.words, self.rest = _split_words(list(self.children))

    def test(self, v: TextView, doc: Doc | None) -> bool:
        if self.words and not self.words <= v.vocab:
            return False
        for child in self.rest:
            if not child.test(v, doc):
                return False
        return True

    def collect(self, v: TextView, doc: Doc | None, out: list[str]) -> bool:
        mark = len(out)
        for child in self.children:
            if not child.collect(v, doc, out):
                del out[mark:]
                return False
        return True

    def anchors(self) -> Anchors:
        options = [a for a in (c.anchors() for c in self.children) if a is not None]
        if not options:
            return None
        return min(options, key=lambda a: (len(a), -min(len(k) for _, k in a)))


Index = tuple[dict[str, list[int]], dict[str, list[tuple[str, int]]], list[int], list[int]]


def _anchor_index(children: tuple[CNode, ...]) -> Index:
    """Children by the words (or pairs of words) one of which each needs, those that need an
    unspaced-script substring, and the rest (always tried): a big OR then only tries the children its
    text can satisfy."""
    by_word: dict[str, list[int]] = {}
    by_pair: dict[str, list[tuple[str, int]]] = {}
    subs, always = [], []
    for k, child in enumerate(children):
        a = child.anchors()
        if a and all(kind in ("w", "b") for kind, _ in a):
            for kind, key in a:
                if kind == "w":
                    by_word.setdefault(key, []).append(k)
                else:
                    first, second = key.split(" ")
                    by_pair.setdefault(first, []).append((second, k))
        elif a and all(kind == "s" for kind, _ in a):
            subs.append(k)
        else:
            always.append(k)
    return by_word, by_pair, subs, always


def _indexed(index: Index, v: TextView) -> list[int]:
    """The children (by position) an indexed OR must try on this text."""
    by_word, by_pair, subs, always = index
    out = always + subs if subs and v.has_unspaced else list(always)
    for word in by_word.keys() & v.vocab:
        out += by_word[word]
    if by_pair:
        vocab = v.vocab
        for word in by_pair.keys() & vocab:
            out += [k for second, k in by_pair[word] if second in vocab]
    return out


class COr:
    __slots__ = ("children", "index", "rest", "rest_index", "words")

    INDEX_FROM = 6
    """Children count from which an OR indexes its children by anchor word."""

    def __init__(self, children: list[CNode]) -> None:
        self.children = tuple(children)
        self.words, self.rest = _split_words(children)
        big = len(self.children) >= self.INDEX_FROM
        self.index: Index | None = _anchor_index(self.children) if big else None
        self.rest_index: Index | None = _anchor_index(self.rest) if len(self.rest) >= self.INDEX_FROM else None

    def test(self, v: TextView, doc: Doc | None) -> bool:
        if self.words and not self.words.isdisjoint(v.vocab):
            return True
        rest = self.rest
        if self.rest_index is None:
            return any(child.test(v, doc) for child in rest)
        return any(rest[k].test(v, doc) for k in _indexed(self.rest_index, v))

    def collect(self, v: TextView, doc: Doc | None, out: list[str]) -> bool:
        hit = False
        children = self.children
        order = range(len(children)) if self.index is None else sorted(set(_indexed(self.index, v)))
        for k in order:
            mark = len(out)
            if children[k].collect(v, doc, out):
                hit = True
            else:
                del out[mark:]
        return hit

    def maybe(self, v: TextView) -> bool:
        if self.words and not self.words.isdisjoint(v.vocab):
            return True
        return any(child.maybe(v) for child in self.rest)  # type: ignore[union-attr]

    def span_set(self, v: TextView, scale: int) -> SpanSet:
        spans: list[tuple[int, int]] = []
        nested: list[SpanSet] = []
        vi = v.vi
        for child in self.children:
            if isinstance(child, CTerm):
                spans += child.forms[vi].spans(v)
            else:
                nested.append(child.span_set(v, scale))  # type: ignore[union-attr]
        charge(len(self.children) + len(spans))
        out = SpanSet.from_spans(spans, scale)
        for other in nested:
            out = out.union(other)
        return out

    def anchors(self) -> Anchors:
        result: set[Anchor] = set()
        for child in self.children:
            a = child.anchors()
            if a is None:
                return None
            result |= a
        return frozenset(result)


def _is_leafy(node: CNode) -> bool:
    """A term, or an OR of terms: its spans come straight from the text."""
    return isinstance(node, CTerm) or (isinstance(node, COr) and all(isinstance(c, CTerm) for c in node.children))


def _leaf_spans(node: CNode, v: TextView) -> list[tuple[int, int]]:
    if isinstance(node, CTerm):
        spans = node.forms[v.vi].spans(v)
    else:
        vi = v.vi
        spans = [s for child in node.children for s in child.forms[vi].spans(v)]  # type: ignore[union-attr]
    charge(1 + len(spans))
    return spans


def scale_of(v: TextView) -> int:
    """The common step of every span position in this view (units per scaled position)."""
    return 3 if v.has_unspaced else WORD_UNITS


class CNear:
    __slots__ = ("_last", "distance", "flat", "left", "ordered", "right")

    def __init__(self, left: CNode, right: CNode, distance: int, ordered: bool) -> None:
        self.left, self.right, self.ordered = left, right, ordered
        self.distance = distance
        self.flat = _is_leafy(left) and _is_leafy(right)
        self._last: tuple[TextView, int, SpanSet] | None = None

    def maybe(self, v: TextView) -> bool:
        """Both sides occur at all (cheap: no positions)."""
        return self.left.maybe(v) and self.right.maybe(v)  # type: ignore[union-attr]

    def span_set(self, v: TextView, scale: int) -> SpanSet:
        last = self._last
        if last is not None and last[0] is v and last[1] == scale:
            return last[2]
        left = self.left.span_set(v, scale)  # type: ignore[union-attr]
        right = self.right.span_set(v, scale) if left else SpanSet({}, {})  # type: ignore[union-attr]
        out = near(left, right, self.distance * WORD_UNITS // scale, self.ordered)
        self._last = (v, scale, out)
        return out

    def test(self, v: TextView, doc: Doc | None) -> bool:
        if not self.maybe(v):
            return False
        scale = scale_of(v)
        gap = self.distance * WORD_UNITS // scale
        if self.flat:  # two terms (or ORs of terms): only their starts and ends matter
            return spans_near(_leaf_spans(self.left, v), _leaf_spans(self.right, v), scale, gap, self.ordered)
        left = self.left.span_set(v, scale)  # type: ignore[union-attr]
        if not left:
            return False
        right = self.right.span_set(v, scale)  # type: ignore[union-attr]
        return near_any(left, right, gap, self.ordered)

    def collect(self, v: TextView, doc: Doc | None, out: list[str]) -> bool:
        if not self.test(v, doc):
            return False
        self.left.collect(v, doc, out)
        self.right.collect(v, doc, out)
        return True

    def anchors(self) -> Anchors:
        return CAnd([self.left, self.right]).anchors()


CNode = CTerm | CField | CNot | CAnd | COr | CNear


def compile_node(node: Node, accents: Accents = "auto") -> CNode:
    """Turn an AST into compiled nodes (terms normalised, field values parsed, once)."""
    if isinstance(node, Term):
        return CTerm(node.text, node.wildcard, accents)
    if isinstance(node, Phrase):
        return CTerm(node.text, False, accents)
    if isinstance(node, Field):
        return CField(field_test(parse_field(node.name, node.value)))
    if isinstance(node, Not):
        return CNot(compile_node(node.child, accents))
    if isinstance(node, And):
        return CAnd([compile_node(c, accents) for c in node.children])
    if isinstance(node, Or):
        return COr([compile_node(c, accents) for c in node.children])
    if isinstance(node, Near):
        return CNear(compile_node(node.left, accents), compile_node(node.right, accents), node.distance, node.ordered)
    raise TypeError(f"not a query node: {node!r}")
