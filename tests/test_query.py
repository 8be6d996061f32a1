"""The Boolean query language: operators, fields, scripts, errors, rule sets and `monitio search`."""

from __future__ import annotations

import csv
import json
from datetime import UTC, datetime

import pytest
import typer
from sqlalchemy import update
from typer.testing import CliRunner

from monitio.query import (
    And,
    Field,
    Near,
    Not,
    Or,
    Phrase,
    QueryError,
    Term,
    compile_many,
    compile_query,
    parse,
    to_string,
)
from monitio.records import CategoryHit, Doc, Post


def doc(text: str = "hello", **kw) -> Doc:
    post_kw = {
        k: kw.pop(k) for k in list(kw) if k in ("source", "author", "likes", "shares", "comments", "published_at")
    }
    post_kw.setdefault("published_at", datetime(2026, 11, 3, 12, tzinfo=UTC))
    post = Post.create(source=post_kw.pop("source", "csv"), source_id="1", text=text, **post_kw)
    return Doc(post_id=1, post=post, **kw)


def m(query: str, text: str, **kw) -> bool:
    return compile_query(query, **kw).match_text(text)


# --- parsing -----------------------------------------------------------------------------------


def test_parse_shapes():
    assert parse("a b") == And((Term("a"), Term("b")))
    assert parse("a and b or c") == Or((And((Term("a"), Term("b"))), Term("c")))
    assert parse("a -b") == And((Term("a"), Not(Term("b"))))
    assert parse("a NOT b") == And((Term("a"), Not(Term("b"))))
    assert parse('"top up" near/3 bonus*') == Near(Phrase("top up"), Term("bonus", True), 3)
    assert parse("a ONEAR/0 b") == Near(Term("a"), Term("b"), 0, ordered=True)
    assert parse("(a OR b) c") == And((Or((Term("a"), Term("b"))), Term("c")))
    assert parse("LANG:id") == Field("lang", "id")
    assert parse('author:"Budi S"') == Field("author", "Budi S")
    assert parse("e-wallet https://bit.ly/x") == And((Term("e-wallet"), Term("https://bit.ly/x")))


@pytest.mark.parametrize(
    "query",
    [
        "scam* AND NOT lang:en",
        '"top up" ONEAR/3 (bonus OR free)',
        "(a OR b) AND (c OR d)",
        "NOT (a AND b)",
        "(a NEAR/2 b) NEAR/5 c",
        'author:"Budi S" OR sentiment:<=-0.5',
        'x "say \\"hi\\""',
    ],
)
def test_canonical_printer_round_trips(query):
    node = parse(query)
    assert parse(to_string(node)) == node


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("", "line 1, col 1: empty query"),
        ("   ", "line 1, col 1: empty query"),
        ("refund (scam OR fraud", "line 1, col 8: missing closing parenthesis"),
        ("scam NEAR/ b", "line 1, col 6: NEAR/ needs a number"),
        ("scam ONEAR/x b", "line 1, col 6: ONEAR/ needs a number"),
        ("foo:bar", "line 1, col 1: unknown field 'foo' (fields: lang, market, source"),
        ('scam "refund', "line 1, col 6: unterminated quote"),
        ("scam AND", "line 1, col 6: AND needs a term after it"),
        ("OR scam", "line 1, col 1: OR needs a term before it"),
        ("scam NOT", "line 1, col 6: NOT needs a term after it"),
        ("a )", "line 1, col 3: unexpected ')'"),
        ("()", "line 1, col 1: empty parentheses"),
        ("a NEAR/3 (b AND c)", "line 1, col 10: NEAR/3 joins terms, phrases or (a OR b) groups only"),
        ("a NEAR/3 -b", "line 1, col 10: NEAR/3 joins terms"),
        ("sc*am", "line 1, col 1: wildcard * is only allowed at the end"),
        ("s*", "put at least 2 letters before the wildcard"),
        ("!!!", "line 1, col 1: !!! has nothing to search for"),
        ("a - b", "line 1, col 3: '-' must be followed directly by a term"),
        ("lang:", "line 1, col 1: lang: needs a value"),
        ("date:2026-02-30", "not a valid day"),
        ("date:2026-11-07..2026-11-01", "ends before it starts"),
        ("sentiment:bad", "sentiment: expects a number comparison or negative|neutral|positive"),
        ("engagement:>1.5", "engagement: expects a whole number"),
        ("a\n  AND", "line 2, col 3: AND needs a term after it"),
        ("NEAR/3 b", "line 1, col 1: NEAR/3 needs a term before it"),
        ("a NEAR/5000 b", "NEAR/5000 is too far"),
        ("(" * 150 + "a" + ")" * 150, "nests deeper than"),
    ],
)
def test_errors_point_at_the_problem(query, message):
    with pytest.raises(QueryError) as info:
        parse(query)
    assert str(info.value).startswith(message) or message in str(info.value)


