"""Bulk statements for the hot write path: many rows changed by one statement, not one per row.

`bulk_update` writes a batch of rows into a table by key with one `UPDATE ... FROM` per chunk: a
`VALUES` list on SQLite (at most `SQLITE_PARAMS` parameters a statement), `unnest` of one array
per column on PostgreSQL (one parameter per column, whatever the batch size). Values are converted
as SQLAlchemy would for the column's type (so a stored value does not depend on the path that wrote
it; JSON `None` is stored as JSON `null`, as SQLAlchemy does), and `RETURNING` gives back the keys
the statement really changed, so a condition such as "not enriched yet" claims rows atomically.
SQLite needs 3.35 or later (`UPDATE ... FROM`, `RETURNING`) with JSON1 (`json_each`), as bundled with Python 3.11.

>>> from sqlalchemy import Column, Integer, MetaData, String, Table, create_engine, select
>>> t = Table("t", MetaData(), Column("id", Integer, primary_key=True), Column("v", String), Column("w", String))
>>> engine = create_engine("sqlite://")
>>> t.metadata.create_all(engine)
>>> with engine.begin() as conn:
...     _ = conn.execute(t.insert(), [{"id": 1, "w": None}, {"id": 2, "w": "kept"}, {"id": 3, "w": None}])
...     changed = bulk_update(conn, t, "id", ["v", "w"], [(1, "a", "x"), (2, "b", "y")], keep=["w"])
...     sorted(changed), conn.execute(select(t.c.id, t.c.v, t.c.w).order_by(t.c.id)).all()
([1, 2], [(1, 'a', 'x'), (2, 'b', 'kept'), (3, None, None)])
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import datetime

import numpy as np
from sqlalchemy import JSON, Column, Connection, Table
from sqlalchemy.exc import DBAPIError

SQLITE_PARAMS = 30_000
"""Parameters in one SQLite statement (the limit is 32,766 since SQLite 3.32)."""
PG_ROWS = 5_000
"""Rows in one PostgreSQL statement (arrays of this length, one per column)."""


def _converters(conn: Connection, cols: Sequence[Column]):
    """Per column, the function that turns a Python value into what the driver is given."""
    dialect = conn.dialect
    dumps = getattr(dialect, "_json_serializer", None) or json.dumps
    out = []
    for col in cols:
        if isinstance(col.type, JSON):
            out.append(dumps)  # None too: SQLAlchemy stores JSON null, not SQL NULL (none_as_null=False)
        else:
            out.append(col.type.dialect_impl(dialect).bind_processor(dialect))  # as SQLAlchemy: text format
    return out


def _convert(rows: Sequence[Sequence], convs) -> list[tuple]:
    which = [(i, c) for i, c in enumerate(convs) if c is not None]
    if not which:
        return [tuple(row) for row in rows]
    out = []
    for row in rows:
        row = list(row)
        for i, c in which:
            row[i] = c(row[i])
        out.append(tuple(row))
    return out


def bulk_update(
    conn: Connection,
    table: Table,
    key: str,
    columns: Sequence[str],
    rows: Sequence[Sequence],
    *,
    where_null: str | None = None,
    keep: Sequence[str] = (),
) -> list:
    """Set `columns` of the rows whose `key` is each row's first value; returns the keys changed.

    `where_null`: change only rows where that column is NULL (an atomic claim). `keep`: columns whose
    stored value wins when it is not NULL (`COALESCE(stored, new)`).
    """
    if not rows:
        return []
    cols = [table.c[key], *(table.c[c] for c in columns)]
    values = _convert(rows, _converters(conn, cols))
    name = table.name
    sets = []
    for i, c in enumerate(columns, start=1):
        ref = f"v.column{i + 1}" if conn.dialect.name == "sqlite" else f"v.c{i}"
        if conn.dialect.name == "postgresql" and isinstance(table.c[c].type, JSON):
            ref = f"{ref}::json"
        sets.append(f"{c} = COALESCE({name}.{c}, {ref})" if c in keep else f"{c} = {ref}")
    cond = f" AND {name}.{where_null} IS NULL" if where_null else ""
    changed: list = []
    if conn.dialect.name == "sqlite":
        per = max(1, SQLITE_PARAMS // len(cols))
        row_marks = "(" + ", ".join("?" * len(cols)) + ")"
        for start in range(0, len(values), per):
            chunk = values[start : start + per]
            sql = (
                f"UPDATE {name} SET {', '.join(sets)} FROM (VALUES {', '.join([row_marks] * len(chunk))}) AS v"  # noqa: S608
                f" WHERE {name}.{key} = v.column1{cond} RETURNING {name}.{key}"
            )
            flat = [x for row in chunk for x in row]
            changed += [r[0] for r in conn.exec_driver_sql(sql, tuple(flat)).fetchall()]
        return changed
    if conn.dialect.name != "postgresql":
        raise NotImplementedError(f"no bulk update for {conn.dialect.name}")
    arrays = []
    for col in cols:
        kind = "TEXT" if isinstance(col.type, JSON) else col.type.compile(conn.dialect)
        arrays.append(f"%s::{kind}[]")
    aliases = ", ".join(["k", *(f"c{i}" for i in range(1, len(cols)))])
    sql = (
        f"UPDATE {name} SET {', '.join(sets)} FROM unnest({', '.join(arrays)}) AS v({aliases})"  # noqa: S608
        f" WHERE {name}.{key} = v.k{cond} RETURNING {name}.{key}"
    )
    for start in range(0, len(values), PG_ROWS):
        chunk = values[start : start + PG_ROWS]
        params = tuple(pg_array(col) for col in zip(*chunk, strict=True))
        changed += [r[0] for r in conn.exec_driver_sql(sql, params).fetchall()]
    return changed


def _element(v) -> str:
    """One value in PostgreSQL's array literal syntax (quoted unless a number; `NULL` for None)."""
    kind = type(v)
    if kind is str:
        return '"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if kind is int or kind is float:
        return str(v)
    if v is None:
        return "NULL"
    if isinstance(v, bool | np.bool_):
        return "t" if v else "f"
    if isinstance(getattr(v, "obj", None), bytes | bytearray | memoryview):
        v = v.obj  # psycopg's Binary wrapper, as SQLAlchemy's LargeBinary binds it
    if isinstance(v, bytes | bytearray | memoryview):
        return '"\\\\x' + bytes(v).hex() + '"'
    if isinstance(v, datetime):
        return '"' + v.isoformat() + '"'
    if isinstance(v, int | float | np.integer | np.floating):
        return str(v)
    return _element(str(v))


