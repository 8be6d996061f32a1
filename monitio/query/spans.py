"""Span sets for NEAR without building all pairs: each set is a relation start -> ends kept as
Python integers used as bitsets over a document's positions.

A span is `(start, end)` in the view's units (see `monitio.query.text`), scaled down by their common
step (12 for spaced text, 3 when a document has Thai/CJK runs). `A NEAR/n B` keeps, exactly as the
old all-pairs loop did, every `(min start, max end)` of a span of A and a span of B with the second
starting 0..gap units after the first ends (either way round unless ordered). Since spans that
qualify never overlap, a pair joined forwards gives `(a.start, b.end)` and backwards
`(b.start, a.end)`, so:

- ends reachable forwards from one start of A = `B.image(dilate(ends of that start, gap))`;
- whether *any* pair exists needs only `dilate(all ends of A) & starts of B` (two operations).

`image(W)` (ends of the spans starting in W) is a few shifts for a term (its spans all have one of a
few lengths) and one range-OR per run of W otherwise (a sparse table over the sorted starts). So a
NEAR whose right side is a term or an OR of terms (every chain written `a NEAR b NEAR c ...`) costs
O(rows x log gap) big-integer operations of O(positions / 64) machine words each, instead of
O(|A| x |B|) pairs per level (a product that grew with every extra NEAR). A NEAR between two NEARs
with small gaps can still need one range-OR per run, up to rows x rows in the worst case; every
operation is charged to the active `Budget`, which bounds it.

>>> a = SpanSet.from_spans([(0, 12), (48, 60)], 12)
>>> b = SpanSet.from_spans([(24, 36)], 12)
>>> sorted(near(a, b, 1, False).pairs(12)), near_any(a, b, 0, True)
([(0, 36), (24, 60)], False)
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable

from monitio.query.budget import active


def dilate(bits: int, width: int) -> int:
    """`bits` OR-ed with itself shifted left by 1 .. width-1 (each set bit becomes a run of `width`).

    >>> bin(dilate(0b1001, 3))
    '0b111111'
    """
    if width <= 1 or not bits:
        return bits
    if bits.bit_count() <= 4:  # a few windows: build them directly
        run, out = (1 << width) - 1, 0
        while bits:
            low = bits & -bits
            out |= run * low
            bits ^= low
        return out
    have = 1
    while have * 2 <= width:
        bits |= bits << have
        have *= 2
    if have < width:
        bits |= bits << (width - have)
    return bits


def _runs(bits: int) -> Iterable[tuple[int, int]]:
    """(first, last) of each run of set bits, lowest first.

    >>> list(_runs(0b1110011))
    [(0, 1), (4, 6)]
    """
    while bits:
        first = (bits & -bits).bit_length() - 1
        rest = bits >> first
        length = ((rest + 1) & ~rest).bit_length() - 1
        yield first, first + length - 1
        bits = (rest >> length) << (first + length)


class SpanSet:
    """Spans as `rows` {start: bitset of ends}; `shifts` {length: bitset of starts} where every span
    is one start plus one of a few lengths (terms), else None (results of NEAR)."""

    __slots__ = ("_ends", "_mask", "_starts", "_table", "rows", "shifts")

    def __init__(self, rows: dict[int, int], shifts: dict[int, int] | None) -> None:
        self.rows = rows
        self.shifts = shifts
        self._starts: list[int] | None = None
        self._table: list[list[int]] | None = None
        self._mask: int | None = None
        self._ends: int | None = None

    @classmethod
    def from_spans(cls, spans: Iterable[tuple[int, int]], scale: int) -> SpanSet:
        rows: dict[int, int] = {}
        shifts: dict[int, int] = {}
        for s, e in spans:
            s, e = s // scale, e // scale
            rows[s] = rows.get(s, 0) | (1 << e)
            shifts[e - s] = shifts.get(e - s, 0) | (1 << s)
        return cls(rows, shifts)

    def __bool__(self) -> bool:
        return bool(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def pairs(self, scale: int = 1) -> set[tuple[int, int]]:
        """Every span as `(start, end)` in units (for tests and explanations)."""
        return {(s * scale, e * scale) for s, ends in self.rows.items() for e in _bits(ends)}

    def union(self, other: SpanSet) -> SpanSet:
        rows = dict(self.rows)
        for s, ends in other.rows.items():
            rows[s] = rows.get(s, 0) | ends
        shifts = None
        if self.shifts is not None and other.shifts is not None:
            shifts = dict(self.shifts)
            for k, m in other.shifts.items():
                shifts[k] = shifts.get(k, 0) | m
        return SpanSet(rows, shifts)

    @property
    def mask(self) -> int:
        """All starts as a bitset."""
        if self._mask is None:
            m = 0
            for s in self.rows:
                m |= 1 << s
            self._mask = m
        return self._mask

    @property
    def ends(self) -> int:
        """All ends as a bitset."""
        if self._ends is None:
            m = 0
            for e in self.rows.values():
                m |= e
            self._ends = m
        return self._ends

    def image(self, starts: int) -> int:
        """Ends of the spans whose start is in the bitset `starts`."""
        if self.shifts is not None:
            out = 0
            for length, mask in self.shifts.items():
                hit = starts & mask
                if hit:
                    out |= hit << length
            _charge(len(self.shifts), starts)
            return out
        hit = starts & self.mask
        if not hit:
            return 0
        if self._table is None:
            self._build_table()
        keys, table, out, n = self._starts, self._table, 0, 0
        assert keys is not None and table is not None
        # runs of `starts` itself (a dilated window is one run however sparse the rows under it),
        # cut to the span of the rows it hits
        lo, hi = (hit & -hit).bit_length() - 1, hit.bit_length() - 1
        for first, last in _runs((starts >> lo) & ((1 << (hi - lo + 1)) - 1)):
            i, j = bisect_left(keys, first + lo), bisect_right(keys, last + lo)
            if i < j:
                k = (j - i).bit_length() - 1
                out |= table[k][i] | table[k][j - (1 << k)]
            n += 1
        _charge(2 * n, starts)
        return out

    def _build_table(self) -> None:
        """Sparse table: `table[k][i]` = OR of the rows i .. i + 2**k - 1 (by sorted start)."""
        self._starts = sorted(self.rows)
        level = [self.rows[s] for s in self._starts]
        table = [level]
        width = 1
        while width * 2 <= len(level):
            prev = table[-1]
            table.append([prev[i] | prev[i + width] for i in range(len(prev) - width)])
            width *= 2
        _charge(sum(len(t) for t in table), self.ends)
        self._table = table


def _bits(x: int) -> Iterable[int]:
    while x:
        low = x & -x
        yield low.bit_length() - 1
        x ^= low


def _charge(ops: int, sample: int) -> None:
    """Charge `ops` big-integer operations on numbers as wide as `sample` to the active budget."""
    b = active()
    if b is not None:
        b.charge(ops * (1 + (sample.bit_length() >> 10)))


def near(left: SpanSet, right: SpanSet, gap: int, ordered: bool) -> SpanSet:
    """The spans of `left NEAR/gap right` (gap in scaled units)."""
    rows: dict[int, int] = {}
    if not left or not right:
        return SpanSet(rows, None)
    width = gap + 1
    for s, ends in left.rows.items():
        reach = right.image(dilate(ends, width))
        if reach:
            rows[s] = reach
    if not ordered:
        for s, ends in right.rows.items():
            reach = left.image(dilate(ends, width))
            if reach:
                rows[s] = rows.get(s, 0) | reach
    _charge(3 * (len(left) + len(right)), left.ends | right.ends)
    return SpanSet(rows, None)


def near_any(left: SpanSet, right: SpanSet, gap: int, ordered: bool) -> bool:
    """Whether `left NEAR/gap right` has any span (without building them)."""
    if not left or not right:
        return False
    width = gap + 1
    _charge(4, left.ends | right.ends)
    if dilate(left.ends, width) & right.mask:
        return True
    return not ordered and bool(dilate(right.ends, width) & left.mask)


def spans_near(left: list[tuple[int, int]], right: list[tuple[int, int]], scale: int, gap: int, ordered: bool) -> bool:
    """`near_any` straight from two span lists in units (no `SpanSet` built): the test of a NEAR
    between terms, the most common kind.

    >>> spans_near([(0, 12)], [(36, 48)], 12, 2, True), spans_near([(36, 48)], [(0, 12)], 12, 2, True)
    (True, False)
    """
    if not left or not right:
        return False
    l_ends = r_starts = 0
    for _, e in left:
        l_ends |= 1 << (e // scale)
    for s, _ in right:
        r_starts |= 1 << (s // scale)
    width = gap + 1
    _charge(4, l_ends | r_starts)
    if dilate(l_ends, width) & r_starts:
        return True
    if ordered:
        return False
    r_ends = l_starts = 0
    for _, e in right:
        r_ends |= 1 << (e // scale)
    for s, _ in left:
        l_starts |= 1 << (s // scale)
    return bool(dilate(r_ends, width) & l_starts)
