"""Onset delay on real crisis tweet volumes: hours from an event's onset to the detector's first alarm.

    .venv/bin/python benchmarks/crisis_onset.py --data ../shared/data/crisis-tweet-volume

For each event of `hourly_counts.csv` the hourly `n_tweets` series is fed, hour by hour, to Monitio's
online detector (`SeasonalDetector`, its default operating point, no tuning per event) and, in the
same run, to the rule commercial listening tools use (alert when the last hour is at least twice the
mean of the 12 hours before it and at least 10 posts). Reported per event:

* **onset**: the source's `start_day` (00:00 UTC) when it falls inside the collection, else the first
  collected hour (most collections start at the onset, so there is almost no quiet baseline);
* **delay**: hours from onset to the first alarm at or after it (`-` when none);
* **lead**: hours from that alarm to the event's peak hour (positive = warned before the peak);
* **alarms**: alarms over the whole series (fewer is quieter; a re-fire during the same surge is noise).

The median delay and the share of events alarmed before their peak are printed for both detectors.
"""

from __future__ import annotations

import argparse
import csv
import statistics
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from monitio.detect.online import SeasonalDetector


@dataclass
class Outcome:
    """One detector on one event."""

    delay: float | None
    lead: float | None
    alarms: int


def _hour(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def _day(text: str) -> datetime | None:
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, fmt).replace(tzinfo=UTC)
        except ValueError:
            continue
    return None


def load(data: Path) -> dict[str, dict]:
    """{event: {"series": [(hour, count)], "start": datetime | None, "peak": datetime}}."""
    events: dict[str, dict] = {}
    with open(data / "events.csv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            events[row["event"]] = {"series": [], "start": _day(row["start_day"]), "peak": _hour(row["peak_hour_utc"])}
    with open(data / "hourly_counts.csv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            events[row["event"]]["series"].append((_hour(row["hour_utc"]), float(row["n_tweets"])))
    return events


def monitio_alarms(series: list[tuple[datetime, float]]) -> list[int]:
    det = SeasonalDetector()
    flags = []
    for ts, v in series:
        flags.append(int(det.is_anomaly(det.score_one(ts, v))))
        det.update(ts, v)
    return flags


def twelve_hour_rule(series: list[tuple[datetime, float]], ratio: float = 2.0, minimum: float = 10) -> list[int]:
    """Last hour >= ratio x the mean of the previous 12 hours (and >= minimum posts)."""
    values = [v for _, v in series]
    flags = []
    for i, v in enumerate(values):
        past = values[max(0, i - 12) : i]
        mean = sum(past) / len(past) if past else 0.0
        flags.append(int(bool(past) and v >= minimum and v >= ratio * max(mean, 1.0)))
    return flags


def outcome(series, flags: list[int], onset: datetime, peak: datetime) -> Outcome:
    first = next((ts for (ts, _), f in zip(series, flags, strict=True) if f and ts >= onset), None)
    if first is None:
        return Outcome(None, None, sum(flags))
    return Outcome((first - onset).total_seconds() / 3600, (peak - first).total_seconds() / 3600, sum(flags))


def _fmt(x: float | None) -> str:
    return "-" if x is None else f"{x:.0f}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=Path("../shared/data/crisis-tweet-volume"))
    args = ap.parse_args()
    if not (args.data / "hourly_counts.csv").is_file():
        sys.exit(f"no hourly_counts.csv under {args.data}: pass --data <crisis-tweet-volume folder>")
    detectors = {"monitio": monitio_alarms, "12h-rule": twelve_hour_rule}
    results: dict[str, list[Outcome]] = {name: [] for name in detectors}
    header = f"{'event':<34}{'onset':>18}" + "".join(f"{n + ' delay/lead/alarms':>30}" for n in detectors)
    print(header)
    for name, ev in sorted(load(args.data).items()):
        series = ev["series"]
        first, last = series[0][0], series[-1][0]
        start = ev["start"]
        onset = start if start is not None and first <= start <= last else first
        line = f"{name:<34}{onset:%Y-%m-%d %H:%M}".ljust(52)
        for det_name, fn in detectors.items():
            out = outcome(series, fn(series), onset, ev["peak"])
            results[det_name].append(out)
            line += f"{_fmt(out.delay):>12} {_fmt(out.lead):>8} {out.alarms:>8}"
        print(line)
    for det_name, outs in results.items():
        delays = [o.delay for o in outs if o.delay is not None]
        before_peak = sum(1 for o in outs if o.lead is not None and o.lead >= 0)
        median_delay = statistics.median(delays) if delays else float("nan")
        print(
            f"{det_name}: alarmed {len(delays)}/{len(outs)} events, median delay {median_delay:.1f} h, "
            f"before the peak in {before_peak}/{len(outs)}, "
            f"median alarms per event {statistics.median(o.alarms for o in outs):.0f}"
        )


if __name__ == "__main__":
    main()
