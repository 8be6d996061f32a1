"""The fast detection pass gives exactly what the code before it gave (issue 5), on SQLite and PostgreSQL.

One synthetic workspace with every detector firing (a planted sentiment shift, term bursts, a new
narrative over steady chatter) and odd rollup rows (unknown market, a zero-count row, a second source,
rows outside the range); the series, shifts, narrative scores and term bursts of the new code are
compared with the frozen copy of the old code in `tests/detect_reference.py`: same keys in the same
order, same numbers to the last bit.
"""

from __future__ import annotations

from datetime import timedelta

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import insert

from monitio.detect.bursts import find_bursts
from monitio.detect.emerging import score_narratives
from monitio.detect.frame import RollupFrame
from monitio.detect.narratives import _terms, assign_pending, features
from monitio.detect.shifts import SPAN, find_shifts
from monitio.detect.signals import HISTORY_DAYS, load_series
from monitio.detect.stattests import betabinom_tails, nb_tail, nb_tails
from monitio.enrich.textnorm import is_unspaced_char, strip_noise
from monitio.store.schema import rollups
from tests import detect_reference as ref
from tests.detect_reference import betabinom_tail
from tests.trend_data import END, SLOTS, Planned, background, refund_burst_my, write

TEXTS = [
    "Iklan investasi 0812-3456-7890 penipuan! https://x.co/a @budi #promo 🔥🔥 www.scam.id/x",
    "ร้านไม่ยอมคืนเงิน #คืนเงินด่วน ราคา 1,200 บาท",
    "詐欺広告 投資 2026年 #詐欺 返金されない",
    "환불 안 해줌 사기 광고 #사기",
    "Refund belum masuk untuk pesanan phone.com, sudah 7 hari :( ",
    "ĐƠN hàng không được hoàn tiền, lừa đảo quá   trời",
    "",
]


def _planted() -> list[Planned]:
    rng = np.random.default_rng(7)
    out = refund_burst_my(rng)  # a burst in MY

    out += [  # a new narrative in ID and MY
        Planned(
            END - timedelta(hours=20) + timedelta(minutes=int(rng.integers(20 * 60))),
            ["ID", "MY"][i % 2],
            "scam_ads",
            f"Airdrop crypto gratis katanya, sambungkan dompet lalu saldo {SLOTS[i % 10]} dikuras habis",
            "id",
            f"victim{i}",
            i % 5 != 0,
            ["airdrop"],
        )
        for i in range(45)
    ]
    out += [  # Thai hashtags and a post of unknown market
        Planned(END - timedelta(minutes=int(rng.integers(1, 300))), "TH", "payments_refunds", TEXTS[1], "th", f"t{i}",
                True, ["คืนเงิน"])
        for i in range(12)
    ]  # fmt: skip
    return out


def _soured() -> list[Planned]:
    rng = np.random.default_rng(101)
    posts = background(1)
    for p in posts:
        if p.market == "TH" and p.category == "payments_refunds" and p.ts >= END - timedelta(hours=24):
            p.negative = bool(rng.random() < 0.85)
    return posts


def _odd_rollups(ws) -> None:
    base = {"lang": "xx", "positive": 0, "engagement": 0, "authors": 0}
    rows = [
        {"bucket": END - timedelta(hours=3), "market": "_unknown", "category": "scam_ads", "source": "t", "count": 7,
         "negative": 2},
        {"bucket": END - timedelta(hours=3), "market": "_unknown", "category": "_all", "source": "t", "count": 7,
         "negative": 2},
        {"bucket": END - timedelta(hours=100), "market": "VN", "category": "scam_ads", "source": "other", "count": 0,
         "negative": 0},
        {"bucket": END - timedelta(hours=5), "market": "ID", "category": "scam_ads", "source": "other", "count": 4,
         "negative": 3},
        {"bucket": END - timedelta(days=60), "market": "ID", "category": "scam_ads", "source": "t", "count": 9,
         "negative": 1},
        {"bucket": END + timedelta(hours=2), "market": "ID", "category": "scam_ads", "source": "t", "count": 9,
         "negative": 9},
    ]  # fmt: skip
    with ws.engine.begin() as conn:
        conn.execute(insert(rollups), [{**base, **r} for r in rows])


def _same_series(new: dict, old: dict, ordered: bool) -> None:
    assert list(new) == list(old) if ordered else sorted(new) == sorted(old)
    for key, values in old.items():
        assert new[key].dtype == values.dtype and np.array_equal(new[key], values), key


