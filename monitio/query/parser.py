"""Recursive-descent parser for the Boolean query language.

Precedence, loosest first: `OR`, then `AND` (also implicit between adjacent terms), then `NOT` / `-`,
then `NEAR/n` and `ONEAR/n` (left-associative), then terms, "phrases", fields and parentheses.

>>> parse("scam OR fraud -refund")
Or(children=(Term(text='scam', wildcard=False), And(children=(Term(text='fraud', wildcard=False), \
Not(child=Term(text='refund', wildcard=False))))))
>>> try:
...     parse("(scam OR fraud")
... except QueryError as exc:
...     print(exc)
line 1, col 1: missing closing parenthesis
"""

from __future__ import annotations

from monitio.query.fields import parse_field
from monitio.query.limits import DEFAULT_LIMITS, QueryLimits, QueryTooCostly, too_costly
from monitio.query.nodes import And, Field, Near, Node, Not, Or, Phrase, Term
from monitio.query.text import fold, is_unspaced, split_tokens
from monitio.query.tokens import QueryError, Token, lex

_STARTS_UNARY = ("TERM", "PHRASE", "FIELD", "LPAREN", "NOT")
MAX_DEPTH = DEFAULT_LIMITS.max_depth


def parse(text: str, limits: QueryLimits | None = None) -> Node:
    """Parse query text into an immutable AST; raises `QueryError` pointing at the problem, and
    `QueryTooCostly` (a `QueryError`) where the query passes one of the `limits`.

    The parser never recurses more than `limits.max_depth` levels, so no query can exhaust the stack.
    """
    if not isinstance(text, str):
        raise QueryError(f"a query must be text, got {type(text).__name__}")
    limits = limits or DEFAULT_LIMITS
    if len(text) > limits.max_chars:
        raise QueryTooCostly(
            f"the query is longer than {limits.max_chars} characters (limit max_chars); shorten it or split it",
            text,
            limits.max_chars,
            limit="max_chars",
        )
    return _Parser(text, limits).parse()


def check_counts(text: str, tokens: list[Token], limits: QueryLimits) -> None:
    """Refuse too many terms, wildcards or NEARs, pointing at the first one over the limit."""
    terms = wildcards = nears = 0
    for tok in tokens:
        if tok.kind in ("TERM", "PHRASE", "FIELD"):
            terms += 1
            if terms > limits.max_terms:
                raise too_costly("terms, phrases and field filters", "max_terms", limits.max_terms, text, tok.pos)
            if tok.kind == "TERM" and tok.value[1]:
                wildcards += 1
                if wildcards > limits.max_wildcards:
                    raise too_costly("wildcard terms", "max_wildcards", limits.max_wildcards, text, tok.pos)
        elif tok.kind == "NEAR":
            nears += 1
            if nears > limits.max_nears:
                raise too_costly("NEAR/ONEAR operators", "max_nears", limits.max_nears, text, tok.pos)


def _near_operand(node: Node) -> bool:
    if isinstance(node, Term | Phrase | Near):
        return True
    return isinstance(node, Or) and all(_near_operand(c) for c in node.children)


def _name(tok: Token) -> str:
    if tok.kind == "NEAR":
        n, ordered = tok.value
        return ("ONEAR/" if ordered else "NEAR/") + str(n)
    return "'-'" if tok.value == "-" else tok.kind


