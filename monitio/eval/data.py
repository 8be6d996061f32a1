"""Reading labelled CSV files for evaluation and training."""

from __future__ import annotations

import csv
from pathlib import Path

from monitio.errors import Invalid


class EvalDataError(Invalid):
    """The labelled file is missing, unreadable or lacks the needed columns."""


def read_labelled(
    path: Path, label_columns: tuple[str, ...] = ("label",), text_column: str = "text"
) -> list[tuple[str, str]]:
    """(text, label) pairs from a CSV with a `text_column` and one of `label_columns`; unlabelled rows skipped."""
    path = Path(path)
    if not path.exists():
        raise EvalDataError(f"no such file: {path}")
    try:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            fields = reader.fieldnames or []
            if text_column not in fields:
                raise EvalDataError(
                    f"{path.name} has no {text_column!r} column (columns: {', '.join(fields) or 'none'})"
                )
            label = next((c for c in label_columns if c in fields), None)
            if label is None:
                raise EvalDataError(f"{path.name} has no {' or '.join(repr(c) for c in label_columns)} column")
            rows = [(r[text_column] or "", (r[label] or "").strip()) for r in reader]
    except UnicodeDecodeError as exc:
        raise EvalDataError(f"{path.name} is not UTF-8: {exc}") from None
    rows = [(t, lab) for t, lab in rows if lab]
    if not rows:
        raise EvalDataError(f"{path.name} has no labelled rows")
    return rows
