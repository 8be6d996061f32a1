"""Emerging narratives: a planted new story is found with its markets and why; steady chatter is not."""

from datetime import timedelta

import numpy as np

from monitio.detect.emerging import narrative_drafts, score_narratives
from monitio.detect.narratives import assign_pending
from monitio.detect.signals import detect_signals
from monitio.detect.store import list_open_signals
from tests.trend_data import END, SLOTS, Planned, background, write

AIRDROP = "Airdrop crypto gratis katanya, sambungkan dompet lalu saldo {w} dikuras habis"


def _planted(n: int = 45, seed: int = 3, hours: int = 20) -> list[Planned]:
    rng = np.random.default_rng(seed)
    return [
        Planned(
            END - timedelta(hours=hours) + timedelta(minutes=int(rng.integers(hours * 60))),
            ["ID", "MY"][i % 2],
            "scam_ads",
            AIRDROP.format(w=SLOTS[i % len(SLOTS)]),
            "id",
            f"victim{i}",
            i % 5 != 0,
            ["airdrop"],
        )
        for i in range(n)
    ]


def _narrative_keys(ws) -> set[str]:
    keys = set()
    for s in list_open_signals(ws.engine, limit=100):
        if s["kind"] == "emerging_narrative":
            keys.add(s["key"])
        keys |= {r["key"] for r in s["details"].get("related", []) if r["kind"] == "emerging_narrative"}
    return keys


def test_planted_new_narrative_is_found_with_its_markets_and_why(ws):
    write(ws, background() + _planted())
    assign_pending(ws.engine)
    with ws.engine.connect() as conn:
        drafts = narrative_drafts(conn, END, None)
        scores = score_narratives(conn, END)
    assert len(drafts) == 1, [d.why for d in drafts]
    d = drafts[0]
    assert d.kind == "emerging_narrative" and set(d.markets) == {"ID", "MY"}
    assert d.categories == ["scam_ads"] and d.observed == 45
    assert (
        d.why.startswith("New narrative (scam_ads) in Indonesia and Malaysia: 'airdrop'")
        and "45 posts by 45 accounts" in d.why
    )
    assert "airdrop" in d.why and "80% negative" in d.why
    assert len(d.evidence) == 8 and d.details["components"]["growth"] == 1.0
    steady = [s for s in scores if s.narrative_id != d.details["narrative_id"]]
    assert steady and max(s.score for s in steady) < 0.3  # the template chatter is not emerging


def test_steady_chatter_raises_no_emerging_narrative(ws):
    write(ws, background(seed=5))
    assign_pending(ws.engine)
    with ws.engine.connect() as conn:
        assert narrative_drafts(conn, END, None) == []


def test_narrative_signal_keeps_its_id_across_runs(ws):
    write(ws, background() + _planted())
    assign_pending(ws.engine)
    first = detect_signals(ws, now=END)
    keys = _narrative_keys(ws)
    assert len(keys) == 1 and first.new >= 1
    more = [
        Planned(
            END + timedelta(minutes=5 * i),
            "ID",
            "scam_ads",
            AIRDROP.format(w="koin"),
            "id",
            f"late{i}",
            True,
            ["airdrop"],
        )
        for i in range(6)
    ]
    write(ws, more, first_id=100_000)
    assign_pending(ws.engine)
    second = detect_signals(ws, now=END + timedelta(hours=1))
    assert _narrative_keys(ws) == keys
    assert second.new == 0
