"""The default taxonomy's content, its validation, and the matcher against a naive reference."""

import re

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from monitio.taxonomy.loader import TaxonomyError, default_path, load_taxonomy, parse_taxonomy, parse_taxonomy_text
from monitio.taxonomy.matcher import UNSPACED, RuleMatcher, dense, is_substring_term, normalise

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
]
LANGS = ["en", "id", "ms", "th", "vi", "tl", "hi", "hi-Latn", "ja", "ko", "zh"]
TEAMS = {"Policy", "Product", "Ads Ops", "Legal", "Comms", "Trust & Safety", "Payments", "Ads Integrity"}


@pytest.fixture(scope="module")
def tax():
    return load_taxonomy()


def test_every_required_category_has_owner_playbook_and_rich_rules_in_every_required_language(tax):
    assert tax.version == 1 and set(REQUIRED) <= set(tax.categories)
    for cid in REQUIRED:
        cat = tax.categories[cid]
        assert cat.owner_team in TEAMS and cat.name and cat.description
        assert 1 <= cat.default_severity <= 10 and 3 <= len(cat.playbook) <= 6
        for lang in LANGS:
            terms = {t for r in cat.rules if r.lang == lang for t in r.terms}
            assert len(terms) >= 6, f"{cid}/{lang} has only {len(terms)} terms"


def test_terms_are_clean(tax):
    for rule in tax.rules:
        for term in rule.terms + rule.not_:
            assert term == term.strip() and "  " not in term, (rule.id, term)
            assert normalise(term), (rule.id, term)


def test_builtin_file_is_the_package_default():
    assert default_path().name == "default.yaml" and load_taxonomy(default_path()) is load_taxonomy()


def _tax(**override):
    data = {
        "version": 1,
        "categories": {
            "x": {
                "name": "X",
                "description": "d",
                "owner_team": "Policy",
                "default_severity": 5,
                "playbook": ["a"],
                "rules": [{"id": "x.en", "lang": "en", "any": ["foo"]}],
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
        ({"rules": [{"id": "x.en", "lang": "en", "any": []}]}, r"\(x.en\) any: expected a non-empty list"),
        ({"rules": [{"id": "x.en", "lang": "en", "any": ["ok", "  "]}]}, "empty or non-text term"),
        ({"rules": [{"id": "x.en", "lang": "en", "all": [["a"], []]}]}, r"all\[1\]: expected a non-empty list"),
        ({"rules": [{"id": "x.en", "lang": "en", "any": ["a"], "colour": 1}]}, "rule 1: unknown field"),
        (
            {"rules": [{"id": "a", "lang": "en", "any": ["t"]}, {"id": "a", "lang": "en", "any": ["u"]}]},
            "duplicate rule id 'a'",
        ),
        ({"rules": [{"id": "a", "lang": "en", "any": ["t"], "all": [["u"], ["v"]]}]}, "exactly one of"),
        ({"rules": [{"id": "a", "any": ["t"]}]}, "missing field 'lang'"),
        ({"rules": [{"lang": "en", "any": ["t"]}]}, "missing field 'id'"),
        ({"rules": []}, "rules must be a non-empty list"),
        ({"playbook": []}, "playbook"),
    ],
)
def test_invalid_categories_are_refused_with_file_and_place(override, message):
    with pytest.raises(TaxonomyError, match=message) as info:
        parse_taxonomy(_tax(**override), "my.yaml")
    assert str(info.value).startswith("my.yaml: category 'x'")


def test_missing_fields_are_named():
    data = _tax()
    del data["categories"]["x"]["owner_team"], data["categories"]["x"]["playbook"]
    with pytest.raises(TaxonomyError, match=r"missing field.*owner_team, playbook"):
        parse_taxonomy(data, "my.yaml")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"version": 2, "categories": {}}, "'version' must be one of"),
        ({"version": 1, "categories": {}}, "non-empty mapping"),
        ({"version": 1, "categories": {"x": {}}, "extra": 1}, "unknown top-level"),
        ([1, 2], "expected a mapping"),
    ],
)
def test_invalid_files_are_refused(data, message):
    with pytest.raises(TaxonomyError, match=message):
        parse_taxonomy(data, "my.yaml")


def test_duplicate_category_ids_are_refused_not_merged(tmp_path):
    body = yaml.safe_dump(_tax()["categories"]["x"])
    indented = "".join("    " + line for line in body.splitlines(keepends=True))
    text = f"version: 1\ncategories:\n  x:\n{indented}  x:\n{indented}"
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
    assert list(tax.categories) == ["x"] and RuleMatcher(tax).match("FOO bar")["x"].terms == ["foo"]
    path.write_text(yaml.safe_dump(_tax(default_severity=9, name="Changed")), encoding="utf-8")
    assert load_taxonomy(path).categories["x"].name == "Changed"


# --- the matcher against a naive reference ---------------------------------------------------------

SPACED_WORD = r"[\w\u0300-\u036f\u0900-\u0963\u0966-\u0dff\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed]"


_SEP = f"(?:[^{SPACED_WORD[1:-1]}]|_|[{UNSPACED}])"
_PATTERNS: dict[str, re.Pattern | str] = {}


def _present(term: str, norm: str) -> bool:
    """Naive: a regex search per term (words need non-word or unspaced characters on both sides)."""
    pattern = _PATTERNS.get(term)
    if pattern is None:
        key = normalise(term)
        if is_substring_term(key):
            pattern = dense(key)
        else:
            ws = re.findall(f"(?:(?!_|[{UNSPACED}]){SPACED_WORD})+", key)
            body = (_SEP + "+").join(re.escape(w) for w in ws)
            pattern = re.compile(f"(?:^|(?<={_SEP})){body}(?=$|{_SEP})")
        _PATTERNS[term] = pattern
    if isinstance(pattern, str):
        return pattern in dense(norm)
    return pattern.search(norm) is not None


def _reference(tax, text: str) -> set[str]:
    norm = normalise(text)
    out = set()
    for rule in tax.rules:
        if any(_present(t, norm) for t in rule.not_):
            continue
        if rule.any and any(_present(t, norm) for t in rule.any):
            out.add(rule.category)
        if rule.all and all(any(_present(t, norm) for t in g) for g in rule.all):
            out.add(rule.category)
    return out


_TAX = load_taxonomy()
_MATCHER = RuleMatcher(_TAX)
TERMS = sorted({t for r in _TAX.rules for t in r.terms + r.not_})
NOISE = ["", " ", ", ", "!", "-", "scampi", "ad", "la", "ok", "ก", "的", "이", "🔥", "\u200b", "_", "x", "ẞ"]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(TERMS), st.sampled_from(NOISE)), max_size=10), st.booleans())
def test_matcher_agrees_with_a_naive_reference(parts, spaced):
    text = (" " if spaced else "").join(parts)
    assert set(_MATCHER.match(text)) == _reference(_TAX, text)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_arbitrary_unicode_never_raises(text):
    hits = _MATCHER.match(text)
    assert all(h.terms and h.category == c for c, h in hits.items())