def pg_array(values: Iterable) -> str:
    """PostgreSQL array literal of `values` (`{1,"a b",NULL}`), to pass as one text parameter cast to an
    array type. psycopg's own list adapter works per element in Python: 10x the CPU for long lists.

    >>> pg_array([1, None, 'say "hi"', b"\x01", True])
    '{1,NULL,"say \\\\"hi\\\\"","\\\\\\\\x01",t}'
    """
    values = values if isinstance(values, list | tuple) else list(values)
    kinds = set(map(type, values))
    if kinds and kinds <= {int, float}:
        return "{" + ",".join(map(str, values)) + "}"
    if kinds == {datetime}:  # a batch holds few distinct times (one enrichment time, hour buckets)
        memo = {v: '"' + v.isoformat() + '"' for v in set(values)}
        return "{" + ",".join(map(memo.__getitem__, values)) + "}"
    if kinds == {str, type(None)}:
        return (
            "{"
            + ",".join(
                ["NULL" if v is None else '"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"' for v in values]
            )
            + "}"
        )
    if kinds == {str}:  # escaped all at once, not per element (texts hold no NUL: PostgreSQL refuses them)
        joined = "\x00".join(values)
        if joined.count("\x00") == len(values) - 1:
            joined = joined.replace("\\", "\\\\").replace('"', '\\"')
            return '{"' + joined.replace("\x00", '","') + '"}'
    return "{" + ",".join(map(_element, values)) + "}"