def test_fast_detectors_equal_the_reference(ws):
    write(ws, _soured() + _planted())
    _odd_rollups(ws)
    assert assign_pending(ws.engine) > 0
    # The old series came out of a GROUP BY in the database's order: sorted on SQLite, a hash aggregate's
    # (unspecified) order on PostgreSQL. The new order is the sorted one on both.
    ordered = ws.engine.dialect.name == "sqlite"
    with ws.engine.connect() as conn:
        # series: the detection pass's own range, an unaligned start, and views of a wider frame
        start = END - timedelta(days=HISTORY_DAYS)
        for s, hours in [(start, HISTORY_DAYS * 24), (END - timedelta(days=10, minutes=30), 200)]:
            _same_series(load_series(conn, s, hours), ref.load_series(conn, s, hours), ordered)
        frame = RollupFrame.load(conn, END - timedelta(days=40), END + timedelta(hours=6))
        _same_series(frame.series(start, HISTORY_DAYS * 24), ref.load_series(conn, start, HISTORY_DAYS * 24), ordered)

        # sentiment shifts: own read, shared frame, an unaligned end
        shifts = ref.find_shifts(conn, END)
        assert ("TH", "payments_refunds") in [(s.market, s.category) for s in shifts]
        assert find_shifts(conn, END) == shifts
        assert find_shifts(conn, END, frame=frame) == shifts
        assert find_shifts(conn, END, frame=RollupFrame.load(conn, END - SPAN, END)) == shifts
        odd_end = END - timedelta(minutes=30)
        assert find_shifts(conn, odd_end, frame=frame) == ref.find_shifts(conn, odd_end)
        loose = ref.find_shifts(conn, END, fdr=0.5)
        assert len(loose) >= len(shifts) and find_shifts(conn, END, fdr=0.5) == loose

        # emerging narratives, 24 h and 6 h windows
        for hours in (24, 6):
            scores = ref.score_narratives(conn, END, hours=hours)
            assert scores and score_narratives(conn, END, hours=hours) == scores
        assert any(s.terms_by_lang for s in ref.score_narratives(conn, END))

        # term bursts (discoveries and the posts' info), default and a looser FDR
        bursts, info = ref.find_bursts(conn, END)
        assert {b.market for b in bursts} >= {"MY", "TH"}
        assert find_bursts(conn, END) == (bursts, info)
        assert find_bursts(conn, END, fdr=0.5) == ref.find_bursts(conn, END, fdr=0.5)


def test_text_helpers_equal_the_reference():
    evidence = {"scam_ads": {"terms": ["investasi", "คืนเงิน"]}, "x": {}}
    for text in TEXTS:
        assert strip_noise(text) == ref.strip_noise(text)
        assert features(text) == ref.features(text)
        assert _terms(text, evidence) == ref._terms(text, evidence)
    for ch in "aZ9 #กဓកあア中한ᄀ豈\U00020000😀":
        assert is_unspaced_char(ch) == ref.is_unspaced_char(ch), ch


def test_empty_frame_gives_no_series_and_no_shifts(ws):
    with ws.engine.connect() as conn:
        assert load_series(conn, END - timedelta(days=3), 72) == {} == ref.load_series(conn, END, 72)
        assert find_shifts(conn, END) == [] == ref.find_shifts(conn, END)
    empty = RollupFrame.from_cells(END, 4, [])
    assert empty.series(END, 4) == {} and empty.count.shape == (0, 4)


PIECES = [
    *["http://", "https://", "www.", ".com", ".id/", "@", "#", ".", ":", "/", " ", "  ", "\n", "0", "12", "3.5"],
    *["-", "iklan", "Refund", "ĐƠN", "คืนเงิน", "詐欺", "환불", "ကျေး", "ល", "😀", "\ufe0f", "ＳＣＡＭ", "w12"],
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=25).map("".join))
def test_text_helpers_equal_the_reference_on_any_mix(text):
    assert strip_noise(text) == ref.strip_noise(text)
    assert features(text) == ref.features(text)
    assert _terms(text, {"c": {"terms": [text[:5], text[:5], "x"]}}) == ref._terms(
        text, {"c": {"terms": [text[:5], "x"]}}
    )


def test_vectorised_tails_equal_the_scalar_ones():
    rng = np.random.default_rng(5)
    obs, exp = rng.integers(0, 300, 3000), rng.uniform(0, 80, 3000)
    for r in (5.0, 10.0, float("inf")):
        assert nb_tails(obs, exp, r).tolist() == [nb_tail(int(o), float(e), r) for o, e in zip(obs, exp, strict=True)]
    n = rng.integers(0, 400, 2000)
    k, share, rho = rng.integers(0, 400, 2000) % (n + 1), rng.uniform(0, 1, 2000), rng.uniform(0, 0.5, 2000)
    rho[::7] = 0.0
    expected = [betabinom_tail(int(a), int(b), c, d) for a, b, c, d in zip(k, n, share, rho, strict=True)]
    assert betabinom_tails(k, n, share, rho).tolist() == expected
