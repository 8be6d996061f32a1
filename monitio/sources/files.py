"""File sources: CSV, JSONL, XLSX and Parquet (a file or a folder of them), read as a stream of raw rows.

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

import contextlib
import csv
import io
import itertools
import json
import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from monitio.errors import Invalid, TooLarge, Unavailable

FORMATS = ("csv", "tsv", "jsonl", "xlsx", "parquet")
PARQUET_SUFFIXES = (".parquet", ".pq")
csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
_UNDECODED = re.compile("[\udc80-\udcff]")
HEADER_SCAN_ROWS = 30
"""How many rows above the column row (report titles, filters, blank lines) are looked through."""


class SourceFileError(Invalid):
    """The file as a whole cannot be read (missing, unknown format, no header)."""


class WorkbookTooLarge(SourceFileError, TooLarge):
    """An XLSX whose parts expand past the limit (checked before anything is inflated)."""


@dataclass(slots=True)
class RawRow:
    """One row as read: its 1-based data-row number, a locator for humans, and data or an error."""

    number: int
    locator: str
    data: dict[str, Any] | None
    error: str | None
    raw: str


@dataclass
class TableInfo:
    """What a reader found out about a file, filled in as it starts reading (for the import summary)."""

    encoding: str = "utf-8"
    header: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    """The rows above the column row that were skipped (report titles, filters), as text."""
    delimiter: str | None = None


class ParquetUnavailable(Unavailable):
    """Parquet was asked for but pyarrow is not installed."""


class OldExcelFormat(SourceFileError):
    """An `.xls` (Excel 97-2003) or HTML-table-as-.xls file: it must be converted first."""


def detect_format(path: Path, fmt: str | None = None) -> str:
    """The format from `fmt` or the file's extension.

    >>> detect_format(Path("x.ndjson")), detect_format(Path("export.txt")), detect_format(Path("a.csv"), "TSV")
    ('jsonl', 'tsv', 'tsv')
    """
    if fmt:
        fmt = fmt.lower()
        if fmt not in FORMATS:
            raise SourceFileError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
        return fmt
    if path.is_dir():
        return "parquet"  # a folder is read as a Parquet dataset (its .parquet files)
    ext = path.suffix.lower().lstrip(".")
    if ext == "xls":
        raise OldExcelFormat(_xls_message(path))
    mapping = {
        "csv": "csv",
        "tsv": "tsv",
        "tab": "tsv",
        "txt": "tsv",  # Excel's "Unicode Text" export: UTF-16, tab-separated
        "jsonl": "jsonl",
        "ndjson": "jsonl",
        "json": "jsonl",
        "xlsx": "xlsx",
        "xlsm": "xlsx",
        "parquet": "parquet",
        "pq": "parquet",
    }
    if ext not in mapping:
        raise SourceFileError(
            f"cannot tell the format of {path.name!r} from its extension; pass --format csv|tsv|jsonl|xlsx|parquet"
        )
    return mapping[ext]


def _xls_message(path: Path) -> str:
    head = b""
    with contextlib.suppress(OSError):
        head = path.read_bytes()[:512] if path.stat().st_size < 2**20 else path.open("rb").read(512)
    if head.lstrip().startswith(b"<"):
        return (
            f"{path.name} is an HTML table saved with an Excel name, not a workbook; open it in Excel or "
            "LibreOffice and save it as .xlsx or CSV UTF-8, then import that"
        )
    return (
        f"{path.name} is in the old Excel 97-2003 format (.xls), which Monitio does not read; save it as .xlsx "
        f"or CSV UTF-8 from Excel, or convert it with: libreoffice --headless --convert-to xlsx {path.name}"
    )


def read_rows(
    path: Path,
    fmt: str | None = None,
    on_bytes: Callable[[int], None] | None = None,
    sheet: str | None = None,
    *,
    skip_rows: int | None = None,
    is_header: Callable[[list[str]], bool] | None = None,
    info: TableInfo | None = None,
) -> Iterator[RawRow]:
    """Yield the rows of a file; `on_bytes(n)` is told how far the reader got (for progress bars).

    The column row of a CSV/TSV/XLSX is the first of the top rows that `is_header` accepts (so report
    titles above it are skipped and listed in `info.skipped`), or the row after `skip_rows` rows.
    """
    if not path.exists():
        raise SourceFileError(f"no such file: {path}")
    kind = detect_format(path, fmt)
    if path.is_dir() and kind != "parquet":
        raise SourceFileError(f"{path} is a folder; give a CSV, TSV, JSONL or XLSX file, or a folder of .parquet files")
    info = info if info is not None else TableInfo()
    if kind == "parquet":
        return _read_parquet(path, on_bytes, info)
    if kind in ("csv", "tsv"):
        delimiter = "\t" if kind == "tsv" else None
        return _read_csv(path, on_bytes, delimiter, skip_rows, is_header, info)
    if kind == "jsonl":
        return _read_jsonl(path, on_bytes, info)
    return _read_xlsx(path, sheet, skip_rows, is_header, info)


def sniff_encoding(path: Path, sample: bytes | None = None) -> str:
    """The encoding to read a text file with: a byte-order mark decides, else UTF-8.

    Raises `SourceFileError` naming the encoding when the file is plainly something else.
    """
    if sample is None:
        with open(path, "rb") as fh:
            sample = fh.read(64 * 1024)
    if sample.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"  # the BOM says which byte order
    if sample.startswith((b"\x00\x00\xfe\xff", b"\xff\xfe\x00\x00")):
        raise SourceFileError(f"{path.name} is UTF-32; save it as UTF-8 (CSV UTF-8 in Excel) and import that")
    fix = "save it as CSV UTF-8 (or UTF-16 'Unicode Text') and import that"
    if sample and sample.count(b"\x00") > len(sample) // 8:
        order = "LE" if sample[1:2] == b"\x00" else "BE"
        raise SourceFileError(f"{path.name} looks like UTF-16 {order} without a byte-order mark; {fix}")
    text = sample.decode("utf-8", errors="replace")
    bad = text.count("\ufffd") - (1 if len(sample) == 64 * 1024 else 0)  # a cut multi-byte character
    if bad > max(8, text.count("\n") // 10):
        guess = _guess_encoding(sample)
        raise SourceFileError(f"{path.name} is not UTF-8 (it looks like {guess}); {fix}")
    return "utf-8"


def _guess_encoding(sample: bytes) -> str:
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover - optional helper for a nicer message
        return "a legacy code page such as Windows-1252 or TIS-620"
    best = from_bytes(sample).best()
    return best.encoding if best is not None else "a legacy code page such as Windows-1252 or TIS-620"


def _text_stream(path: Path, encoding: str = "utf-8-sig") -> tuple[io.BufferedReader, io.TextIOWrapper]:
    raw = open(path, "rb")
    # surrogateescape keeps undecodable bytes visible so that one bad row is quarantined, not the file.
    errors = "surrogateescape" if encoding.startswith("utf-8") else "replace"
    return raw, io.TextIOWrapper(raw, encoding=encoding, errors=errors, newline="")


def _find_header(rows: list[list[Any]], skip_rows: int | None, is_header: Callable[[list[str]], bool] | None) -> int:
    """Index of the column row among the first rows read."""
    if skip_rows is not None:
        return skip_rows
    cells = [[("" if c is None else str(c).strip()) for c in r] for r in rows]
    if is_header is not None:
        for i, row in enumerate(cells):
            if sum(1 for c in row if c) >= 2 and is_header(row):
                return i
    for i, row in enumerate(cells):  # else the first row with two or more cells
        if sum(1 for c in row if c) >= 2:
            return i
    return 0


def _preamble(rows: list[list[Any]]) -> list[str]:
    out = []
    for r in rows:
        text = " | ".join(str(c).strip() for c in r if c is not None and str(c).strip())
        out.append(text[:200])
    return out


def _read_csv(path: Path, on_bytes, delimiter: str | None, skip_rows, is_header, info: TableInfo) -> Iterator[RawRow]:
    encoding = sniff_encoding(path)
    info.encoding = {"utf-8-sig": "utf-8 (with BOM)", "utf-16": "utf-16"}.get(encoding, encoding)
    raw, text = _text_stream(path, encoding)
    try:
        sample = text.read(64 * 1024)
        text.seek(0)
        if delimiter is None:
            try:
                delimiter = csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
            except csv.Error:
                delimiter = "\t" if sample.count("\t") > sample.count(",") else ","
        info.delimiter = delimiter
        reader = csv.reader(text, delimiter=delimiter)
        top: list[list[str]] = []
        lines: list[int] = []
        try:
            for _ in range(max(HEADER_SCAN_ROWS, (skip_rows or 0) + 1)):
                top.append(next(reader))
                lines.append(reader.line_num)
        except StopIteration:
            pass
        except csv.Error as exc:
            raise SourceFileError(f"{path.name}: cannot read the header row: {exc}") from None
        if not top:
            raise SourceFileError(f"{path.name} is empty: expected a header row")
        at = _find_header(top, skip_rows, is_header)
        if at >= len(top):
            raise SourceFileError(f"{path.name}: --skip-rows {skip_rows} skips every row")
        info.skipped = _preamble(top[:at])
        header = [h.strip() for h in top[at]]
        info.header = [h for h in header if h]
        if not any(header):
            raise SourceFileError(f"{path.name}: the header row is empty")
        pending = iter(zip(top[at + 1 :], lines[at + 1 :], strict=True))
        number = 0
        while True:
            number += 1
            try:
                values, line = next(pending, (None, 0))
                if values is None:
                    values, line = next(reader), reader.line_num
            except StopIteration:
                break
            except csv.Error as exc:
                yield RawRow(number, f"row {number} (line {reader.line_num})", None, f"CSV error: {exc}", "")
                continue
            if not values or (len(values) == 1 and not values[0].strip()):
                number -= 1  # blank line: not a row
                continue
            locator = f"row {number} (line {line})"
            raw_line = delimiter.join(values)[:2000]
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


def _read_jsonl(path: Path, on_bytes, info: TableInfo) -> Iterator[RawRow]:
    encoding = sniff_encoding(path)
    info.encoding = {"utf-8-sig": "utf-8 (with BOM)"}.get(encoding, encoding)
    raw, text = _text_stream(path, encoding)
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
            if _UNDECODED.search(line):
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


MAX_XLSX_UNCOMPRESSED = 200 * 1024 * 1024
"""Largest total uncompressed size of an XLSX's parts; bigger workbooks are refused before openpyxl reads them."""


