"""Bounded query cost: NEAR without all pairs (equal to the old evaluator), limits on query size with
positioned errors, and a work/time `Budget` that evaluations charge and that can cancel them."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from monitio.errors import Invalid, TooCostly
from monitio.query import (
    And,
    Budget,
    BudgetExceeded,
    Field,
    Near,
    Not,
    Or,
    Phrase,
    QueryError,
    QueryLimits,
    QueryTooCostly,
    Term,
    check_expansion,
    compile_many,
    compile_query,
    parse,
    to_string,
)
from monitio.query.evaluate import CAnd, CNear, CNot, COr, scale_of
from monitio.query.spans import SpanSet, dilate, near, near_any
from monitio.query.text import view_of
from monitio.records import Doc, Post
from tests.query_oracle import OldEvaluator

# --- random multilingual texts and queries -------------------------------------------------------

VOCAB = [
    "scam", "scammer", "refund", "fake", "ad", "café", "cafe", "lừa", "đảo", "lua", "мошенник",
    "धोखा", "사기", "หลอก", "ลงทุน", "โดน", "诈骗", "退款", "詐欺", "さぎ", "💰", "9k",
]  # fmt: skip
SEPARATORS = [" ", "  ", ", ", "", "\n", " - ", "! "]


def _word(i: int, vocab: list[str]) -> str:
    return vocab[i % len(vocab)]


def _prefix(i: int, k: int, vocab: list[str]) -> str:
    """A prefix of a vocabulary word that the parser would accept before `*`."""
    w = _word(i, vocab)
    return w[: max(k, 1 if ord(w[0]) > 0x0E00 else 2)]


def substitute(node, vocab: list[str]):
    """A query over placeholder words (`Term("3")`, `Term("3.2", wildcard)`, `Phrase("1 0")`) with
    the words of `vocab` put in."""
    if isinstance(node, Term):
        if node.wildcard:
            i, k = map(int, node.text.split("."))
            return Term(_prefix(i, k, vocab), wildcard=True)
        return Term(_word(int(node.text), vocab))
    if isinstance(node, Phrase):
        return Phrase(" ".join(_word(int(i), vocab) for i in node.text.split()))
    if isinstance(node, Near):
        return Near(substitute(node.left, vocab), substitute(node.right, vocab), node.distance, node.ordered)
    if isinstance(node, Not):
        return Not(substitute(node.child, vocab))
    if isinstance(node, And | Or):
        return type(node)(tuple(substitute(c, vocab) for c in node.children))
    return node


slots = st.integers(0, 2)
terms = st.one_of(
    slots.map(lambda i: Term(str(i))),
    st.builds(lambda i, k: Term(f"{i}.{k}", wildcard=True), slots, st.integers(1, 4)),
)
phrases = st.lists(slots, min_size=1, max_size=2).map(lambda ws: Phrase(" ".join(map(str, ws))))
simple = st.one_of(terms, phrases)
operand = st.one_of(simple, st.lists(simple, min_size=2, max_size=3).map(lambda cs: Or(tuple(cs))))
distances = st.one_of(st.integers(0, 6), st.just(1000))
nears = st.recursive(
    operand,
    lambda inner: st.builds(Near, st.one_of(operand, inner), st.one_of(operand, inner), distances, st.booleans()),
    max_leaves=6,
)
fields = st.sampled_from(["vi", "en", "th|zh"]).map(lambda v: Field("lang", v))
boolean = st.recursive(
    st.one_of(nears, fields, terms),
    lambda children: st.one_of(
        children.map(Not),
        st.lists(children, min_size=2, max_size=3).map(lambda cs: And(tuple(cs))),
        st.lists(children, min_size=2, max_size=3).map(lambda cs: Or(tuple(cs))),
    ),
    max_leaves=6,
)
queries = st.one_of(nears, boolean)


@st.composite
def cases(draw):
    """A query and a text over the same few words (so NEARs often find something), and a language."""
    vocab = draw(st.lists(st.sampled_from(VOCAB), min_size=1, max_size=3, unique=True))
    node = substitute(draw(queries), vocab)
    parts = draw(st.lists(st.tuples(slots, st.sampled_from(SEPARATORS)), min_size=2, max_size=16))
    text = "".join(_word(i, [*vocab, "x"]) + sep for i, sep in parts) or "-"
    return node, text, draw(st.sampled_from([None, "vi", "en", "th"]))


def doc_of(text: str, lang: str | None) -> Doc:
    post = Post.create(source="s", source_id="1", text=text, published_at=datetime(2026, 11, 1, tzinfo=UTC))
    return Doc(post_id=1, post=post, lang=lang)


def near_nodes(node):
    """Every compiled NEAR node under `node` (iteratively)."""
    stack, out = [node], []
    while stack:
        n = stack.pop()
        if isinstance(n, CNear):
            out.append(n)
            stack += [n.left, n.right]
        elif isinstance(n, CAnd | COr):
            stack += list(n.children)
        elif isinstance(n, CNot):
            stack.append(n.child)
    return out


@given(cases())
@settings(max_examples=700, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_new_near_equals_the_old_all_pairs_evaluator(case):
    node, text, lang = case
    q = compile_query(node)
    old = OldEvaluator(q)
    d = doc_of(text, lang)
    assert q.matches(d) == old.matches(d)
    assert q.match_text(text, lang) == old.match_text(text, lang)
    v = view_of(text, lang, q.accents)
    scale = scale_of(v)
    for n in near_nodes(q.root):  # the very same spans, not just the same yes/no
        assert n.span_set(v, scale).pairs(scale) == set(old.spans(n, v))


@given(st.lists(st.tuples(st.integers(0, 40), st.integers(1, 4)), max_size=12),
       st.lists(st.tuples(st.integers(0, 40), st.integers(1, 4)), max_size=12),
       st.integers(0, 8), st.booleans())  # fmt: skip
def test_span_join_equals_all_pairs(a, b, gap, ordered):
    left = [(s, s + k) for s, k in a]
    right = [(s, s + k) for s, k in b]
    expected = {
        (min(ls, rs), max(le, re_))
        for ls, le in left
        for rs, re_ in right
        if 0 <= rs - le <= gap or (not ordered and 0 <= ls - re_ <= gap)
    }
    got = near(SpanSet.from_spans(left, 1), SpanSet.from_spans(right, 1), gap, ordered)
    assert got.pairs() == expected
    assert near_any(SpanSet.from_spans(left, 1), SpanSet.from_spans(right, 1), gap, ordered) == bool(expected)
    # a join of joins (no `shifts`: the range-OR path) agrees with all pairs too
    nested = near(got, SpanSet.from_spans(right, 1), gap, not ordered)
    expected2 = {
        (min(ls, rs), max(le, re_))
        for ls, le in expected
        for rs, re_ in right
        if 0 <= rs - le <= gap or (ordered and 0 <= ls - re_ <= gap)
    }
    assert nested.pairs() == expected2
    back = near(SpanSet.from_spans(right, 1), got, gap, False)
    expected3 = {
        (min(ls, rs), max(le, re_))
        for ls, le in right
        for rs, re_ in expected
        if 0 <= rs - le <= gap or 0 <= ls - re_ <= gap
    }
    assert back.pairs() == expected3


@given(st.integers(0, 2**64), st.integers(0, 70))
def test_dilate_is_or_of_shifts(bits, width):
    expected = bits
    for k in range(1, width):
        expected |= bits << k
    assert dilate(bits, width) == expected


# --- bounded work on adversarial queries ----------------------------------------------------------


def positions(text: str) -> int:
    """How many positions the post's span bitsets have (words, or 3-unit steps with Thai/CJK)."""
    v = view_of(text, None)
    if not v.tokens:
        return 1
    last = len(v.tokens) - 1
    return v.token_span(last, last)[1] // scale_of(v) + 1


