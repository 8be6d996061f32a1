"""The brief as a print-quality PDF: cover with scope and period, summary, charts, signals, page numbers.

Rendered by headless Chromium (Debian's `chromium` package) from the same self-contained HTML the web
brief uses, with print rules added (A4, CSS page-margin boxes for page numbers, a cover page).
Chromium shapes every supported script (Thai, Khmer, Burmese, Devanagari, Bengali, Tamil, Telugu,
Urdu, CJK, Vietnamese diacritics), falls back per character through fontconfig (install the Noto
fonts: `fonts-noto-core fonts-noto-cjk`), embeds the fonts, and keeps the text extractable in
logical order. The page has a CSP that forbids every fetch and script, and Chromium runs with its
background networking off, in a throw-away profile.

Why Chromium and not WeasyPrint (measured, docs/benchmarks.md "PDF engine"): both render every
script, but WeasyPrint's PDFs give Devanagari, Telugu, Burmese and Khmer text back in visual glyph
order when copied or extracted (4 of 12 scripts wrong), Chromium's in reading order (12 of 12).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from monitio.errors import Unavailable
from monitio.reports.html import render_html
from monitio.reports.model import Brief

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "chrome")
FLAGS = (
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--no-first-run",
    "--no-default-browser-check",
    "--no-pdf-header-footer",
)
TIMEOUT_S = 180


def find_browser() -> str:
    """The Chromium binary (`MONITIO_CHROMIUM` overrides the search)."""
    override = os.environ.get("MONITIO_CHROMIUM")
    if override:
        return override
    for name in BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    raise Unavailable(
        "PDF briefs need Chromium, which is not installed",
        hint="apt-get install chromium fonts-noto-core fonts-noto-cjk, or set MONITIO_CHROMIUM to its path",
    )


def html_to_pdf(html: str, path: Path) -> Path:
    """Print one self-contained HTML document to `path` with headless Chromium."""
    browser = find_browser()
    path = Path(path)
    with tempfile.TemporaryDirectory(prefix="monitio-pdf-") as tmp:
        page = Path(tmp) / "brief.html"
        page.write_text(html, encoding="utf-8")
        out = Path(tmp) / "brief.pdf"
        cmd = [browser, *FLAGS, f"--user-data-dir={tmp}/profile", f"--print-to-pdf={out}", page.as_uri()]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            cmd.insert(1, "--no-sandbox")  # Chromium refuses to start as root with its sandbox
        try:
            done = subprocess.run(cmd, capture_output=True, timeout=TIMEOUT_S, check=False)
        except subprocess.TimeoutExpired:
            raise Unavailable(f"Chromium did not finish the PDF within {TIMEOUT_S} s") from None
        if done.returncode != 0 or not out.exists() or out.stat().st_size == 0:
            tail = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["no output"]
            raise Unavailable(f"Chromium could not print the PDF (exit {done.returncode}): {tail[0][:200]}")
        tmp_target = path.with_name(f".{path.name}.tmp")
        shutil.copyfile(out, tmp_target)
        tmp_target.replace(path)
    return path


def write_pdf(brief: Brief, path: Path, evidence_per_signal: int = 5) -> Path:
    """Write the brief as a PDF (via a temporary file and rename)."""
    return html_to_pdf(render_html(brief, evidence_per_signal, for_print=True), path)