BOMB_RATIO = 200
BOMB_MIN_BYTES = 16 * 1024 * 1024
"""A part over 16 MB that expands more than 200 times is a zip bomb (real sheets expand 5-30 times)."""


def check_xlsx_size(path: Path, limit: int | None = None) -> int:
    """The workbook's uncompressed size in bytes, from the zip directory (nothing is inflated).

    Raises `WorkbookTooLarge` over `limit` (a zip bomb, or an export better split or saved as CSV).
    """
    import zipfile

    limit = MAX_XLSX_UNCOMPRESSED if limit is None else limit
    try:
        with zipfile.ZipFile(path) as zf:
            members = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise SourceFileError(f"{path.name} is not a readable XLSX workbook: {exc}") from exc
    total = sum(max(0, info.file_size) for info in members)
    for info in members:
        if info.file_size > BOMB_MIN_BYTES and info.file_size > BOMB_RATIO * max(1, info.compress_size):
            raise WorkbookTooLarge(
                f"{path.name}: its part {info.filename!r} expands {info.file_size // max(1, info.compress_size)} "
                f"times (to {info.file_size / 2**20:.0f} MB), which no real export does; re-export it, or save it "
                "as CSV UTF-8 and import that"
            )
    if total > limit:
        raise WorkbookTooLarge(
            f"{path.name} expands to {total / 2**20:.0f} MB, over the limit of {limit / 2**20:.0f} MB; "
            "save it as CSV (File > Save As > CSV UTF-8) or split it, then import that"
        )
    return total


