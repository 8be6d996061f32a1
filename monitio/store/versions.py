"""A version number of the posts table, bumped by the database itself on every change.

Caches of derived answers (search totals and facets) are keyed by it: any insert, update or delete
of a post, by any process and any code path (ingest, enrichment, re-enrichment, a raw SQL fix),
changes the number in the same transaction as the change, so a reader that reads the version
first and the data second never files new data under an old version or old data under a new one.

SQLite: row triggers (one writer at a time anyway). PostgreSQL: statement triggers; the counter row
is locked from a transaction's first change of `posts` until it commits, so writers of posts take
turns at that point (enrichment already takes turns on an advisory lock).

>>> from sqlalchemy import create_engine
>>> engine = create_engine("sqlite://")
>>> with engine.begin() as conn:
...     _ = conn.exec_driver_sql("CREATE TABLE posts (id INTEGER PRIMARY KEY, text TEXT)")
...     _ = conn.exec_driver_sql("CREATE TABLE data_versions (name VARCHAR(40) PRIMARY KEY, n BIGINT NOT NULL)")
...     create_version_triggers(conn)
...     before = data_version(conn)
...     _ = conn.exec_driver_sql("INSERT INTO posts (text) VALUES ('scam')")
...     data_version(conn) - before
1
"""

from __future__ import annotations

from sqlalchemy import Connection, select

from monitio.store.schema_search import data_versions

POSTS = "posts"

_BUMP = "UPDATE data_versions SET n = n + 1 WHERE name = 'posts';"
SQLITE_TRIGGERS = {
    f"posts_version_{short}": f"CREATE TRIGGER IF NOT EXISTS posts_version_{short} AFTER {event} ON posts"
    f" FOR EACH ROW BEGIN {_BUMP} END"
    for short, event in (("ai", "INSERT"), ("au", "UPDATE"), ("ad", "DELETE"))
}
PG_FUNCTION = (
    "CREATE OR REPLACE FUNCTION monitio_bump_posts_version() RETURNS trigger LANGUAGE plpgsql AS"
    f" $$ BEGIN {_BUMP} RETURN NULL; END $$"
)
PG_TRIGGER = (
    "CREATE TRIGGER posts_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON posts"
    " FOR EACH STATEMENT EXECUTE FUNCTION monitio_bump_posts_version()"
)


def create_version_triggers(conn: Connection) -> None:
    """Add the `posts` row of `data_versions` (if missing) and the triggers that bump it."""
    if conn.execute(select(data_versions.c.n).where(data_versions.c.name == POSTS)).first() is None:
        conn.execute(data_versions.insert().values(name=POSTS, n=0))
    if conn.dialect.name == "sqlite":
        for ddl in SQLITE_TRIGGERS.values():
            conn.exec_driver_sql(ddl)
    elif conn.dialect.name == "postgresql":
        conn.exec_driver_sql(PG_FUNCTION)
        conn.exec_driver_sql("DROP TRIGGER IF EXISTS posts_version ON posts")
        conn.exec_driver_sql(PG_TRIGGER)
    else:
        raise NotImplementedError(f"no version triggers for {conn.dialect.name}")


def drop_version_triggers(conn: Connection) -> None:
    if conn.dialect.name == "sqlite":
        for name in SQLITE_TRIGGERS:
            conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}")
    else:
        conn.exec_driver_sql("DROP TRIGGER IF EXISTS posts_version ON posts")
        conn.exec_driver_sql("DROP FUNCTION IF EXISTS monitio_bump_posts_version()")


def data_version(conn: Connection, name: str = POSTS) -> int:
    """The current version of `name` (only "posts" is kept); -1 when the row is missing."""
    n = conn.execute(select(data_versions.c.n).where(data_versions.c.name == name)).scalar()
    return -1 if n is None else int(n)
