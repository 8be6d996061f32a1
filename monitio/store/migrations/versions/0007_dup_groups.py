"""near-duplicate groups (persistent copy-paste index)

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.add_column("posts", sa.Column("dup_group", Id, nullable=True))
    op.create_index("ix_posts_dup_group", "posts", ["dup_group", "published_at"])
    op.create_table(
        "dup_groups",
        sa.Column("id", Id, autoincrement=True, nullable=False),
        sa.Column("merged_into", Id, nullable=True),
        sa.Column("rep_post_id", Id, nullable=False),
        sa.Column("rep_text", sa.Text(), nullable=False),
        sa.Column("first_seen", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen", sa.DateTime(timezone=True), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("authors", sa.BigInteger(), nullable=False),
        sa.Column("markets", sa.JSON(), nullable=False),
        sa.Column("bands_pruned_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_dup_groups_last_seen", "dup_groups", ["last_seen"])
    op.create_index("ix_dup_groups_merged_into", "dup_groups", ["merged_into"])
    op.create_index("ix_dup_groups_rep_post", "dup_groups", ["rep_post_id"])
    op.create_table(
        "dup_keys",
        sa.Column("id", Id, autoincrement=True, nullable=False),
        sa.Column("dup_key", sa.String(length=40), nullable=False),
        sa.Column("group_id", Id, nullable=False),
        sa.Column("signature", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("dup_key"),
    )
    op.create_index("ix_dup_keys_group", "dup_keys", ["group_id"])
    op.create_table(
        "dup_bands",
        sa.Column("bucket", sa.BigInteger(), nullable=False),
        sa.Column("key_id", Id, nullable=False),
        sa.Column("group_id", Id, nullable=False),
        sa.UniqueConstraint("bucket", "key_id", name="uq_dup_bands"),
    )
    op.create_index("ix_dup_bands_group", "dup_bands", ["group_id"])
    op.create_table(
        "dup_group_authors",
        sa.Column("group_id", Id, nullable=False),
        sa.Column("author_key", sa.String(length=16), nullable=False),
        sa.UniqueConstraint("group_id", "author_key", name="uq_dup_group_authors"),
    )


def downgrade() -> None:
    op.drop_table("dup_group_authors")
    op.drop_index("ix_dup_bands_group", table_name="dup_bands")
    op.drop_table("dup_bands")
    op.drop_index("ix_dup_keys_group", table_name="dup_keys")
    op.drop_table("dup_keys")
    op.drop_index("ix_dup_groups_rep_post", table_name="dup_groups")
    op.drop_index("ix_dup_groups_merged_into", table_name="dup_groups")
    op.drop_index("ix_dup_groups_last_seen", table_name="dup_groups")
    op.drop_table("dup_groups")
    op.drop_index("ix_posts_dup_group", table_name="posts")
    with op.batch_alter_table("posts") as batch:
        batch.drop_column("dup_group")
