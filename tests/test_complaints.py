"""Complaints (unmet expectations): the cue rules, the flag on stored posts and rollups, migration 0016."""

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select, text

from monitio.enrich.complaints import find_complaint, languages
from monitio.enrich.language import LanguageStage
from monitio.enrich.sentiment import SentimentScorer, SentimentStage
from monitio.enrich.textnorm import bcp47
from monitio.eval.complaints import eval_suite, read_suite
from monitio.records import Post
from monitio.store.schema import ALL, posts, rollups

T = datetime(2026, 11, 3, 10, 15, tzinfo=UTC)


@pytest.fixture(scope="module")
def scorer():
    return SentimentScorer()


# The two complaints the lexicons used to call positive (issue 16), then one per rule and language.
COMPLAINTS = [
    ("ShopKu still hasn't refunded my cancelled order after 2 weeks", "en"),
    ("Creator payout still pending after 3 weeks, no response", "en"),
    ("My parcel is stuck in transit and support keeps ignoring us", "en"),
    ("Refund belum masuk padahal sudah 2 minggu", "id"),
    ("Udah nunggu 10 hari, paketnya nggak sampai", "id"),
    ("Kenapa bayaran saya masih tak masuk?", "ms"),
    ("สั่งของไปสองอาทิตย์แล้ว ยังไม่ได้รับเลย", "th"),
    ("Đặt hàng 2 tuần rồi mà vẫn chưa nhận được", "vi"),
    ("Tatlong linggo na, hindi pa rin dumating ang order ko", "tl"),
    ("退款申请了半个月还没到账", "zh"),
    ("환불 신청한 지 2주째인데 아직도 입금이 안 됐어요", "ko"),
    ("注文して二週間、まだ届かない", "ja"),
    ("मेरा रिफंड अभी तक नहीं मिला", "hi"),
    ("bhai 3 hafte ho gaye, abhi tak payout nahi aaya", "hi-Latn"),
]
NOT_COMPLAINTS = [
    ("Still works great after 3 weeks, no problems at all", "en"),
    ("Can't wait to receive my order!", "en"),
    ("Pending for a week but it finally arrived, thanks!", "en"),
    ("Sudah dikirim belum kak?", "id"),
    ("Belum pernah kecewa belanja di toko ini", "id"),
    ("Shop ơi đơn của mình giao chưa ạ?", "vi"),
    ("Chưa bao giờ thất vọng với shop này", "vi"),
    ("Dumating na ba yung order ko?", "tl"),
    ("我好像在快递单上看到了差不多的地址", "zh"),
    ("배송은 언제쯤 되나요?", "ko"),
    ("届きました、ありがとうございます", "ja"),
    ("refund kab tak aata hai?", "hi-Latn"),
]


@pytest.mark.parametrize("text,lang", COMPLAINTS)
def test_unmet_expectations_are_complaints_and_negative(scorer, text, lang):
    s = scorer.score(text, lang)
    assert s.complaint, text
    assert s.label == "negative", (text, s)


@pytest.mark.parametrize("text,lang", NOT_COMPLAINTS)
def test_questions_praise_and_resolved_waits_are_not_complaints(scorer, text, lang):
    s = scorer.score(text, lang)
    assert not s.complaint, (text, find_complaint(text, (lang,)))
    assert s.label != "negative", (text, s)


def test_a_complaint_before_a_contrast_word_counts_half():
    c = find_complaint("Still no refund after a week but the seller is very kind", ("en",), frozenset({"but"}))
    assert c is not None and c.before_contrast
    assert not find_complaint("Great seller but still no refund", ("en",), frozenset({"but"})).before_contrast


def test_every_supported_language_has_cues():
    assert set(languages()) >= {"en", "id", "ms", "th", "vi", "tl", "zh", "ko", "ja", "hi", "hi-Latn"}


@given(st.text(max_size=200))
def test_any_text_gives_a_complaint_or_none(text):
    c = find_complaint(text, ("en", "id", "th", "zh", "ko", "ja", "vi", "tl", "hi", "hi-Latn"))
    assert c is None or (c.cues and all(isinstance(x, str) and x for x in c.cues))


@given(st.from_regex(r"[A-Za-z]{2,3}([-_][A-Za-z]{2,4}){0,2}", fullmatch=True))
def test_bcp47_is_idempotent_and_ignores_case(code):
    once = bcp47(code)
    assert bcp47(once) == once
    assert bcp47(code.upper()) == bcp47(code.lower()) == once
    assert once.split("-")[0] == code.split("-")[0].split("_")[0].lower()


def test_bcp47_cases():
    assert [bcp47(x) for x in ("hi-latn", "ur-LATN", "ZH-hant", "en", "und", None, "  ")] == [
        "hi-Latn",
        "ur-Latn",
        "zh-Hant",
        "en",
        "und",
        None,
        None,
    ]


def test_a_posts_language_hint_is_kept_in_bcp47_case():
    p = Post.create(source="s", source_id="1", text="abhi tak nahi aaya", published_at=T, lang_hint="HI-LATN")
    assert p.lang_hint == "hi-Latn"


def test_the_flag_is_stored_on_the_post_and_counted_in_rollups(ws):
    from monitio.enrich.runner import enrich_pending
    from monitio.pipeline import Pipeline
    from monitio.services.search import post_json
    from monitio.store.repo import insert_posts

    batch = [
        Post.create(source="t", source_id="1", text="Still no refund after 2 weeks, no reply", published_at=T),
        Post.create(source="t", source_id="2", text="Refund arrived fast, thank you!", published_at=T),
        Post.create(source="t", source_id="3", text="Paket belum sampai sudah seminggu", published_at=T),
    ]
    with ws.engine.begin() as conn:
        insert_posts(conn, batch)
    assert enrich_pending(ws.engine, Pipeline([LanguageStage(), SentimentStage()]), batch_size=10) == 3
    with ws.engine.connect() as conn:
        stored = {r.source_id: r for r in conn.execute(select(posts))}
        total = conn.execute(select(rollups.c.complaints).where(rollups.c.category == ALL)).scalars().all()
    assert {k: r.complaint for k, r in stored.items()} == {"1": True, "2": False, "3": True}
    assert sum(total) == 2
    assert post_json(stored["1"])["complaint"] is True and post_json(stored["2"])["complaint"] is False


