"""The Boolean query language analysts know from social-listening tools, for search, taxonomy rules
and alert rules. See docs/query-language.md.

>>> q = compile_query('(scam* OR "fake refund") NOT scampi lang:en|id')
>>> from datetime import UTC, datetime
>>> from monitio.records import Doc, Post
>>> post = Post.create(source="s", source_id="1", text="Another SCAMMER ad, fake refund again",
...                    published_at=datetime(2026, 11, 2, tzinfo=UTC))
>>> doc = Doc(post_id=1, post=post, lang="en")
>>> q.matches(doc), q.explain(doc)
(True, ['scammer', 'fake refund'])
>>> to_string(parse("scam and -refund"))
'scam AND NOT refund'
"""

from monitio.query.budget import Budget, BudgetExceeded
from monitio.query.compiled import CompiledQuery, RuleSet, compile_many, compile_query, doc_view
from monitio.query.fields import FIELDS, FieldSpec, parse_field
from monitio.query.limits import DEFAULT_LIMITS, QueryLimits, QueryTooCostly, check_expansion
from monitio.query.nodes import And, Field, Near, Node, Not, Or, Phrase, Term, to_string, walk
from monitio.query.parser import parse
from monitio.query.text import TextView, build_view
from monitio.query.tokens import QueryError

__all__ = [
    "DEFAULT_LIMITS",
    "FIELDS",
    "And",
    "Budget",
    "BudgetExceeded",
    "CompiledQuery",
    "Field",
    "FieldSpec",
    "Near",
    "Node",
    "Not",
    "Or",
    "Phrase",
    "QueryError",
    "QueryLimits",
    "QueryTooCostly",
    "RuleSet",
    "Term",
    "TextView",
    "build_view",
    "check_expansion",
    "compile_many",
    "compile_query",
    "doc_view",
    "parse",
    "parse_field",
    "to_string",
    "walk",
]