def test_error_has_line_and_column_attributes():
    with pytest.raises(QueryError) as info:
        parse("a OR\n(b")
    assert (info.value.line, info.value.col, info.value.message) == (2, 1, "missing closing parenthesis")


# --- operators and words -------------------------------------------------------------------------


def test_boolean_operators():
    assert m("scam refund", "refund scam here") and not m("scam refund", "scam only")
    assert m("scam OR fraud", "pure fraud") and not m("scam OR fraud", "nothing")
    assert m("scam -refund", "scam") and not m("scam -refund", "scam refund")
    assert m("NOT refund", "anything") and not m("not refund", "Refund!")
    assert m("(scam OR fraud) AND (ad OR ads)", "fraud ads") and not m("(scam OR fraud) AND (ad OR ads)", "fraud")


def test_word_boundaries_and_wildcards():
    assert not m("scam", "I had scampi") and m("scam", "SCAM!!") and m("scam", "a (scam).")
    assert m("scam*", "scammer alert") and m("scam*", "scam") and not m("scam*", "ascam")
    assert m("e-wallet", "top up your e wallet") and m("e-wallet", "E-Wallet scam")
    assert m("don't", "I don't know") and not m("don't", "don know t")
    assert m("🔥", "hot deal 🔥🔥") and not m("🔥", "hot deal")


def test_phrases_ignore_punctuation_but_keep_order():
    assert m('"fake refund"', "a FAKE, refund!") and not m('"fake refund"', "refund fake")
    assert not m('"fake refund"', "fake big refund")


def test_near_and_onear_count_words_between():
    text = "the refund was never paid"
    assert m("refund NEAR/2 paid", text) and not m("refund NEAR/1 paid", text)
    assert m("paid NEAR/2 refund", text) and not m("paid ONEAR/2 refund", text)
    assert m("refund ONEAR/2 paid", text) and m("refund NEAR/0 was", text)
    assert m('"refund was" NEAR/1 paid', text) and m("(cash OR refund) NEAR/3 nev*", text)
    assert not m("scam NEAR/3 scam", "one scam only") and m("scam NEAR/3 scam", "scam again scam")
    assert m("refund NEAR/1 never NEAR/1 the", text)


def test_case_and_width_folding():
    assert m("scam", "ＳＣＡＭ") and m("STRASSE", "straße") and m("İstanbul", "istanbul")


# --- scripts ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "text"),
    [
        ("หลอก", "โดนหลอกลงทุนจากโฆษณา"),  # Thai
        ("詐欺", "これは詐欺広告です"),  # Japanese
        ("诈骗", "这个广告是诈骗"),  # Chinese
        ("បោក", "គេបោកប្រាស់ខ្ញុំ"),  # Khmer
        ("လိမ်", "ငွေလိမ်တယ်"),  # Burmese
        ("ຫລອກ", "ຖືກຫລອກເງິນ"),  # Lao
        ("iphone ราคา", "iPhoneราคาถูก"),  # mixed
    ],
)
def test_unspaced_scripts_match_as_substrings(query, text):
    assert m(query, text)


