"""A Numenta Anomaly Benchmark scorer, written from NAB's documented method.

Per data file: detections in the probationary period (the first 15 % of rows, at most 750) are
ignored. Inside a labelled window only the first detection counts, as a true positive worth
`A_TP * sigmoid(position) / sigmoid(-1)`, where position runs from -1 at the window's first row to
about 0 at its last (earlier is better; a detection on the first row earns exactly `A_TP`). A detection
outside every window is a false positive worth `A_FP * sigmoid(rows past the previous window's end /
(that window's width - 1))` (so `-A_FP` far away, less just after a window), or `-A_FP` when no
window came before. A window without a detection costs `-A_FN`. Raw scores are summed over files and
normalised to 0 (the null detector, which never fires) .. 100 (one detection on the first row of
every window).

>>> round(scaled_sigmoid(-1.0), 4), scaled_sigmoid(0.0), scaled_sigmoid(5.0)
(0.9866, 0.0, -1.0)
"""

from __future__ import annotations

import bisect
import math
from dataclasses import dataclass, field
from datetime import datetime

PROFILES: dict[str, dict[str, float]] = {
    "standard": {"tp": 1.0, "fp": 0.11, "fn": 1.0},
    "reward_low_FP_rate": {"tp": 1.0, "fp": 0.22, "fn": 1.0},
    "reward_low_FN_rate": {"tp": 1.0, "fp": 0.11, "fn": 2.0},
}
PROBATION = 0.15
MAX_PROBATION_ROWS = 750  # NAB: 15 % of at most 5,000 rows


def scaled_sigmoid(y: float) -> float:
    """NAB's scoring curve: ~1 well before a window's end, 0 at the end, -1 from 3 widths past it."""
    if y > 3.0:
        return -1.0
    return 2.0 / (1.0 + math.exp(5.0 * y)) - 1.0


@dataclass
class FileResult:
    """One data file: its timestamps, 0/1 detections per row and labelled (start, end) windows."""

    timestamps: list[datetime]
    detections: list[int]
    windows: list[tuple[datetime, datetime]] = field(default_factory=list)


def probation_rows(n: int) -> int:
    """Rows at the start of a file where detections are not scored."""
    return min(math.floor(PROBATION * n), MAX_PROBATION_ROWS)


def window_rows(timestamps: list[datetime], windows: list[tuple[datetime, datetime]]) -> list[tuple[int, int]]:
    """(first row, last row) of every window that holds at least one row, in time order."""
    rows = []
    for start, end in sorted(windows):
        a = bisect.bisect_left(timestamps, start)
        b = bisect.bisect_right(timestamps, end) - 1
        if a <= b:
            rows.append((a, b))
    return rows


def score_file(result: FileResult, profile: str = "standard") -> tuple[float, int]:
    """(raw score, number of windows) for one file under a profile."""
    w = PROFILES[profile]
    windows = window_rows(result.timestamps, result.windows)
    starts = [a for a, _ in windows]
    skip = probation_rows(len(result.timestamps))
    max_tp = scaled_sigmoid(-1.0)
    detected = [False] * len(windows)
    score = 0.0
    for i, flag in enumerate(result.detections):
        if not flag or i < skip:
            continue
        k = bisect.bisect_right(starts, i) - 1  # the last window starting at or before row i
        if k >= 0 and i <= windows[k][1]:
            if not detected[k]:
                a, b = windows[k]
                score += w["tp"] * scaled_sigmoid(-(b - i + 1) / (b - a + 1)) / max_tp
                detected[k] = True
        elif k >= 0:
            a, b = windows[k]
            score += w["fp"] * scaled_sigmoid((i - b) / max(b - a, 1))
        else:
            score -= w["fp"]
    score -= w["fn"] * detected.count(False)
    return score, len(windows)


def null_result(result: FileResult) -> FileResult:
    """The same file with a detector that never fires."""
    return FileResult(result.timestamps, [0] * len(result.timestamps), result.windows)


def perfect_result(result: FileResult) -> FileResult:
    """The same file with one detection on the first row of every window."""
    flags = [0] * len(result.timestamps)
    for a, _ in window_rows(result.timestamps, result.windows):
        flags[a] = 1
    return FileResult(result.timestamps, flags, result.windows)


def score_corpus(results: list[FileResult], profile: str = "standard") -> float:
    """The normalised NAB score (0 = null detector, 100 = perfect) over all files together."""
    raw = sum(score_file(r, profile)[0] for r in results)
    null = sum(score_file(null_result(r), profile)[0] for r in results)
    best = sum(score_file(perfect_result(r), profile)[0] for r in results)
    return 100.0 * (raw - null) / (best - null) if best != null else 0.0
