"""The default taxonomy's content and coverage, its validation, and the matcher against plain queries."""

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from monitio.query import Near, Not, Or, Phrase, Term, compile_query, parse, walk
from monitio.taxonomy.loader import (
    TaxonomyError,
    default_path,
    load_taxonomy,
    parse_taxonomy,
    parse_taxonomy_text,
    v1_query,
)
from monitio.taxonomy.matcher import RuleMatcher

REQUIRED = [
    "scam_ads",
    "deepfake_impersonation",
    "misleading_claims",
    "prohibited_products",
    "shop_affiliate_fraud",
    "creator_monetization_abuse",
    "live_gifting_abuse",
    "ad_fraud_invalid_traffic",
    "payments_refunds",
    "advertiser_trust",
    "regulatory_legal",
    "privacy_targeting",
    "spam_phishing",
]
LANGS = ["en", "id", "ms", "th", "vi", "tl", "my", "km", "ja", "ko", "zh", "hi", "bn", "ur", "ta", "te"]
LANGS += ["hi-Latn", "ur-Latn"]
TEAMS = {"Policy", "Product", "Ads Ops", "Legal", "Comms", "Trust & Safety", "Payments", "Ads Integrity"}


@pytest.fixture(scope="module")
def tax():
    return load_taxonomy()


def test_every_category_has_owner_playbook_and_a_rule_in_each_of_the_18_languages(tax):
    assert tax.version == 2 and list(tax.categories) == REQUIRED
    for cid in REQUIRED:
        cat = tax.categories[cid]
        assert cat.owner_team in TEAMS and cat.name and cat.description
        assert 1 <= cat.default_severity <= 10 and 3 <= len(cat.playbook) <= 6
        langs = {r.lang for r in cat.rules}
        assert not set(LANGS) - langs, f"{cid} has no rule for {sorted(set(LANGS) - langs)}"


def test_rules_are_clean_queries(tax):
    known = set(LANGS) | {"ta-Latn", "any"}  # "any": rules on indicators (has:), not words
    for rule in tax.rules:
        assert rule.lang in known, rule.id
        assert rule.query == " ".join(rule.query.split()), rule.id
        parse(rule.query)


def _sample_terms(query: str) -> list[str]:
    """Terms or phrases that alone satisfy an OR rule (its direct children that are terms)."""
    node = parse(query)
    children = node.children if isinstance(node, Or) else (node,)
    return [c.text for c in children if isinstance(c, Term | Phrase)]


def test_every_rule_fires_on_its_own_terms(tax):
    """Guards against terms the engine cannot find as written (a Korean stem without `*`, a stray mark)."""
    matcher = RuleMatcher(tax)
    for rule in tax.rules:
        for term in _sample_terms(rule.query)[:8]:
            lang = "vi" if rule.lang == "vi" else None
            assert rule.id in matcher.match_rules(f"... {term} ...", lang), (rule.id, term)


def test_builtin_file_is_the_package_default():
    assert default_path().name == "default.yaml" and load_taxonomy(default_path()) is load_taxonomy()


