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
* **quiet false alarms**: signals opened per day in the same hours without any planted event, and per
  1,000 quiet series-days (series = the market x category x language rollup series the pass scanned,
  days = the 48 watched hours), all of them and those above severity 3 (context signals are capped at 3);
* **matched**: share of planted texts that matched a risk category (what the taxonomy sees).

Every run is made twice in the same process, on separate copies of the workspace (`--variants`):
`before` is the hourly pass with the severity rules from before the bursty-count precision work (no
familiar-burst cap in `monitio.detect.scan`, no context cap on benign campaigns in
`monitio.detect.signals`), `after` is the current code; `capped` (on request) is the first precision
session's rules (both caps, no persistence exception). All open the same signals by construction (the
caps lower severities, they drop nothing), so the difference shows above severity 3. Recall is
reported for any signal naming the market and for one above severity 3.

`--bursts-per-day B` adds benign news bursts to the background (B a day per market, Poisson arrivals;
each multiplies the market's volume by 1 + 0.5 x (1 + Pareto(1.6)), capped at 20, decaying over an
hour or two; posts from the market's own set): bursty social volume, the case the caps are for.
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
from contextlib import contextmanager
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
    """One planted event (or one quiet run) under one variant of the hourly pass."""

    dataset: str
    shape: str
    rate: float
    seed: int
    found: bool
    delay: float | None
    event_signals: int
    other_signals: int
    matched: float
    variant: str = "after"
    found_severe: bool = False
    delay_severe: float | None = None
    other_severe: int = 0
    series: int = 0


@contextmanager
def variant(name: str):
    """`before`: the severity rules from before the precision work (no familiar-burst cap, no context cap
    on benign campaigns); `capped`: both caps, without the persistence exception of the familiar-burst
    cap (the first precision session); `after`: the code as it is."""
    import monitio.detect.scan as scan
    import monitio.detect.signals as sig

    saved = scan.FAMILIAR_SEVERITY, sig.CONTEXT_SEVERITY, scan.PERSISTENT_HOURS
    if name == "before":
        scan.FAMILIAR_SEVERITY = sig.CONTEXT_SEVERITY = 10
    elif name == "capped":
        scan.PERSISTENT_HOURS = 10**9
    try:
        yield
    finally:
        scan.FAMILIAR_SEVERITY, sig.CONTEXT_SEVERITY, scan.PERSISTENT_HOURS = saved


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


def burst_multipliers(rng: random.Random, hours: int, per_day: float) -> list[float]:
    """Hourly volume multipliers of benign news bursts (1.0 without any)."""
    mult = [1.0] * hours
    if per_day <= 0:
        return mult
    for h in range(hours):
        if rng.random() < per_day / 24:
            peak = min(20.0, 1 + 0.5 * (1 + rng.paretovariate(1.6)))
            tau = rng.uniform(0.5, 2.0)
            for k in range(min(hours - h, 12)):
                mult[h + k] += (peak - 1) * math.exp(-k / tau)
    return mult


def background_posts(data: Path, start: datetime, seed: int, bursts_per_day: float = 0.0) -> list[Post]:
    rng = random.Random(seed)
    brng = random.Random(seed * 104729 + 1)  # bursts drawn apart, so the burst-free stream stays as it was
    out: list[Post] = []
    for name, (market, offset) in BACKGROUND.items():
        path = data / name / "data.csv"
        if not path.is_file():
            continue
        texts = read_texts(path)
        mult = burst_multipliers(brng, DAYS * 24, bursts_per_day)
        for h in range(DAYS * 24):
            ts = start + timedelta(hours=h)
            for _ in range(poisson(rng, BASE_RATE * diurnal((ts.hour + offset) % 24) * mult[h])):
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


def _new_signals(ws, after_id: int) -> list[tuple[str, list[str], int]]:
    """(kind, markets, severity) of the signals opened after `after_id` (collector health left out)."""
    with ws.engine.connect() as conn:
        rows = conn.execute(
            select(signals.c.kind, signals.c.markets, signals.c.severity).where(
                signals.c.id > after_id, signals.c.kind != "source_failing"
            )
        ).all()
    return [(kind, list(m or []), int(sev)) for kind, m, sev in rows]


@dataclass
class Watched:
    """What one watch saw: delays of the first signal naming the market (any / above severity 3), the
    signals about it, the others (`kind:markets:severity`), and how many series the pass scanned."""

    delay: float | None
    delay_severe: float | None
    about: list[str]
    other: list[str]
    other_severe: int
    series: int


def watch(ws, start: datetime, market: str | None) -> Watched:
    """Run detection every CHECK_EVERY hours from `start` (going on until `market` is named above severity
    3) and at the horizon."""
    with ws.engine.connect() as conn:
        last_id = conn.execute(select(func.coalesce(func.max(signals.c.id), 0))).scalar_one()
    delay = delay_severe = None
    series = 0
    for h in range(CHECK_EVERY, HORIZON + 1, CHECK_EVERY):
        if delay_severe is not None and h < HORIZON:
            continue
        series = max(series, detect_signals(ws, now=start + timedelta(hours=h)).series)
        if market is None:
            continue
        named = [sev for _, m, sev in _new_signals(ws, last_id) if market in m]
        if delay is None and named:
            delay = float(h)
        if delay_severe is None and any(sev > 3 for sev in named):
            delay_severe = float(h)
    opened = _new_signals(ws, last_id)
    about = [kind for kind, m, _ in opened if market is not None and market in m]
    others = [(kind, m, sev) for kind, m, sev in opened if market is None or market not in m]
    other = [f"{kind}:{','.join(m) or 'all'}:{sev}" for kind, m, sev in others]
    return Watched(delay, delay_severe, about, other, sum(1 for *_, sev in others if sev > 3), series)


def matched_share(ws, source: str = "planted") -> float:
    with ws.engine.connect() as conn:
        total = conn.execute(select(func.count()).select_from(posts).where(posts.c.source == source)).scalar_one()
        hit = conn.execute(
            select(func.count())
            .select_from(posts)
            .where(posts.c.source == source, posts.c.categories.is_not(None), posts.c.categories != "")
        ).scalar_one()
    return hit / total if total else 0.0


def run(
    data: Path,
    seeds: int,
    rates: list[float],
    say,
    variants: tuple[str, ...] = ("before", "after"),
    bursts: float = 0.0,
) -> list[Outcome]:
    outcomes: list[Outcome] = []
    root = Path(tempfile.mkdtemp(prefix="monitio-planted-"))
    planted = {name: read_texts(data / name / "data.csv", labels) for name, (labels, _) in EVENTS.items()}

    def once(base_dir: Path, name: str, vname: str, events: list[Post], market: str | None) -> tuple[Watched, float]:
        run_dir = root / f"run-{name}-{vname}"
        shutil.copytree(base_dir, run_dir)
        rws = open_workspace(run_dir)
        try:
            if events:
                _store(rws, events)
            with variant(vname):
                seen = watch(rws, event_start, market)
            return seen, matched_share(rws) if events else 0.0
        finally:
            rws.engine.dispose()
            shutil.rmtree(run_dir, ignore_errors=True)

    try:
        for seed in range(seeds):
            start = datetime(2026, 10, 1, tzinfo=UTC)
            base_dir = root / f"base{seed}"
            ws = init_workspace(base_dir)
            batch = background_posts(data, start, seed, bursts)
            _store(ws, batch)
            ws.engine.dispose()
            say(f"seed {seed}: background of {len(batch)} posts ready")
            rng = random.Random(seed)
            event_start = start + timedelta(days=EVENT_DAY, hours=rng.randrange(24))
            for vname in variants:
                q, _ = once(base_dir, f"quiet{seed}", vname, [], None)
                say(f"seed {seed} quiet [{vname}]: {len(q.other)} signals over {q.series} series {q.other}")
                outcomes.append(
                    Outcome("none", "quiet", 0.0, seed, False, None, 0, len(q.other), 0.0, vname, False, None,
                            q.other_severe, q.series)
                )  # fmt: skip
            for name, (_, market) in EVENTS.items():
                if not planted[name]:
                    continue
                for shape in SHAPES:
                    for rate in rates:
                        events = event_posts(planted[name], market, shape, rate, event_start, seed)
                        for vname in variants:
                            w, share = once(base_dir, f"{seed}-{name}-{shape}-{rate}", vname, events, market)
                            outcomes.append(
                                Outcome(name, shape, rate, seed, w.delay is not None, w.delay, len(w.about),
                                        len(w.other), share, vname, w.delay_severe is not None, w.delay_severe,
                                        w.other_severe, w.series)
                            )  # fmt: skip
                            say(
                                f"seed {seed} {name} {shape} rate {rate} [{vname}]: delay {w.delay} h "
                                f"(above 3: {w.delay_severe} h), about it {w.about}, other {w.other}"
                            )
    finally:
        shutil.rmtree(root, ignore_errors=True)
    return outcomes


def quiet_figures(outcomes: list[Outcome], vname: str) -> dict:
    """False signals of the quiet runs of one variant: per day, per 1,000 series-days (all, above 3)."""
    quiet = [o for o in outcomes if o.shape == "quiet" and o.variant == vname]
    if not quiet:
        return {}
    days = HORIZON / 24
    series_days = sum(o.series * days for o in quiet)
    signals_all = sum(o.other_signals for o in quiet)
    severe = sum(o.other_severe for o in quiet)
    return {
        "variant": vname,
        "quiet_runs": len(quiet),
        "series_days": round(series_days, 1),
        "false_signals": signals_all,
        "false_signals_above_3": severe,
        "per_day": round(signals_all / (len(quiet) * days), 2),
        "per_1000_series_days": round(1000 * signals_all / max(series_days, 1e-9), 2),
        "above_3_per_1000_series_days": round(1000 * severe / max(series_days, 1e-9), 2),
    }


def summarise(outcomes: list[Outcome]) -> list[dict]:
    groups: dict[tuple[str, str, str, float], list[Outcome]] = defaultdict(list)
    for o in outcomes:
        groups[(o.variant, o.dataset, o.shape, o.rate)].append(o)
    rows = []
    for (vname, dataset, shape, rate), os in sorted(groups.items()):
        if shape == "quiet":
            continue
        delays = [o.delay for o in os if o.delay is not None]
        severe = [o.delay_severe for o in os if o.delay_severe is not None]
        about = sum(o.event_signals for o in os)
        other = sum(o.other_signals for o in os)
        rows.append(
            {
                "variant": vname,
                "dataset": dataset,
                "shape": shape,
                "rate_per_hour": rate,
                "runs": len(os),
                "recall": round(sum(o.found for o in os) / len(os), 3),
                "median_delay_h": statistics.median(delays) if delays else None,
                "recall_above_3": round(sum(o.found_severe for o in os) / len(os), 3),
                "median_delay_above_3_h": statistics.median(severe) if severe else None,
                "precision": round(about / (about + other), 3) if about + other else None,
                "matched": round(statistics.mean(o.matched for o in os), 3),
            }
        )
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=Path("../shared/data"))
    ap.add_argument("--seeds", type=int, default=3)
    ap.add_argument("--rates", default="1,3,6", help="event posts per hour, comma-separated ('none': quiet runs only)")
    ap.add_argument("--variants", default="before,after", help="before, capped, after (comma-separated)")
    ap.add_argument("--bursts-per-day", type=float, default=0.0, help="benign bursts a day per market")
    ap.add_argument("--json", type=Path, help="also write the summary here")
    args = ap.parse_args()
    missing = [n for n in (*BACKGROUND, *EVENTS) if not (args.data / n / "data.csv").is_file()]
    if len(missing) == len(BACKGROUND) + len(EVENTS):
        sys.exit(f"no data sets under {args.data}: pass --data <shared/data folder>")
    variants = tuple(v for v in args.variants.split(",") if v)
    t0 = time.perf_counter()
    outcomes = run(
        args.data,
        args.seeds,
        [float(r) for r in args.rates.split(",") if r and r != "none"],
        lambda m: print(m, file=sys.stderr),
        variants,
        args.bursts_per_day,
    )
    rows = summarise(outcomes)
    print(
        f"{'variant':<8}{'dataset':<18}{'shape':<7}{'rate/h':>7}{'recall':>8}{'delay h':>9}{'recall>3':>10}"
        f"{'delay>3':>9}{'precision':>11}{'matched':>9}"
    )
    for r in rows:

        def fmt(x, spec):
            return "-" if x is None else format(x, spec)

        print(
            f"{r['variant']:<8}{r['dataset']:<18}{r['shape']:<7}{r['rate_per_hour']:>7.0f}{r['recall']:>8.2f}"
            f"{fmt(r['median_delay_h'], '.0f'):>9}{r['recall_above_3']:>10.2f}"
            f"{fmt(r['median_delay_above_3_h'], '.0f'):>9}"
            f"{fmt(r['precision'], '.2f'):>11}{r['matched']:>9.2f}"
        )
    quiet = [quiet_figures(outcomes, v) for v in variants]
    for q in quiet:
        if q:
            print("quiet:", json.dumps(q))
    print(f"{args.seeds} seeds in {time.perf_counter() - t0:.0f} s")
    if args.json:
        out = {"rows": rows, "quiet": quiet, "seeds": args.seeds, "bursts_per_day": args.bursts_per_day}
        args.json.write_text(json.dumps(out, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