class _Parser:
    def __init__(self, text: str, limits: QueryLimits) -> None:
        self.text = text
        self.tokens = lex(text)
        self.limits = limits
        check_counts(text, self.tokens, limits)
        self.i = 0
        self.depth = 0

    def error(self, message: str, pos: int) -> QueryError:
        return QueryError(message, self.text, pos)

    def peek(self) -> Token | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def next(self) -> Token:
        tok = self.tokens[self.i]
        self.i += 1
        return tok

    def parse(self) -> Node:
        if not self.tokens:
            raise self.error("empty query", 0)
        node = self.parse_or()
        tok = self.peek()
        if tok is not None:  # only a stray ')' stops the loops above
            raise self.error("unexpected ')' with no matching '('", tok.pos)
        return node

    def need_operand(self, op: Token) -> None:
        tok = self.peek()
        if tok is None or tok.kind not in _STARTS_UNARY:
            raise self.error(f"{_name(op)} needs a term after it", op.pos)

    def enter(self, tok: Token) -> None:
        self.depth += 1
        self.check_depth(tok)

    def check_depth(self, tok: Token) -> None:
        limit = self.limits.max_depth
        if self.depth > limit:
            raise QueryTooCostly(
                f"the query nests deeper than {limit} levels (limit max_depth: each ( ), NOT and NEAR inside "
                "another counts one); flatten it",
                self.text,
                tok.pos,
                limit="max_depth",
            )

    def parse_or(self) -> Node:
        items = [self.parse_and()]
        while (tok := self.peek()) is not None and tok.kind == "OR":
            self.next()
            self.need_operand(tok)
            items.append(self.parse_and())
        return items[0] if len(items) == 1 else Or(tuple(items))

    def parse_and(self) -> Node:
        items = [self.parse_unary()]
        while (tok := self.peek()) is not None:
            if tok.kind == "AND":
                self.next()
                self.need_operand(tok)
            elif tok.kind not in _STARTS_UNARY:
                break
            items.append(self.parse_unary())
        return items[0] if len(items) == 1 else And(tuple(items))

    def parse_unary(self) -> Node:
        tok = self.peek()
        if tok is not None and tok.kind == "NOT":
            self.next()
            self.need_operand(tok)
            self.enter(tok)
            child = self.parse_unary()
            self.depth -= 1
            return Not(child)
        return self.parse_near()

    def parse_near(self) -> Node:
        start = self.peek()
        base = self.depth
        left = self.parse_primary()
        while (tok := self.peek()) is not None and tok.kind == "NEAR":
            self.next()
            self.depth += 1  # each NEAR of a chain nests the ones before it
            self.check_depth(tok)
            if not _near_operand(left):
                raise self.error(f"{_name(tok)} joins terms, phrases or (a OR b) groups only", start.pos)
            operand = self.peek()
            if operand is None or operand.kind not in _STARTS_UNARY:
                raise self.error(f"{_name(tok)} needs a term after it", tok.pos)
            right = self.parse_primary()
            if not _near_operand(right):
                raise self.error(f"{_name(tok)} joins terms, phrases or (a OR b) groups only", operand.pos)
            n, ordered = tok.value
            left = Near(left, right, n, ordered)
        self.depth = base
        return left

    def parse_primary(self) -> Node:
        tok = self.peek()
        if tok is None:  # callers check first; kept for safety
            raise self.error("the query ends too early", len(self.text))
        if tok.kind in ("AND", "OR", "NEAR"):
            raise self.error(f"{_name(tok)} needs a term before it", tok.pos)
        if tok.kind == "RPAREN":
            raise self.error("unexpected ')' with no matching '('", tok.pos)
        if tok.kind == "NOT":
            return self.parse_unary()
        self.next()
        if tok.kind == "LPAREN":
            return self.parse_group(tok)
        if tok.kind == "FIELD":
            name, value = tok.value
            try:
                parse_field(name, value)
            except ValueError as exc:
                raise self.error(str(exc), tok.pos) from None
            return Field(name, value)
        if tok.kind == "PHRASE":
            self.check_text(tok.value, False, tok.pos, '"' + tok.value + '"')
            return Phrase(tok.value)
        word, wildcard = tok.value
        self.check_text(word, wildcard, tok.pos, self.text[tok.pos : tok.end])
        return Term(word, wildcard)

    def parse_group(self, lparen: Token) -> Node:
        inner = self.peek()
        if inner is not None and inner.kind == "RPAREN":
            raise self.error("empty parentheses", lparen.pos)
        if inner is None:
            raise self.error("missing closing parenthesis", lparen.pos)
        self.enter(lparen)
        node = self.parse_or()
        self.depth -= 1
        close = self.peek()
        if close is None or close.kind != "RPAREN":
            raise self.error("missing closing parenthesis", lparen.pos)
        self.next()
        return node

    def check_text(self, text: str, wildcard: bool, pos: int, shown: str) -> None:
        words = split_tokens(fold(text))
        if not words:
            raise self.error(f"{shown} has nothing to search for (no letters, digits or emoji)", pos)
        if wildcard and not is_unspaced(words[-1]) and len(words[-1]) < 2:
            raise self.error(f"{shown}: put at least 2 letters before the wildcard *", pos)
