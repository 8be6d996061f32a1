"""`monitio detect series`: score any `timestamp,value` CSV online, streaming, keeping extra columns.

Rows are read and written one at a time (bounded memory). Row i is scored from rows <= i only.
Timestamps may be ISO 8601 with or without a zone, `YYYY-MM-DD HH:MM:SS` (as in NAB) or epoch
seconds; naive ones are read as UTC. Rows whose timestamp or value cannot be read are **kept** in
the output with an empty `anomaly_score` and `is_anomaly` 0, counted as skipped (the report names the
first such data row, 1-based after the header), and the detector does not learn from them.
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from datetime import UTC
from pathlib import Path

from monitio.detect.online import SeasonalDetector
from monitio.errors import Invalid
from monitio.sources.mapping import parse_timestamp

OUTPUT_COLUMNS = ("anomaly_score", "is_anomaly")


class SeriesFileError(Invalid):
    """The input file is missing, unreadable, or has no `timestamp` and `value` columns."""


@dataclass
class SeriesReport:
    """What one pass over a series file did."""

    rows: int = 0
    anomalies: int = 0
    skipped: int = 0
    first_skipped_row: int | None = None


def detect_series_file(input: Path, output: Path, detector: SeasonalDetector | None = None) -> SeriesReport:
    """Write `input`'s rows plus `anomaly_score` (0-1, 6 decimals) and `is_anomaly` (0/1) to `output`."""
    if not input.is_file():
        raise SeriesFileError(f"no such file: {input}")
    detector = detector or SeasonalDetector()
    report = SeriesReport()
    try:
        with (
            open(input, encoding="utf-8-sig", newline="") as src,
            open(output, "w", encoding="utf-8", newline="") as dst,
        ):
            reader = csv.DictReader(src)
            fields = [f for f in (reader.fieldnames or []) if f not in OUTPUT_COLUMNS]
            if "timestamp" not in fields or "value" not in fields:
                have = ", ".join(f for f in fields if f) or "none"
                raise SeriesFileError(f"{input.name} needs 'timestamp' and 'value' columns (has: {have})")
            writer = csv.DictWriter(dst, fieldnames=[*fields, *OUTPUT_COLUMNS], extrasaction="ignore")
            writer.writeheader()
            for row in reader:
                report.rows += 1
                try:
                    ts = parse_timestamp(row["timestamp"], UTC)
                    value = float(row["value"])
                    if not math.isfinite(value):
                        raise ValueError("value is not finite")
                except (ValueError, TypeError, OverflowError):
                    report.skipped += 1
                    report.first_skipped_row = report.first_skipped_row or report.rows
                    writer.writerow({**row, "anomaly_score": "", "is_anomaly": 0})
                    continue
                score = detector.score_one(ts, value)
                flag = detector.is_anomaly(score)
                detector.update(ts, value)
                report.anomalies += flag
                writer.writerow({**row, "anomaly_score": f"{score:.6f}", "is_anomaly": int(flag)})
    except (UnicodeDecodeError, csv.Error) as exc:
        raise SeriesFileError(f"{input.name} is not a readable UTF-8 CSV file: {exc}") from None
    return report