def select_in(conn: Connection, sql: str, values: Sequence) -> list[tuple]:
    """Rows of `sql`, whose `IN_LIST` marks where one parameter holds all of `values` (ints or strings).

    SQLite reads the list from a JSON array (`json_each`), PostgreSQL from an array (`= ANY`), so a
    lookup of thousands of keys is one statement with one parameter, not thousands of bound values.

    >>> from sqlalchemy import create_engine
    >>> with create_engine("sqlite://").connect() as conn:
    ...     _ = conn.exec_driver_sql("CREATE TABLE k (id INTEGER PRIMARY KEY, name TEXT)")
    ...     _ = conn.exec_driver_sql("INSERT INTO k VALUES (1, 'a'), (2, 'b'), (3, 'c')")
    ...     select_in(conn, "SELECT id, name FROM k WHERE id IN_LIST ORDER BY id", [3, 1, 9])
    [(1, 'a'), (3, 'c')]
    """
    if not values:
        return []
    if conn.dialect.name == "sqlite":
        sql, param = sql.replace("IN_LIST", "IN (SELECT value FROM json_each(?))"), json.dumps(list(values))
    elif conn.dialect.name == "postgresql":
        kind = "BIGINT" if all(type(v) is int for v in values) else "TEXT"
        sql, param = sql.replace("IN_LIST", f"= ANY(%s::{kind}[])"), pg_array(values)
    else:
        raise NotImplementedError(f"no list parameter for {conn.dialect.name}")
    return conn.exec_driver_sql(sql, (param,)).fetchall()  # rows (tuple-like), not copied into tuples


def copy_insert(
    conn: Connection,
    table: Table,
    columns: Sequence[str],
    rows: Sequence[Sequence],
    *,
    conflict: str,
    returning: str | None = None,
) -> list[tuple]:
    """PostgreSQL: insert `rows` through COPY into a temporary table, then one INSERT ... SELECT.

    The rows keep their order (so ids are given in it), rows whose `conflict` column value exists
    already are skipped, and the `returning` columns of the rows inserted come back, as with
    `INSERT ... ON CONFLICT DO NOTHING RETURNING` over a VALUES list.
    """
    if not rows:
        return []
    cols = [table.c[c] for c in columns]
    values = _convert(rows, _converters(conn, cols))
    staging = f"monitio_in_{table.name}"
    names = ", ".join(columns)
    conn.exec_driver_sql(
        f"CREATE TEMP TABLE IF NOT EXISTS {staging} AS SELECT {names}, 0 AS ord FROM {table.name} LIMIT 0"  # noqa: S608
    )
    conn.exec_driver_sql(f"TRUNCATE {staging}")
    _copy(conn, f"{staging} ({names}, ord)", [(*row, i) for i, row in enumerate(values)])
    sql = (
        f"INSERT INTO {table.name} ({names}) SELECT {names} FROM {staging} ORDER BY ord"  # noqa: S608
        f" ON CONFLICT ({conflict}) DO NOTHING"
    )
    if returning:
        return [tuple(r) for r in conn.exec_driver_sql(f"{sql} RETURNING {returning}").fetchall()]
    conn.exec_driver_sql(sql)
    return []


def _copy(conn: Connection, target: str, values: Sequence[Sequence]) -> None:
    """PostgreSQL: COPY converted rows into `target` (`table (columns)`), errors raised as statements' are."""
    with conn.connection.dbapi_connection.cursor() as cursor:
        try:
            with cursor.copy(f"COPY {target} FROM STDIN") as copy:
                for row in values:
                    copy.write_row(row)
        except conn.dialect.dbapi.Error as exc:  # raised as the statements' errors are (sqlalchemy.exc)
            raise DBAPIError.instance(f"COPY {target}", None, exc, conn.dialect.dbapi.Error) from exc


def copy_rows(conn: Connection, table: Table, columns: Sequence[str], rows: Sequence[Sequence]) -> None:
    """Plain INSERT of `rows` (no conflict handling: a clash fails the transaction), in their order.

    PostgreSQL: one COPY straight into the table (ids given in row order); SQLite: one executemany.
    """
    if not rows:
        return
    values = _convert(rows, _converters(conn, [table.c[c] for c in columns]))
    if conn.dialect.name == "postgresql":
        _copy(conn, f"{table.name} ({', '.join(columns)})", values)
        return
    sql = f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"  # noqa: S608
    conn.exec_driver_sql(sql, values)


