"""Splitting query text into tokens, and `QueryError` (which says where in the query it went wrong).

>>> [(t.kind, t.value) for t in lex('scam* -"top up" NEAR/3 lang:id')]
[('TERM', ('scam', True)), ('NOT', '-'), ('PHRASE', 'top up'), ('NEAR', (3, False)), ('FIELD', ('lang', 'id'))]
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from monitio.errors import Invalid
from monitio.query.fields import FIELDS

MAX_DISTANCE = 1000
_SPECIAL = '()"'
_NEAR_RE = re.compile(r"(o?near)/(.*)", re.IGNORECASE | re.DOTALL)
_FIELD_RE = re.compile(r"([A-Za-z_]+):(.*)", re.DOTALL)
KEYWORDS = ("AND", "OR", "NOT")
_EXAMPLES = {
    "lang": "id",
    "market": "ID",
    "source": "reddit",
    "author": "budi",
    "category": "scam_ads",
    "sentiment": "<0",
    "engagement": ">100",
    "date": "2026-11-01..2026-11-07",
    "has": "phone",
}


class QueryError(Invalid):
    """A query that cannot be parsed; `str(err)` is `line L, col C: what is wrong` (and `.message`
    just the what)."""

    kind, http_status = "bad_query", 400

    def __init__(self, message: str, text: str = "", pos: int = 0, rule: str | None = None) -> None:
        self.rule = rule
        self.text = text
        self.pos = pos
        before = text[:pos]
        self.line = before.count("\n") + 1
        self.col = pos - (before.rfind("\n") + 1) + 1
        where = f"rule {rule!r}, " if rule is not None else ""
        super().__init__(f"{where}line {self.line}, col {self.col}: {message}")
        self.message = message  # Invalid sets it to the whole line

    def one_line(self) -> str:
        return str(self)


@dataclass(frozen=True, slots=True)
class Token:
    kind: str  # TERM PHRASE FIELD AND OR NOT NEAR LPAREN RPAREN
    value: Any
    pos: int
    end: int


def _read_quoted(text: str, start: int) -> tuple[str, int]:
    """The text of a quoted string starting at `start` (a '"') and the index after it."""
    out: list[str] = []
    i = start + 1
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text) and text[i + 1] in '"\\':
            out.append(text[i + 1])
            i += 2
        elif ch == '"':
            return "".join(out), i + 1
        else:
            out.append(ch)
            i += 1
    raise QueryError('unterminated quote: this " has no closing "', text, start)


def _word_end(text: str, start: int) -> int:
    i = start
    while i < len(text) and not text[i].isspace() and text[i] not in _SPECIAL:
        i += 1
    return i


def _classify(text: str, word: str, pos: int, end: int) -> Token:
    upper = word.upper()
    if upper in KEYWORDS:
        return Token(upper, word, pos, end)
    m = _NEAR_RE.fullmatch(word)
    if m:
        digits = m.group(2)
        op = m.group(1).upper()
        if not (digits.isascii() and digits.isdigit()):
            raise QueryError(f"{op}/ needs a number, e.g. {op}/5", text, pos)
        n = int(digits)
        if n > MAX_DISTANCE:
            raise QueryError(f"{op}/{n} is too far (at most {MAX_DISTANCE} words)", text, pos)
        return Token("NEAR", (n, op == "ONEAR"), pos, end)
    if "*" in word:
        if word.index("*") != len(word) - 1:
            raise QueryError("wildcard * is only allowed at the end of a word, e.g. scam*", text, pos)
        return Token("TERM", (word[:-1], True), pos, end)
    return Token("TERM", (word, False), pos, end)


def _field(text: str, m: re.Match[str], pos: int, end: int) -> Token:
    name, value = m.group(1).lower(), m.group(2)
    if name not in FIELDS:
        raise QueryError(f"unknown field {m.group(1)!r} (fields: {', '.join(FIELDS)})", text, pos)
    if not value and end < len(text) and text[end] == '"':
        value, end = _read_quoted(text, end)
    if not value:
        raise QueryError(f"{name}: needs a value, e.g. {name}:{_EXAMPLES[name]}", text, pos)
    return Token("FIELD", (name, value), pos, end)


def lex(text: str) -> list[Token]:
    """Tokens of a query; raises `QueryError` for unterminated quotes, bad NEAR/ and unknown fields."""
    tokens: list[Token] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch.isspace():
            i += 1
            continue
        if ch in "()":
            tok = Token("LPAREN" if ch == "(" else "RPAREN", ch, i, i + 1)
        elif ch == '"':
            value, end = _read_quoted(text, i)
            tok = Token("PHRASE", value, i, end)
        elif ch == "-":  # at the start of a token: NOT
            if i + 1 >= n or text[i + 1].isspace() or text[i + 1] == ")":
                raise QueryError("'-' must be followed directly by a term, e.g. -refund", text, i)
            tok = Token("NOT", "-", i, i + 1)
        else:
            end = _word_end(text, i)
            word = text[i:end]
            m = _FIELD_RE.fullmatch(word)
            if m and not m.group(2).startswith("//"):
                tok = _field(text, m, i, end)
            else:
                tok = _classify(text, word, i, end)
        tokens.append(tok)
        i = tok.end
    return tokens
