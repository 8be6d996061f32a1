"""The query evaluator as it was before NEAR moved to bitset span sets: all pairs of spans at every
NEAR level. Kept only as a test oracle (and as the baseline of benchmarks/query_cost.py); its cost
grows with the product of the occurrences, so use it on small inputs only.

`steps` counts the pairs it looked at, for comparisons of work.
"""

from __future__ import annotations

from monitio.query.compiled import CompiledQuery, doc_view
from monitio.query.evaluate import CAnd, CField, CNear, CNot, COr, CTerm
from monitio.query.text import WORD_UNITS, TextView, view_of
from monitio.records import Doc

Span = tuple[int, int]


class OldEvaluator:
    """`matches` / `match_text` / `spans` with the old all-pairs NEAR."""

    def __init__(self, compiled: CompiledQuery) -> None:
        self.compiled = compiled
        self.steps = 0

    def spans(self, node, v: TextView) -> list[Span]:
        if isinstance(node, CTerm):
            return node.forms[v.vi].spans(v)
        if isinstance(node, COr):
            return [s for child in node.children for s in self.spans(child, v)]
        if isinstance(node, CNear):
            left = self.spans(node.left, v)
            if not left:
                return []
            right = self.spans(node.right, v)
            gap, out = node.distance * WORD_UNITS, []
            self.steps += len(left) * len(right)
            for ls, le in left:
                for rs, re_ in right:
                    if 0 <= rs - le <= gap or (not node.ordered and 0 <= ls - re_ <= gap):
                        out.append((min(ls, rs), max(le, re_)))
            return out
        raise TypeError(node)

    def test(self, node, v: TextView, doc: Doc | None) -> bool:
        if isinstance(node, CNear):
            return self.test(node.left, v, doc) and self.test(node.right, v, doc) and bool(self.spans(node, v))
        if isinstance(node, CAnd):
            return all(self.test(c, v, doc) for c in node.children)
        if isinstance(node, COr):
            return any(self.test(c, v, doc) for c in node.children)
        if isinstance(node, CNot):
            return not self.test(node.child, v, doc)
        if isinstance(node, CField | CTerm):
            return node.test(v, doc)
        raise TypeError(node)

    def matches(self, doc: Doc) -> bool:
        return self.test(self.compiled.root, doc_view(doc, self.compiled.accents), doc)

    def match_text(self, text: str, lang: str | None = None) -> bool:
        return self.test(self.compiled.root, view_of(text, lang, self.compiled.accents), None)