def _pg_arrays(conn: Connection, cols: Sequence[Column]) -> tuple[str, list[str]]:
    """`unnest(%s::type[], ...) AS v(c0, c1, ...)` for these columns, and the select list reading them back."""
    arrays, refs = [], []
    for i, col in enumerate(cols):
        json = isinstance(col.type, JSON)
        arrays.append(f"%s::{'TEXT' if json else col.type.compile(conn.dialect)}[]")
        refs.append(f"v.c{i}::json" if json else f"v.c{i}")
    aliases = ", ".join(f"c{i}" for i in range(len(cols)))
    return f"unnest({', '.join(arrays)}) AS v({aliases})", refs


def insert_rows(
    conn: Connection,
    table: Table,
    columns: Sequence[str],
    rows: Sequence[Sequence],
    *,
    skip_on: Sequence[str] = (),
    add: Sequence[str] = (),
    returning: Sequence[str] = (),
) -> list[tuple]:
    """INSERT `rows` in their order (values converted as for `bulk_update`); rows whose `skip_on`
    columns clash with a stored row are skipped (`ON CONFLICT DO NOTHING`), or, with `add`, add those
    columns to the stored row's (`DO UPDATE SET c = table.c + excluded.c`: counters; the rows must then
    have distinct `skip_on` values). Returns the `returning` columns of the rows inserted or updated.

    PostgreSQL: one `INSERT ... SELECT FROM unnest(arrays)` per `PG_ROWS` rows (one parameter per
    column). SQLite: one driver-level executemany (SQLAlchemy's per-row parameter handling costs more
    than SQLite's own work for small rows), or multi-row VALUES statements when `returning`.
    """
    if not rows:
        return []
    cols = [table.c[c] for c in columns]
    values = _convert(rows, _converters(conn, cols))
    tail = ""
    if skip_on:
        tail = f" ON CONFLICT ({', '.join(skip_on)}) DO "
        tail += "UPDATE SET " + ", ".join(f"{c} = {table.name}.{c} + excluded.{c}" for c in add) if add else "NOTHING"
    if returning:
        tail += f" RETURNING {', '.join(returning)}"
    head = f"INSERT INTO {table.name} ({', '.join(columns)})"
    out: list[tuple] = []
    back = [table.c[c].type.dialect_impl(conn.dialect).result_processor(conn.dialect, None) for c in returning]
    if conn.dialect.name == "postgresql":
        source, refs = _pg_arrays(conn, cols)
        sql = f"{head} SELECT {', '.join(refs)} FROM {source}{tail}"  # noqa: S608
        for start in range(0, len(values), PG_ROWS):
            chunk = values[start : start + PG_ROWS]
            result = conn.exec_driver_sql(sql, tuple(pg_array(col) for col in zip(*chunk, strict=True)))
            if returning:
                out += _results(result, back)
        return out
    row_marks = "(" + ", ".join("?" * len(cols)) + ")"
    if not returning:
        conn.exec_driver_sql(f"{head} VALUES {row_marks}{tail}", values)
        return out
    per = max(1, SQLITE_PARAMS // len(cols))
    for start in range(0, len(values), per):
        chunk = values[start : start + per]
        sql = f"{head} VALUES {', '.join([row_marks] * len(chunk))}{tail}"
        out += _results(conn.exec_driver_sql(sql, tuple(x for row in chunk for x in row)), back)
    return out


def _results(result, procs) -> list[tuple]:
    """Driver rows turned into Python values as SQLAlchemy would (e.g. SQLite's timestamp text)."""
    rows = result.fetchall()  # one call: iterating a result fetches row by row
    if all(p is None for p in procs):
        return [tuple(row) for row in rows]
    return [tuple(v if p is None else p(v) for p, v in zip(procs, row, strict=True)) for row in rows]
