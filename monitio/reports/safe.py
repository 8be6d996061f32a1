"""Making untrusted text safe to export: spreadsheet formulas, Markdown, HTML links.

Post texts are hostile input. Everything a brief or an export shows from a post goes through here.

>>> safe_cell('=HYPERLINK("http://x")')
'\\'=HYPERLINK("http://x")'
>>> safe_cell("  +cmd"), safe_cell("＝1"), safe_cell(42), safe_cell("ok")
("'  +cmd", "'＝1", 42, 'ok')
>>> safe_cell("x;=1+2;@SUM(A1)")
"'x;'=1+2;'@SUM(A1)"
>>> md_escape("<b>*hi*</b>\\n# there")
'&lt;b&gt;\\\\*hi\\\\*&lt;/b&gt; # there'
>>> md_escape("1. Rp 1.000.000 (cash) – call now!!! " * 3, limit=30)
'1\\\\. Rp 1.000.000 (cash) – call…'
>>> safe_url("javascript:alert(1)") is None, safe_url(" https://example.org/a?b=1 ")
(True, 'https://example.org/a?b=1')
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from typing import Any

#: First characters that make Excel, LibreOffice or Sheets evaluate a cell (or run DDE).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "|", "＝", "＋", "－", "＠", "｜")
#: Invisible characters that can hide what text says or reorder it on screen (bidi overrides and
#: isolates, zero-width space, word joiner, BOM) and control characters. ZWJ/ZWNJ (U+200C/D) stay:
#: Hindi, Persian and emoji need them.
INVISIBLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200b\u200e\u200f\u202a-\u202e\u2060-\u2069\ufeff]")
#: What may come before a formula trigger and still leave it a formula (spaces, tabs, invisibles).
_LEAD = re.compile(r"[\s\u00a0\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]*")
#: Characters with an inline meaning in Markdown (GFM): escapes, code, emphasis, links, tables, strike.
#: A separator a spreadsheet may split on (`;` in many locales, `,`, tab, newline) followed by a formula
#: trigger: once split, that piece would start a cell of its own.
_SEPARATED_FORMULA = re.compile(
    r"([;,\t\r\n]" + _LEAD.pattern + ")([" + re.escape("".join(c for c in FORMULA_START if c not in "\t\r\n")) + "])"
)
_MD_INLINE = re.compile(r"([\\`*_\[\]|~])")
#: What would turn the start of a line into a heading, list, quote, rule or setext underline.
_MD_LINE_START = re.compile(r"^(#|[-+=]|\d+(?=[.)]))")
_HTTP_URL = re.compile(r"https?://[^\s<>\"'`\\]+", re.IGNORECASE)
ELLIPSIS = "…"


def looks_like_formula(value: str) -> bool:
    """True when a spreadsheet could read `value` as a formula.

    >>> looks_like_formula(" \\u200b=1"), looks_like_formula("a=1"), looks_like_formula("\\tx")
    (True, False, True)
    """
    lead = _LEAD.match(value)
    end = lead.end() if lead else 0
    if any(c in "\t\r\n" for c in value[:end]):
        return True
    return value[end:].startswith(FORMULA_START)


def safe_cell(value: Any) -> Any:
    """Text a spreadsheet would read as a formula gets a leading apostrophe; other types pass through.

    A cell holding a separator (`;` `,` tab newline) followed by a formula trigger is a formula once a
    CSV reader splits on that separator (`x;=1+2` in a `;` locale), whatever the writer quoted: such a
    cell gets the apostrophe in front and before every trigger that follows a separator.
    """
    if not isinstance(value, str):
        return value
    split_risk = _SEPARATED_FORMULA.search(value) is not None
    if split_risk:
        value = _SEPARATED_FORMULA.sub(r"\1'\2", value)
    if split_risk or looks_like_formula(value):
        return "'" + value
    return value


def csv_safe_row(values: Iterable[Any]) -> list[Any]:
    """`safe_cell` over a row, for `csv.writer.writerow`.

    >>> csv_safe_row(["=1+1", 2, None, "-x"])
    ["'=1+1", 2, None, "'-x"]
    """
    return [safe_cell(v) for v in values]


def truncate(text: str, limit: int | None) -> str:
    """At most `limit` characters, ending with an ellipsis when cut."""
    if limit is not None and len(text) > limit:
        return text[: max(limit - 1, 0)].rstrip() + ELLIPSIS
    return text


def one_line(text: str, limit: int | None = None) -> str:
    """Invisible and control characters removed, all whitespace runs (newlines too) made one space.

    >>> one_line("a\\u202e b\\n\\n\\tc\\u200b", 4)
    'a b…'
    """
    return truncate(" ".join(INVISIBLE.sub("", text).split()), limit)


def md_escape(text: str, limit: int | None = None) -> str:
    """Untrusted text for Markdown: one line, truncated to `limit`, HTML and Markdown syntax escaped.

    The result renders as the literal text (no tags, links, emphasis, headings or lists) wherever it
    is placed on a line. Entities come from `html.escape`, so `&`, `<` and `>` never reach the output.
    """
    text = html.escape(one_line(text, limit), quote=False)
    text = _MD_INLINE.sub(r"\\\1", text)
    return _MD_LINE_START.sub(lambda m: m.group(0) + "\\" if m.group(0)[0].isdigit() else "\\" + m.group(0), text)


def safe_url(url: str | None) -> str | None:
    """The URL if it is a plain http(s) URL, else None (no `javascript:`, `data:`, other schemes or
    embedded whitespace, quotes or invisible characters)."""
    if not url:
        return None
    url = url.strip()
    if len(url) > 2000 or INVISIBLE.search(url) or not _HTTP_URL.fullmatch(url):
        return None
    return url
