"""Property tests of the query language: printer round trip, agreement with a naive reference
evaluator (written here independently, on plain word lists), and parse never failing unexpectedly."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from monitio.query import And, Field, Near, Not, Or, Phrase, QueryError, Term, compile_many, compile_query, parse
from monitio.query import to_string as print_query
from monitio.records import Doc, Post

VOCAB = ["scam", "scammer", "scampi", "refund", "fake", "ad", "ads", "promo", "bonus", "мошенник", "धोखा", "사기"]
PREFIXES = sorted({w[:k] for w in VOCAB for k in range(2, len(w) + 1)})
SEPARATORS = [" ", "  ", ", ", "! ", " - ", "\n", " (", ") "]

# --- query strategies --------------------------------------------------------------------------

words = st.sampled_from(VOCAB)
terms = st.one_of(
    words.map(Term),
    st.sampled_from(PREFIXES).map(lambda p: Term(p, wildcard=True)),
)
phrases = st.lists(words, min_size=1, max_size=3).map(lambda ws: Phrase(" ".join(ws)))
fields = st.sampled_from(["id", "en", "id|en"]).map(lambda v: Field("lang", v))
leaves = st.one_of(terms, terms, phrases, fields)


def near_operands(inner):
    return st.one_of(
        terms,
        phrases,
        st.lists(st.one_of(terms, phrases), min_size=2, max_size=3).map(lambda cs: Or(tuple(cs))),
    )


def extend(children):
    return st.one_of(
        children.map(Not),
        st.lists(children, min_size=2, max_size=3).map(lambda cs: And(tuple(cs))),
        st.lists(children, min_size=2, max_size=3).map(lambda cs: Or(tuple(cs))),
        st.builds(
            Near,
            near_operands(children),
            near_operands(children),
            st.integers(0, 4),
            st.booleans(),
        ),
    )


queries = st.recursive(leaves, extend, max_leaves=8)

# Nodes with text the vocabulary does not have: odd phrases, other fields, wide distances.
odd_phrases = st.text(alphabet='ab "\\()*-:', min_size=0, max_size=8).map(lambda t: Phrase("x" + t))
odd_fields = st.one_of(
    st.sampled_from(["author", "source"]).flatmap(
        lambda f: st.text(alphabet="ab c()\"'", min_size=1, max_size=6).map(lambda v: Field(f, "z" + v))
    ),
    st.sampled_from(["<0", ">=0.5", "-1..1", "negative|positive"]).map(lambda v: Field("sentiment", v)),
    st.sampled_from(["2026-11-01..2026-11-07", ">2026-11-01", "2026-11-01.."]).map(lambda v: Field("date", v)),
    st.sampled_from(["phone|link", "wallet"]).map(lambda v: Field("has", v)),
)
any_queries = st.recursive(st.one_of(leaves, odd_phrases, odd_fields), extend, max_leaves=10)


# --- (1) printer round trip ----------------------------------------------------------------------


@given(any_queries)
@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
def test_print_then_parse_gives_the_same_tree(node):
    text = print_query(node)
    assert parse(text) == node
    assert print_query(parse(text)) == text


# --- (2) agreement with a naive reference evaluator ----------------------------------------------


def ref_spans(node, toks: list[str]) -> list[tuple[int, int]]:
    """(first, last) word indexes where a term, phrase, OR group or NEAR matches."""
    if isinstance(node, Term):
        t = node.text.lower()
        return [(i, i) for i, w in enumerate(toks) if (w.startswith(t) if node.wildcard else w == t)]
    if isinstance(node, Phrase):
        p = node.text.lower().split()
        return [(i, i + len(p) - 1) for i in range(len(toks) - len(p) + 1) if toks[i : i + len(p)] == p]
    if isinstance(node, Or):
        return [s for c in node.children for s in ref_spans(c, toks)]
    if isinstance(node, Near):
        out = []
        for a in ref_spans(node.left, toks):
            for b in ref_spans(node.right, toks):
                between_ab = b[0] - a[1] - 1
                between_ba = a[0] - b[1] - 1
                if 0 <= between_ab <= node.distance or (not node.ordered and 0 <= between_ba <= node.distance):
                    out.append((min(a[0], b[0]), max(a[1], b[1])))
        return out
    raise AssertionError(node)


def ref_eval(node, toks: list[str], lang: str | None) -> bool:
    if isinstance(node, Field):
        return lang in node.value.split("|")
    if isinstance(node, Not):
        return not ref_eval(node.child, toks, lang)
    if isinstance(node, And):
        return all(ref_eval(c, toks, lang) for c in node.children)
    if isinstance(node, Or):
        return any(ref_eval(c, toks, lang) for c in node.children)
    return bool(ref_spans(node, toks))


documents = st.tuples(
    st.lists(st.tuples(words, st.booleans(), st.sampled_from(SEPARATORS)), max_size=12),
    st.sampled_from([None, "id", "en"]),
)


def make_doc(parts, lang) -> tuple[Doc, list[str]]:
    text = "".join((w.upper() if up else w) + sep for w, up, sep in parts) or "-"
    post = Post.create(source="s", source_id="1", text=text, published_at=datetime(2026, 11, 1, tzinfo=UTC))
    return Doc(post_id=1, post=post, lang=lang), [w for w, _, _ in parts]


@given(queries, documents)
@settings(max_examples=600, suppress_health_check=[HealthCheck.too_slow])
def test_evaluation_agrees_with_reference(node, document):
    d, toks = make_doc(*document)
    expected = ref_eval(node, toks, d.lang)
    q = compile_query(node)
    assert q.matches(d) == expected
    assert compile_query(print_query(node)).matches(d) == expected
    assert bool(q.explain(d)) <= expected


@given(st.lists(queries, min_size=1, max_size=6), st.lists(documents, min_size=1, max_size=4))
@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
def test_rule_set_agrees_with_each_rule(nodes, docs):
    rules = {f"r{i}": n for i, n in enumerate(nodes)}
    rs = compile_many(rules)
    for parts, lang in docs:
        d, toks = make_doc(parts, lang)
        assert set(rs.match(d)) == {rid for rid, n in rules.items() if ref_eval(n, toks, lang)}


# --- (3) parse never raises anything but QueryError ---------------------------------------------

FRAGMENTS = [
    "a",
    "scam",
    " ",
    "(",
    ")",
    '"',
    "\\",
    "-",
    "*",
    ":",
    "/",
    "\n",
    "AND",
    "or",
    "NOT",
    "NEAR/",
    "NEAR/3",
    "onear/1",
    "lang:",
    "date:",
    "sentiment:",
    "engagement:",
    "has:",
    "foo:",
    "2026-11-01",
    "..",
    "<",
    ">=",
    "0.5",
    "|",
    "หลอก",
    "lừa",
    "🔥",
    "\u0301",
]


def _parse_and_run(text: str) -> None:
    try:
        node = parse(text)
    except QueryError as exc:
        assert exc.line >= 1 and exc.col >= 1
        return
    q = compile_query(node)
    q.match_text("scam a หลอก lừa 🔥 2026")
    assert parse(print_query(node)) == node


@given(st.text(max_size=40))
@settings(max_examples=500)
def test_arbitrary_text_raises_only_query_error(text):
    _parse_and_run(text)


@given(st.lists(st.sampled_from(FRAGMENTS), max_size=14).map("".join))
@settings(max_examples=1500)
def test_query_like_text_raises_only_query_error(text):
    _parse_and_run(text)


@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=60))
def test_ascii_fast_path_tokenises_like_the_regex(text):
    from monitio.query.text import TOKEN_RE, split_tokens

    assert split_tokens(text) == TOKEN_RE.findall(text)
