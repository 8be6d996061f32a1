"""Write a brief in every format and return the paths."""

from __future__ import annotations

from pathlib import Path

from monitio.reports.html import render_html
from monitio.reports.markdown import render_markdown
from monitio.reports.model import Brief
from monitio.reports.xlsx import write_xlsx


def write_brief(brief: Brief, out_dir: Path, stem: str = "brief") -> dict[str, Path]:
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    md = out_dir / f"{stem}.md"
    md.write_text(render_markdown(brief), encoding="utf-8")
    page = out_dir / f"{stem}.html"
    page.write_text(render_html(brief), encoding="utf-8")
    return {"md": md, "html": page, "xlsx": write_xlsx(brief, out_dir / f"{stem}.xlsx")}
