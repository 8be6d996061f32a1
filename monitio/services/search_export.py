"""Exporting every match of a search, streamed: CSV and XLSX with real dates, author and engagement
columns, matched terms highlighted (XLSX) and every cell safe from formula injection.

>>> [c for c, _ in COLUMNS][:4]
['published_at', 'id', 'source', 'source_id']
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC
from pathlib import Path
from typing import Any, BinaryIO

from monitio.reports.safe import safe_cell
from monitio.services.search import Hit


def _cats(r) -> str:
    return ", ".join(c for c in (r.categories or "").split(",") if c)


def _indicators(r) -> str:
    return "; ".join(f"{k}: {', '.join(v)}" for k, v in (r.indicators or {}).items() if v)


COLUMNS: list[tuple[str, Callable[[Hit], Any]]] = [
    ("published_at", lambda h: h.row.published_at),
    ("id", lambda h: h.row.id),
    ("source", lambda h: h.row.source),
    ("source_id", lambda h: h.row.source_id),
    ("author", lambda h: h.row.author),
    ("market", lambda h: h.row.market or h.row.market_hint),
    ("lang", lambda h: h.row.lang or h.row.lang_hint),
    ("sentiment", lambda h: h.row.sentiment),
    ("risk_score", lambda h: h.row.risk_score),
    ("categories", lambda h: _cats(h.row)),
    ("likes", lambda h: h.row.likes),
    ("shares", lambda h: h.row.shares),
    ("comments", lambda h: h.row.comments),
    ("views", lambda h: h.row.views),
    ("engagement", lambda h: h.row.likes + h.row.shares + h.row.comments),
    ("indicators", lambda h: _indicators(h.row)),
    ("text", lambda h: h.row.text),
    ("url", lambda h: h.row.url),
    ("matched", lambda h: "; ".join(h.matched)),
]
HEADER = [name for name, _ in COLUMNS]


def csv_row(hit: Hit) -> list[Any]:
    """One CSV row: the date in UTC ISO 8601, text cells formula-safe."""
    out = []
    for name, get in COLUMNS:
        value = get(hit)
        if name == "published_at":
            value = value.astimezone(UTC).isoformat()
        out.append("" if value is None else safe_cell(value))
    return out


def iter_csv(hits: Iterable[Hit]) -> Iterator[bytes]:
    """CSV (UTF-8 with a BOM, for Excel) as chunks of bytes, a few hundred rows at a time."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    buf.write("\ufeff")
    writer.writerow(HEADER)
    for n, hit in enumerate(hits, start=1):
        writer.writerow(csv_row(hit))
        if n % 500 == 0:
            yield buf.getvalue().encode("utf-8")
            buf.seek(0)
            buf.truncate()
    yield buf.getvalue().encode("utf-8")


def write_csv(hits: Iterable[Hit], path: Path) -> int:
    """Write the CSV file; returns the number of rows."""
    n = 0
    with path.open("wb") as fh:
        counting = _Counting(hits)
        for chunk in iter_csv(counting):
            fh.write(chunk)
        n = counting.n
    return n


class _Counting:
    def __init__(self, hits: Iterable[Hit]) -> None:
        self.hits, self.n = hits, 0

    def __iter__(self) -> Iterator[Hit]:
        for h in self.hits:
            self.n += 1
            yield h


def write_xlsx(hits: Iterable[Hit], target: str | Path | BinaryIO, query: str) -> int:
    """Write a workbook (constant memory: rows go to disk as they come): a header naming the query,
    real dates and numbers, the matched terms in bold inside the text. Returns the number of rows."""
    import xlsxwriter

    wb = xlsxwriter.Workbook(
        target if not isinstance(target, Path) else str(target),
        {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False, "remove_timezone": True},
    )
    sheet = wb.add_worksheet("Search")
    date_fmt = wb.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    bold = wb.add_format({"bold": True, "bg_color": "#FFF2A8"})
    sheet.write_string(0, 0, safe_cell(f"Query: {query}"))
    for j, name in enumerate(HEADER):
        sheet.write_string(1, j, name)
    text_col = HEADER.index("text")
    n = 0
    for i, hit in enumerate(hits, start=2):
        n += 1
        for j, (name, get) in enumerate(COLUMNS):
            value = get(hit)
            if value is None:
                continue
            if name == "published_at":
                sheet.write_datetime(i, j, value.astimezone(UTC).replace(tzinfo=None), date_fmt)
            elif isinstance(value, bool):
                sheet.write_string(i, j, str(value))
            elif isinstance(value, int | float):
                sheet.write_number(i, j, value)
            elif j == text_col and hit.highlights:
                _rich_text(sheet, i, j, str(value), hit.highlights, bold)
            else:
                sheet.write_string(i, j, safe_cell(str(value)))
    sheet.freeze_panes(2, 0)
    sheet.autofilter(1, 0, max(1, n + 1), len(HEADER) - 1)
    wb.close()
    return n


def _rich_text(sheet, i: int, j: int, text: str, spans, bold) -> None:
    """The text with its highlighted spans in bold; formula-looking text is written plain and safe."""
    safe = safe_cell(text)
    if safe != text:
        sheet.write_string(i, j, safe)
        return
    parts: list[Any] = []
    pos = 0
    for s, e in spans:
        if s > pos:
            parts.append(text[pos:s])
        parts += [bold, text[s:e]]
        pos = e
    if pos < len(text):
        parts.append(text[pos:])
    if sheet.write_rich_string(i, j, *parts) < 0:
        sheet.write_string(i, j, text)
