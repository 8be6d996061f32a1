"""Planted-event evaluation: real scam texts rising into a real multilingual background stream.

    .venv/bin/python benchmarks/planted_events.py --data ../shared/data [--seeds 3] [--json out.json]

For each seed a background stream is built from the labelled sentiment sets (`sentiment-*`: real posts
in ten languages, each set given to the market that speaks it), 21 days of posts with a day/night
rhythm in each market's time zone and about 4 posts an hour per market; every background post joins two
random texts of its set, so the stream does not repeat itself as copy-paste. The stream is ingested
into a fresh SQLite workspace and enriched once.

An event is then planted into a copy of that workspace: real scam messages (`scam-smishing-en`
smishing + spam into the Philippines, `spam-sms-id` fraud into Indonesia), each from a new account,
with one of three shapes starting at a random hour of day 18:

* `spike`: `rate` posts an hour for 6 hours;
* `ramp`:  rising linearly from 0 to 2 x `rate` an hour over 24 hours;
* `step`:  `rate` posts an hour for 48 hours.

Detection (`monitio.detect.signals.detect_signals`, default settings) runs every 2 hours from the
event's start, seeing only data up to that hour, until a signal names the event's market (a hit), and
once more 48 hours after the start. Reported per dataset x shape x rate over the seeds:

* **recall**: share of events found within 48 hours;
* **delay**: median hours from the event's start to its first signal;
* **precision**: signals about the event / all signals opened during the 48 hours (the background's
  own signals in the same window count against it);
* **quiet false alarms**: signals opened per day in the same hours without any planted event;
* **matched**: share of planted texts that matched a risk category (what the taxonomy sees).
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import func, select

from monitio.detect.signals import detect_signals
from monitio.enrich.runner import enrich_pending
from monitio.pipeline import default_pipeline
from monitio.records import Post
from monitio.store.repo import insert_posts
from monitio.store.schema import posts, signals
from monitio.workspace import init_workspace, open_workspace

BACKGROUND = {  # sentiment set -> (market, UTC offset in hours)
    "sentiment-en": ("SG", 8),
    "sentiment-id": ("ID", 7),
    "sentiment-th": ("TH", 7),
    "sentiment-vi": ("VN", 7),
    "sentiment-ko": ("KR", 9),
    "sentiment-zh": ("TW", 8),
    "sentiment-bn": ("BD", 6),
    "sentiment-ur": ("PK", 5),
    "sentiment-hi-latn": ("IN", 5),
    "sentiment-ta-codemix": ("LK", 5),
}
EVENTS = {  # planted set -> (labels taken, market)
    "scam-smishing-en": ({"smishing", "spam"}, "PH"),
    "spam-sms-id": ({"fraud"}, "ID"),
}
SHAPES = ("spike", "ramp", "step")
DAYS = 21
EVENT_DAY = 17
CHECK_EVERY = 2
HORIZON = 48
BASE_RATE = 4.0


@dataclass
class Outcome:
    """One planted event (or one quiet run)."""

    dataset: str
    shape: str
    rate: float
    seed: int
    found: bool
    delay: float | None
    event_signals: int
    other_signals: int
    matched: float


def read_texts(path: Path, labels: set[str] | None = None) -> list[str]:
    with open(path, encoding="utf-8", newline="") as fh:
        rows = csv.DictReader(fh)
        return [
            r["text"]
            for r in rows
            if r.get("text") and "\ufffd" not in r["text"] and (labels is None or r.get("label") in labels)
        ]


def diurnal(local_hour: int) -> float:
    """Relative activity by local hour: low at night, peaks at lunch and in the evening (mean ~1)."""
    return (
        0.25 + 0.9 * math.exp(-(((local_hour - 12.5) / 2.5) ** 2)) + 1.4 * math.exp(-(((local_hour - 20.5) / 2.5) ** 2))
    )


def poisson(rng: random.Random, lam: float) -> int:
    """A Poisson draw (Knuth; lam is small here)."""
    limit, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def background_posts(data: Path, start: datetime, seed: int) -> list[Post]:
    rng = random.Random(seed)
    out: list[Post] = []
    for name, (market, offset) in BACKGROUND.items():
        path = data / name / "data.csv"
        if not path.is_file():
            continue
        texts = read_texts(path)
        for h in range(DAYS * 24):
            ts = start + timedelta(hours=h)
            for _ in range(poisson(rng, BASE_RATE * diurnal((ts.hour + offset) % 24))):
                text = f"{rng.choice(texts)} {rng.choice(texts)}"
                at = ts + timedelta(seconds=rng.randrange(3600))
                out.append(
                    Post.create(
                        source="background",
                        source_id=f"{name}-{len(out)}",
                        text=text,
                        published_at=at,
                        author=f"{market.lower()}_user{rng.randrange(4000)}",
                        market_hint=market,
                    )
                )
    return out


def event_rates(shape: str, rate: float) -> list[float]:
    """Posts per hour from the event's start, hour by hour."""
    if shape == "spike":
        return [rate] * 6
    if shape == "ramp":
        return [2 * rate * (h + 1) / 24 for h in range(24)]
    return [rate] * 48


