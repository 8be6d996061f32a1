"""data versions of signals and people: counters for the caches of signal pages and API tokens

Rows "signals" (bumped by changes of `signals` and `case_links`) and "people" (`users`,
`api_tokens`) in `data_versions`, with the same triggers as migration 0024
(`monitio/store/versions.py`): a signal page or a token's user is served from memory only while
its version is unchanged, so a disabled user's token stops working at the next request, in every
server process.

Revision ID: 0027
Revises: 0026
"""

from alembic import op

revision = "0027"
down_revision = "0026"
branch_labels = None
depends_on = None


def upgrade() -> None:
    from monitio.store.versions import PEOPLE, SIGNALS, create_version_triggers

    create_version_triggers(op.get_bind(), (SIGNALS, PEOPLE))


def downgrade() -> None:
    from monitio.store.versions import PEOPLE, SIGNALS, drop_version_triggers

    conn = op.get_bind()
    drop_version_triggers(conn, (SIGNALS, PEOPLE))
    conn.exec_driver_sql("DELETE FROM data_versions WHERE name IN ('signals', 'people')")
