"""Write a brief in the formats asked for and return the paths by format (`md`, `html`, `xlsx`, `pdf`)."""

from __future__ import annotations

from pathlib import Path

from monitio.errors import Invalid
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


FORMATS = ("md", "html", "xlsx", "pdf")
DEFAULT_FORMATS = ("md", "html", "xlsx")


def write_brief(
    brief: Brief, out_dir: Path, stem: str = "brief", formats: tuple[str, ...] | list[str] = DEFAULT_FORMATS
) -> dict[str, Path]:
    """Write `<stem>.<format>` for each format into `out_dir` (created if needed)."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths: dict[str, Path] = {}
    for fmt in formats:
        target = out_dir / f"{stem}.{fmt}"
        if fmt == "md":
            paths[fmt] = _write_text(target, render_markdown(brief))
        elif fmt == "html":
            paths[fmt] = _write_text(target, render_html(brief))
        elif fmt == "xlsx":
            paths[fmt] = write_xlsx(brief, target)
        elif fmt == "pdf":
            from monitio.reports.pdf import write_pdf

            paths[fmt] = write_pdf(brief, target)
        else:
            raise Invalid(f"unknown brief format {fmt!r}", hint="use md, html, xlsx or pdf")
    return paths
