"""The brief as an Excel workbook: Summary, Signals, Trends (with a native line chart), Evidence.

All text goes through `safe_cell` and `write_string` (never `write`), so nothing becomes a formula;
datetimes are real Excel datetimes in UTC, and the number format says so.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path

import xlsxwriter

from monitio.reports.fmt import when
from monitio.reports.model import Brief
from monitio.reports.safe import safe_cell, safe_url


def _naive(dt: datetime) -> datetime:
    return dt.astimezone(UTC).replace(tzinfo=None)


class _Sheet:
    def __init__(self, wb, name: str, headers: list[str], widths: list[int], fmt):
        self.ws = wb.add_worksheet(name)
        self.fmt = fmt
        self.row = 0
        for j, (h, w) in enumerate(zip(headers, widths, strict=True)):
            self.ws.write_string(0, j, h, fmt["head"])
            self.ws.set_column(j, j, w)
        self.ws.freeze_panes(1, 0)
        self.cols = len(headers)

    def add(self, values: list) -> None:
        self.row += 1
        for j, v in enumerate(values):
            if v is None:
                continue
            if isinstance(v, datetime):
                self.ws.write_datetime(self.row, j, _naive(v), self.fmt["date"])
            elif isinstance(v, bool):
                self.ws.write_boolean(self.row, j, v)
            elif isinstance(v, int | float):
                self.ws.write_number(self.row, j, v)
            else:
                self.ws.write_string(self.row, j, str(safe_cell(str(v))), self.fmt["wrap"])

    def finish(self) -> None:
        if self.row:
            self.ws.autofilter(0, 0, self.row, self.cols - 1)


def write_xlsx(brief: Brief, path: Path) -> Path:
    wb = xlsxwriter.Workbook(
        str(path), {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}
    )
    fmt = {
        "head": wb.add_format({"bold": True, "bg_color": "#DDE4EE", "border": 1}),
        "date": wb.add_format({"num_format": 'yyyy-mm-dd hh:mm "UTC"'}),
        "wrap": wb.add_format({"text_wrap": False}),
        "title": wb.add_format({"bold": True, "font_size": 14}),
        "bold": wb.add_format({"bold": True}),
    }
    summary = wb.add_worksheet("Summary")
    summary.set_column(0, 0, 28)
    summary.set_column(1, 6, 22)
    summary.write_string(0, 0, safe_cell(brief.title), fmt["title"])
    rows = [("Period start", brief.period_start), ("Period end", brief.period_end), ("Generated", brief.generated_at)]
    for i, (k, v) in enumerate(rows, start=2):
        summary.write_string(i, 0, k, fmt["bold"])
        summary.write_datetime(i, 1, _naive(v), fmt["date"])
    r = 6
    for k, v in brief.totals.items():
        summary.write_string(r, 0, k.replace("_", " "), fmt["bold"])
        summary.write_number(r, 1, v)
        r += 1
    r += 1
    for j, h in enumerate(["rank", "severity", "title", "markets", "owner team", "first seen"]):
        summary.write_string(r, j, h, fmt["head"])
    for s in brief.signals:
        r += 1
        summary.write_number(r, 0, s.rank)
        summary.write_number(r, 1, s.severity)
        summary.write_string(r, 2, safe_cell(s.title))
        summary.write_string(r, 3, safe_cell(", ".join(s.markets)))
        summary.write_string(r, 4, safe_cell(s.owner_team))
        summary.write_datetime(r, 5, _naive(s.first_seen), fmt["date"])

    sig = _Sheet(
        wb,
        "Signals",
        [
            "rank",
            "severity",
            "score",
            "kind",
            "title",
            "markets",
            "categories",
            "languages",
            "first seen (UTC)",
            "last seen (UTC)",
            "observed",
            "expected",
            "ratio",
            "negative share",
            "owner team",
            "why",
            "playbook",
        ],
        [6, 8, 7, 10, 40, 14, 22, 12, 18, 18, 9, 9, 7, 9, 14, 80, 80],
        fmt,
    )
    for s in brief.signals:
        ratio = round(s.observed / s.expected, 2) if s.expected >= 0.5 else None
        sig.add(
            [
                s.rank,
                s.severity,
                round(s.score, 3),
                s.kind,
                s.title,
                ", ".join(s.markets),
                ", ".join(s.categories),
                ", ".join(s.langs),
                s.first_seen,
                s.last_seen,
                s.observed,
                round(s.expected, 1),
                ratio,
                s.negative_share,
                s.owner_team,
                s.why,
                " | ".join(f"{i}. {p}" for i, p in enumerate(s.playbook, 1)),
            ]
        )
    sig.finish()

    days = sorted({t.day for t in brief.trends})
    totals = defaultdict(int)
    for t in brief.trends:
        totals[t.category] += t.count
    cats = sorted(totals, key=lambda c: -totals[c])
    trend = _Sheet(
        wb, "Trends", ["day (UTC)", *[brief.category_names.get(c, c) for c in cats]], [14, *[16] * len(cats)], fmt
    )
    grid = {(t.day, t.category): t.count for t in brief.trends}
    for d in days:
        trend.add([d, *[grid.get((d, c), 0) for c in cats]])
    trend.finish()
    if days and cats:
        chart = wb.add_chart({"type": "line"})
        for j, _ in enumerate(cats[:6], start=1):
            chart.add_series(
                {
                    "name": ["Trends", 0, j],
                    "categories": ["Trends", 1, 0, len(days), 0],
                    "values": ["Trends", 1, j, len(days), j],
                }
            )
        chart.set_title({"name": "Daily posts in the top risk categories"})
        chart.set_x_axis({"date_axis": True, "num_format": "yyyy-mm-dd"})
        chart.set_size({"width": 900, "height": 380})
        trend.ws.insert_chart(1, len(cats) + 2, chart)

    ev = _Sheet(
        wb,
        "Evidence",
        [
            "signal rank",
            "source",
            "source id",
            "published (UTC)",
            "market",
            "language",
            "sentiment",
            "engagement",
            "author",
            "text",
            "url",
        ],
        [8, 14, 18, 18, 8, 9, 9, 10, 16, 90, 40],
        fmt,
    )
    for s in brief.signals:
        for e in s.evidence:
            ev.add(
                [
                    s.rank,
                    e.source,
                    e.source_id,
                    e.published_at,
                    e.market,
                    e.lang,
                    e.sentiment,
                    e.engagement,
                    e.author,
                    e.text,
                    None,
                ]
            )
            url = safe_url(e.url)
            if url:
                ev.ws.write_url(ev.row, 10, url, string=safe_cell(url[:250]))
    ev.finish()
    wb.close()
    return path


__all__ = ["when", "write_xlsx"]
