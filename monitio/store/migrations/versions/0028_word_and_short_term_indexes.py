"""PostgreSQL word and short-term indexes: post_search.grams and a GIN index over each text's words

A two-character term such as 退款 has no trigram, so PostgreSQL scanned every stored text for it (243 ms
of the 1M-post search benchmark's p95). Each text's one- and two-character unspaced-script substrings
now sit in `post_search.grams` under a GIN index (`fts.grams_of`); existing PostgreSQL rows are filled
here, with progress on standard error. SQLite keeps answering such terms from its FTS5 vocabulary: the
column stays NULL there.

Whole words and word beginnings (`scam`, `scam*`) get an exact GIN index over each text's tokens
(`fts.WORDS_SQL`): a trigram lookup had to re-read and re-test every candidate row with LIKE,
which made an OR of six common words cost 230 ms at a million posts.

Revision ID: 0028
Revises: 0027
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import ARRAY

revision = "0028"
down_revision = "0027"
branch_labels = None
depends_on = None


def upgrade() -> None:
    from monitio.store.fts import backfill_grams, create_gram_index

    conn = op.get_bind()
    op.add_column("post_search", sa.Column("grams", sa.Text().with_variant(ARRAY(sa.Text), "postgresql")))
    if conn.dialect.name == "postgresql":
        backfill_grams(conn)
        create_gram_index(conn)


def downgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql("DROP INDEX IF EXISTS ix_post_search_grams")
        conn.exec_driver_sql("DROP INDEX IF EXISTS ix_post_search_words")
    conn.exec_driver_sql("ALTER TABLE post_search DROP COLUMN grams")  # in place: the table keeps its triggers