def test_migration_0016_normalises_stored_language_codes_and_merges_rollups(db_url):
    from alembic import command

    from monitio.store.db import alembic_config, make_engine

    engine = make_engine(db_url)
    cfg = alembic_config(engine)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0008")
    row = "'2026-11-03 10:00:00', 'IN', :lang, '__all__', 't'"
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO posts (uid, source, source_id, text, published_at, ingested_at, likes, shares, comments,"
                " views, lang, lang_hint, mixed_langs) VALUES ('u1', 't', '1', 'x', '2026-11-03 10:00:00',"
                " '2026-11-03 10:00:00', 0, 0, 0, 0, 'hi-latn', 'HI-LATN', 'hi-latn,en')"
            )
        )
        for lang, count, authors in (("hi-latn", 2, 2), ("hi-Latn", 3, 1), ("ur-latn", 1, 1)):
            conn.execute(
                text(
                    "INSERT INTO rollups (bucket, market, lang, category, source, count, negative, positive,"
                    f" engagement, authors) VALUES ({row}, :n, 1, 0, 0, :a)"
                ),
                {"lang": lang, "n": count, "a": authors},
            )
        for lang, author in (("hi-latn", "a1"), ("hi-latn", "a2"), ("hi-Latn", "a1"), ("ur-latn", "a3")):
            conn.execute(
                text(
                    "INSERT INTO rollup_authors (bucket, market, lang, category, source, author_key)"
                    f" VALUES ({row}, :k)"
                ),
                {"lang": lang, "k": author},
            )
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
    with engine.connect() as conn:
        p = conn.execute(text("SELECT lang, lang_hint, mixed_langs, complaint FROM posts")).one()
        r = {x.lang: (x.count, x.negative, x.authors, x.complaints) for x in conn.execute(select(rollups))}
        a = sorted(conn.execute(text("SELECT lang, author_key FROM rollup_authors")).all())
    engine.dispose()
    assert tuple(p) == ("hi-Latn", "hi-Latn", "hi-Latn,en", None)
    assert r == {"hi-Latn": (5, 2, 2, 0), "ur-Latn": (1, 1, 1, 0)}
    assert [tuple(x) for x in a] == [("hi-Latn", "a1"), ("hi-Latn", "a2"), ("ur-Latn", "a3")]


SUITE = Path(__file__).parent / "fixtures" / "complaint_suite.csv"
SUITE_LANGS = ("en", "id", "ms", "th", "vi", "tl", "zh", "ko", "ja", "hi", "hi-Latn")


@pytest.fixture(scope="module")
def suite():
    return eval_suite(SUITE)


def test_the_suite_has_thirty_hand_written_rows_per_language_of_every_kind():
    rows = read_suite(SUITE)
    for lang in SUITE_LANGS:
        kinds = [r["kind"] for r in rows if r["lang"] == lang]
        assert len(kinds) >= 30 and set(kinds) == {"complaint", "praise", "question", "lure"}, lang


def test_suite_pass_rates_hold(suite):
    """Measured 2026-12-06: 330 of 342 rows pass (0.965); the failures stay visible in `failures`.

    Floors, not targets: every language passes >= 0.85 of its rows and >= 0.9 of its complaints; no scam or
    spam lure is ever called a complaint.
    """
    assert suite["accuracy"] >= 0.95
    assert 0 < len(suite["failures"]) <= 17
    for lang in SUITE_LANGS:
        kinds = suite["per_lang"][lang]
        assert kinds["all"]["rate"] >= 0.85, (lang, kinds)
        assert kinds["complaint"]["rate"] >= 0.9, (lang, kinds)
        assert kinds["lure"]["rate"] == 1.0, (lang, kinds)


def test_the_eval_command_prints_the_suite_report(tmp_path):
    from typer.testing import CliRunner

    from monitio.cli.eval_cmd import app

    f = tmp_path / "s.csv"
    f.write_text(
        "lang,kind,text\nvi,complaint,Đặt hàng 2 tuần rồi mà vẫn chưa nhận được\nvi,oops,x\n", encoding="utf-8"
    )
    bad = CliRunner().invoke(app, ["complaints", "--data", str(f), "--json"])
    assert bad.exit_code == 2 and "unknown kinds ['oops']" in bad.output
    f.write_text("lang,kind,text\nvi,complaint,Đặt hàng 2 tuần rồi mà vẫn chưa nhận được\n", encoding="utf-8")
    ok = CliRunner().invoke(app, ["complaints", "--data", str(f), "--json"])
    assert ok.exit_code == 0 and json.loads(ok.output)["per_lang"]["vi"]["complaint"]["rate"] == 1.0


def test_a_spike_why_says_the_complaint_share_when_there_are_complaints():
    from monitio.detect.why import spike_why

    kw = dict(
        name="Refund problems",
        markets=["ID"],
        observed=40,
        expected=8,
        window_start=T,
        window_end=T,
        negative_share=0.7,
        terms=[],
        shape="spike",
        first_by_market={},
    )
    assert "45% complaints" in spike_why(**kw, complaint_share=0.45)
    assert "complaints" not in spike_why(**kw, complaint_share=0.0) and "complaints" not in spike_why(**kw)