def event_posts(texts: list[str], market: str, shape: str, rate: float, start: datetime, seed: int) -> list[Post]:
    rng = random.Random(seed * 7919 + SHAPES.index(shape) * 101 + int(rate * 10))
    out: list[Post] = []
    for h, lam in enumerate(event_rates(shape, rate)):
        for _ in range(poisson(rng, lam)):
            at = start + timedelta(hours=h, seconds=rng.randrange(3600))
            out.append(
                Post.create(
                    source="planted",
                    source_id=f"{seed}-{shape}-{rate}-{len(out)}",
                    text=rng.choice(texts),
                    published_at=at,
                    author=f"fresh_{seed}_{shape}_{rate}_{len(out)}",
                    market_hint=market,
                )
            )
    return out


_PIPELINE = []


def _store(ws, batch: list[Post]) -> None:
    """Insert and enrich (one pipeline for the whole run: building it loads the language models)."""
    with ws.engine.begin() as conn:
        for i in range(0, len(batch), 2000):
            insert_posts(conn, batch[i : i + 2000])
    if not _PIPELINE:
        _PIPELINE.append(default_pipeline(ws.settings))
    enrich_pending(ws.engine, _PIPELINE[0])


def _new_signals(ws, after_id: int) -> list[tuple[str, list[str]]]:
    """(kind, markets) of the signals opened after `after_id` (collector health left out)."""
    with ws.engine.connect() as conn:
        rows = conn.execute(
            select(signals.c.kind, signals.c.markets).where(signals.c.id > after_id, signals.c.kind != "source_failing")
        ).all()
    return [(kind, list(m or [])) for kind, m in rows]


def watch(ws, start: datetime, market: str | None) -> tuple[float | None, list[str], list[str]]:
    """Run detection every CHECK_EVERY hours from `start` (stopping early once `market` is named) and at
    the horizon; returns (delay of the first signal naming `market`, kinds of the signals about it, the
    other signals as `kind:markets`)."""
    with ws.engine.connect() as conn:
        last_id = conn.execute(select(func.coalesce(func.max(signals.c.id), 0))).scalar_one()
    delay = None
    for h in range(CHECK_EVERY, HORIZON + 1, CHECK_EVERY):
        if delay is not None and h < HORIZON:
            continue
        detect_signals(ws, now=start + timedelta(hours=h))
        if delay is None and market is not None and any(market in m for _, m in _new_signals(ws, last_id)):
            delay = float(h)
    opened = _new_signals(ws, last_id)
    about = [kind for kind, m in opened if market is not None and market in m]
    other = [f"{kind}:{','.join(m) or 'all'}" for kind, m in opened if market is None or market not in m]
    return delay, about, other


def matched_share(ws, source: str = "planted") -> float:
    with ws.engine.connect() as conn:
        total = conn.execute(select(func.count()).select_from(posts).where(posts.c.source == source)).scalar_one()
        hit = conn.execute(
            select(func.count())
            .select_from(posts)
            .where(posts.c.source == source, posts.c.categories.is_not(None), posts.c.categories != "")
        ).scalar_one()
    return hit / total if total else 0.0