def _read_xlsx(path: Path, sheet: str | None, skip_rows, is_header, info: TableInfo) -> Iterator[RawRow]:
    from openpyxl import load_workbook

    with open(path, "rb") as fh:
        magic = fh.read(8)
    if magic.startswith(b"\xd0\xcf\x11\xe0") or magic.lstrip().startswith(b"<"):
        raise OldExcelFormat(_xls_message(path))
    check_xlsx_size(path)
    info.encoding = "xlsx"
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for broken files
        raise SourceFileError(f"{path.name} is not a readable XLSX workbook: {exc}") from exc
    try:
        if sheet is not None and sheet not in wb.sheetnames:
            raise SourceFileError(f"{path.name} has no sheet {sheet!r}; sheets: {', '.join(wb.sheetnames)}")
        ws = wb[sheet] if sheet else wb.worksheets[0]
        rows = ws.iter_rows(values_only=True)
        top = []
        for values in rows:
            top.append(list(values or ()))
            if len(top) >= max(HEADER_SCAN_ROWS, (skip_rows or 0) + 1):
                break
        if not top:
            raise SourceFileError(f"{path.name}: the sheet is empty; expected a header row")
        at = _find_header(top, skip_rows, is_header)
        if at >= len(top):
            raise SourceFileError(f"{path.name}: --skip-rows {skip_rows} skips every row")
        info.skipped = _preamble(top[:at])
        header = [("" if h is None else str(h).strip()) for h in top[at]]
        info.header = [h for h in header if h]
        number = 0
        sheet_row = at + 1
        for values in itertools.chain(top[at + 1 :], rows):
            sheet_row += 1
            if values is None or all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
                continue
            number += 1
            data = {h: (values[i] if i < len(values) else None) for i, h in enumerate(header) if h}
            raw = json.dumps({k: str(v) for k, v in data.items() if v is not None}, ensure_ascii=False)
            yield RawRow(number, f"row {number} (sheet row {sheet_row})", data, None, raw[:2000])
    finally:
        wb.close()


