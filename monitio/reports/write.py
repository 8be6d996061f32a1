"""Write a brief in every format and return the paths by format (`md`, `html`, `xlsx`)."""

from __future__ import annotations

from pathlib import Path

from monitio.reports.html import render_html
from monitio.reports.markdown import render_markdown
from monitio.reports.model import Brief
from monitio.reports.xlsx import write_xlsx


def _write_text(path: Path, text: str) -> Path:
    """Write via a temporary file and rename, so a reader never sees half a brief."""
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8", newline="\n")
    tmp.replace(path)
    return path


def write_brief(brief: Brief, out_dir: Path, stem: str = "brief") -> dict[str, Path]:
    """Write `<stem>.md`, `<stem>.html` and `<stem>.xlsx` into `out_dir` (created if needed)."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    return {
        "md": _write_text(out_dir / f"{stem}.md", render_markdown(brief)),
        "html": _write_text(out_dir / f"{stem}.html", render_html(brief)),
        "xlsx": write_xlsx(brief, out_dir / f"{stem}.xlsx"),
    }