def _tax(version=2, **override):
    rule = {"id": "x.en", "lang": "en", "query": "foo OR bar"} if version == 2 else {"id": "x.en", "lang": "en"}
    if version == 1:
        rule["any"] = ["foo"]
    data = {
        "version": version,
        "categories": {
            "x": {
                "name": "X",
                "description": "d",
                "owner_team": "Policy",
                "default_severity": 5,
                "playbook": ["a"],
                "rules": [rule],
            }
        },
    }
    data["categories"]["x"].update(override)
    return data


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ({"colour": "red"}, "unknown field.*colour"),
        ({"default_severity": 11}, "default_severity must be a whole number from 1 to 10, got 11"),
        ({"default_severity": 0}, "default_severity"),
        ({"rules": [{"id": "x.en", "lang": "en", "query": "  "}]}, r"rule 1 \(x.en\): missing field 'query'"),
        ({"rules": [{"id": "x.en", "lang": "en"}]}, r"rule 1 \(x.en\): missing field 'query'"),
        ({"rules": [{"id": "x.en", "lang": "en", "query": "a", "any": ["b"]}]}, r"rule 1 \(x.en\): unknown field.*any"),
        (
            {"rules": [{"id": "a", "lang": "en", "query": "t"}, {"id": "a", "lang": "en", "query": "u"}]},
            r"rule 2 \(a\): duplicate rule id 'a'",
        ),
        ({"rules": [{"id": "a", "query": "t"}]}, "missing field 'lang'"),
        ({"rules": [{"lang": "en", "query": "t"}]}, "missing field 'id'"),
        ({"rules": []}, "rules must be a non-empty list"),
        ({"rules": ["scam"]}, "expected a mapping with id, lang and query"),
        ({"playbook": []}, "playbook"),
    ],
)
def test_invalid_categories_are_refused_with_file_and_place(override, message):
    with pytest.raises(TaxonomyError, match=message) as info:
        parse_taxonomy(_tax(**override), "my.yaml")
    assert str(info.value).startswith("my.yaml: category 'x'")


@pytest.mark.parametrize(
    ("query", "col", "message"),
    [
        ("(scam OR fraud", 1, "missing closing parenthesis"),
        ("scam AND", 6, "AND needs a term after it"),
        ('scam OR "fake ad', 9, "unterminated quote"),
        ("scam NEAR/x ad", 6, "NEAR/ needs a number"),
        ("sc*am", 1, "wildcard"),
        ("scam colour:red", 6, "unknown field 'colour'"),
        ("사기 OR 치*", 7, "at least 2 letters before the wildcard"),
    ],
)
def test_bad_queries_are_refused_with_rule_and_position(query, col, message):
    data = _tax(rules=[{"id": "x.ok", "lang": "en", "query": "fine"}, {"id": "x.bad", "lang": "ko", "query": query}])
    with pytest.raises(TaxonomyError) as info:
        parse_taxonomy(data, "my.yaml")
    text = str(info.value)
    assert text.startswith(f"my.yaml: category 'x', rule 2 (x.bad): bad query, col {col}: "), text
    assert message in text and query in text
    caret = text.splitlines()[-1]
    assert caret.index("^") == 4 + col - 1  # points under the offending place of the quoted query


def test_missing_fields_are_named():
    data = _tax()
    del data["categories"]["x"]["owner_team"], data["categories"]["x"]["playbook"]
    with pytest.raises(TaxonomyError, match=r"missing field.*owner_team, playbook"):
        parse_taxonomy(data, "my.yaml")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"version": 3, "categories": {}}, "'version' must be one of"),
        ({"version": 2, "categories": {}}, "non-empty mapping"),
        ({"version": 2, "categories": {"x": {}}, "extra": 1}, "unknown top-level"),
        ([1, 2], "expected a mapping"),
    ],
)
def test_invalid_files_are_refused(data, message):
    with pytest.raises(TaxonomyError, match=message):
        parse_taxonomy(data, "my.yaml")


def test_version_1_keyword_files_still_load_as_queries():
    tax = parse_taxonomy(_tax(version=1), "old.yaml")
    assert tax.version == 1 and tax.rule("x.en").query == "foo"
    rule = {"all": [["ad", "ads"], ["scam"]], "not": ["not a scam"]}
    assert v1_query(rule) == '(ad OR ads) AND scam NOT "not a scam"'
    assert (
        v1_query({"any": ["사기 광고", "먹튀", "AND", 'say "hi"']})
        == '(사기 ONEAR/0 광고*) OR 먹튀* OR "AND" OR "say \\"hi\\""'
    )
    matcher = RuleMatcher(parse_taxonomy(_tax(version=1, rules=[{"id": "k", "lang": "ko", "any": ["사기꾼"]}])))
    assert matcher.match("저 사람 사기꾼이야")["x"].terms == ["사기꾼이야"]  # v1 matched Hangul inside words
    with pytest.raises(TaxonomyError, match=r"rule 1 \(x.en\): give exactly one of 'any' or 'all'"):
        parse_taxonomy(_tax(version=1, rules=[{"id": "x.en", "lang": "en"}]), "old.yaml")
    with pytest.raises(TaxonomyError, match=r"unknown field.*query"):
        parse_taxonomy(_tax(version=1, rules=[{"id": "x.en", "lang": "en", "query": "a"}]), "old.yaml")


