"""Export cells stay inert even when a spreadsheet splits them on a separator (`;` locales)."""

from __future__ import annotations

import csv
import io
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from monitio.reports.safe import _LEAD, FORMULA_START, safe_cell

SEPARATORS = ";,\t\r\n"
TRIGGERS = "".join(c for c in FORMULA_START if c not in "\t\r\n")


def _pieces(text: str, sep: str) -> list[str]:
    return text.split(sep)


def _starts_a_formula(piece: str) -> bool:
    return piece[_LEAD.match(piece).end() :].startswith(tuple(TRIGGERS))


def test_semicolon_separated_formulas_are_neutralised():
    cell = safe_cell("x;=1+2;@SUM(A1)")
    assert cell.startswith("'")
    for sep in SEPARATORS:
        assert not any(_starts_a_formula(p) for p in _pieces(cell, sep)), (sep, cell)
    for text in ("a, -5", "tab\t+1", "line\n=cmd|' /C calc'!A0", "a ;  ＝1"):
        cell = safe_cell(text)
        assert cell.startswith("'") and not any(_starts_a_formula(p) for s in SEPARATORS for p in cell.split(s))


def test_plain_text_with_separators_is_unchanged():
    for text in ("a;b,c", "price 5,000; free shipping", "1;2;3"):
        assert safe_cell(text) == text


def test_a_semicolon_locale_csv_reader_sees_no_formula_cell():
    buf = io.StringIO()
    csv.writer(buf).writerow([safe_cell("x;=1+2;@SUM(A1)"), safe_cell("ok")])
    for row in csv.reader(io.StringIO(buf.getvalue()), delimiter=";"):
        assert not any(_starts_a_formula(c) for c in row), row


alphabet = st.sampled_from([*(SEPARATORS + TRIGGERS + " \u200bab1'\"\u00a0")])


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=alphabet, max_size=30))
def test_no_separator_split_of_a_safe_cell_starts_a_formula(text):
    cell = safe_cell(text)
    pieces = [p for sep in SEPARATORS for p in cell.split(sep)]
    assert not any(_starts_a_formula(p) for p in pieces), (text, cell)
    assert re.sub("'", "", cell) == re.sub("'", "", text)  # only apostrophes are added