def run(data: Path, seeds: int, rates: list[float], say) -> list[Outcome]:
    outcomes: list[Outcome] = []
    root = Path(tempfile.mkdtemp(prefix="monitio-planted-"))
    planted = {name: read_texts(data / name / "data.csv", labels) for name, (labels, _) in EVENTS.items()}
    try:
        for seed in range(seeds):
            start = datetime(2026, 10, 1, tzinfo=UTC)
            base_dir = root / f"base{seed}"
            ws = init_workspace(base_dir)
            batch = background_posts(data, start, seed)
            _store(ws, batch)
            ws.engine.dispose()
            say(f"seed {seed}: background of {len(batch)} posts ready")
            rng = random.Random(seed)
            event_start = start + timedelta(days=EVENT_DAY, hours=rng.randrange(24))
            quiet_dir = root / f"quiet{seed}"
            shutil.copytree(base_dir, quiet_dir)
            qws = open_workspace(quiet_dir)
            _, _, quiet = watch(qws, event_start, None)
            qws.engine.dispose()
            say(f"seed {seed} quiet: {len(quiet)} signals {quiet}")
            outcomes.append(Outcome("none", "quiet", 0.0, seed, False, None, 0, len(quiet), 0.0))
            for name, (_, market) in EVENTS.items():
                if not planted[name]:
                    continue
                for shape in SHAPES:
                    for rate in rates:
                        run_dir = root / f"run{seed}-{name}-{shape}-{rate}"
                        shutil.copytree(base_dir, run_dir)
                        rws = open_workspace(run_dir)
                        _store(rws, event_posts(planted[name], market, shape, rate, event_start, seed))
                        delay, about, other = watch(rws, event_start, market)
                        share = matched_share(rws)
                        rws.engine.dispose()
                        shutil.rmtree(run_dir, ignore_errors=True)
                        outcomes.append(
                            Outcome(name, shape, rate, seed, delay is not None, delay, len(about), len(other), share)
                        )
                        say(f"seed {seed} {name} {shape} rate {rate}: delay {delay} h, about it {about}, other {other}")
    finally:
        shutil.rmtree(root, ignore_errors=True)
    return outcomes


def summarise(outcomes: list[Outcome]) -> list[dict]:
    groups: dict[tuple[str, str, float], list[Outcome]] = defaultdict(list)
    for o in outcomes:
        groups[(o.dataset, o.shape, o.rate)].append(o)
    quiet = [o.other_signals for o in outcomes if o.shape == "quiet"]
    quiet_per_day = statistics.mean(quiet) / (HORIZON / 24) if quiet else 0.0
    rows = []
    for (dataset, shape, rate), os in sorted(groups.items()):
        if shape == "quiet":
            continue
        delays = [o.delay for o in os if o.delay is not None]
        about = sum(o.event_signals for o in os)
        other = sum(o.other_signals for o in os)
        rows.append(
            {
                "dataset": dataset,
                "shape": shape,
                "rate_per_hour": rate,
                "runs": len(os),
                "recall": round(sum(o.found for o in os) / len(os), 3),
                "median_delay_h": statistics.median(delays) if delays else None,
                "precision": round(about / (about + other), 3) if about + other else None,
                "matched": round(statistics.mean(o.matched for o in os), 3),
                "quiet_false_alarms_per_day": round(quiet_per_day, 2),
            }
        )
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=Path("../shared/data"))
    ap.add_argument("--seeds", type=int, default=3)
    ap.add_argument("--rates", default="1,3,6", help="event posts per hour, comma-separated")
    ap.add_argument("--json", type=Path, help="also write the summary here")
    args = ap.parse_args()
    missing = [n for n in (*BACKGROUND, *EVENTS) if not (args.data / n / "data.csv").is_file()]
    if len(missing) == len(BACKGROUND) + len(EVENTS):
        sys.exit(f"no data sets under {args.data}: pass --data <shared/data folder>")
    t0 = time.perf_counter()
    outcomes = run(
        args.data, args.seeds, [float(r) for r in args.rates.split(",")], lambda m: print(m, file=sys.stderr)
    )
    rows = summarise(outcomes)
    print(f"{'dataset':<18}{'shape':<7}{'rate/h':>7}{'recall':>8}{'delay h':>9}{'precision':>11}{'matched':>9}")
    for r in rows:
        delay = "-" if r["median_delay_h"] is None else f"{r['median_delay_h']:.0f}"
        prec = "-" if r["precision"] is None else f"{r['precision']:.2f}"
        print(
            f"{r['dataset']:<18}{r['shape']:<7}{r['rate_per_hour']:>7.0f}{r['recall']:>8.2f}{delay:>9}{prec:>11}"
            f"{r['matched']:>9.2f}"
        )
    if rows:
        print(f"quiet runs: {rows[0]['quiet_false_alarms_per_day']} signals per day without an event")
    print(f"{args.seeds} seeds in {time.perf_counter() - t0:.0f} s")
    if args.json:
        args.json.write_text(json.dumps({"rows": rows, "seeds": args.seeds}, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
