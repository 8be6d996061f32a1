"""Term and hashtag bursts: planted words are found per market with a why; usual hours are not news."""

from datetime import timedelta

import numpy as np

from monitio.detect.bursts import burst_drafts, find_bursts, post_terms
from tests.trend_data import END, Planned, background, refund_burst_my, write


def _planted() -> list[Planned]:
    rng = np.random.default_rng(9)
    out = refund_burst_my(rng)

    out += [
        Planned(
            END - timedelta(minutes=int(rng.integers(1, 300))),
            "TH",
            "payments_refunds",
            "ร้านไม่ยอมคืนเงิน #คืนเงินด่วน",
            "th",
            f"th{i}",
            True,
            ["คืนเงิน"],
        )
        for i in range(12)
    ]
    return out


def test_thai_posts_give_hashtags_and_matched_terms_only():
    assert post_terms("ร้านไม่ยอมคืนเงิน #คืนเงินด่วน", {"payments_refunds": {"terms": ["คืนเงิน"]}}) == {
        "#คืนเงินด่วน",
        "คืนเงิน",
    }


def test_planted_terms_and_hashtags_burst_in_their_markets(ws):
    write(ws, background() + _planted())
    with ws.engine.connect() as conn:
        drafts = burst_drafts(conn, END, None)
    by_market = {d.markets[0]: d for d in drafts}
    assert set(by_market) == {"MY", "TH"}, [d.why for d in drafts]
    my = by_market["MY"]
    assert my.kind == "term_burst" and my.categories == ["payments_refunds"]
    assert my.why.startswith("'dealhub' jumped to 20 mentions in Malaysia in the last 6 h (new: almost never seen)")
    assert "'ditolak'" in my.why and "mostly payments_refunds posts" in my.why
    assert {t["term"] for t in my.details["terms"]} >= {"dealhub", "ditolak", "official", "store", "rosak"}
    assert by_market["TH"].details["terms"][0]["term"] == "#คืนเงินด่วน"


def test_a_term_busy_at_the_same_hours_every_day_is_not_a_burst(ws):
    rng = np.random.default_rng(4)
    daily = [
        Planned(
            END - timedelta(days=d, minutes=int(rng.integers(1, 360))),
            "ID",
            "scam_ads",
            "Promo pagi investasi kilat cek sekarang",
            "id",
            f"m{d}-{i}",
            False,
            ["investasi"],
        )
        for d in range(0, 9)
        for i in range(10)
    ]
    write(ws, background() + daily)
    with ws.engine.connect() as conn:
        bursts, _ = find_bursts(conn, END)
    assert not [b for b in bursts if b.term == "kilat"]


def test_steady_chatter_raises_no_term_burst(ws):
    write(ws, background(seed=11))
    with ws.engine.connect() as conn:
        assert burst_drafts(conn, END, None) == []
