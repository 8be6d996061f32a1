"""Making untrusted text safe to export: spreadsheet formulas, Markdown and HTML.

>>> safe_cell("=HYPERLINK(\\"http://x\\")")
'\\'=HYPERLINK("http://x")'
>>> safe_cell("  +cmd"), safe_cell(42), safe_cell("ok")
("'  +cmd", 42, 'ok')
>>> md_escape("<b>*hi*</b>\\nthere")
'&lt;b&gt;\\\\*hi\\\\*&lt;/b&gt; there'
"""

from __future__ import annotations

import html
import re
from typing import Any

FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠", "|")
MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~>])")
INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


def safe_cell(value: Any) -> Any:
    """Prefix an apostrophe to text that a spreadsheet would read as a formula; other types unchanged."""
    if not isinstance(value, str):
        return value
    stripped = value.lstrip(" \u00a0")
    if stripped.startswith(FORMULA_START) or value.startswith(("\t", "\r")):
        return "'" + value
    return value


def csv_safe_row(values: list[Any]) -> list[Any]:
    return [safe_cell(v) for v in values]


def one_line(text: str, limit: int | None = None) -> str:
    text = " ".join(INVISIBLE.sub("", text).split())
    if limit and len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return text


def md_escape(text: str, limit: int | None = None) -> str:
    """Untrusted text for Markdown: one line, HTML escaped, Markdown control characters escaped."""
    return MD_SPECIAL.sub(r"\\\1", html.escape(one_line(text, limit), quote=False))


def safe_url(url: str | None) -> str | None:
    """The URL if it is http(s), else None (no javascript:, data: or other schemes)."""
    if url and re.match(r"^https?://[^\s<>\"']+$", url.strip(), re.IGNORECASE):
        return url.strip()
    return None
