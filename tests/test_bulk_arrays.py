"""Array literals and the bulk insert/update helpers round-trip awkward values exactly (PostgreSQL and SQLite)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Float,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    create_engine,
    select,
)

from monitio.store.bulk import bulk_update, copy_rows, insert_rows, pg_array, select_in
from monitio.store.schema import UtcDateTime
from tests.conftest import _pg_unavailable, pg_schemas

TEXTS = [
    "",
    "NULL",
    "null",
    'say "hi"',
    "back\\slash\\",
    "\\x41",
    "{braces},commas, spaces ",
    " lead and trail ",
    "new\nline\ttab\r",
    "ünïcødé 日本語 🔥 \u200b",
    "'single' quotes",
    "a,b}",
]
WHEN = datetime(2026, 3, 1, 12, 30, 15, 123456, tzinfo=UTC)


def _table() -> Table:
    return Table(
        "awkward",
        MetaData(),
        Column("id", Integer, primary_key=True),
        Column("s", String(200)),
        Column("f", Float),
        Column("b", Boolean),
        Column("at", UtcDateTime()),
        Column("raw", LargeBinary),
        Column("doc", JSON),
    )


def _rows():
    out = []
    for i, s in enumerate(TEXTS, start=1):
        at = WHEN.astimezone(timezone(timedelta(hours=7))) + timedelta(minutes=i)
        raw = bytes(range(i * 7 % 256, i * 7 % 256 + 5)) + b"\\\x00"
        out.append((i, s, i / 3 if i % 4 else None, i % 2 == 0, at, raw, {"s": s, "n": [i, None]} if i % 3 else None))
    out.append((len(TEXTS) + 1, None, float("inf"), None, None, None, None))
    return out


@pytest.fixture(params=["sqlite", "postgres"])
def engine(request, tmp_path):
    if request.param == "sqlite":
        eng = create_engine(f"sqlite:///{tmp_path / 'a.db'}")
        yield eng
        eng.dispose()
        return
    reason = _pg_unavailable()
    if reason:
        pytest.skip(reason)
    with pg_schemas(1) as (url,):
        eng = create_engine(url)
        yield eng
        eng.dispose()


def _stored(conn, table) -> list[tuple]:
    return [tuple(r) for r in conn.execute(select(table).order_by(table.c.id))]


def _expected(rows) -> list[tuple]:
    return [(i, s, f, b, None if at is None else at.astimezone(UTC), raw, doc) for i, s, f, b, at, raw, doc in rows]


@pytest.mark.parametrize("how", ["insert_rows", "copy_rows", "sqlalchemy"])
def test_bulk_inserts_store_what_sqlalchemy_stores(engine, how):
    table = _table()
    table.metadata.create_all(engine)
    rows = _rows()
    cols = [c.name for c in table.c]
    with engine.begin() as conn:
        if how == "insert_rows":
            back = insert_rows(conn, table, cols, rows, returning=("id", "s", "at"))
            assert sorted(back) == sorted((r[0], r[1], r[4] and r[4].astimezone(UTC)) for r in rows)
        elif how == "copy_rows":
            copy_rows(conn, table, cols, rows)
        else:
            conn.execute(table.insert(), [dict(zip(cols, r, strict=True)) for r in rows])
        assert _stored(conn, table) == _expected(rows)


def test_bulk_update_writes_awkward_values(engine):
    table = _table()
    table.metadata.create_all(engine)
    rows = _rows()
    cols = [c.name for c in table.c]
    with engine.begin() as conn:
        conn.execute(table.insert(), [{"id": r[0]} for r in rows])
        assert sorted(bulk_update(conn, table, "id", cols[1:], rows)) == [r[0] for r in rows]
        assert _stored(conn, table) == _expected(rows)
        # the list parameter of select_in: strings and ints
        assert sorted(s for (s,) in select_in(conn, "SELECT s FROM awkward WHERE s IN_LIST", TEXTS)) == sorted(TEXTS)
        assert [i for (i,) in select_in(conn, "SELECT id FROM awkward WHERE id IN_LIST ORDER BY id", [3, 1, 99])] == [
            1,
            3,
        ]


def test_array_literal_matches_the_driver_adapter():
    if _pg_unavailable():
        pytest.skip(_pg_unavailable())
    with pg_schemas(1) as (url,):
        eng = create_engine(url)
        with eng.connect() as conn:
            for texts in (TEXTS, [*TEXTS, None], ["only"], [""]):  # all text (escaped at once) and mixed
                got = conn.exec_driver_sql("SELECT %s::text[] = %s::text[]", (pg_array(texts), texts))
                assert got.scalar_one() is True, texts
            times = [WHEN, WHEN.astimezone(timezone(timedelta(hours=-5))) + timedelta(seconds=1), WHEN]
            assert conn.exec_driver_sql("SELECT %s::timestamptz[]", (pg_array(times),)).scalar_one() == times
            numbers = [1, 2.5, -0.1, 1e-300, float("inf"), 10**15]
            assert conn.exec_driver_sql("SELECT %s::float8[]", (pg_array(numbers),)).scalar_one() == numbers
            mixed = ["a", None, 'q"b\\', None]
            assert conn.exec_driver_sql("SELECT %s::text[]", (pg_array(mixed),)).scalar_one() == mixed
            raw = [b"", b"\\x00\x00\xff", bytes(range(256))]
            assert conn.exec_driver_sql("SELECT %s::bytea[]", (pg_array(raw),)).scalar_one() == raw
        eng.dispose()
