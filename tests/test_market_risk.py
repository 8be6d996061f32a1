"""Market inference, the risk score and copy-paste keys."""

from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from monitio.enrich.dupes import DupKeyStage, dupe_key, normalize_for_dupes
from monitio.enrich.market import UNKNOWN, MarketStage, chinese_market, market_for_language, normalise_market
from monitio.enrich.risk import RiskScoreStage, risk_score
from monitio.records import CategoryHit, Doc, Post


def _doc(text="some text", lang=None, market_hint=None, lang_hint=None):
    post = Post.create(
        source="s",
        source_id=str(abs(hash((text, market_hint, lang_hint)))),
        text=text,
        published_at=datetime(2026, 11, 1, tzinfo=UTC),
        market_hint=market_hint,
        lang_hint=lang_hint,
    )
    return Doc(None, post, lang=lang)


@pytest.mark.parametrize(
    ("hint", "code"),
    [
        ("Indonesia", "ID"),
        ("indo", "ID"),
        ("MY", "MY"),
        ("Malaysia", "MY"),
        ("PH", "PH"),
        ("Philippines", "PH"),
        ("viet nam", "VN"),
        ("Việt Nam", "VN"),
        ("South Korea", "KR"),
        ("THA", "TH"),
        ("uk", "GB"),
        ("Hong Kong", "HK"),
        ("Narnia", None),
        ("", None),
    ],
)
def test_market_hints_accept_codes_and_country_names(hint, code):
    assert normalise_market(hint) == code


@pytest.mark.parametrize(
    ("lang", "market"),
    [
        ("id", "ID"),
        ("ms", "MY"),
        ("th", "TH"),
        ("vi", "VN"),
        ("tl", "PH"),
        ("my", "MM"),
        ("km", "KH"),
        ("ja", "JP"),
        ("ko", "KR"),
        ("hi", "IN"),
        ("hi-Latn", "IN"),
        ("hi-latn", "IN"),
        ("ta", "IN"),
        ("te", "IN"),
        ("bn", "BD"),
        ("ur", "PK"),
        ("ur-Latn", "PK"),
        ("zh-Hant", "TW"),
        ("en-SG", "SG"),
        ("en", None),
        ("und", None),
        (None, None),
    ],
)
def test_market_from_language(lang, market):
    assert market_for_language(lang) == market


def test_chinese_script_decides_between_taiwan_and_china():
    assert chinese_market("這個賣家是騙子，沒收到貨") == "TW"
    assert chinese_market("这个卖家是骗子，没收到货") == "CN"
    assert market_for_language("zh", "退款") == "CN"  # no telling characters: the larger market


def test_market_stage_prefers_the_hint_then_the_language_then_unknown():
    docs = [
        _doc(market_hint="Indonesia", lang="th"),
        _doc(lang="th"),
        _doc(lang="en"),
        _doc(),
        _doc(lang_hint="vi"),
        _doc(text="這個廣告是詐騙", lang="zh"),
    ]
    MarketStage().process(docs)
    assert [d.market for d in docs] == ["ID", "TH", UNKNOWN, UNKNOWN, "VN", "TW"]
    assert MarketStage.name == "market"


def test_unknown_market_is_the_store_constant():
    from monitio.store.schema import UNKNOWN as STORE_UNKNOWN

    assert UNKNOWN == STORE_UNKNOWN


def _hit(cat, n_terms):
    return CategoryHit(cat, f"{cat}.en", [f"t{i}" for i in range(n_terms)], float(n_terms))


def test_risk_score_is_zero_without_categories_and_within_bounds():
    assert risk_score({}, {"a": 10}, -1.0) == 0.0
    assert 0 < risk_score({"a": 1}, {"a": 1}, 1.0) < risk_score({"a": 9, "b": 9, "c": 9}, {"a": 10}, -1) <= 1.0


@settings(max_examples=200, deadline=None)
@given(
    st.integers(1, 9),
    st.integers(1, 5),
    st.floats(-1, 1, allow_nan=False),
    st.floats(-1, 1, allow_nan=False),
)
def test_risk_score_is_monotonic_in_severity_terms_and_negativity(sev, terms, s1, s2):
    sev_tab = {"a": sev}
    higher = {"a": sev + 1}
    base = risk_score({"a": terms}, sev_tab, s1)
    assert 0.0 < base <= 1.0
    assert risk_score({"a": terms}, higher, s1) > base
    assert risk_score({"a": terms + 1}, sev_tab, s1) >= base
    assert risk_score({"a": terms, "b": 1}, {**sev_tab, "b": 5}, s1) > base
    neg, pos = min(s1, s2), max(s1, s2)
    assert risk_score({"a": terms}, sev_tab, neg) >= risk_score({"a": terms}, sev_tab, pos)


def test_risk_stage_scores_negative_scam_posts_above_neutral_refund_posts():
    scam, refund, nothing = _doc("a"), _doc("b"), _doc("c")
    scam.categories, scam.sentiment = {"scam_ads": _hit("scam_ads", 2)}, -0.8
    refund.categories, refund.sentiment = {"payments_refunds": _hit("payments_refunds", 1)}, 0.0
    stage = RiskScoreStage()  # severities from the built-in taxonomy
    stage.process([scam, refund, nothing])
    assert stage.name == "risk"
    assert scam.risk_score > refund.risk_score > nothing.risk_score == 0.0


AD = "Guaranteed profit every day from home, just message our admin on WhatsApp to join now"


@pytest.mark.parametrize(
    "variant",
    [
        AD + " +62 812-3456-7890",
        AD + " 0899 1111 2222 🔥🔥",
        "GUARANTEED profit every day from home!!! Just message our admin on WhatsApp to join now https://bit.ly/abc",
        "@budi " + AD + " www.example.com/join 💰",
        "guaranteed profit every day from home, just message our admin on whatsapp to join now (x@y.com)",
    ],
)
def test_dup_key_survives_phone_link_emoji_mention_and_case_changes(variant):
    assert dupe_key(variant) == dupe_key(AD + " +60 12-345 6789") is not None


def test_dup_key_differs_for_different_copy_and_is_absent_for_short_text():
    assert dupe_key(AD) != dupe_key("Limited offer for new members only, claim your free bonus in the app now")
    assert dupe_key("so cute 😍") is None and dupe_key("call 0812 3456 7890 now") is None
    key = dupe_key(AD)
    assert key is not None and len(key) <= 40 and all(c in "0123456789abcdef" for c in key)


def test_dup_key_works_for_unspaced_scripts():
    a = dupe_key("ลงทุนน้อยกำไรงาม การันตีกำไรทุกวัน ทักไลน์ 089-123-4567 ด่วน")
    b = dupe_key("ลงทุนน้อยกำไรงาม การันตีกำไรทุกวัน ทักไลน์ 062 999 0000 ด่วน 🔥")
    assert a == b is not None
    assert dupe_key("稳赚不赔，加微信") is None  # too short


def test_normalised_copy_drops_the_noise():
    assert normalize_for_dupes("WIN 100% @bob https://x.io/a 🔥 now!!") == "win now"


def test_dup_stage_sets_keys():
    docs = [_doc(AD + " 0812"), _doc(AD + " 0899"), _doc("hi")]
    DupKeyStage().process(docs)
    assert docs[0].dup_key == docs[1].dup_key is not None and docs[2].dup_key is None