def work_bound(n_nodes: int, text: str) -> int:
    """Steps allowed: linear in the query's nodes and in the post's positions, times the width of
    the big integers holding those positions in 1024-bit units (about 3.7 of the 16 is the most
    seen while writing this, on short posts where fixed costs dominate)."""
    p = positions(text)
    return 16 * (n_nodes + 1) * p * (1 + p // 1024)


def count_nodes(node) -> int:
    stack, n = [node], 0
    while stack:
        x = stack.pop()
        n += 1
        if isinstance(x, Near):
            stack += [x.left, x.right]
        elif isinstance(x, And | Or):
            stack += list(x.children)
        elif isinstance(x, Not):
            stack.append(x.child)
    return n


ADVERSARIAL_WORDS = ["a", "ab", "abc", "abd", "b", "ลงทุน", "诈骗"]
adv_terms = st.one_of(
    st.sampled_from(ADVERSARIAL_WORDS).map(Term),
    st.sampled_from(["ab", "ลง", "诈"]).map(lambda p: Term(p, wildcard=True)),
    st.sampled_from(["a a", "a ab", "ab b a"]).map(Phrase),
)


def chain(operands, distances):
    out = operands[0]
    for x, (d, o) in zip(operands[1:], distances, strict=False):
        out = Near(out, x, d, o)
    return out


adv_operand = st.recursive(
    st.one_of(adv_terms, st.lists(adv_terms, min_size=2, max_size=6).map(lambda cs: Or(tuple(cs)))),
    lambda inner: st.builds(Near, inner, inner, st.sampled_from([0, 1, 1000]), st.booleans()),
    max_leaves=4,
)
adversarial = st.builds(
    chain,
    st.lists(adv_operand, min_size=2, max_size=12),
    st.lists(st.tuples(st.sampled_from([0, 1, 3, 1000]), st.booleans()), min_size=11, max_size=11),
)
long_posts = st.tuples(
    st.lists(st.sampled_from([*ADVERSARIAL_WORDS, "x"]), min_size=1, max_size=8),
    st.integers(50, 600),
    st.sampled_from([" ", "", ", "]),
).map(lambda t: t[2].join(t[0][i % len(t[0])] for i in range(t[1])))


@given(adversarial, long_posts)
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
def test_adversarial_queries_do_bounded_work(node, text):
    try:
        q = compile_query(to_string(node))
    except QueryTooCostly:
        return  # refused before any work: fine
    b = Budget()
    q.match_text(text, budget=b)
    q.explain_text(text, budget=b)
    assert b.steps <= work_bound(count_nodes(node), text), (to_string(node), len(text), b.steps)


def test_three_nears_over_200_words_finish_in_bounded_steps():
    """The audit's query: > 60 s offline with the all-pairs NEAR over 200 words."""
    text = " ".join(["a"] * 200)
    q = compile_query("a NEAR/1000 a NEAR/1000 a NEAR/1000 a")
    b = Budget(max_steps=work_bound(7, text))
    assert q.match_text(text, budget=b)
    assert q.explain_text(text, budget=b) == ["a"]
    assert b.steps <= work_bound(7, text)


def test_old_evaluator_does_quadratic_work_where_the_new_one_does_not():
    text = " ".join(["a"] * 40)
    q = compile_query("a NEAR/1000 a NEAR/1000 a")
    old, b = OldEvaluator(q), Budget()
    assert old.match_text(text) and q.match_text(text, budget=b)
    assert old.steps > 40 * 40 * 40 > work_bound(5, text)  # the pairs at the second level alone
    assert b.steps <= work_bound(5, text)


# --- limits, with positioned errors ----------------------------------------------------------------


def test_a_chain_of_1500_nears_is_refused_with_its_position_not_a_recursion_error():
    text = " NEAR/3 ".join(["scam"] * 1501)
    with pytest.raises(QueryTooCostly) as caught:
        compile_query(text)  # the defaults: too long already
    assert caught.value.limit == "max_chars" and caught.value.pos == 5000
    with pytest.raises(QueryTooCostly) as caught:
        compile_query(text, limits=QueryLimits(max_chars=100_000))
    err = caught.value
    assert err.limit == "max_nears" and isinstance(err, TooCostly) and isinstance(err, QueryError)
    assert err.pos == text.index("NEAR/3", len(" NEAR/3 ".join(["scam"] * 33)))  # the 33rd NEAR
    assert f"col {err.pos + 1}" in str(err) and "max_nears" in str(err)


@pytest.mark.parametrize(
    ("text", "limits", "limit", "at"),
    [
        ("scam " * 10, QueryLimits(max_chars=20), "max_chars", 20),
        ("a b c d", QueryLimits(max_terms=3), "max_terms", 6),
        ("ab* cd* ef*", QueryLimits(max_wildcards=2), "max_wildcards", 8),
        ("a NEAR/2 b ONEAR/2 c", QueryLimits(max_nears=1), "max_nears", 11),
        ("((a OR (b OR c)))", QueryLimits(max_depth=2), "max_depth", 7),
        ("NOT NOT NOT a", QueryLimits(max_depth=2), "max_depth", 8),
        ("a NEAR/1 b NEAR/1 c", QueryLimits(max_depth=1), "max_depth", 11),
        ("(a NEAR/1 b) NEAR/1 c", QueryLimits(max_depth=1), "max_depth", 3),
        ("a NEAR/1 (b NEAR/1 c)", QueryLimits(max_depth=2), "max_depth", 12),
    ],
)
def test_each_limit_names_itself_and_points_at_the_place(text, limits, limit, at):
    with pytest.raises(QueryTooCostly) as caught:
        parse(text, limits)
    assert caught.value.limit == limit and caught.value.pos == at
    assert limit in str(caught.value) and f"col {at + 1}:" in str(caught.value)
    parse(text)  # within the defaults


def test_query_errors_belong_to_the_error_hierarchy():
    with pytest.raises(QueryError) as caught:
        parse("(scam")
    assert isinstance(caught.value, Invalid) and caught.value.http_status == 400  # 400 bad_query (historic)
    assert caught.value.message == "missing closing parenthesis"
    assert caught.value.one_line() == "line 1, col 1: missing closing parenthesis"


@given(st.integers(1, 3000), st.sampled_from(["(", "NOT ", "-"]))
@settings(max_examples=40, deadline=None)
def test_deep_nesting_never_recurses_past_the_limit(depth, opener):
    text = opener * depth + "a" + (")" * depth if opener == "(" else "")
    try:
        parse(text)
    except QueryTooCostly as exc:
        assert exc.limit in ("max_depth", "max_chars") and depth > 31
    else:
        assert depth <= 32


def test_many_rules_name_the_rule_over_a_limit():
    with pytest.raises(QueryTooCostly) as caught:
        compile_many({"ok": "scam", "big": " NEAR/1 ".join(["x"] * 40)})
    assert caught.value.rule == "big" and caught.value.limit == "max_nears"


def test_wildcard_expansion_limit_for_indexes():
    check_expansion("scam", 2000)
    with pytest.raises(QueryTooCostly) as caught:
        check_expansion("scam", 2001, QueryLimits())
    assert caught.value.limit == "max_expansions" and "scam*" in str(caught.value)


def test_builtin_taxonomy_rules_fit_the_default_limits():
    from monitio.taxonomy.loader import default_path, load_taxonomy

    rules = load_taxonomy(default_path()).rules
    compile_many({r.id: r.query for r in rules})


# --- the budget ----------------------------------------------------------------------------------


def test_budget_counts_and_stops_at_max_steps():
    q = compile_query("a NEAR/1000 b NEAR/1000 a")
    text = " ".join(["a", "b"] * 300)
    b = Budget(max_steps=50, check_every=10)
    with pytest.raises(BudgetExceeded) as caught:
        q.match_text(text, budget=b)
    assert isinstance(caught.value, TooCostly) and "50 evaluation steps" in str(caught.value)


def test_budget_deadline_already_passed_raises():
    b = Budget(seconds=-1, check_every=1)
    with pytest.raises(BudgetExceeded, match="budget"):
        compile_query("scam").match_text("scam", budget=b)


def test_cancel_flag_and_cancel_callable_stop_the_evaluation():
    q = compile_query("scam NEAR/2 refund")
    b = Budget()
    assert q.match_text("scam and refund", budget=b)
    b.cancel()
    with pytest.raises(BudgetExceeded, match="cancelled"):
        q.match_text("scam and refund", budget=b)
    gone = Budget(cancelled=lambda: True, check_every=1)
    with pytest.raises(BudgetExceeded, match="cancelled"):
        q.match_text("scam and refund", budget=gone)


def test_active_budget_is_charged_by_every_evaluation_inside_with():
    q = compile_query("scam NEAR/2 refund")
    rules = compile_many({"r": "scam NEAR/1 refund"})
    with Budget() as b:
        q.match_text("scam refund")
        rules.match_text("scam refund")
        first = b.steps
        q.match_text("scam refund")
    assert 0 < first < b.steps
    q.match_text("scam refund")  # outside: nothing charged
    assert b.steps == b.steps
