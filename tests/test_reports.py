"""Briefs in Markdown, HTML and XLSX stay safe with hostile post text, and say what they should."""

from __future__ import annotations

import csv
import html
import io
import re
import unicodedata
import zipfile
from datetime import UTC, datetime, timedelta, timezone
from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from openpyxl import load_workbook

from monitio.reports.html import render_html
from monitio.reports.markdown import render_markdown
from monitio.reports.model import Brief, BriefSignal, EvidencePost, TrendPoint
from monitio.reports.safe import csv_safe_row, md_escape, one_line, safe_cell, safe_url
from monitio.reports.write import write_brief

HOSTILE = [
    '=HYPERLINK("http://evil","x")',
    "+cmd|' /C calc'!A0",
    "@SUM(1)",
    "-2+3",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[x](javascript:alert(1))",
    "\u202eevil\u200b text\u2066 with \ufeffhidden marks",
    "ยังไม่ได้เงินคืน โฆษณาหลอกลวง",
    "返金されない詐欺広告です",
    "पैसे वापस नहीं मिले, नकली विज्ञापन",
    "إعلان احتيالي",
    " \t=1+1",
    "＝SUM(A1)",
]
URLS = ["javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,<script>alert(1)</script>", None]
T = datetime(2026, 11, 20, 14, 0, tzinfo=UTC)
TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n", "|", "＝", "＋", "－", "＠", "｜")


def _evidence(rank: int) -> list[EvidencePost]:
    return [
        EvidencePost(
            source="=src" if i == 0 else "reddit",
            source_id=f"-id{rank}-{i}",
            text=HOSTILE[(i + 5 * (rank - 1)) % len(HOSTILE)],  # each signal shows 5 different texts
            published_at=T - timedelta(hours=i),
            url=URLS[i] if i < len(URLS) else f"https://example.org/p/{i}?q=a&b=c",
            author="@evil" if i % 2 else "=cmd",
            market="ID",
            lang=["th", "ja", "hi"][i % 3],
            sentiment=-0.5,
            engagement=3 * i,
        )
        for i in range(len(HOSTILE))
    ]


def _signal(rank: int) -> BriefSignal:
    return BriefSignal(
        rank=rank,
        signal_id=100 + rank,
        kind="spike",
        title=f"Spike {rank}: <script>alert({rank})</script> =1+1",
        severity=10 - rank,
        score=0.9,
        why="Scam ads in Indonesia: <b>412</b> posts\n\n# not a heading [x](javascript:alert(1))",
        markets=["ID", "TH"],
        categories=["scam_ads"],
        langs=["id", "th"],
        first_seen=T,
        last_seen=T + timedelta(hours=3),
        observed=412,
        expected=78,
        negative_share=0.71,
        owner_team="Ads Integrity",
        playbook=["Pull the ads", "=Block domains", "<img src=x onerror=alert(2)>"],
        evidence=_evidence(rank),
    )


