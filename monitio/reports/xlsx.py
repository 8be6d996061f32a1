"""The brief as an Excel workbook: Summary, Signals, Trends (with a native line chart), Evidence.

Text goes through `safe_cell` and `write_string` (never `write`), and the workbook is opened with
`strings_to_formulas`/`strings_to_urls`/`strings_to_numbers` off, so no cell is ever a formula and
only vetted http(s) URLs become links. Datetimes are real Excel datetimes in UTC (naive, as Excel
has no zones) with a number format that says UTC.
"""

from __future__ import annotations

import math
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from monitio.reports.fmt import size_text
from monitio.reports.markdown import chart_categories, ranked, total_items
from monitio.reports.model import Brief
from monitio.reports.palette import category_color
from monitio.reports.safe import ELLIPSIS, INVISIBLE, safe_cell, safe_url
from monitio.reports.sections import activity_rows, change_rows, kind_label

MAX_CELL = 32_767  # Excel's limit on characters in a cell
CHART_SERIES = 5
OPTIONS = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}
FORMATS: dict[str, dict[str, Any]] = {
    "head": {"bold": True, "bg_color": "#DDE4EE", "border": 1, "valign": "top"},
    "title": {"bold": True, "font_size": 14},
    "bold": {"bold": True},
    "text": {"valign": "top"},
    "wrap": {"text_wrap": True, "valign": "top"},
    "int": {"num_format": "#,##0", "valign": "top"},
    "num": {"num_format": "0.00", "valign": "top"},
    "pct": {"num_format": "0%", "valign": "top"},
    "date": {"num_format": 'yyyy-mm-dd hh:mm "UTC"', "valign": "top"},
    "day": {"num_format": "yyyy-mm-dd", "valign": "top"},
    "url": {"font_color": "#0B5FFF", "underline": 1, "valign": "top"},
    "sev_high": {"bg_color": "#F8D7D7", "font_color": "#8E1B1B", "bold": True},
    "sev_mid": {"bg_color": "#FCE8C8", "font_color": "#7A4A00"},
    "up": {"font_color": "#C62828"},
    "down": {"font_color": "#2E7D32"},
    "partial": {"italic": True, "font_color": "#5D6877"},
}


def print_setup(ws: Worksheet, header_row: int | None = 0) -> None:
    """Landscape A4, one page wide, the header row repeated on every printed page, page numbers."""
    ws.set_landscape()
    ws.set_paper(9)  # A4
    ws.fit_to_pages(1, 0)
    ws.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.6)
    ws.set_footer("&L&A&RPage &P of &N")
    if header_row is not None:
        ws.repeat_rows(header_row)


def naive_utc(dt: datetime) -> datetime:
    """The same instant as a naive UTC datetime (what xlsxwriter accepts); naive input is taken as UTC.

    >>> from datetime import timedelta, timezone
    >>> naive_utc(datetime(2026, 11, 20, 21, 0, tzinfo=timezone(timedelta(hours=7))))
    datetime.datetime(2026, 11, 20, 14, 0)
    """
    return dt if dt.tzinfo is None else dt.astimezone(UTC).replace(tzinfo=None)


def _text(value: object) -> str:
    """Cell text: control, bidi-override and zero-width characters removed, cut to Excel's limit, and
    apostrophe-prefixed if a spreadsheet would read it as a formula."""
    text = INVISIBLE.sub("", str(value))
    if len(text) >= MAX_CELL:
        text = text[: MAX_CELL - 2] + ELLIPSIS
    return str(safe_cell(text))


