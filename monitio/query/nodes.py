"""The query AST (small immutable dataclasses) and its canonical printer.

>>> to_string(And((Term("scam", wildcard=True), Not(Field("lang", "en")))))
'scam* AND NOT lang:en'
>>> to_string(Near(Phrase("top up"), Or((Term("bonus"), Term("free"))), 3, ordered=True))
'"top up" ONEAR/3 (bonus OR free)'
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Term:
    """A word as written (`wildcard`: it ended in `*`, so any word starting with it matches)."""

    text: str
    wildcard: bool = False


@dataclass(frozen=True, slots=True)
class Phrase:
    """An exact phrase, written in double quotes."""

    text: str


@dataclass(frozen=True, slots=True)
class Field:
    """A filter on the document's metadata, e.g. `lang:id` or `date:2026-11-01..2026-11-07`."""

    name: str
    value: str


@dataclass(frozen=True, slots=True)
class Not:
    child: Node


@dataclass(frozen=True, slots=True)
class And:
    children: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Or:
    children: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Near:
    """`left` within `distance` words of `right` (in that order when `ordered`)."""

    left: Node
    right: Node
    distance: int
    ordered: bool = False


Node = Term | Phrase | Field | Not | And | Or | Near

_PLAIN_VALUE = re.compile(r'[^\s()"]+')


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _wrap(node: Node) -> str:
    text = to_string(node)
    return f"({text})" if isinstance(node, And | Or | Near) else text


def to_string(node: Node) -> str:
    """The canonical text of a query: `parse(to_string(n)) == n` for every node `parse` can return."""
    if isinstance(node, Term):
        return node.text + ("*" if node.wildcard else "")
    if isinstance(node, Phrase):
        return _quote(node.text)
    if isinstance(node, Field):
        value = node.value if _PLAIN_VALUE.fullmatch(node.value) else _quote(node.value)
        return f"{node.name}:{value}"
    if isinstance(node, Not):
        inner = to_string(node.child)
        return "NOT " + (f"({inner})" if isinstance(node.child, And | Or) else inner)
    if isinstance(node, And):
        return " AND ".join(_wrap(c) if isinstance(c, And | Or) else to_string(c) for c in node.children)
    if isinstance(node, Or):
        return " OR ".join(_wrap(c) for c in node.children)
    if isinstance(node, Near):
        op = ("ONEAR/" if node.ordered else "NEAR/") + str(node.distance)
        return f"{_wrap(node.left)} {op} {_wrap(node.right)}"
    raise TypeError(f"not a query node: {node!r}")


def walk(node: Node):
    """Every node of the tree, parents before children."""
    yield node
    if isinstance(node, Not):
        yield from walk(node.child)
    elif isinstance(node, And | Or):
        for child in node.children:
            yield from walk(child)
    elif isinstance(node, Near):
        yield from walk(node.left)
        yield from walk(node.right)