def test_unspaced_near_counts_approximate_words():
    # Thai: about four characters a word
    assert m("หลอก NEAR/1 ลงทุน", "โดนหลอกลงทุน") and m("หลอก ONEAR/0 ลงทุน", "หลอกลงทุน")
    assert not m("ลงทุน ONEAR/5 หลอก", "หลอกลงทุน")
    # Chinese: about two characters a word
    assert m("诈骗 NEAR/1 退款", "诈骗不退款") and not m("诈骗 NEAR/1 退款", "诈骗，我们一直都没有收到任何退款")


@pytest.mark.parametrize(
    ("query", "text"),
    [
        ("हिन्दी", "मैं हिन्दी बोलता हूँ।"),
        ("ধোঁকা", "এটা ধোঁকা বিজ্ঞাপন"),
        ("மோசடி", "இது மோசடி விளம்பரம்"),
        ("మోసం", "ఇది మోసం ప్రకటన"),
        ("دھوکہ", "یہ دھوکہ ہے"),
        ("мошенники", "Это МОШЕННИКИ!"),
        ("사기", "이건 사기 광고"),
    ],
)
def test_spaced_scripts_match_whole_words(query, text):
    assert m(query, text)
    assert not m(query, text.replace(" ", "x"))  # glued to a neighbour: no longer a word


def test_hangul_needs_a_wildcard_for_particles():
    assert not m("사기", "사기꾼이야") and m("사기*", "사기꾼이야")


def test_accents_latin_insensitive_vietnamese_sensitive():
    assert m("cafe", "Café au lait") and m("café", "cafe") and m("naïve", "NAIVE")
    assert m("lừa", "Tôi bị lừa đảo") and not m("lừa", "toi bi lua dao")
    assert not m("lua", "Tôi bị lừa đảo") and not m("lua dao", "bị lừa đảo")
    assert m("lua", "lừa", accents="loose") and m("lua dao", "bị lừa đảo", accents="loose")
    assert not m("cafe", "café", accents="strict")


def test_vietnamese_by_lang_even_without_telltale_letters():
    q = compile_query("ca")
    assert q.matches(doc("cá", lang="fr")) and not q.matches(doc("cá", lang="vi"))


# --- fields --------------------------------------------------------------------------------------


def test_fields():
    d = doc(
        "Scam ad with a fake giveaway",
        lang="id",
        market="ID",
        source="TikTok-Export",
        author="@Budi",
        likes=90,
        comments=20,
        sentiment=-0.6,
        sentiment_label="negative",
        categories={"scam_ads": CategoryHit("scam_ads", "", [])},
        indicators={"phone": ["0812"], "link": []},
    )
    yes = [
        "lang:id",
        "lang:EN|id",
        "market:id",
        "source:tiktok-export",
        "source:tiktok*",
        "author:budi",
        "author:@BUDI",
        "category:scam_ads",
        "sentiment:<0",
        "sentiment:<=-0.6",
        "sentiment:-1..0",
        "sentiment:negative",
        "engagement:>100",
        "engagement:110",
        "engagement:100..200",
        "date:2026-11-03",
        "date:2026-11-01..2026-11-07",
        "date:>2026-11-02",
        "date:<=2026-11-03",
        "date:2026-11-03..",
        "has:phone",
        "has:wallet|phone",
        "scam lang:id -category:spam",
    ]
    no = [
        "lang:en",
        "market:MY",
        "source:reddit",
        "author:someone",
        "category:spam",
        "sentiment:>0",
        "sentiment:positive|neutral",
        "engagement:>=111",
        "engagement:<110",
        "date:2026-11-04..2026-11-07",
        "date:>2026-11-03",
        "date:<2026-11-03",
        "has:link",
        "has:wallet",
    ]
    for q in yes:
        assert compile_query(q).matches(d), q
    for q in no:
        assert not compile_query(q).matches(d), q


