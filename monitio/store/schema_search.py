"""Tables for search: the full-text index rows (`post_search`) and saved searches.

`post_search` holds each post's text as the query language sees it (NFKC, case-folded, tokens joined
by single spaces, see `monitio.query.text`), so a term, phrase or prefix is a plain substring of it
(`monitio/store/fts.py`). The text index itself is backend-specific and lives outside this metadata:
an FTS5 trigram table on SQLite, a pg_trgm GIN index on PostgreSQL (migration 0009).
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Boolean, Column, Index, String, Table, Text, UniqueConstraint
from sqlalchemy.dialects.postgresql import ARRAY

from monitio.store.schema import Id, UtcDateTime, metadata

post_search = Table(
    "post_search",
    metadata,
    Column("post_id", Id, primary_key=True, autoincrement=False),
    Column("vi", Boolean, nullable=False),
    Column("body", Text, nullable=False),
    Column("body_vi", Text),
    Column("grams", Text().with_variant(ARRAY(Text), "postgresql")),
)
"""`vi`: the text itself looks Vietnamese. `body`: the view for a non-Vietnamese post (Latin accents
stripped), or the Vietnamese view when `vi`. `body_vi`: the Vietnamese view (accents kept) when it
differs from `body`, else NULL; a post whose language is `vi` is searched in it.
`grams` (PostgreSQL; NULL on SQLite): the one- and two-character substrings of the text's
unspaced-script runs, for needles too short for a trigram (`fts.grams_of`)."""

saved_searches = Table(
    "saved_searches",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("name", String(200), nullable=False),
    Column("query", Text, nullable=False),
    Column("owner", String(320), nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    UniqueConstraint("name", name="uq_saved_searches_name"),
    Index("ix_saved_searches_owner", "owner"),
)

saved_views = Table(
    "saved_views",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("owner", String(320), nullable=False),
    Column("page", String(40), nullable=False),
    Column("name", String(200), nullable=False),
    Column("query", Text, nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    UniqueConstraint("owner", "page", "name", name="uq_saved_views_owner_page_name"),
)
"""A person's named dashboard view: the page (`signals`, ...) and the URL query of its filters."""
data_versions = Table(
    "data_versions",
    metadata,
    Column("name", String(40), primary_key=True),
    Column("n", BigInteger, nullable=False),
)
"""A counter per table that the database bumps on every change (`monitio.store.versions`): the key
under which search totals and facets are cached."""