def test_duplicate_category_ids_are_refused_not_merged(tmp_path):
    body = yaml.safe_dump(_tax()["categories"]["x"])
    indented = "".join("    " + line for line in body.splitlines(keepends=True))
    text = f"version: 2\ncategories:\n  x:\n{indented}  x:\n{indented}"
    path = tmp_path / "dup.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(TaxonomyError, match=r"dup.yaml: line \d+: duplicate key 'x'"):
        load_taxonomy(path)


def test_bad_yaml_and_missing_files_name_the_file(tmp_path):
    with pytest.raises(TaxonomyError, match=r"t\.yaml: not valid YAML"):
        parse_taxonomy_text("version: [1", "t.yaml")
    with pytest.raises(TaxonomyError, match=r"nope\.yaml does not exist"):
        load_taxonomy(tmp_path / "nope.yaml")


def test_custom_taxonomy_file_replaces_the_default_and_reloads_when_changed(tmp_path):
    path = tmp_path / "t.yaml"
    path.write_text(yaml.safe_dump(_tax()), encoding="utf-8")
    tax = load_taxonomy(path)
    assert list(tax.categories) == ["x"] and RuleMatcher(tax).match("FOO baz")["x"].terms == ["foo"]
    path.write_text(yaml.safe_dump(_tax(default_severity=9, name="Changed")), encoding="utf-8")
    assert load_taxonomy(path).categories["x"].name == "Changed"


def test_several_matching_rules_merge_their_terms_under_the_first_rule():
    rules = [
        {"id": "x.a", "lang": "en", "query": "refund NEAR/3 late"},
        {"id": "x.b", "lang": "en", "query": "refund OR chargeback"},
        {"id": "x.c", "lang": "en", "query": "nothing"},
    ]
    matcher = RuleMatcher(parse_taxonomy(_tax(rules=rules)))
    hit = matcher.match("my refund is late, filing a chargeback")["x"]
    assert (hit.rule, hit.terms, hit.weight) == ("x.a", ["refund", "late", "chargeback"], 3.0)
    assert matcher.match("the refund arrived and it was very very late")["x"].rule == "x.b"


# --- the RuleSet (prefiltered, indexed) against each rule's query evaluated alone ------------------

_TAX = load_taxonomy()
_MATCHER = RuleMatcher(_TAX)
_ALONE = {r.id: compile_query(r.query) for r in _TAX.rules}
TERMS = sorted(
    {
        n.text
        for r in _TAX.rules
        for n in walk(parse(r.query))
        if isinstance(n, Term | Phrase) and not isinstance(n, Not | Near)
    }
)
NOISE = ["", " ", ", ", "!", "-", "scampi", "ad", "la", "ok", "ก", "的", "이", "🔥", "\u200b", "_", "x", "ẞ", "not a"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(TERMS), st.sampled_from(NOISE)), max_size=10), st.booleans())
def test_ruleset_agrees_with_every_rule_evaluated_alone(parts, spaced):
    text = (" " if spaced else "").join(parts)
    expected = {rid: q.explain_text(text) for rid, q in _ALONE.items() if q.match_text(text)}
    assert _MATCHER.match_rules(text) == expected


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_arbitrary_unicode_never_raises(text):
    hits = _MATCHER.match(text)
    assert all(h.terms and h.category == c for c, h in hits.items())