def put(ws: Worksheet, row: int, col: int, value: Any, fmt: Any = None, date_fmt: Any = None) -> None:
    """Write one typed value; text always via `safe_cell` + `write_string`, never `write`."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        ws.write_blank(row, col, None, fmt)
    elif isinstance(value, datetime):
        ws.write_datetime(row, col, naive_utc(value), date_fmt or fmt)
    elif isinstance(value, bool):
        ws.write_boolean(row, col, value, fmt)
    elif isinstance(value, int | float):
        ws.write_number(row, col, value, fmt)
    else:
        ws.write_string(row, col, _text(value), fmt)


class _Table:
    """A sheet (or part of one) holding a table: bold header, typed columns, filter, frozen header."""

    def __init__(self, ws: Worksheet, fmts: dict[str, Any], columns: list[tuple[str, int, str]], first_row: int = 0):
        self.ws, self.fmts, self.kinds = ws, fmts, [kind for _, _, kind in columns]
        self.first = self.row = first_row
        for j, (header, width, kind) in enumerate(columns):
            ws.write_string(first_row, j, _text(header), fmts["head"])
            ws.set_column(j, j, width, fmts["wrap"] if kind == "wrap" else None)

    def add(self, values: list[Any]) -> None:
        self.row += 1
        for j, (value, kind) in enumerate(zip(values, self.kinds, strict=True)):
            if kind == "url":
                self._url(j, value)
            else:
                date_fmt = self.fmts[kind if kind in ("date", "day") else "date"]
                put(self.ws, self.row, j, value, self.fmts[kind], date_fmt)

    def _url(self, col: int, value: str | None) -> None:
        link = safe_url(value)
        # write_url returns non-zero (and writes nothing) past Excel's URL limits: fall back to text.
        if not link or self.ws.write_url(self.row, col, link, self.fmts["url"], string=_text(link)) != 0:
            put(self.ws, self.row, col, value, self.fmts["text"])

    def finish(self, freeze: bool = True) -> None:
        if freeze:
            self.ws.freeze_panes(self.first + 1, 0)
        self.ws.autofilter(self.first, 0, max(self.row, self.first + 1), len(self.kinds) - 1)


def _summary(wb: Workbook, fmts: dict[str, Any], brief: Brief) -> None:
    ws = wb.add_worksheet("Summary")
    ws.set_column(0, 0, 34)
    ws.set_column(1, 1, 22)
    ws.write_string(0, 0, _text(brief.title), fmts["title"])
    ws.write_string(
        1, 0, "All times are UTC. Post texts are quoted as written: do not open their links or call numbers."
    )
    r = 2
    for label, when in (("Period start", brief.period_start), ("Period end", brief.period_end)):
        ws.write_string(r, 0, label, fmts["bold"])
        put(ws, r, 1, when, fmts["date"])
        ws.write_string(r, 0, "Generated at", fmts["bold"])
    put(ws, r, 1, brief.generated_at, fmts["date"])
    r += 1
    if brief.scope is not None:
        ws.write_string(r, 0, "Scope", fmts["bold"])
        put(ws, r, 1, brief.scope.describe())
        r += 1
    if brief.summary:
        r += 1
        ws.write_string(r, 0, "Summary", fmts["bold"])
        for item in brief.summary:
            r += 1
            put(ws, r, 0, item.text)
    r += 2
    for label, value in total_items(brief.totals):
        ws.write_string(r, 0, _text(label), fmts["bold"])
        put(ws, r, 1, value, fmts["int"])
        r += 1
    r += 1
    ws.write_string(r, 0, "Top signals (most severe first; details on the Signals sheet)", fmts["bold"])
    columns = [
        ("rank", 34, "int"),
        ("severity (1-10)", 22, "int"),
        ("title", 50, "text"),
        ("markets", 16, "text"),
        ("size", 36, "text"),
        ("owner team", 16, "text"),
        ("first seen (UTC)", 20, "date"),
    ]
    table = _Table(ws, fmts, columns, first_row=r + 1)
    for s in ranked(brief):
        table.add(
            [
                s.rank,
                s.severity,
                s.title,
                ", ".join(s.markets),
                size_text(s.observed, s.expected),
                s.owner_team,
                s.first_seen,
            ]
        )
    table.finish(freeze=False)
    ws.freeze_panes(1, 0)
    print_setup(ws, None)


def _signals(wb: Workbook, fmts: dict[str, Any], brief: Brief) -> None:
    columns = [
        ("rank", 6, "int"),
        ("severity", 9, "int"),
        ("score", 7, "num"),
        ("kind", 11, "text"),
        ("title", 44, "wrap"),
        ("markets", 14, "text"),
        ("categories", 24, "text"),
        ("languages", 12, "text"),
        ("first seen (UTC)", 20, "date"),
        ("last seen (UTC)", 20, "date"),
        ("observed", 10, "int"),
        ("expected", 10, "num"),
        ("ratio", 8, "num"),
        ("negative share", 10, "pct"),
        ("owner team", 16, "text"),
        ("why", 80, "wrap"),
        ("playbook", 70, "wrap"),
        ("detected (UTC)", 20, "date"),
        ("delay (h)", 9, "num"),
    ]
    ws = wb.add_worksheet("Signals")
    table = _Table(ws, fmts, columns)
    for s in ranked(brief):
        names = [brief.category_name(c) for c in s.categories]
        playbook = "\n".join(f"{i}. {step}" for i, step in enumerate(s.playbook, start=1))
        ratio = s.observed / s.expected if s.expected > 0 else None
        table.add(
            [
                s.rank,
                s.severity,
                s.score,
                kind_label(s.kind),
                s.title,
                ", ".join(brief.market_name(m) for m in s.markets),
                ", ".join(names),
                ", ".join(s.langs),
                s.first_seen,
                s.last_seen,
                s.observed,
                s.expected,
                ratio,
                s.negative_share,
                s.owner_team,
                s.why,
                playbook,
                s.detected_at,
                (s.detected_at - s.first_seen).total_seconds() / 3600 if s.detected_at else None,
            ]
        )
    table.finish()
    if table.row > table.first:
        rows = (table.first + 1, 1, table.row, 1)
        ws.conditional_format(*rows, {"type": "cell", "criteria": ">=", "value": 8, "format": fmts["sev_high"]})
        ws.conditional_format(
            *rows, {"type": "cell", "criteria": "between", "minimum": 5, "maximum": 7, "format": fmts["sev_mid"]}
        )
    print_setup(ws)


def _trends(wb: Workbook, fmts: dict[str, Any], brief: Brief) -> None:
    grid: dict[tuple[datetime, str], int] = defaultdict(int)
    for t in brief.trends:
        grid[(naive_utc(t.day), t.category)] += t.count
    cats = chart_categories(brief)  # the chart draws the first CHART_SERIES columns
    days = sorted({day for day, _ in grid})
    columns = [("day (UTC)", 12, "day")] + [(brief.category_name(c), 16, "int") for c in cats]
    ws = wb.add_worksheet("Trends")
    table = _Table(ws, fmts, columns)
    for day in days:
        table.add([day, *(grid.get((day, c), 0) for c in cats)])
    table.finish()
    ws.freeze_panes(1, 1)
    print_setup(ws)
    if not days or not cats:
        ws.write_string(2, 1, "No category posts in the period.")
        return
    partial = brief.partial_after is not None and days[-1] <= naive_utc(brief.partial_after)
    if partial:  # the last day is still running: say so beside its row, and draw its point hollow
        ws.write_string(len(days), len(cats) + 1, "partial day (so far)", fmts["partial"])
    chart = wb.add_chart({"type": "line"})
    for j in range(1, min(len(cats), CHART_SERIES) + 1):
        chart.add_series(
            {
                "name": ["Trends", 0, j],
                "categories": ["Trends", 1, 0, len(days), 0],
                "values": ["Trends", 1, j, len(days), j],
                "marker": {"type": "circle", "size": 4, "fill": {"color": category_color(cats[j - 1])}},
                "line": {"color": category_color(cats[j - 1]), "width": 2},
                "points": [None] * (len(days) - 1) + [{"fill": {"none": True}, "border": {"dash_type": "dash"}}]
                if partial
                else None,
            }
        )
    chart.set_title({"name": "Daily posts in the top risk categories (UTC days)"})
    chart.set_x_axis({"date_axis": True, "num_format": "yyyy-mm-dd", "num_font": {"rotation": -45}})
    chart.set_y_axis({"name": "posts per day", "min": 0})
    chart.set_legend({"position": "bottom"})
    chart.set_size({"width": 960, "height": 420})
    ws.insert_chart(1, len(cats) + 2, chart)


def _curves(wb: Workbook, fmts: dict[str, Any], brief: Brief) -> None:
    """One block of hourly rows per series signal (observed, expected, band) with a native line chart."""
    with_curve = [s for s in brief.signals if s.curve]
    if not with_curve:
        return
    ws = wb.add_worksheet("Curves")
    columns = [("hour (UTC)", 17, "date"), ("observed", 10, "int"), ("expected", 10, "num"), ("low", 8, "int")]
    columns += [("high", 8, "int"), ("partial hour", 8, "text")]
    row = 0
    for s in with_curve:
        put(ws, row, 0, f"{s.rank}. {s.title}", fmts.get("bold"))
        table = _Table(ws, fmts, columns, first_row=row + 1)
        for p in s.curve:
            t = datetime.fromisoformat(p["t"].replace("Z", "+00:00"))
            table.add([t, p["observed"], p["expected"], p["low"], p["high"], "yes" if p.get("partial") else ""])
        first, last = row + 2, row + 1 + len(s.curve)
        chart = wb.add_chart({"type": "line"})
        for col, colour, dash in (
            (1, "#b91c1c", "solid"),
            (2, "#2563eb", "dash"),
            (3, "#93c5fd", "solid"),
            (4, "#93c5fd", "solid"),
        ):
            chart.add_series(
                {
                    "name": ["Curves", row + 1, col],
                    "categories": ["Curves", first, 0, last, 0],
                    "values": ["Curves", first, col, last, col],
                    "line": {"color": colour, "dash_type": dash, "width": 2.0 if col == 1 else 1.25},
                }
            )
        chart.set_title({"name": f"{s.rank}. hourly posts vs expected band"})
        chart.set_x_axis({"date_axis": True, "num_format": "mm-dd hh:mm", "num_font": {"rotation": -45}})
        chart.set_y_axis({"name": "posts per hour", "min": 0})
        chart.set_legend({"position": "bottom"})
        chart.set_size({"width": 720, "height": 300})
        ws.insert_chart(row + 1, len(columns) + 1, chart)
        row = max(last, row + 17) + 2


def _evidence(wb: Workbook, fmts: dict[str, Any], brief: Brief) -> None:
    columns = [
        ("signal rank", 8, "int"),
        ("source", 14, "text"),
        ("source id", 20, "text"),
        ("published (UTC)", 20, "date"),
        ("market", 8, "text"),
        ("language", 9, "text"),
        ("sentiment", 10, "num"),
        ("engagement", 11, "int"),
        ("author", 18, "text"),
        ("text", 90, "wrap"),
        ("in English (gloss of what matched)", 60, "wrap"),
        ("machine translation", 60, "wrap"),
        ("url", 40, "url"),
    ]
    ws = wb.add_worksheet("Evidence")
    print_setup(ws)
    table = _Table(ws, fmts, columns)
    for s in ranked(brief):
        for e in s.evidence:
            table.add(
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
                    e.gloss,
                    f"[{e.translated_by}] {e.translation}" if e.translation else None,
                    e.url,
                ]
            )
    table.finish()


def _changes(wb: Workbook, fmts: dict[str, Any], brief: Brief) -> None:
    """Every market x category cell now and in the previous period, largest change first, then activity."""
    columns = [
        ("market", 18, "text"),
        ("category", 26, "text"),
        ("posts", 10, "int"),
        ("posts before", 12, "int"),
        ("change", 10, "int"),
        ("negative share", 12, "pct"),
        ("negative share before", 14, "pct"),
        ("risk score", 10, "num"),
        ("risk score before", 12, "num"),
    ]
    ws = wb.add_worksheet("Changes")
    table = _Table(ws, fmts, columns)
    for r in change_rows(brief, limit=None):
        table.add(
            [
                r.market_name,
                r.category_name,
                r.now,
                r.before,
                r.delta,
                r.negative_now,
                r.negative_before,
                r.risk_now,
                r.risk_before,
            ]
        )
    table.finish()
    if table.row > table.first:
        rows = (table.first + 1, 4, table.row, 4)
        ws.conditional_format(*rows, {"type": "cell", "criteria": ">", "value": 0, "format": fmts["up"]})
        ws.conditional_format(*rows, {"type": "cell", "criteria": "<", "value": 0, "format": fmts["down"]})
        ws.conditional_format(
            table.first + 1, 5, table.row, 5, {"type": "data_bar", "bar_color": "#E57373", "bar_solid": True}
        )
    print_setup(ws)
    act = activity_rows(brief)
    if act:
        start = table.row + 3
        ws.write_string(start, 0, "Signals, narratives and cases", fmts["bold"])
        ws.write_string(start + 1, 0, "", fmts["head"])
        ws.write_string(start + 1, 1, "this period", fmts["head"])
        ws.write_string(start + 1, 2, "previous period", fmts["head"])
        for i, (label, now, before) in enumerate(act, start=start + 2):
            put(ws, i, 0, label)
            put(ws, i, 1, now)
            put(ws, i, 2, before)


def _heatmap(wb: Workbook, fmts: dict[str, Any], brief: Brief) -> None:
    """Markets (rows, busiest first) x categories (columns): posts this period, coloured by volume."""
    rows = change_rows(brief, limit=None)
    ws = wb.add_worksheet("Markets x categories")
    if not rows:
        ws.write_string(0, 0, "No category posts in the period.")
        return
    per_market: dict[str, int] = defaultdict(int)
    per_cat: dict[str, int] = defaultdict(int)
    cell: dict[tuple[str, str], int] = {}
    names: dict[str, str] = {}
    for r in rows:
        per_market[r.market_name] += r.now
        per_cat[r.category] += r.now
        names[r.category] = r.category_name
        cell[(r.market_name, r.category)] = r.now
    markets = sorted(per_market, key=lambda m: (-per_market[m], m))
    cats = sorted(per_cat, key=lambda c: (-per_cat[c], c))
    ws.write_string(0, 0, "market \\ category (posts this period)", fmts["head"])
    ws.set_column(0, 0, 26)
    ws.set_column(1, len(cats), 14)
    for j, c in enumerate(cats, start=1):
        ws.write_string(0, j, _text(names[c]), fmts["head"])
    for i, m in enumerate(markets, start=1):
        ws.write_string(i, 0, _text(m), fmts["bold"])
        for j, c in enumerate(cats, start=1):
            if (m, c) in cell:
                ws.write_number(i, j, cell[(m, c)], fmts["int"])
            else:
                ws.write_blank(i, j, None)  # no posts at all: blank, not zero
    ws.conditional_format(
        1, 1, len(markets), len(cats), {"type": "2_color_scale", "min_color": "#FFF5F0", "max_color": "#C62828"}
    )
    ws.freeze_panes(1, 1)
    print_setup(ws)


def write_xlsx(brief: Brief, path: Path) -> Path:
    """Write the workbook to `path` and return it."""
    path = Path(path)
    wb = xlsxwriter.Workbook(str(path), OPTIONS)
    wb.set_properties({"title": _text(brief.title), "comments": "Monitio risk brief; times are UTC."})
    fmts = {name: wb.add_format(props) for name, props in FORMATS.items()}
    _summary(wb, fmts, brief)
    _signals(wb, fmts, brief)
    _changes(wb, fmts, brief)
    _heatmap(wb, fmts, brief)
    _trends(wb, fmts, brief)
    _curves(wb, fmts, brief)
    _evidence(wb, fmts, brief)
    wb.close()
    return path
