"""data versions: counters the database bumps on every change of posts or narratives (cache keys)

`data_versions` (name, n) with the rows "posts" and "narratives", and triggers on `posts` (and on
`narratives`, `post_narratives`, `narrative_merges`) that add one to their row in the changing
transaction: per row on SQLite, per statement on PostgreSQL (`monitio/store/versions.py`).

Revision ID: 0024
Revises: 0023
"""

import sqlalchemy as sa
from alembic import op

revision = "0024"
down_revision = "0023"
branch_labels = None
depends_on = None


def upgrade() -> None:
    from monitio.store.versions import NARRATIVES, POSTS, create_version_triggers

    op.create_table(
        "data_versions",
        sa.Column("name", sa.String(40), nullable=False),
        sa.Column("n", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("name"),
    )
    create_version_triggers(op.get_bind(), (POSTS, NARRATIVES))


def downgrade() -> None:
    from monitio.store.versions import NARRATIVES, POSTS, drop_version_triggers

    drop_version_triggers(op.get_bind(), (POSTS, NARRATIVES))
    op.drop_table("data_versions")
