"""Sentiment shifts: a planted rise of negative share is found with before/after shares; noise is not."""

import re
from datetime import timedelta

import numpy as np

from monitio.detect.shifts import find_shifts, shift_drafts
from monitio.detect.signals import detect_signals
from monitio.detect.store import list_open_signals
from tests.trend_data import END, background, write


def _soured(seed: int = 1, share: float = 0.85):
    rng = np.random.default_rng(seed + 100)
    posts = background(seed)
    for p in posts:
        if p.market == "TH" and p.category == "payments_refunds" and p.ts >= END - timedelta(hours=24):
            p.negative = bool(rng.random() < share)
    return posts


def test_planted_shift_is_found_with_before_and_after_shares(ws):
    write(ws, _soured())
    with ws.engine.connect() as conn:
        drafts = shift_drafts(conn, END, None)
    assert [(d.markets, d.categories) for d in drafts] == [(["TH"], ["payments_refunds"])]
    d = drafts[0]
    assert d.kind == "sentiment_shift" and d.evidence
    assert 0.25 <= d.details["negative_share_before"] <= 0.35 and d.details["negative_share_after"] >= 0.7
    assert re.match(
        r"Negative share of payments_refunds posts in Thailand rose from [23]\d% to [789]\d% \(n=\d+\) in the last",
        d.why,
    )
    detect_signals(ws, now=END)
    shifts = [s for s in list_open_signals(ws.engine) if s["kind"] == "sentiment_shift"]
    assert len(shifts) == 1 and shifts[0]["markets"] == ["TH"] and "Payments" in shifts[0]["why"]


def test_random_mood_raises_no_shift(ws):
    write(ws, background(seed=21))
    with ws.engine.connect() as conn:
        assert find_shifts(conn, END) == []
