"""A Parquet import cut into row groups that can be read apart (on a cluster's workers).

`parquet_units` opens every file's footer (so an unreadable file stops the import before anything is
written, as `files.read_rows` does) and lists the row groups in reading order; `read_unit` yields one
row group's rows exactly as `files.read_rows` yields them in a whole-file read: the same data, raw
text and within-file position. Row numbers across the import are the caller's to count.

>>> import tempfile, pyarrow as pa, pyarrow.parquet as pq
>>> d = Path(tempfile.mkdtemp())
>>> pq.write_table(pa.table({"id": ["a", "b", "c"]}), d / "x.parquet", row_group_size=2)
>>> units = parquet_units(d / "x.parquet")
>>> [(u.group, u.at, u.rows) for u in units]
[(0, 0, 2), (1, 2, 1)]
>>> [(pos, row.data) for pos, row in read_unit(units[1])]
[(3, {'id': 'c'})]
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from monitio.sources.files import RawRow, SourceFileError, _cell, _pyarrow_parquet, parquet_parts


@dataclass(frozen=True, slots=True)
class ParquetUnit:
    """One row group of one Parquet file: what one task reads."""

    path: str
    """The file (an absolute path: workers open it by this name)."""
    group: int
    at: int
    """Rows of the file before this row group."""
    rows: int
    where: str
    """The file's name when the import is a folder (it goes into row locators), else ''."""
    size: int
    """Bytes of the file this unit accounts for (for progress)."""


def parquet_units(path: Path) -> list[ParquetUnit]:
    """The row groups of a Parquet file or folder in reading order; `SourceFileError` for a bad footer."""
    pq = _pyarrow_parquet()
    units = []
    for part in parquet_parts(path):
        try:
            meta = pq.ParquetFile(part).metadata
        except Exception as exc:  # pyarrow raises ArrowInvalid, OSError ... for a broken footer
            raise SourceFileError(f"{part.name} is not a readable Parquet file: {exc}") from None
        where = part.name if path.is_dir() else ""
        size, total, at = part.stat().st_size, max(1, meta.num_rows), 0
        for group in range(meta.num_row_groups):
            rows = meta.row_group(group).num_rows
            units.append(ParquetUnit(str(part.resolve()), group, at, rows, where, size * rows // total))
            at += rows
    return units


def read_unit(unit: ParquetUnit) -> Iterator[tuple[int, RawRow]]:
    """(row's 1-based position in its file, row) for each row of the unit; the row's `number` is 0 and
    its locator lacks the import-wide number (the caller knows it). A corrupt page raises."""
    pf = _pyarrow_parquet().ParquetFile(unit.path)
    try:
        table = pf.read_row_group(unit.group)
        at = unit.at
        for batch in table.to_batches(max_chunksize=1000):
            for record in batch.to_pylist():
                at += 1
                data = {str(k): _cell(v) for k, v in record.items()}
                raw = json.dumps({k: v for k, v in data.items() if v is not None}, ensure_ascii=False, default=str)
                yield at, RawRow(0, "", data, None, raw[:2000])
    finally:
        pf.close()


def locator(number: int, unit: ParquetUnit, at: int) -> str:
    """The row's locator as a whole-file read writes it.

    >>> locator(7, ParquetUnit("/x/a.parquet", 0, 0, 9, "a.parquet", 1), 3)
    'row 7 (a.parquet row 3)'
    """
    return f"row {number} ({unit.where} row {at})" if unit.where else f"row {number}"