def test_lang_and_market_fall_back_to_hints():
    post = Post.create(
        source="s", source_id="1", text="x", published_at=datetime.now(UTC), lang_hint="th", market_hint="th"
    )
    d = Doc(post_id=None, post=post)
    assert compile_query("lang:th market:TH").matches(d)


def test_fields_on_bare_text_are_false():
    assert not m("lang:id", "anything") and m("NOT lang:id", "anything")


# --- compiled queries and rule sets --------------------------------------------------------------


def test_explain_reports_matched_terms_only_when_matching():
    q = compile_query('(scam* OR fraud OR "fake refund") -giveaway')
    assert q.explain(doc("Scammers and a fake refund")) == ["scammers", "fake refund"]
    assert q.explain(doc("scam giveaway")) == []
    assert compile_query("x NEAR/2 (y OR z)").explain_text("x y") == ["x", "y"]


def test_rule_set_matches_like_each_rule_and_prefilters():
    rules = {
        "scam": "scam* OR fraud",
        "refund": '"refund" NEAR/3 never',
        "not_en": "NOT lang:en",
        "thai": "หลอก ลงทุน",
        "vi": "lừa đảo",
        "both": "(fraud OR scam) AND (ad OR ads)",
    }
    rs = compile_many(rules)
    assert len(rs) == 6 and rs.always == [2]
    texts = ["fraud ads everywhere", "refund never came", "โดนหลอกลงทุน", "bị lừa đảo", "nothing", "scampi ad"]
    for text in texts:
        for lang in (None, "en", "vi"):
            d = doc(text, lang=lang)
            expected = {rid for rid, q in rules.items() if compile_query(q).matches(d)}
            assert set(rs.match(d)) == expected, (text, lang)
    assert rs.match(doc("fraud ads", lang="en")) == {"scam": ["fraud"], "both": ["fraud", "ads"]}


def test_compile_many_names_the_bad_rule():
    with pytest.raises(QueryError, match=r"rule 'b', line 1, col 3: AND needs a term after it"):
        compile_many({"a": "x", "b": "y AND"})


def test_hand_built_nodes_compile():
    q = compile_query(And((Term("scam", True), Not(Field("lang", "en")))))
    assert q.text == "scam* AND NOT lang:en" and q.match_text("scammer")


# --- monitio search ------------------------------------------------------------------------------


@pytest.fixture()
def search_ws(tmp_path):
    from monitio.store.repo import insert_posts
    from monitio.store.schema import posts
    from monitio.workspace import init_workspace

    ws = init_workspace(tmp_path / "ws")
    rows = [
        ("1", "Scam ad: fake refund, call now", "ID", "id", -0.7, "scam_ads", datetime(2026, 11, 2, tzinfo=UTC)),
        ("2", '=HYPERLINK("http://x") scammer promo', "MY", "ms", 0.1, "", datetime(2026, 11, 5, tzinfo=UTC)),
        ("3", "โดนหลอกลงทุนจากโฆษณา", "TH", "th", -0.4, "scam_ads", datetime(2026, 11, 6, tzinfo=UTC)),
        ("4", "Nice scampi recipe", "ID", "en", 0.8, "", datetime(2026, 10, 1, tzinfo=UTC)),
    ]
    batch = [
        Post.create(source="csv", source_id=sid, text=text, published_at=ts, url=f"https://x.test/{sid}", author="a")
        for sid, text, *_, ts in rows
    ]
    with ws.engine.begin() as conn:
        insert_posts(conn, batch)
        for sid, _, market, lang, sent, cats, _ in rows:
            conn.execute(
                update(posts)
                .where(posts.c.source_id == sid)
                .values(market=market, lang=lang, sentiment=sent, categories=cats or None)
            )
    return ws.path


def _runner_app():
    from monitio.cli.search_cmd import search

    app = typer.Typer()
    app.command()(search)
    app.command("noop")(lambda: None)  # two commands, so the command name is required
    return app


def run_search(*args):
    return CliRunner().invoke(_runner_app(), ["search", *map(str, args)], catch_exceptions=False)


