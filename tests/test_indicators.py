"""Scam indicators: extraction per kind (multilingual positives and negatives), properties, storage, search."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from monitio.enrich.indicators import KINDS, IndicatorStage, extract_indicators
from monitio.enrich.risk import RiskScoreStage, risk_score, scam_signature_score
from monitio.enrich.watchlist import WatchListError, load_watch_list, watch_list_path
from monitio.pipeline import Pipeline
from monitio.records import Doc, Post
from monitio.settings import Settings


def kind(text: str, k: str, market: str | None = None) -> list[str]:
    return extract_indicators(text, market).get(k, [])


# --- phone -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "market", "expected"),
    [
        ("hubungi 0812 3456 7890 sekarang", None, "+6281234567890"),
        ("WA: 0812-3456-7890", "ID", "+6281234567890"),
        ("call (+60) 12-345 6789", None, "+60123456789"),
        ("tel 012-3456789", "MY", "+60123456789"),
        ("โทร 081-234-5678", "TH", "+66812345678"),
        ("gọi 0912.345.678", "VN", "+84912345678"),
        ("text 0917 123 4567", None, "+639171234567"),
        ("+65 9123 4567", None, "+6591234567"),
        ("ဖုန်း +95 9 791 234 567", None, "+959791234567"),
        ("+855 12 345 678", None, "+85512345678"),
        ("電話 090-1234-5678", None, "+819012345678"),
        ("010-1234-5678 로 연락", None, "+821012345678"),
        ("电话 13812345678", None, "+8613812345678"),
        ("+886 912 345 678", None, "+886912345678"),
        ("+852 9123 4567", None, "+85291234567"),
        ("call +91 98765 43210", None, "+919876543210"),
        ("call 9876543210", "IN", "+919876543210"),
        ("0300 1234567", "PK", "+923001234567"),
        ("01712-345678", "BD", "+8801712345678"),
        ("077 123 4567", "LK", "+94771234567"),
        ("+1 (202) 555-0123", None, "+12025550123"),
        ("+44 7911 123456", None, "+447911123456"),
        ("6281234567890", None, "+6281234567890"),
    ],
)
def test_phone_numbers_of_the_supported_markets_become_e164(text, market, expected):
    assert kind(text, "phone", market) == [expected]


def test_a_local_number_of_unclear_country_stays_local():
    assert kind("0912 345 678", "phone") == ["0912345678"]


@pytest.mark.parametrize(
    "text",
    [
        "on 01/11/2026 at 10:30",
        "01-11-2026 10:30",
        "01.11.2026 08.00",
        "Sen-Jum 08.00-17.00",
        "published 2026-11-01, updated 2026-11-07",
        "harga Rp 5.000.000 saja",
        "1,250,000 VND",
        "years 2019 2020 2021 2022",
        "order #081234567890 not delivered",
        "Order no. 13812345678",
        "tracking 9876543210 stuck",
        "resi 081234567890",
        "9876543210",
        "room 1500, floor 12, 3.14159",
        "scampi",
    ],
)
def test_dates_prices_order_numbers_and_years_are_not_phones(text):
    assert kind(text, "phone") == []


# --- messaging ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("chat wa.me/6281234567890", "whatsapp:+6281234567890"),
        ("https://api.whatsapp.com/send?phone=60123456789", "whatsapp:+60123456789"),
        ("join chat.whatsapp.com/AbCdEfGh1234", "whatsapp:group/AbCdEfGh1234"),
        ("WA 0812-3456-7890", "whatsapp:+6281234567890"),
        ("whatsapp me for details", "whatsapp"),
        ("Join t.me/CuanHarian", "telegram:@cuanharian"),
        ("telegram: @CuanBos", "telegram:@cuanbos"),
        ("hubungi @cuanbos di telegram", "telegram:@cuanbos"),
        ("https://line.me/R/ti/p/%40abc123", "line:@abc123"),
        ("lin.ee/AbC123", "line:lin.ee/AbC123"),
        ("ID LINE: budi.cuan", "line:budi.cuan"),
        ("แอดไลน์ @vipcuan", "line:@vipcuan"),
        ("加微信 wxid_abc123", "wechat:wxid_abc123"),
        ("vx：lucky8888", "wechat:lucky8888"),
        ("zalo 0912 345 678", "zalo:+84912345678"),
        ("zalo.me/0912345678", "zalo:+84912345678"),
        ("open.kakao.com/o/sAbc123", "kakao:open/sAbc123"),
        ("카톡 아이디: money77", "kakao:money77"),
        ("viber +63 917 123 4567", "viber:+639171234567"),
        ("Signal: +65 9123 4567", "signal:+6591234567"),
    ],
)
def test_messaging_contacts(text, expected):
    assert expected in kind(text, "messaging")


def test_messaging_numbers_also_count_as_phones():
    assert kind("chat wa.me/6281234567890", "phone") == ["+6281234567890"]


@pytest.mark.parametrize("text", ["Online 0812-3456-7890", "the deadline is near", "I like Telegram stickers"])
def test_app_words_inside_other_words_or_without_contact_are_not_messaging(text):
    assert kind(text, "messaging") == []


# --- links -------------------------------------------------------------------------------------------


def test_links_with_and_without_scheme():
    text = "See https://www.Example.com/a?b=1, www.foo.co.id and bar.xyz/path. Mail a@gmail.com"
    assert kind(text, "link") == ["example.com/a?b=1", "foo.co.id", "bar.xyz/path"]


def test_defanged_links_count():
    assert kind("hxxps://evil.top/login", "link") == ["evil.top/login"]


@pytest.mark.parametrize("text", ["Mr.Bean e.g. a.m. node.js 5.5 file.pdf", "bagus.Segera", "scampi recipe"])
def test_things_that_are_not_links(text):
    assert kind(text, "link") == []


@pytest.mark.parametrize(
    "host", ["bit.ly/3xYz", "s.id/promo", "cutt.ly/abc", "t.co/xyz", "tinyurl.com/y7abc", "rb.gy/a1"]
)
def test_short_links(host):
    assert kind(f"klik {host} ya", "short_link") == [host]


def test_plain_links_are_not_short_links():
    assert kind("read example.com/x", "short_link") == []


@pytest.mark.parametrize(
    "host",
    [
        "tiktok-shop-refund.xyz",
        "paypa1.com",
        "faceb00k-login.net",
        "tіktok.com",  # Cyrillic і
        "xn--tktok-5ya.com",
        "shoppe.co.id",
        "binanse.com",
        "paypal.com.verify-login.info",
        "netflixgiveaway.top",
    ],
)
def test_lookalike_links(host):
    assert kind(f"klaim di https://{host}/x", "lookalike_link") == [host]


@pytest.mark.parametrize(
    "host", ["tiktok.com", "shopee.co.id", "www.facebook.com", "seller.shopee.ph", "grabfood.com", "example.org"]
)
def test_real_brand_domains_and_unrelated_ones_are_not_lookalikes(host):
    assert kind(f"see https://{host}/x", "lookalike_link") == []


# --- wallets -----------------------------------------------------------------------------------------

BTC_P2PKH = "1BoatSLRHtKNngkdXEeobR76b53LETtpyT"
BTC_P2SH = "3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy"
BTC_BECH32 = "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq"
BTC_TAPROOT = "bc1p5d7rjq7g6rdk2yhzks9smlaqtedr4dekq08ge8ztwac72sfr9rusxg3297"
TRON = "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t"
ETH = "0x52908400098527886E0F7030069857D2E4169EE7"


def test_valid_wallets():
    text = f"send to {BTC_P2PKH}, {BTC_P2SH}, {BTC_BECH32}, {BTC_TAPROOT}, USDT TRC20 {TRON} or {ETH}"
    assert kind(text, "wallet") == [
        f"btc:{BTC_P2PKH}",
        f"btc:{BTC_P2SH}",
        f"btc:{BTC_BECH32}",
        f"btc:{BTC_TAPROOT}",
        f"trx:{TRON}",
        f"eth:{ETH.lower()}",
    ]


@pytest.mark.parametrize(
    "address",
    [
        BTC_P2PKH[:-1] + "X",  # one character changed: Base58Check fails
        BTC_P2SH[:-2] + BTC_P2SH[-1] + BTC_P2SH[-2],  # two swapped
        BTC_BECH32[:-1] + "p",  # bech32 checksum fails
        BTC_BECH32[:10].upper() + BTC_BECH32[10:],  # mixed case is invalid bech32
        TRON[:-1] + "u",
        "0x12345",  # too short for ETH
    ],
)
def test_mistyped_wallets_are_rejected(address):
    assert kind(f"send to {address} now", "wallet") == []


# --- money -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "market", "expected"),
    [
        ("modal Rp 5.000.000", None, "IDR 5000000"),
        ("untung 1,5 juta", None, "IDR 1500000"),
        ("cuma 50rb", None, "IDR 50000"),
        ("RM50 sahaja", None, "MYR 50"),
        ("2 juta", "MY", "MYR 2000000"),
        ("500 บาท", None, "THB 500"),
        ("฿1,200", None, "THB 1200"),
        ("2 triệu đồng", None, "VND 2000000"),
        ("500k đ", None, "VND 500000"),
        ("lãi 5tr", None, "VND 5000000"),
        ("₱1,500", None, "PHP 1500"),
        ("500 piso", None, "PHP 500"),
        ("Ks 50000", None, "MMK 50000"),
        ("៛40000", None, "KHR 40000"),
        ("5万円", None, "JPY 50000"),
        ("10만원", None, "KRW 100000"),
        ("₩50,000", None, "KRW 50000"),
        ("3万元", None, "CNY 30000"),
        ("¥500", "CN", "CNY 500"),
        ("500块", None, "CNY 500"),
        ("₹2 lakh", None, "INR 200000"),
        ("5 crore रुपये", None, "INR 50000000"),
        ("Rs. 5000", "PK", "PKR 5000"),
        ("5000 روپے", None, "PKR 5000"),
        ("৳500", None, "BDT 500"),
        ("500 টাকা", None, "BDT 500"),
        ("$25.50", None, "USD 25.5"),
        ("100 USDT", None, "USDT 100"),
        ("€20", None, "EUR 20"),
    ],
)
def test_money(text, market, expected):
    assert kind(text, "money", market) == [expected]


@pytest.mark.parametrize("text", ["in 2026 we had 5 reports on 12.11", "I have 5m of rope", "2k likes", "room 1500"])
def test_numbers_without_currency_are_not_money(text):
    assert kind(text, "money") == []


# --- returns and urgency -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Profit 30% daily!", "30%/day"),
        ("profit 5% per month", "5%/month"),
        ("untung 10% per hari", "10%/day"),
        ("guaranteed returns for members", "guaranteed returns"),
        ("Dijamin untung tanpa ribet", "dijamin untung"),
        ("untung pasti tiap minggu", "untung pasti"),
        ("pulangan dijamin 100%", "pulangan dijamin"),
        ("รับประกันกำไร ทุกคน", "รับประกันกำไร"),
        ("กำไรวันละ 5%", "กำไรวันละ"),
        ("Lợi nhuận đảm bảo mỗi tháng", "lợi nhuận đảm bảo"),
        ("cam kết lợi nhuận", "cam kết lợi nhuận"),
        ("lãi 3% mỗi ngày", "3%/day"),
        ("garantisadong kita araw-araw", "garantisadong kita"),
        ("पैसा डबल स्कीम", "पैसा डबल"),
        ("paisa double in 7 din", "paisa double"),
        ("100% munafa pakka", "100% munafa"),
        ("元本保証で安心", "元本保証"),
        ("必ず儲かる方法", "必ず儲かる"),
        ("원금 보장 상품", "원금 보장"),
        ("수익 보장합니다", "수익 보장"),
        ("保本稳赚", "保本"),
        ("稳赚不赔", "稳赚不赔"),
        ("日赚500", "日赚"),
        ("月利10%", "10%/month"),
        ("x2 in 24 hours", "x2/24h"),
    ],
)
def test_promised_returns(text, expected):
    assert expected in kind(text, "returns")


@pytest.mark.parametrize(
    "text",
    [
        "diskon 50% hari ini",
        "30% off today",
        "the shrimp scampi was great",
        "returns policy: 30 days",
        "giảm 30% mỗi ngày",
    ],
)
def test_discounts_and_return_policies_are_not_promised_returns(text):
    assert kind(text, "returns") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Limited time, act now!", "limited time"),
        ("don't tell anyone about this", "don't tell anyone"),
        ("BURUAN daftar", "buruan"),
        ("promo hari ini saja", "hari ini saja"),
        ("jangan bilang siapa-siapa ya", "jangan bilang siapa-siapa"),
        ("ด่วน! วันนี้เท่านั้น", "วันนี้เท่านั้น"),
        ("nhanh tay kẻo hết", "nhanh tay"),
        ("giữ bí mật nhé", "giữ bí mật"),
        ("sali na, ngayon lang", "ngayon lang"),
        ("जल्दी करें", "जल्दी करें"),
        ("किसी को मत बताना", "किसी को मत बताना"),
        ("今すぐ登録", "今すぐ"),
        ("지금 바로 신청", "지금 바로"),
        ("限时优惠 马上加入", "限时"),
        ("请保密", "保密"),
    ],
)
def test_urgency_and_secrecy(text, expected):
    assert expected in kind(text, "urgency")


def test_urgency_needs_whole_words_in_latin_script():
    assert kind("the hurrying scampi", "urgency") == []


# --- impersonation -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Elon Musk: invest $250, earn 30% daily", "Elon Musk"),
        ("Sri Mulyani bagi-bagi modal, WA 0812-3456-7890", "Sri Mulyani"),
        ("Mukesh Ambani ka naya scheme, paisa double", "Mukesh Ambani"),
        ("马云推荐 稳赚 加微信 wxid_abc123", "Jack Ma"),
        ("Shopee hadiah 5 juta, chat wa.me/6281234567890", "Shopee"),
    ],
)
def test_impersonation_with_scam_cues(text, expected):
    assert kind(text, "impersonation") == [expected]


@pytest.mark.parametrize(
    "text",
    ["Elon Musk tweeted about rockets", "Shopee refund Rp 50.000 belum masuk", "Jack Ma retired from Alibaba"],
)
def test_names_without_scam_cues_are_not_impersonation(text):
    assert kind(text, "impersonation") == []


def test_workspace_watch_list_adds_names(tmp_path):
    (tmp_path / "wl.yaml").write_text(
        "entries:\n  - {name: Budi Kaya, kind: person, markets: [ID], aliases: [pak budi kaya]}\n", encoding="utf-8"
    )
    s = Settings(workspace=tmp_path, watch_list="wl.yaml")
    assert watch_list_path(s) == tmp_path / "wl.yaml"
    stage = IndicatorStage.from_settings(s)
    doc = Doc(
        1,
        Post.create(
            source="s",
            source_id="1",
            text="Pak Budi Kaya: dijamin untung, WA 0812-3456-7890",
            published_at=datetime(2026, 11, 1, tzinfo=UTC),
        ),
    )
    stage.process([doc])
    assert doc.indicators["impersonation"] == ["Budi Kaya"]
    assert extract_indicators("Elon Musk: dijamin untung", watch_list=stage.watch_list)["impersonation"] == [
        "Elon Musk"
    ]


def test_a_broken_watch_list_is_a_clear_error(tmp_path):
    (tmp_path / "bad.yaml").write_text("entries:\n  - {kind: person}\n", encoding="utf-8")
    with pytest.raises(WatchListError, match="entry 1 has no name"):
        load_watch_list(tmp_path / "bad.yaml")


# --- the whole extraction ----------------------------------------------------------------------------


def test_ordinary_posts_have_no_indicators():
    for text in [
        "Refund belum masuk sejak 01/11/2026, order 2611019876",
        "This ad keeps showing up on my feed and it is so annoying",
        "โฆษณานี้หลอกลวง สั่งของแล้วไม่ได้ของ",
        "这个广告是假的，退款一直没到账",
        "scampi",
    ]:
        assert extract_indicators(text) == {}


def test_kinds_come_in_the_documented_order():
    ind = extract_indicators(f"Elon Musk: dijamin untung! WA 0812-3456-7890 bit.ly/x1 {TRON} Rp 500.000 buruan")
    assert list(ind) == [k for k in KINDS if k in ind]
    assert set(ind) == set(KINDS) - {"lookalike_link", "lure"}


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_extraction_never_raises_and_is_deterministic(text):
    first = extract_indicators(text)
    assert first == extract_indicators(text)
    assert set(first) <= set(KINDS)
    for values in first.values():
        assert values and len(values) == len(set(values))


ALPHABET = st.sampled_from([*"0123456789 +-.()/:@abcdefxyzTWAwa%$Rp", "bit.ly/", "wa.me/", ".com", "08", "+62"])


@settings(max_examples=300, deadline=None)
@given(st.lists(ALPHABET, max_size=60).map("".join))
def test_values_derive_from_the_text(text):
    digits = "".join(c for c in text if c.isdigit())
    folded = text.casefold()
    for k, values in extract_indicators(text).items():
        for v in values:
            if k in ("link", "short_link", "lookalike_link"):
                assert v.split("/")[0].split("?")[0] in folded
            elif k == "phone":
                assert v.lstrip("+")[-7:] in digits  # the subscriber number is in the text's digits
            elif k == "wallet":
                assert v.split(":")[-1].lower() in folded
            elif k == "money":
                assert any(c.isdigit() for c in text)


# --- risk score --------------------------------------------------------------------------------------


def test_strong_scam_signatures_score_high_without_a_category():
    ind = extract_indicators("Profit 30% daily guaranteed! WA 0812-3456-7890")
    assert scam_signature_score(ind) >= 0.5
    assert risk_score({}, {}, 0.5, ind) >= 0.5


def test_indicators_raise_a_category_score_and_never_pass_one():
    base = risk_score({"scam_ads": 1}, {"scam_ads": 8}, 0.0)
    assert risk_score({"scam_ads": 1}, {"scam_ads": 8}, 0.0, {"wallet": ["btc:x"]}) > base
    everything = {k: ["x"] for k in KINDS}
    assert risk_score({"a": 5, "b": 5}, {"a": 10, "b": 10}, -1.0, everything) <= 1.0


def test_plain_links_or_money_add_nothing_and_a_bare_contact_reaches_the_operating_point():
    assert scam_signature_score({"link": ["a.com"], "money": ["IDR 5"]}) == 0.0
    assert scam_signature_score({"link": ["a.com"], "phone": ["+6281234567890"]}) == 0.35
    # a contact counts once: inside "returns + contact" it adds nothing more
    assert scam_signature_score({"returns": ["x"], "phone": ["+6281234567890"]}) == 0.7


def test_pipeline_order_lets_taxonomy_rules_read_indicators(tmp_path):
    from monitio.pipeline import default_pipeline

    names = default_pipeline(Settings(workspace=tmp_path), with_models=False).names
    assert names.index("indicators") < names.index("categories") < names.index("risk")


# --- storage and search ------------------------------------------------------------------------------

SCAM = f"Dijamin untung 30% per hari! WA 0812-3456-7890, kirim USDT ke {TRON}"
PLAIN = "Iklan ini mengganggu sekali"


def _store_and_enrich(ws):
    from monitio.enrich.runner import enrich_pending
    from monitio.store.repo import insert_posts

    t = datetime(2026, 11, 1, 8, tzinfo=UTC)
    posts = [
        Post.create(source="t", source_id="scam", text=SCAM, published_at=t, market_hint="ID"),
        Post.create(source="t", source_id="plain", text=PLAIN, published_at=t, market_hint="ID"),
    ]
    with ws.engine.begin() as conn:
        insert_posts(conn, posts)
    enrich_pending(ws.engine, Pipeline([IndicatorStage(), RiskScoreStage({})]))
    return posts


def test_indicators_are_stored_and_read_back(ws):
    from monitio.store.repo import doc_from_row
    from monitio.store.schema import posts as posts_table

    scam, plain = _store_and_enrich(ws)
    with ws.engine.connect() as conn:
        rows = {r.uid: r for r in conn.execute(select(posts_table))}
    doc = doc_from_row(rows[scam.uid])
    assert doc.indicators["wallet"] == [f"trx:{TRON}"]
    assert doc.indicators["phone"] == ["+6281234567890"]
    assert doc.indicators["returns"] == ["dijamin untung", "30%/day"]
    assert doc.risk_score >= 0.5
    assert rows[plain.uid].indicators is None
    assert doc_from_row(rows[plain.uid]).indicators == {}


def test_has_filter_finds_stored_posts_in_search_api_and_cli(ws):
    from typer.testing import CliRunner

    from monitio.cli.main import app
    from monitio.cli.search_cmd import search_posts
    from monitio.query import compile_query
    from monitio.services.search import item_json, search

    scam, _ = _store_and_enrich(ws)
    found = [d.post.uid for d, _ in search_posts(ws.engine, compile_query("has:wallet"), None)]
    assert found == [scam.uid]
    assert [d.post.uid for d, _ in search_posts(ws.engine, compile_query("has:phone|link -has:wallet"), None)] == []
    page = search(ws.engine, "has:messaging AND untung")
    assert page.total == 1 and item_json(page.items[0])["source_id"] == scam.source_id
    res = CliRunner().invoke(app, ["search", "has:wallet", "--workspace", str(ws.path), "--json"])
    assert res.exit_code == 0, res.output
    assert [r["source_id"] for r in json.loads(res.stdout)["items"]] == ["scam"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("URGENT! You have won a prize, to claim call 09061701461", True),
        ("Selamat anda terpilih mendapatkan hadiah, info hub 081234567890", True),
        ("Text WIN to 87121 now, 150p/msg", True),
        ("check out my channel and subscribe to my videos", True),
        ("恭喜你获得红包，点击链接领取奖品", True),
        ("Promo gratis ongkir, diskon 50% hari ini", False),
        ("are you free tonight? I won the match lol", False),
        ("I love this song so much", False),
    ],
)
def test_spam_lures_make_a_scam_signature_and_promos_do_not(text, expected):
    from monitio.enrich.risk import scam_signature_score

    assert (scam_signature_score(extract_indicators(text)) >= 0.35) is expected, extract_indicators(text)


def test_one_ordinary_word_that_can_be_a_lure_is_not_a_scam_signature():
    from monitio.enrich.risk import scam_signature_score

    for text in ("đoán trúng rồi", "ဆုတောင်းပါတယ်", "what a win", "इनाम मिला"):
        assert scam_signature_score(extract_indicators(text)) == 0.0, (text, extract_indicators(text))
