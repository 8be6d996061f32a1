"""A Numenta Anomaly Benchmark scorer, written from NAB's documented method.

Per data file: detections in the first 15 % of rows (the probationary period) are ignored. Inside a
labelled window only the first detection counts, as a true positive worth
`tp_weight * scaled_sigmoid(position)`, where position runs from -1 at the window's start to 0 at its
end (earlier is better). A detection outside every window is a false positive worth
`-fp_weight * |scaled_sigmoid(distance past the previous window, in window lengths)|` (-fp_weight when
there is no earlier window), so false alarms just after a window cost less. A window without a
detection costs `-fn_weight`. Scores of all files are summed and normalised to 0 (the null detector,
which never fires) .. 100 (a detector that fires on the first row of every window).

>>> round(scaled_sigmoid(-1.0), 4), scaled_sigmoid(0.0), scaled_sigmoid(5.0)
(0.9866, 0.0, -1.0)
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

PROFILES = {
    "standard": {"tp": 1.0, "fp": 0.11, "fn": 1.0},
    "reward_low_FP_rate": {"tp": 1.0, "fp": 0.22, "fn": 1.0},
    "reward_low_FN_rate": {"tp": 1.0, "fp": 0.11, "fn": 2.0},
}
PROBATION = 0.15


def scaled_sigmoid(y: float) -> float:
    if y > 3.0:
        return -1.0
    return 2.0 / (1.0 + math.exp(5.0 * y)) - 1.0


@dataclass
class FileResult:
    timestamps: list[datetime]
    detections: list[int]
    windows: list[tuple[datetime, datetime]]


def _window_rows(timestamps: list[datetime], windows) -> list[tuple[int, int]]:
    rows = []
    for start, end in windows:
        idx = [i for i, t in enumerate(timestamps) if start <= t <= end]
        if idx:
            rows.append((idx[0], idx[-1]))
    return rows


def score_file(result: FileResult, profile: str = "standard") -> tuple[float, int]:
    """(raw score, number of windows) for one file."""
    w = PROFILES[profile]
    n = len(result.timestamps)
    probation = min(math.floor(PROBATION * n), 5000)
    windows = _window_rows(result.timestamps, result.windows)
    score = 0.0
    detected = [False] * len(windows)
    for i, flag in enumerate(result.detections):
        if not flag or i < probation:
            continue
        inside = next((k for k, (a, b) in enumerate(windows) if a <= i <= b), None)
        if inside is not None:
            if detected[inside]:
                continue
            a, b = windows[inside]
            length = b - a + 1
            position = -(b - i + 1) / length
            score += w["tp"] * scaled_sigmoid(position)
            detected[inside] = True
            continue
        previous = [k for k, (_, b) in enumerate(windows) if b < i]
        if previous:
            a, b = windows[previous[-1]]
            length = max(b - a, 1)
            score += w["fp"] * scaled_sigmoid((i - b) / length)
        else:
            score -= w["fp"]
    score -= w["fn"] * detected.count(False)
    return score, len(windows)


def perfect(result: FileResult) -> FileResult:
    flags = [0] * len(result.timestamps)
    for a, _ in _window_rows(result.timestamps, result.windows):
        flags[a] = 1
    return FileResult(result.timestamps, flags, result.windows)


def score_corpus(results: list[FileResult], profile: str = "standard") -> float:
    """The normalised NAB score (0 = null detector, 100 = perfect) over all files together."""
    raw = sum(score_file(r, profile)[0] for r in results)
    null = sum(score_file(FileResult(r.timestamps, [0] * len(r.timestamps), r.windows), profile)[0] for r in results)
    best = sum(score_file(perfect(r), profile)[0] for r in results)
    return 100.0 * (raw - null) / (best - null) if best != null else 0.0