def test_search_json(search_ws):
    res = run_search("scam* -scampi", "--workspace", search_ws, "--json")
    assert res.exit_code == 0, res.output
    found = json.loads(res.stdout)
    assert set(found) == {"total", "items", "next_cursor", "facets"}
    assert found["total"] == 2 and found["next_cursor"] is None
    items = found["items"]
    assert [r["source_id"] for r in items] == ["2", "1"]  # newest first
    assert items[1]["matched"] == ["scam"] and items[1]["published_at"].startswith("2026-11-02T00:00:00")
    assert items[1]["highlights"] == [[0, 4]]
    assert set(items[0]) >= {"id", "source", "source_id", "market", "lang", "sentiment", "text", "url", "matched"}
    assert found["facets"]["market"] == {"ID": 1, "MY": 1} and found["facets"]["day"] == {
        "2026-11-02": 1,
        "2026-11-05": 1,
    }


def test_search_fields_and_sql_prefilter(search_ws):
    def ids(query):
        res = run_search(query, "--workspace", search_ws, "--json")
        assert res.exit_code == 0, res.output
        return [r["source_id"] for r in json.loads(res.stdout)["items"]]

    assert ids("category:scam_ads") == ["3", "1"]
    assert ids("หลอก lang:th market:th") == ["3"]
    assert ids("scam* date:2026-11-01..2026-11-04") == ["1"]
    assert ids("sentiment:<0 -lang:th") == ["1"]
    assert ids("scampi OR scam source:csv author:a") == ["1", "4"]
    assert ids("lang:id|ms scam*") == ["2", "1"]
    assert ids("lang:id|en scam*") == ["1", "4"]
    assert ids("NOT market:ID") == ["3", "2"]


def test_search_paging_with_cursor(search_ws):
    first = json.loads(run_search("scam*", "--workspace", search_ws, "--json", "--limit", "2").stdout)
    assert first["total"] == 3 and len(first["items"]) == 2 and first["next_cursor"]
    rest = run_search("scam*", "--workspace", search_ws, "--json", "--limit", "2", "--cursor", first["next_cursor"])
    second = json.loads(rest.stdout)
    assert second["total"] == 3 and second["next_cursor"] is None
    assert [r["source_id"] for r in first["items"] + second["items"]] == ["2", "1", "4"]
    bad = run_search("scam*", "--workspace", search_ws, "--cursor", "zz")
    assert bad.exit_code == 2 and "cursor is not valid" in bad.stderr


def test_search_limit_table_and_export_every_match(search_ws, tmp_path):
    out = tmp_path / "out.csv"
    res = run_search("scam*", "--workspace", search_ws, "--limit", "1", "--export", out)
    assert res.exit_code == 0, res.output
    assert "scammer" in res.stdout and "Scam ad" not in res.stdout and "1 of 3 posts" in res.stdout
    with out.open(encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 3  # the export has every match, not just the page
    assert rows[0]["text"].startswith("'=HYPERLINK") and rows[0]["matched"] == "scammer"
    assert rows[0]["published_at"] == "2026-11-05T00:00:00+00:00" and rows[0]["author"] == "a"
    assert {"likes", "shares", "comments", "engagement"} <= set(rows[0])
    xlsx = tmp_path / "out.xlsx"
    assert run_search("scam*", "--workspace", search_ws, "--export", xlsx).exit_code == 0
    from openpyxl import load_workbook

    sheet = load_workbook(xlsx).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0][0] == "Query: scam*" and len(values) == 2 + 3
    assert isinstance(values[2][0], datetime) and values[2][values[1].index("text")].startswith("'=HYPERLINK")


def test_search_bad_query_is_one_line_exit_2(search_ws):
    res = run_search("refund (scam", "--workspace", search_ws)
    assert res.exit_code == 2
    assert "line 1, col 8: missing closing parenthesis" in res.stderr
    assert len(res.stderr.strip().splitlines()) == 1
