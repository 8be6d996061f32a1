"""scheduled briefs, delivered through the alert outbox

Revision ID: 0021
Revises: 0020
"""

import sqlalchemy as sa
from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "brief_schedules",
        sa.Column("id", Id, autoincrement=True, nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("cron", sa.String(length=120), nullable=False),
        sa.Column("tz", sa.String(length=60), nullable=False),
        sa.Column("period", sa.String(length=20), nullable=False),
        sa.Column("scope", sa.JSON(), nullable=False),
        sa.Column("formats", sa.JSON(), nullable=False),
        sa.Column("emails", sa.JSON(), nullable=False),
        sa.Column("channel_ids", sa.JSON(), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("starts_after", sa.DateTime(timezone=True), nullable=False),
        sa.Column("origin", sa.String(length=20), nullable=False),
        sa.Column("created_by", sa.String(length=320), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name"),
    )
    with op.batch_alter_table("alert_outbox") as batch:
        batch.alter_column("rule_id", existing_type=Id, nullable=True)
        batch.alter_column("signal_id", existing_type=Id, nullable=True)
        batch.add_column(sa.Column("schedule_id", Id, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("alert_outbox") as batch:
        batch.drop_column("schedule_id")
    op.drop_table("brief_schedules")