def parquet_parts(path: Path) -> list[Path]:
    """The Parquet files to read: the file itself, or a folder's .parquet files (subfolders too, such as
    Hive-style `date=2026-03-01/` partitions) in name order. Hidden and `_`-prefixed files are skipped.

    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> for name in ("b.parquet", "a.parquet", "_SUCCESS", ".x.parquet"):
    ...     _ = (d / name).write_bytes(b"")
    >>> [p.name for p in parquet_parts(d)]
    ['a.parquet', 'b.parquet']
    """
    if not path.is_dir():
        return [path]
    parts = sorted(
        p
        for p in path.rglob("*")
        if p.is_file()
        and p.suffix.lower() in PARQUET_SUFFIXES
        and not any(part.startswith((".", "_")) for part in p.relative_to(path).parts)
    )
    if not parts:
        raise SourceFileError(f"{path} is a folder with no .parquet files; give a file or a folder of .parquet files")
    return parts


def source_size(path: Path) -> int:
    """Bytes to read from `path` (a folder: its Parquet files), for progress bars; 0 when unknown."""
    try:
        if path.is_dir():
            return sum(p.stat().st_size for p in parquet_parts(path))
        return path.stat().st_size if path.exists() else 0
    except (OSError, SourceFileError):
        return 0


def _pyarrow_parquet():
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise ParquetUnavailable(
            "reading Parquet needs pyarrow", hint="install it with: pip install 'monitio[parquet]'"
        ) from None
    return pq


def _cell(value: Any) -> Any:
    """A Parquet value as the mapping expects it: bytes become text; nested values stay lists and dicts."""
    if isinstance(value, bytes | bytearray):
        return bytes(value).decode("utf-8", "replace")
    if isinstance(value, dict):
        return {str(k): _cell(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_cell(v) for v in value]
    return value


def _read_parquet(path: Path, on_bytes, info: TableInfo) -> Iterator[RawRow]:
    """Rows of a Parquet file or folder, a record batch at a time (memory stays bounded).

    Every part's footer is opened first, so an unreadable file stops the import before anything is
    written; a part that breaks later (a corrupt page) quarantines one row saying where it stopped.
    """
    pq = _pyarrow_parquet()
    parts = parquet_parts(path)
    files = []
    for part in parts:
        try:
            files.append(pq.ParquetFile(part))
        except Exception as exc:  # pyarrow raises ArrowInvalid, OSError ... for a broken footer
            raise SourceFileError(f"{part.name} is not a readable Parquet file: {exc}") from None
    info.encoding = "parquet"
    header: list[str] = []
    for f in files:
        header += [n for n in f.schema_arrow.names if n not in header]
    info.header = header
    return _parquet_rows(path, parts, files, on_bytes)


def _parquet_rows(path: Path, parts: list[Path], files: list, on_bytes) -> Iterator[RawRow]:
    number = 0
    done = 0
    for part, pf in zip(parts, files, strict=True):
        size = part.stat().st_size
        total = max(1, pf.metadata.num_rows)
        where = part.name if path.is_dir() else ""
        at = 0
        try:
            for batch in pf.iter_batches(batch_size=1000):
                for record in batch.to_pylist():
                    number += 1
                    at += 1
                    data = {str(k): _cell(v) for k, v in record.items()}
                    raw = json.dumps({k: v for k, v in data.items() if v is not None}, ensure_ascii=False, default=str)
                    locator = f"row {number} ({where} row {at})" if where else f"row {number}"
                    yield RawRow(number, locator, data, None, raw[:2000])
                if on_bytes:
                    on_bytes(done + size * at // total)
        except Exception as exc:  # a corrupt page or column chunk: keep what was read, say where it stopped
            number += 1
            yield RawRow(
                number, f"row {number} ({part.name} after row {at})", None, f"unreadable Parquet data: {exc}", ""
            )
        pf.close()
        done += size
        if on_bytes:
            on_bytes(done)
