"""NAB dev categories in detail, and a leave-one-category-out check of the operating point.

    .venv/bin/python benchmarks/nab/report.py --data /work/shared/data/nab [--json out.json]

Per dev category (only those under `--data`; the held-out one is never looked for), at the fixed
default operating point: NAB standard / low-FP / low-FN (own scorer), alarms per series-day outside
the labelled windows (after the probationary period), windows found, and the onset delay (from each
window's labelled anomaly timestamp to the first alarm in the window at or after it, in the file's
own rows and in hours).

Leave-one-category-out: the default operating point was chosen once on all four dev categories, so
its per-category figures are in-sample. To estimate held-out behaviour, for each dev category the
setting with the best pooled standard score on the *other three* categories is picked from a grid
(threshold x burst memory on/off; the burst memory includes the level path) and then scored on the
left-out category. A spread between the in-sample and the left-out figures shows how much of the
default's score is fitted to the category itself.
"""

from __future__ import annotations

import argparse
import itertools
import json
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from benchmarks.nab.run import _ts, decide, load, read_file, scores_of
from benchmarks.nab.scorer import PROFILES, FileResult, probation_rows, score_corpus, window_rows

THRESHOLDS = (0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.7)
BURST_GAINS = (0.0, 3.0)
"""Burst memory off (0) or at its default gain (3)."""


def file_figures(result: FileResult, labels: list) -> dict:
    """Alarms outside windows, series-days outside windows, windows found and onset delays of one file."""
    ts, flags = result.timestamps, result.detections
    spans = window_rows(ts, result.windows)
    skip = probation_rows(len(ts))
    step_days = statistics.median((b - a).total_seconds() for a, b in itertools.pairwise(ts)) / 86400
    inside = [False] * len(ts)
    for lo, hi in spans:
        for i in range(lo, hi + 1):
            inside[i] = True
    outside = sum(1 for i in range(skip, len(ts)) if flags[i] and not inside[i])
    days = sum(1 for i in range(skip, len(ts)) if not inside[i]) * step_days
    found, delays_rows, delays_h = 0, [], []
    for lo, hi in spans:
        hits = [i for i in range(lo, hi + 1) if flags[i] and i >= skip]
        if not hits:
            continue
        found += 1
        marks = [_ts(x) for x in labels if ts[lo] <= _ts(x) <= ts[hi]]
        if marks:
            onset = max(lo, min(range(lo, hi + 1), key=lambda i: abs((ts[i] - marks[0]).total_seconds())))
            after = [i for i in hits if i >= onset]
            if after:
                delays_rows.append(after[0] - onset)
                delays_h.append((ts[after[0]] - ts[onset]).total_seconds() / 3600)
    return {
        "outside": outside,
        "days": days,
        "found": found,
        "windows": len(spans),
        "delays_rows": delays_rows,
        "delays_h": delays_h,
    }


def category_figures(results: list[FileResult], labels: list[list]) -> dict:
    figs = [file_figures(r, lab) for r, lab in zip(results, labels, strict=True)]
    out = {p: round(score_corpus(results, p), 1) for p in PROFILES}
    days = sum(f["days"] for f in figs)
    rows = [d for f in figs for d in f["delays_rows"]]
    hours = [d for f in figs for d in f["delays_h"]]
    out |= {
        "alarms_per_series_day_outside": round(sum(f["outside"] for f in figs) / max(days, 1e-9), 3),
        "windows_found": f"{sum(f['found'] for f in figs)}/{sum(f['windows'] for f in figs)}",
        "median_delay_rows": statistics.median(rows) if rows else None,
        "median_delay_hours": round(statistics.median(hours), 2) if hours else None,
    }
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=Path("/work/shared/data/nab"))
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    label_map = json.loads((args.data / "labels" / "combined_labels.json").read_text())
    cats = load(args.data)
    # scores per (gain, category, file), computed once; decisions per threshold are replayed
    scored: dict[float, dict[str, list[tuple[FileResult, list[float], list]]]] = {}
    for gain in BURST_GAINS:
        for cat, files in cats.items():
            for path, windows in files:
                rows = read_file(path)
                key = f"{cat}/{path.name.removesuffix('.gz')}"
                base = FileResult([t for t, _ in rows], [], windows)
                entry = (base, scores_of(rows, burst_gain=gain), label_map[key])
                scored.setdefault(gain, {}).setdefault(cat, []).append(entry)

    def results(gain: float, threshold: float, names) -> tuple[list[FileResult], list[list]]:
        rs, labs = [], []
        for cat in names:
            for base, scores, lab in scored[gain][cat]:
                rs.append(FileResult(base.timestamps, decide(scores, threshold), base.windows))
                labs.append(lab)
        return rs, labs

    report: dict = {"default": {}}
    names = sorted(cats)
    for cat in [*names, "ALL"]:
        rs, labs = results(3.0, 0.5, names if cat == "ALL" else [cat])
        report["default"][cat] = category_figures(rs, labs)
    grids = {
        "loco: threshold": [(3.0, t) for t in THRESHOLDS],
        "loco: threshold x burst memory": [(g, t) for g in BURST_GAINS for t in THRESHOLDS],
    }
    for part, grid in grids.items():
        report[part] = {}
        for cat in names:
            others = [c for c in names if c != cat]
            best = max(grid, key=lambda gt: (score_corpus(results(*gt, others)[0]), gt == (3.0, 0.5)))
            rs, labs = results(*best, [cat])
            chosen = {"burst_gain": best[0], "threshold": best[1]}
            report[part][cat] = {"chosen": chosen, **category_figures(rs, labs)}
    for part, table in report.items():
        print(f"-- {part}")
        for cat, fig in table.items():
            print(f"{cat:<20}", json.dumps(fig))
    if args.json:
        args.json.write_text(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
