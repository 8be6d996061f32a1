"""complaint flag per post, complaint count per rollup, language codes in BCP 47 case

`posts.complaint` (an unmet expectation: "still no refund", "belum sampai") and `rollups.complaints`.
Language codes stored before the normaliser (`hi-latn`, `EN`) are rewritten in BCP 47 case (`hi-Latn`,
`en`) in posts (lang, lang_hint, mixed_langs), rollups and rollup_authors; a rollup row whose new key
already exists is added into it (authors recounted from rollup_authors, which is exact).

Revision ID: 0016
Revises: 0017
"""

import sqlalchemy as sa
from alembic import op

from monitio.enrich.textnorm import bcp47

revision = "0016"
down_revision = "0017"
branch_labels = None
depends_on = None

SUMS = ("count", "negative", "positive", "engagement", "complaints")
posts = sa.table("posts", sa.column("id"), sa.column("lang"), sa.column("lang_hint"), sa.column("mixed_langs"))
rollups = sa.table(
    "rollups",
    *(sa.column(c) for c in ("bucket", "market", "lang", "category", "source", "authors", *SUMS)),
)
authors = sa.table(
    "rollup_authors", *(sa.column(c) for c in ("bucket", "market", "lang", "category", "source", "author_key"))
)


def _renames(conn, column) -> dict[str, str]:
    """Stored values of a language column -> their BCP 47 form, for the values that change."""
    out = {}
    for v in conn.execute(sa.select(column).distinct().where(column.is_not(None))).scalars():
        new = ",".join(bcp47(x) or x for x in v.split(",")) if column.name == "mixed_langs" else bcp47(v) or v
        if new != v:
            out[v] = new
    return out


def _fix_posts(conn) -> None:
    for column in (posts.c.lang, posts.c.lang_hint, posts.c.mixed_langs):
        for old, new in _renames(conn, column).items():
            conn.execute(sa.update(posts).where(column == old).values({column.name: new}))


def _same_key(table, other):
    return sa.and_(*(table.c[k] == other.c[k] for k in ("bucket", "market", "category", "source")))


def _fix_rollups(conn) -> None:
    renames = _renames(conn, rollups.c.lang) | _renames(conn, authors.c.lang)
    for old, new in renames.items():
        # Authors: a row already under the new code is the same author in the same hour (dropped), else moved.
        b = authors.alias("b")
        dup = sa.exists().where(b.c.lang == new, _same_key(b, authors), b.c.author_key == authors.c.author_key)
        conn.execute(sa.delete(authors).where(authors.c.lang == old, dup))
        conn.execute(sa.update(authors).where(authors.c.lang == old).values(lang=new))
        for r in conn.execute(sa.select(rollups).where(rollups.c.lang == old)).all():
            key = sa.and_(*(rollups.c[k] == getattr(r, k) for k in ("bucket", "market", "category", "source")))
            there = conn.execute(sa.select(sa.literal(1)).where(rollups.c.lang == new, key)).first()
            if there:
                add = {c: rollups.c[c] + (getattr(r, c) or 0) for c in SUMS}
                conn.execute(sa.update(rollups).where(rollups.c.lang == new, key).values(add))
                conn.execute(sa.delete(rollups).where(rollups.c.lang == old, key))
            else:
                conn.execute(sa.update(rollups).where(rollups.c.lang == old, key).values(lang=new))
        a = authors.alias("a")
        recount = (
            sa.select(sa.func.count())
            .select_from(a)
            .where(a.c.lang == rollups.c.lang, _same_key(a, rollups))
            .scalar_subquery()
        )
        conn.execute(sa.update(rollups).where(rollups.c.lang == new).values(authors=recount))


def upgrade() -> None:
    op.add_column("posts", sa.Column("complaint", sa.Boolean(), nullable=True))
    op.add_column("rollups", sa.Column("complaints", sa.BigInteger(), nullable=False, server_default="0"))
    conn = op.get_bind()
    _fix_posts(conn)
    _fix_rollups(conn)


def downgrade() -> None:
    with op.batch_alter_table("rollups") as batch:
        batch.drop_column("complaints")
    with op.batch_alter_table("posts") as batch:
        batch.drop_column("complaint")
