"""Version numbers of the posts, narratives, signals and people, bumped by the database itself on every change.

Caches of derived answers (search totals and facets, the narratives list, signal pages, the user of
an API token) are keyed by them: any
insert, update or delete of a post, by any process and any code path (ingest, enrichment, re-enrichment, a raw SQL fix),
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
...     for t in ("narratives", "post_narratives", "narrative_merges"):
...         _ = conn.exec_driver_sql(f"CREATE TABLE {t} (id INTEGER PRIMARY KEY)")
...     create_version_triggers(conn, (POSTS, NARRATIVES))
...     before = data_version(conn)
...     _ = conn.exec_driver_sql("INSERT INTO posts (text) VALUES ('scam')")
...     data_version(conn) - before
1
"""

from __future__ import annotations

from sqlalchemy import Connection, select

from monitio.store.schema_search import data_versions

POSTS = "posts"
NARRATIVES = "narratives"
SIGNALS = "signals"
PEOPLE = "people"
GROUPS = {
    POSTS: ("posts",),
    NARRATIVES: ("narratives", "post_narratives", "narrative_merges"),
    SIGNALS: ("signals", "case_links"),
    PEOPLE: ("users", "api_tokens"),
}
"""Each version row and the tables whose changes bump it (posts and narratives since migration 0024,
signals and people since 0027)."""


def _bump(group: str) -> str:
    return f"UPDATE data_versions SET n = n + 1 WHERE name = '{group}';"  # noqa: S608 (a GROUPS key)


def _sqlite_triggers(groups=GROUPS) -> dict[str, str]:
    out = {}
    for group, tables in groups.items():
        for table in tables:
            for short, event in (("ai", "INSERT"), ("au", "UPDATE"), ("ad", "DELETE")):
                name = f"{table}_version_{short}"
                out[name] = (
                    f"CREATE TRIGGER IF NOT EXISTS {name} AFTER {event} ON {table}"
                    f" FOR EACH ROW BEGIN {_bump(group)} END"
                )
    return out


def _pg_function(group: str) -> str:
    return (
        f"CREATE OR REPLACE FUNCTION monitio_bump_{group}_version() RETURNS trigger LANGUAGE plpgsql AS"
        f" $$ BEGIN {_bump(group)} RETURN NULL; END $$"
    )


def _pg_trigger(group: str, table: str) -> str:
    return (
        f"CREATE TRIGGER {table}_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table}"
        f" FOR EACH STATEMENT EXECUTE FUNCTION monitio_bump_{group}_version()"
    )


def _chosen(names) -> dict[str, tuple[str, ...]]:
    return {g: GROUPS[g] for g in (GROUPS if names is None else names)}


def create_version_triggers(conn: Connection, names: tuple[str, ...] | None = None) -> None:
    """Add the rows of `data_versions` (if missing) and the triggers that bump them (for the groups
    `names`, default all)."""
    groups = _chosen(names)
    for group, tables in groups.items():
        if conn.execute(select(data_versions.c.n).where(data_versions.c.name == group)).first() is None:
            conn.execute(data_versions.insert().values(name=group, n=0))
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql(_pg_function(group))
            for table in tables:
                conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {table}_version ON {table}")
                conn.exec_driver_sql(_pg_trigger(group, table))
    if conn.dialect.name == "sqlite":
        for ddl in _sqlite_triggers(groups).values():
            conn.exec_driver_sql(ddl)
    elif conn.dialect.name != "postgresql":
        raise NotImplementedError(f"no version triggers for {conn.dialect.name}")


def drop_version_triggers(conn: Connection, names: tuple[str, ...] | None = None) -> None:
    """Drop the triggers of the groups `names` (default all); their rows stay."""
    groups = _chosen(names)
    if conn.dialect.name == "sqlite":
        for name in _sqlite_triggers(groups):
            conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}")
        return
    for group, tables in groups.items():
        for table in tables:
            conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {table}_version ON {table}")
        conn.exec_driver_sql(f"DROP FUNCTION IF EXISTS monitio_bump_{group}_version()")


_READ = {g: f"SELECT n FROM data_versions WHERE name = '{g}'" for g in GROUPS}  # noqa: S608 (GROUPS keys)


def data_version(conn: Connection, name: str = POSTS) -> int:
    """The current version of `name` (a key of `GROUPS`); -1 when the row is missing.

    Read with the driver's SQL (a fixed string per group): every cached read asks this first, and
    building and compiling a `select` cost ten times the query."""
    n = conn.exec_driver_sql(_READ[name]).scalar()
    return -1 if n is None else int(n)
