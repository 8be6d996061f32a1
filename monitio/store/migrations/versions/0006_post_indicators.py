"""post indicators

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.add_column("posts", sa.Column("indicators", sa.JSON(), nullable=True))


def downgrade() -> None:

    with op.batch_alter_table("posts") as batch:
        batch.drop_column("indicators")
