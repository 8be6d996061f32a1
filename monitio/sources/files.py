"""File sources: CSV, JSONL and XLSX, read as a stream of raw rows.

Readers never stop at a bad row: a row that cannot even be read (bad JSON, a CSV error, bytes
that are not UTF-8) comes out as a `RawRow` with `error` set, so the caller can quarantine it and go
on. Memory stays bounded: rows are yielded one at a time.

>>> import tempfile, pathlib
>>> p = pathlib.Path(tempfile.mkdtemp()) / "a.jsonl"
>>> _ = p.write_text('{"text": "hi"}\\nnot json\\n', encoding="utf-8")
>>> [(r.number, r.error is None) for r in read_rows(p)]
[(1, True), (2, False)]
"""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from monitio.errors import Invalid

FORMATS = ("csv", "jsonl", "xlsx")
csv.field_size_limit(min(sys.maxsize, 2**31 - 1))


class SourceFileError(Invalid):
    """The file as a whole cannot be read (missing, unknown format, no header)."""


@dataclass(slots=True)
class RawRow:
    """One row as read: its 1-based data-row number, a locator for humans, and data or an error."""

    number: int
    locator: str
    data: dict[str, Any] | None
    error: str | None
    raw: str


def detect_format(path: Path, fmt: str | None = None) -> str:
    """The format from `fmt` or the file's extension.

    >>> detect_format(Path("x.ndjson"))
    'jsonl'
    """
    if fmt:
        fmt = fmt.lower()
        if fmt not in FORMATS:
            raise SourceFileError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
        return fmt
    ext = path.suffix.lower().lstrip(".")
    mapping = {
        "csv": "csv",
        "tsv": "csv",
        "jsonl": "jsonl",
        "ndjson": "jsonl",
        "json": "jsonl",
        "xlsx": "xlsx",
        "xlsm": "xlsx",
    }
    if ext not in mapping:
        raise SourceFileError(
            f"cannot tell the format of {path.name!r} from its extension; pass --format csv|jsonl|xlsx"
        )
    return mapping[ext]


def read_rows(
    path: Path,
    fmt: str | None = None,
    on_bytes: Callable[[int], None] | None = None,
    sheet: str | None = None,
) -> Iterator[RawRow]:
    """Yield the rows of a file; `on_bytes(n)` is told how far the reader got (for progress bars)."""
    if not path.exists():
        raise SourceFileError(f"no such file: {path}")
    if path.is_dir():
        raise SourceFileError(f"{path} is a folder; give a CSV, JSONL or XLSX file")
    kind = detect_format(path, fmt)
    if kind == "csv":
        return _read_csv(path, on_bytes, delimiter="\t" if path.suffix.lower() == ".tsv" else None)
    if kind == "jsonl":
        return _read_jsonl(path, on_bytes)
    return _read_xlsx(path, sheet)


def _text_stream(path: Path) -> tuple[io.BufferedReader, io.TextIOWrapper]:
    raw = open(path, "rb")
    # surrogateescape keeps undecodable bytes visible so that one bad row is quarantined, not the file.
    return raw, io.TextIOWrapper(raw, encoding="utf-8-sig", errors="surrogateescape", newline="")


def _read_csv(path: Path, on_bytes, delimiter: str | None) -> Iterator[RawRow]:
    raw, text = _text_stream(path)
    try:
        sample = text.read(64 * 1024)
        text.seek(0)
        if delimiter is None:
            try:
                delimiter = csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
            except csv.Error:
                delimiter = ","
        reader = csv.reader(text, delimiter=delimiter)
        try:
            header = next(reader)
        except StopIteration:
            raise SourceFileError(f"{path.name} is empty: expected a header row") from None
        except csv.Error as exc:
            raise SourceFileError(f"{path.name}: cannot read the header row: {exc}") from None
        header = [h.strip() for h in header]
        if not any(header):
            raise SourceFileError(f"{path.name}: the header row is empty")
        number = 0
        while True:
            number += 1
            try:
                values = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                yield RawRow(number, f"row {number} (line {reader.line_num})", None, f"CSV error: {exc}", "")
                continue
            if not values or (len(values) == 1 and not values[0].strip()):
                number -= 1  # blank line: not a row
                continue
            locator = f"row {number} (line {reader.line_num})"
            raw_line = ",".join(values)[:2000]
            if on_bytes and number % 500 == 0:
                on_bytes(raw.tell())
            if len(values) > len(header):
                extra = values[len(header) :]
                if any(v.strip() for v in extra):
                    yield RawRow(
                        number,
                        locator,
                        None,
                        f"row has {len(values)} fields but the header has {len(header)}",
                        raw_line,
                    )
                    continue
            data = {h: (values[i] if i < len(values) else None) for i, h in enumerate(header) if h}
            yield RawRow(number, locator, data, None, raw_line)
        if on_bytes:
            on_bytes(raw.tell())
    finally:
        text.close()


def _read_jsonl(path: Path, on_bytes) -> Iterator[RawRow]:
    raw, text = _text_stream(path)
    try:
        number = 0
        for line_no, line in enumerate(text, start=1):
            if not line.strip():
                continue
            number += 1
            locator = f"row {number} (line {line_no})"
            if on_bytes and number % 500 == 0:
                on_bytes(raw.tell())
            snippet = line.strip()[:2000]
            if any("\udc80" <= ch <= "\udcff" for ch in line):
                yield RawRow(
                    number,
                    locator,
                    None,
                    "broken encoding (bytes that are not valid UTF-8)",
                    snippet.encode("utf-8", "replace").decode("utf-8", "replace"),
                )
                continue
            try:
                value = json.loads(line)
            except (json.JSONDecodeError, RecursionError) as exc:
                yield RawRow(number, locator, None, f"invalid JSON: {exc}", snippet)
                continue
            if not isinstance(value, dict):
                yield RawRow(number, locator, None, f"expected a JSON object, got {type(value).__name__}", snippet)
                continue
            yield RawRow(number, locator, value, None, snippet)
        if on_bytes:
            on_bytes(raw.tell())
    finally:
        text.close()


def _read_xlsx(path: Path, sheet: str | None) -> Iterator[RawRow]:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for broken files
        raise SourceFileError(f"{path.name} is not a readable XLSX workbook: {exc}") from exc
    try:
        if sheet is not None and sheet not in wb.sheetnames:
            raise SourceFileError(f"{path.name} has no sheet {sheet!r}; sheets: {', '.join(wb.sheetnames)}")
        ws = wb[sheet] if sheet else wb.worksheets[0]
        rows = ws.iter_rows(values_only=True)
        try:
            header = [("" if h is None else str(h).strip()) for h in next(rows)]
        except StopIteration:
            raise SourceFileError(f"{path.name}: the sheet is empty; expected a header row") from None
        number = 0
        for values in rows:
            if values is None or all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
                continue
            number += 1
            data = {h: (values[i] if i < len(values) else None) for i, h in enumerate(header) if h}
            raw = json.dumps({k: str(v) for k, v in data.items() if v is not None}, ensure_ascii=False)
            yield RawRow(number, f"row {number} (sheet row {number + 1})", data, None, raw[:2000])
    finally:
        wb.close()
