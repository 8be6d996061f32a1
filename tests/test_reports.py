"""Briefs in Markdown, HTML and XLSX stay safe with hostile post text, and say what they should."""

import zipfile
from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from monitio.reports.html import render_html
from monitio.reports.markdown import render_markdown
from monitio.reports.model import Brief, BriefSignal, EvidencePost, TrendPoint
from monitio.reports.safe import FORMULA_START, md_escape, safe_cell
from monitio.reports.write import write_brief

HOSTILE = [
    '=HYPERLINK("http://evil","x")',
    "+cmd|' /C calc'!A0",
    "@SUM(1)",
    "-2+3",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[x](javascript:alert(1))",
    "\u202eevil\u200b",
    "ยังไม่ได้เงินคืน",
    "返金されない",
    "पैसे वापस नहीं",
]
T = datetime(2026, 11, 20, 14, 0, tzinfo=UTC)


def _brief() -> Brief:
    ev = [
        EvidencePost(
            "src",
            f"id{i}",
            t,
            T,
            "javascript:alert(1)" if i == 0 else "https://example.org/p",
            "=cmd",
            "ID",
            "id",
            -0.5,
            3,
        )
        for i, t in enumerate(HOSTILE)
    ]
    sigs = [
        BriefSignal(
            rank=r,
            signal_id=r,
            kind="spike",
            title=f"Spike {r} =1+1",
            severity=10 - r,
            score=0.9,
            why="Scam ads in Indonesia: <b>412</b> posts",
            markets=["ID"],
            categories=["scam_ads"],
            langs=["id"],
            first_seen=T,
            last_seen=T,
            observed=412,
            expected=78,
            negative_share=0.71,
            owner_team="Ads Integrity",
            playbook=["Pull the ads", "=Block domains"],
            evidence=ev,
        )
        for r in (1, 2)
    ]
    trends = [
        TrendPoint(datetime(2026, 11, d, tzinfo=UTC), c, d * 3, d) for d in range(1, 8) for c in ("scam_ads", "x")
    ]
    return Brief(
        "Monetization-risk brief", T, T, T, {"posts": 10, "open_signals": 2}, sigs, trends, {"scam_ads": "Scam ads"}
    )


def test_markdown_is_escaped_ranked_and_says_utc():
    md = render_markdown(_brief())
    assert "<script>" not in md and "<img" not in md and "](javascript:" not in md
    assert "2026-11-20 14:00 UTC" in md
    assert md.index("## 1.") < md.index("## 2.")
    assert "412 posts vs ~78 expected (5.3x)" in md and "1. Pull the ads" in md


def test_html_has_no_live_markup_from_posts():
    page = render_html(_brief())
    assert "<script>" not in page and "onerror=alert" not in page.replace("onerror=alert(1)&gt;", "")
    assert 'href="javascript:' not in page and "default-src 'none'" in page
    assert page.count("<svg") >= 3  # trend chart and severity bars
    assert 'rel="noopener noreferrer nofollow"' in page


def test_xlsx_sheets_cells_chart_and_dates(tmp_path):
    paths = write_brief(_brief(), tmp_path)
    wb = load_workbook(paths["xlsx"])
    assert wb.sheetnames == ["Summary", "Signals", "Trends", "Evidence"]
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str) and cell.value[:1] in "=+-@":
                    raise AssertionError(f"unsafe cell {ws.title}!{cell.coordinate}: {cell.value!r}")
    ev = wb["Evidence"]
    texts = [ev.cell(r, 10).value for r in range(2, ev.max_row + 1)]
    assert '\'=HYPERLINK("http://evil","x")' in texts
    assert isinstance(ev.cell(2, 4).value, datetime)
    assert wb["Signals"].cell(2, 1).value == 1 and wb["Signals"].cell(3, 1).value == 2
    with zipfile.ZipFile(paths["xlsx"]) as z:
        assert any(n.startswith("xl/charts/chart") for n in z.namelist())
    assert "UTC" in wb["Signals"].cell(2, 9).number_format


@given(st.text())
def test_safe_cell_never_leaves_a_formula_trigger(text):
    out = safe_cell(text)
    assert not out.lstrip(" \u00a0").startswith(FORMULA_START) or out.startswith("'")


@given(st.text())
def test_md_escape_is_one_line_without_tags(text):
    out = md_escape(text)
    assert "<" not in out and "\n" not in out
