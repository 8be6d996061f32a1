"""Run Monitio's online series detector over NAB-format data and score its `is_anomaly` decisions.

    .venv/bin/python benchmarks/nab/run.py --data /work/shared/data/nab

Prints the standard, reward-low-FP and reward-low-FN scores overall and per category. Only the
categories present under `--data` are scored (the held-out one is not there and is never looked for).
`--sweep` also prints the standard score over a grid of thresholds (one operating point for all
files; used to choose `THRESHOLD`).
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import sys
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from benchmarks.nab.scorer import PROFILES, FileResult, score_corpus
from monitio.detect.online import SeasonalDetector


def _ts(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("T", " ").split(".")[0])


def read_file(path: Path) -> list[tuple[datetime, float]]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as fh:
        return [(_ts(r["timestamp"]), float(r["value"])) for r in csv.DictReader(fh)]


def scores_of(rows: list[tuple[datetime, float]], **params) -> list[float]:
    """Online scores, row i seeing only rows <= i."""
    det = SeasonalDetector(**params)
    out = []
    for ts, v in rows:
        out.append(det.score_one(ts, v))
        det.update(ts, v)
    return out


def decide(scores: list[float], threshold: float, refractory=None) -> list[int]:
    """The same decisions `SeasonalDetector.is_anomaly` makes, replayed over stored scores."""
    flags, quiet_until = [], -1
    for i, s in enumerate(scores):
        fire = s >= threshold and i >= quiet_until
        if fire:
            quiet_until = i + (refractory if refractory is not None else max(24, i // 50))
        flags.append(int(fire))
    return flags


def load(data: Path) -> dict[str, list[tuple[Path, list]]]:
    windows = json.loads((data / "labels" / "combined_windows.json").read_text())
    found: dict[str, list[tuple[Path, list]]] = {}
    for path in sorted((data / "data").glob("*/*.csv*")):
        key = f"{path.parent.name}/{path.name.removesuffix('.gz')}"
        if key in windows:
            found.setdefault(path.parent.name, []).append((path, [(_ts(a), _ts(b)) for a, b in windows[key]]))
    return found


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=Path("/work/shared/data/nab"))
    ap.add_argument("--sweep", action="store_true", help="also print the standard score per threshold")
    ap.add_argument("--per-file", action="store_true", help="also print the standard score of every file")
    args = ap.parse_args()
    threshold = SeasonalDetector().threshold
    by_category: dict[str, list[tuple[FileResult, list[float]]]] = {}
    for category, files in load(args.data).items():
        for path, windows in files:
            rows = read_file(path)
            scores = scores_of(rows)
            result = FileResult([t for t, _ in rows], decide(scores, threshold), windows)
            by_category.setdefault(category, []).append((result, scores))
            if args.per_file:
                print(f"  {path.name:<45} {score_corpus([result]):7.1f}  alarms={sum(result.detections)}")
    everything = [r for rs in by_category.values() for r, _ in rs]
    print(f"threshold {threshold}")
    print(f"{'category':<22}" + "".join(f"{p:>20}" for p in PROFILES))
    for name, results in [*sorted((k, [r for r, _ in v]) for k, v in by_category.items()), ("ALL", everything)]:
        print(f"{name:<22}" + "".join(f"{score_corpus(results, p):>20.1f}" for p in PROFILES))
    if args.sweep:
        pairs = [pair for rs in by_category.values() for pair in rs]
        for t in (0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.7, 0.8, 0.9, 1.0):
            rs = [FileResult(r.timestamps, decide(s, t), r.windows) for r, s in pairs]
            print(f"sweep t={t:<5}" + "".join(f"{score_corpus(rs, p):>20.1f}" for p in PROFILES))


if __name__ == "__main__":
    main()
