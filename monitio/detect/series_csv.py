"""`monitio detect series`: score any `timestamp,value` CSV online, streaming, keeping extra columns.

Rows whose timestamp or value cannot be read are kept in the output with an empty score and
`is_anomaly` 0, and counted as skipped (the detector does not learn from them).
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from datetime import UTC
from pathlib import Path

from monitio.detect.online import SeasonalDetector
from monitio.sources.mapping import parse_timestamp


class SeriesFileError(ValueError):
    """The input file is missing or has no `timestamp` and `value` columns."""


@dataclass
class SeriesReport:
    rows: int = 0
    anomalies: int = 0
    skipped: int = 0


def detect_series_file(input: Path, output: Path, detector: SeasonalDetector | None = None) -> SeriesReport:
    if not input.exists():
        raise SeriesFileError(f"no such file: {input}")
    detector = detector or SeasonalDetector()
    report = SeriesReport()
    with open(input, encoding="utf-8-sig", newline="") as src, open(output, "w", encoding="utf-8", newline="") as dst:
        reader = csv.DictReader(src)
        fields = reader.fieldnames or []
        if "timestamp" not in fields or "value" not in fields:
            raise SeriesFileError(f"{input.name} needs 'timestamp' and 'value' columns (has: {', '.join(fields)})")
        writer = csv.DictWriter(dst, fieldnames=[*fields, "anomaly_score", "is_anomaly"], extrasaction="ignore")
        writer.writeheader()
        for row in reader:
            report.rows += 1
            try:
                ts = parse_timestamp(row["timestamp"], UTC)
                value = float(row["value"])
                if not math.isfinite(value):
                    raise ValueError("not finite")
            except (ValueError, TypeError):
                report.skipped += 1
                writer.writerow({**row, "anomaly_score": "", "is_anomaly": 0})
                continue
            score = detector.score_one(ts, value)
            flag = detector.is_anomaly(score)
            detector.update(ts, value)
            report.anomalies += flag
            writer.writerow({**row, "anomaly_score": f"{score:.6f}", "is_anomaly": int(flag)})
    return report
