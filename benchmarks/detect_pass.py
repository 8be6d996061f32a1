"""A full detection pass at scale, beside a naive baseline run in the same process.

Synthetic SQLite workspace: 1,000 hourly series (40 categories x 25 markets) x 90 days of rollups,
and 20,000 risk posts in the last 24 h (plus 40,000 over the 7 days before) in 2,000 narratives.
Phases timed: loading the series from the rollups, the many-series spike scan, sentiment shifts
(rollups), emerging-narrative scoring of the last 24 h and term bursts (8 days of risk posts).
Naive baseline: for every series and every hour of the last 7 days, a rolling mean / standard
deviation z-score over the 14 days before it, in Python loops over numpy slices.

    .venv/bin/python benchmarks/detect_pass.py --series 1000 --days 90 --posts 20000 [--check] [--workdir DIR]

`--check` also runs the detection code from before the speed work (`tests/detect_reference.py`: per-row GROUP BY
reads and Python loops) on the same workspace, fails if any series, shift, narrative score or burst
differs, and prints its phase times. `--workdir` keeps the synthetic workspace and reuses it on the next run.

Machines here are noisy: compare ratios from one run, not absolute numbers across runs.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # `--check` imports tests/detect_reference.py

END = datetime(2026, 11, 24, 12, tzinfo=UTC)
FMT = "%Y-%m-%d %H:%M:%S.%f"
WORDS = [f"w{i}" for i in range(3000)]
ROLLUP_INSERT = (
    "INSERT INTO rollups (bucket, market, lang, category, source, count, negative, positive, engagement, authors)"
    " VALUES (?,?,?,?,?,?,?,?,?,?)"
)


def _ts(dt: datetime) -> str:
    return dt.astimezone(UTC).replace(tzinfo=None).strftime(FMT)


def _write_rollups(db: Path, n_series: int, days: int, rng) -> None:
    cats = [f"cat{i}" for i in range(max(1, n_series // 25))]
    markets = [f"M{i:02d}" for i in range(25)]
    hours = days * 24
    start = END - timedelta(hours=hours)
    stamps = [_ts(start + timedelta(hours=h)) for h in range(hours)]
    how = (np.arange(hours) + start.weekday() * 24 + start.hour) % 168
    shape = (1 + 0.8 * np.sin((how % 24 - 6) / 24 * 2 * np.pi)) * np.where(how // 24 >= 5, 1.3, 1.0)
    con = sqlite3.connect(db)
    totals = {m: np.zeros(hours, dtype=np.int64) for m in markets}
    for c in cats:
        rows = []
        for m in markets:
            counts = rng.poisson(rng.uniform(0.3, 8) * shape)
            neg = rng.binomial(counts, 0.3)
            totals[m] += counts
            rows += [
                (stamps[h], m, "xx", c, "bench", int(counts[h]), int(neg[h]), 0, 0, 0) for h in np.nonzero(counts)[0]
            ]
        con.executemany(ROLLUP_INSERT, rows)
    for m, counts in totals.items():
        rows = [(stamps[h], m, "xx", "_all", "bench", int(counts[h]), 0, 0, 0, 0) for h in np.nonzero(counts)[0]]
        con.executemany(ROLLUP_INSERT, rows)
    con.commit()
    con.close()


def _write_posts(db: Path, n_recent: int, rng) -> None:
    """Risk posts and their narratives: 2,000 narratives, 20,000 posts in the last 24 h, 2x that before."""
    n_narr = 2000
    con = sqlite3.connect(db)
    now = _ts(END)
    topics = rng.integers(0, len(WORDS), (n_narr, 6))
    first = [END - timedelta(days=float(rng.uniform(0, 30))) for _ in range(n_narr)]
    narr_rows = []
    for i in range(n_narr):
        dims = rng.choice(4096, 60, replace=False)
        centroid = {str(int(d)): round(float(v), 3) for d, v in zip(dims, rng.uniform(0.1, 3, 60), strict=True)}
        terms = {WORDS[t]: int(rng.integers(1, 50)) for t in topics[i]}
        cat, mkt = f"cat{i % 40}", f"M{i % 25:02d}"
        narr_rows.append(
            (i + 1, json.dumps(centroid), 50, json.dumps(terms), json.dumps({cat: 50}), json.dumps({mkt: 50}),
             json.dumps({"en": 50}), _ts(first[i]), now, now)
        )  # fmt: skip
    con.executemany(
        "INSERT INTO narratives (id, centroid, size, terms, categories, markets, langs, first_seen, last_seen,"
        " updated_at) VALUES (?,?,?,?,?,?,?,?,?,?)",
        narr_rows,
    )
    weights = rng.pareto(1.2, n_narr) + 0.1
    weights /= weights.sum()
    posts, links = [], []
    total = n_recent * 3
    for pid in range(1, total + 1):
        recent = pid <= n_recent
        age = rng.uniform(0, 24) if recent else rng.uniform(24, 24 * 8)
        ts = END - timedelta(hours=float(age))
        nid = int(rng.choice(n_narr, p=weights))
        words = [WORDS[t] for t in rng.choice(topics[nid], 4)] + [WORDS[t] for t in rng.integers(0, 3000, 6)]
        text = " ".join(words)
        cat, mkt = f"cat{nid % 40}", f"M{(nid + int(rng.integers(0, 3))) % 25:02d}"
        label = "negative" if rng.random() < 0.4 else "neutral"
        evidence = json.dumps({cat: {"rule": "bench", "terms": [words[0]]}})
        posts.append(
            (pid, f"u{pid:030d}", "bench", str(pid), text, _ts(ts), now, 1, 0, 0, 0, f"a{rng.integers(5000)}",
             "en", mkt, label, cat, evidence)
        )  # fmt: skip
        links.append((pid, nid + 1, 60, _ts(ts)))
    con.executemany(
        "INSERT INTO posts (id, uid, source, source_id, text, published_at, ingested_at, likes, shares, comments,"
        " views, author, lang, market, sentiment_label, categories, evidence) VALUES"
        " (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        posts,
    )
    con.executemany("INSERT INTO post_narratives VALUES (?,?,?,?)", links)
    con.commit()
    con.close()


def naive_zscores(series: dict[str, np.ndarray], scan_hours: int = 168, history: int = 336) -> int:
    """Per series, per hour: z = (x - rolling mean) / rolling std over the 14 days before; count z > 4."""
    flagged = 0
    for values in series.values():
        n = len(values)
        for t in range(n - scan_hours, n):
            window = values[t - history : t]
            mu, sd = window.mean(), window.std()
            if sd > 0 and (values[t] - mu) / sd > 4:
                flagged += 1
    return flagged


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--series", type=int, default=1000)
    ap.add_argument("--days", type=int, default=90)
    ap.add_argument("--posts", type=int, default=20000)
    ap.add_argument("--workdir", type=Path, help="keep the synthetic workspace here and reuse it when it exists")
    ap.add_argument(
        "--check",
        action="store_true",
        help="also run the detection code from before the speed work (tests/detect_reference.py), compare, time it",
    )
    args = ap.parse_args()

    from sqlalchemy import func, select

    from monitio.detect.bursts import find_bursts
    from monitio.detect.emerging import score_narratives
    from monitio.detect.frame import RollupFrame
    from monitio.detect.scan import scan_series
    from monitio.detect.shifts import SPAN as SHIFT_SPAN
    from monitio.detect.shifts import find_shifts
    from monitio.detect.signals import HISTORY_DAYS
    from monitio.store.schema import rollups
    from monitio.workspace import init_workspace

    rng = np.random.default_rng(1)
    work = args.workdir or Path(tempfile.mkdtemp(prefix="monitio-bench-"))
    db = work / "ws" / "monitio.db"
    reuse = db.exists()
    ws = init_workspace(work / "ws")
    t0 = time.perf_counter()
    if not reuse:
        _write_rollups(db, args.series, args.days, rng)
        _write_posts(db, args.posts, rng)
    setup = time.perf_counter() - t0
    times: dict[str, float] = {}
    with ws.engine.connect() as conn:
        n_rows = conn.execute(select(func.count()).select_from(rollups)).scalar_one()
        start = END - timedelta(days=HISTORY_DAYS)
        t = time.perf_counter()
        # As `detect_signals` does: one read of the rollups for the series and the sentiment shifts.
        frame = RollupFrame.load(conn, min(start, END - SHIFT_SPAN), END)
        series = frame.series(start, HISTORY_DAYS * 24)
        times["load series (rollups, 35 days)"] = time.perf_counter() - t
        t = time.perf_counter()
        findings = scan_series(series, start, window_hours=168, fdr=0.01)
        times["spike scan"] = time.perf_counter() - t
        t = time.perf_counter()
        shifts = find_shifts(conn, END, frame=frame)
        times["sentiment shifts"] = time.perf_counter() - t
        t = time.perf_counter()
        scored = score_narratives(conn, END)
        times["narrative scoring (last 24 h)"] = time.perf_counter() - t
        t = time.perf_counter()
        bursts, _ = find_bursts(conn, END)
        times["term bursts (8 days of risk posts)"] = time.perf_counter() - t
        if args.check:
            check = _check(conn, start, series, shifts, scored, bursts)
    market_series = {k: v for k, v in series.items() if "|mkt=" in k}
    t = time.perf_counter()
    naive_flags = naive_zscores(market_series)
    naive = time.perf_counter() - t
    print(f"setup (synthetic data): {setup:.1f} s; rollup rows: {n_rows:,}; series scanned: {len(series):,}")
    for name, sec in times.items():
        print(f"{name:40s} {sec:7.2f} s")
    print(f"{'naive rolling z-score (market series)':40s} {naive:7.2f} s")
    print(
        f"findings: {len(findings)} spikes, {len(shifts)} shifts, {len(scored)} narratives scored,"
        f" {len(bursts)} bursting terms; naive z > 4 flags: {naive_flags}"
    )
    print(f"ratio naive / spike scan: {naive / times['spike scan']:.1f}x")
    print(f"ratio naive / whole detection pass: {naive / sum(times.values()):.2f}x")
    print(f"{'whole detection pass':40s} {sum(times.values()):7.2f} s")
    if args.check:
        for name, sec in check.items():
            print(f"{name:40s} {sec:7.2f} s")
        old = sum(check.values()) + times["spike scan"]  # the spike scan itself did not change
        print(
            f"reference whole pass (old code) {old:.2f} s: {old / sum(times.values()):.1f}x the fast one; same results"
        )


def _check(conn, start, series, shifts, scored, bursts) -> dict[str, float]:
    """Run the frozen pre-issue-5 code on the same workspace; raise if any result differs; its phase times."""
    from monitio.detect.signals import HISTORY_DAYS
    from tests import detect_reference as ref

    times = {}
    t = time.perf_counter()
    old_series = ref.load_series(conn, start, HISTORY_DAYS * 24)
    times["reference: load series"] = time.perf_counter() - t
    assert list(old_series) == list(series), "series keys differ"
    assert all(np.array_equal(old_series[k], series[k]) for k in series), "series values differ"
    t = time.perf_counter()
    assert ref.find_shifts(conn, END) == shifts, "sentiment shifts differ"
    times["reference: sentiment shifts"] = time.perf_counter() - t
    t = time.perf_counter()
    assert ref.score_narratives(conn, END) == scored, "narrative scores differ"
    times["reference: narrative scoring"] = time.perf_counter() - t
    t = time.perf_counter()
    assert ref.find_bursts(conn, END)[0] == bursts, "term bursts differ"
    times["reference: term bursts"] = time.perf_counter() - t
    return times


if __name__ == "__main__":
    main()