def _brief() -> Brief:
    trends = [
        TrendPoint(datetime(2026, 11, d, tzinfo=UTC), c, d * k, d)
        for d in range(1, 8)
        for c, k in (("scam_ads", 3), ("x", 1), ("=evil", 2))
    ]
    return Brief(
        title="Monetization-risk brief",
        generated_at=T,
        period_start=datetime(2026, 11, 1, tzinfo=UTC),
        period_end=datetime(2026, 11, 21, tzinfo=UTC),
        totals={"posts": 12345, "open_signals": 3, "risk_posts_in_period": 900, "markets": 4, "quarantined": 1},
        signals=[_signal(2), _signal(3), _signal(1)],  # out of order on purpose
        trends=trends,
        category_names={"scam_ads": "Scam ads", "=evil": '=HYPERLINK("http://evil")'},
    )


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def _tags(page: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Tags()
    parser.feed(page)
    return parser.tags


# --- Markdown ---------------------------------------------------------------------------------------


def test_markdown_is_escaped():
    md = render_markdown(_brief())
    assert "<script" not in md.lower() and "<img" not in md
    assert not re.search(r"(?<!\\)\]\(javascript:", md)  # only escaped: \](javascript:
    assert "\u202e" not in md and "\u200b" not in md and "\ufeff" not in md
    rendered = MarkdownIt("commonmark").render(md)  # raw HTML enabled: escaping must hold on its own
    tags = _tags(rendered)
    assert not [t for t, _ in tags if t in {"script", "img", "iframe", "h3", "h4"}]
    hrefs = [a.get("href") or "" for t, a in tags if t == "a"]
    assert hrefs and all(h.startswith(("https://", "http://")) for h in hrefs)
    assert not any(k.startswith("on") for _, attrs in tags for k in attrs)


def test_markdown_content_ranked_and_utc():
    md = render_markdown(_brief())
    assert md.startswith("# Monetization-risk brief")
    assert "**Period:** 2026-11-01 00:00 UTC to 2026-11-21 00:00 UTC" in md
    assert "**Generated:** 2026-11-20 14:00 UTC" in md
    assert "**12,345** posts in the workspace" in md
    for stamp in re.findall(r"\d{4}-\d\d-\d\d \d\d:\d\d(?:\S*)(?: \S+)?", md):
        assert stamp.endswith("UTC"), stamp
    assert md.index("## 1. ") < md.index("## 2. ") < md.index("## 3. ")
    assert "412 posts vs ~78 expected (5.3x)" in md and "71%" in md and "9/10" in md
    assert "1. Pull the ads" in md and "2. \\=Block domains" in md
    assert "Scam ads" in md and "Ads Integrity" in md and "**Why it was flagged:**" in md
    assert md.count("(5 of 14 posts shown)") == 3
    assert "ยังไม่ได้เงินคืน" in md and "返金されない" in md and "पैसे वापस नहीं" in md
    assert "<https://example.org/p/4?q=a&b=c>" in md and "## How to read this brief" in md


def test_markdown_converts_other_zones_to_utc():
    brief = _brief()
    brief.signals[0].first_seen = datetime(2026, 11, 20, 21, 30, tzinfo=timezone(timedelta(hours=7)))
    assert "**First seen:** 2026-11-20 14:30 UTC" in render_markdown(brief)


def test_markdown_without_signals():
    md = render_markdown(Brief("Empty", T, T, T, {}, [], []))
    assert "No open signals" in md and "How to read this brief" in md


# --- HTML -------------------------------------------------------------------------------------------


def test_html_has_no_live_markup_from_posts():
    page = render_html(_brief())
    low = page.lower()
    assert "<script" not in low and "<img" not in low and "onerror=" not in low.replace("onerror=alert", "")
    tags = _tags(page)
    assert not [t for t, _ in tags if t in {"script", "img", "iframe", "object", "embed", "link", "base", "form"}]
    assert not [(t, k) for t, attrs in tags for k in attrs if k.startswith("on") or k in {"src", "srcdoc"}]
    links = [attrs for t, attrs in tags if t == "a"]
    assert links and all((a["href"] or "").startswith(("https://", "http://")) for a in links)
    assert all(a.get("rel") == "noopener noreferrer" for a in links)
    assert 'href="javascript:' not in low and "href='javascript:" not in low
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "\u202e" not in page and "\u200b" not in page and "evil text with hidden marks" in page


def test_html_is_self_contained_with_charts():
    page = render_html(_brief())
    csp = [a for t, a in _tags(page) if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"]
    assert csp and "default-src 'none'" in (csp[0]["content"] or "")
    assert page.count("<svg") == 1 + 3  # one trend chart + a severity bar per signal
    assert page.count("<polyline") == 3  # one line per category
    assert page.index(">1. Spike 1") < page.index(">2. Spike 2") < page.index(">3. Spike 3")
    assert "2026-11-20 14:00 UTC" in page and "412 posts vs ~78 expected (5.3x)" in page
    assert "ยังไม่ได้เงินคืน" in page and "返金されない" in page and "إعلان احتيالي" in page


# --- XLSX -------------------------------------------------------------------------------------------


def _lead_stripped(text: str) -> str:
    i = 0
    while i < len(text) and (text[i].isspace() or unicodedata.category(text[i]) == "Cf"):
        i += 1
    return text[i:]


@pytest.fixture
def workbook(tmp_path):
    paths = write_brief(_brief(), tmp_path)
    assert set(paths) == {"md", "html", "xlsx"} and all(p.exists() for p in paths.values())
    return paths["xlsx"], load_workbook(paths["xlsx"])


def test_xlsx_cells_are_never_formulas(workbook):
    _, wb = workbook
    assert wb.sheetnames == ["Summary", "Signals", "Changes", "Markets x categories", "Trends", "Evidence"]
    texts = 0
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    texts += 1
                    starts = cell.value.startswith(TRIGGERS) or _lead_stripped(cell.value).startswith(TRIGGERS)
                    assert not starts, (ws.title, cell.coordinate, cell.value)
    assert texts > 100
    ev = wb["Evidence"]
    column = [ev.cell(r, 10).value for r in range(2, ev.max_row + 1)]
    for hostile in ('=HYPERLINK("http://evil","x")', "+cmd|' /C calc'!A0", "@SUM(1)", "-2+3", "＝SUM(A1)"):
        assert "'" + hostile in column
    assert "ยังไม่ได้เงินคืน โฆษณาหลอกลวง" in column and "<script>alert(1)</script>" in column
    assert "evil text with hidden marks" in column  # bidi overrides and zero-width characters removed


def test_xlsx_links_dates_and_order(workbook):
    _, wb = workbook
    ev = wb["Evidence"]
    links = {r: ev.cell(r, 13).hyperlink for r in range(2, ev.max_row + 1)}
    targets = [h.target for h in links.values() if h is not None]
    assert targets and all(t.startswith("https://") for t in targets)
    assert ev.cell(2, 13).hyperlink is None and ev.cell(2, 13).value == "javascript:alert(1)"
    assert ev.cell(2, 4).value == datetime(2026, 11, 20, 14, 0) and "UTC" in ev.cell(2, 4).number_format
    sig = wb["Signals"]
    assert [sig.cell(r, 1).value for r in (2, 3, 4)] == [1, 2, 3]
    assert sig.cell(2, 9).value == datetime(2026, 11, 20, 14, 0) and "UTC" in sig.cell(2, 9).number_format
    assert sig.cell(2, 10).value == datetime(2026, 11, 20, 17, 0)
    assert sig.cell(1, 16).value == "why" and sig.cell(2, 13).value == pytest.approx(412 / 78)
    assert sig.cell(2, 17).value.startswith("1. Pull the ads\n2. =Block domains")
    for ws in (sig, ev, wb["Trends"]):
        assert ws.freeze_panes in ("A2", "B2") and ws.auto_filter.ref
    summary = [c.value for row in wb["Summary"].iter_rows() for c in row if c.value is not None]
    assert "Monetization-risk brief" in summary and "Generated at" in summary and T.replace(tzinfo=None) in summary


def test_xlsx_trends_table_and_native_chart(workbook):
    path, wb = workbook
    tr = wb["Trends"]
    assert [c.value for c in tr[1]][:4] == ["day (UTC)", "Scam ads", '\'=HYPERLINK("http://evil")', "x"]
    assert tr.cell(2, 1).value == datetime(2026, 11, 1) and tr.cell(8, 2).value == 21
    assert len(tr._charts) == 1
    with zipfile.ZipFile(path) as z:
        assert "xl/charts/chart1.xml" in z.namelist()
        assert z.read("xl/charts/chart1.xml").count(b"<c:ser>") == 3


def test_xlsx_empty_brief(tmp_path):
    paths = write_brief(Brief("Empty", T, T, T, {}, [], []), tmp_path, stem="empty")
    assert paths["xlsx"].name == "empty.xlsx"
    assert load_workbook(paths["xlsx"]).sheetnames == [
        "Summary",
        "Signals",
        "Changes",
        "Markets x categories",
        "Trends",
        "Evidence",
    ]


# --- safe.py ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["=1", "+1", "-1", "@x", "\tx", "\rx", "  =1", "\u00a0+1", "\u200b=1", "＝1", "＋1", "－1", "＠1", "|x", " \t x"],
)
def test_safe_cell_prefixes_triggers(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["ok", "a=1", "ยัง", "", 42, -1.5, None, T, b"=1"])
def test_safe_cell_leaves_the_rest(value):
    assert safe_cell(value) == value


def test_csv_safe_row_round_trip():
    buf = io.StringIO()
    csv.writer(buf).writerow(csv_safe_row([*HOSTILE[:4], 7]))
    assert next(csv.reader(io.StringIO(buf.getvalue())))[0] == "'" + HOSTILE[0]


def test_md_escape_and_safe_url():
    assert md_escape("a" * 50, limit=10) == "a" * 9 + "…"
    assert md_escape("<script>x</script>") == "&lt;script&gt;x&lt;/script&gt;"
    assert md_escape("[x](javascript:alert(1))") == "\\[x\\](javascript:alert(1))"
    assert md_escape("# h\n- b") == "\\# h - b"
    for bad in ["javascript:alert(1)", " JAVASCRIPT:x", "data:x", 'https://x.org/"onmouseover=1', "ftp://x", ""]:
        assert safe_url(bad) is None
    assert safe_url("https://x.org/a?b=1&c=2") == "https://x.org/a?b=1&c=2"


@given(st.text())
def test_safe_cell_never_leaves_a_formula_trigger(text):
    out = safe_cell(text)
    assert out.startswith("'") or not (out.startswith(TRIGGERS) or _lead_stripped(out).startswith(TRIGGERS))


@given(st.text(), st.one_of(st.none(), st.integers(1, 50)))
def test_md_escape_is_one_line_without_tags(text, limit):
    out = md_escape(text, limit)
    assert "<" not in out and ">" not in out and "\n" not in out and "\r" not in out
    if limit is not None:
        assert len(one_line(text, limit)) <= limit


@settings(max_examples=300)
@given(st.text(alphabet=st.sampled_from(list("#*_-+=>[]()!`~|\\&<:1. \nxé\u202e")) | st.characters(), max_size=40))
def test_md_escape_renders_as_the_literal_text(text):
    rendered = MarkdownIt("commonmark").render(md_escape(text)).strip()
    expected = one_line(text)
    if not expected:
        assert rendered == ""
        return
    assert rendered.startswith("<p>") and rendered.endswith("</p>")
    inner = rendered[3:-4]
    assert "<" not in inner
    assert html.unescape(inner) == expected


def test_charts_put_the_signals_categories_first(tmp_path):
    brief = _brief()
    for s in brief.signals:
        s.categories = ["x"]  # the smallest category: still charted first because a signal is about it
    assert render_html(brief).index("■ x") < render_html(brief).index("■ Scam ads")
    tr = load_workbook(write_brief(brief, tmp_path)["xlsx"])["Trends"]
    assert [c.value for c in tr[1]][:3] == ["day (UTC)", "x", "Scam ads"]
