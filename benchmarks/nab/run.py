"""Run Monitio's online series detector over NAB-format data and score its `is_anomaly` decisions.

    .venv/bin/python benchmarks/nab/run.py --data ../shared/data/nab

Prints the standard, reward-low-FP and reward-low-FN scores overall and per category. Only the
categories present under `--data` are scored (the held-out one is not there and is never looked for).
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


def detect_file(path: Path) -> FileResult:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as fh:
        rows = [(_ts(r["timestamp"]), float(r["value"])) for r in csv.DictReader(fh)]
    det = SeasonalDetector()
    flags = []
    for ts, v in rows:
        s = det.score_one(ts, v)
        flags.append(int(det.is_anomaly(s)))
        det.update(ts, v)
    return FileResult([t for t, _ in rows], flags, [])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=Path(__file__).resolve().parents[3] / "shared" / "data" / "nab")
    args = ap.parse_args()
    windows = json.loads((args.data / "labels" / "combined_windows.json").read_text())
    by_category: dict[str, list[FileResult]] = {}
    for path in sorted((args.data / "data").glob("*/*.csv*")):
        key = f"{path.parent.name}/{path.name.removesuffix('.gz')}"
        if key not in windows:
            continue
        result = detect_file(path)
        result.windows = [(_ts(a), _ts(b)) for a, b in windows[key]]
        by_category.setdefault(path.parent.name, []).append(result)
    everything = [r for rs in by_category.values() for r in rs]
    print(f"{'category':<22}" + "".join(f"{p:>20}" for p in PROFILES))
    for name, results in [*sorted(by_category.items()), ("ALL", everything)]:
        print(f"{name:<22}" + "".join(f"{score_corpus(results, p):>20.1f}" for p in PROFILES))


if __name__ == "__main__":
    main()
