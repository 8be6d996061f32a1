"""Parquet imports with the row groups read and mapped on a real Dask LocalCluster (2 worker processes)
store exactly what one process stores (posts, quarantine, the four counts), SQLite and PostgreSQL; a
worker SIGKILLed mid-import still leaves every row exactly once; `monitio ingest --cluster` uses it."""

import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from monitio.ingest import ImportOptions, ingest_file
from monitio.store.schema import posts, quarantine
from monitio.store.schema_search import post_search
from tests.cluster_support import kill_one_worker, second_database

pytest.importorskip("pyarrow", reason="pyarrow not installed (pip install 'monitio[cluster]')")
pytest.importorskip("distributed", reason="dask.distributed not installed (pip install 'monitio[cluster]')")

import pyarrow as pa
import pyarrow.parquet as pq

from monitio.scale.cluster import open_cluster
from monitio.scale.ingest import ingest_parquet_on_cluster
from monitio.sources.parquet_units import parquet_units

T0 = datetime(2026, 2, 1, 8, tzinfo=UTC)
WALL_CLOCK = {"ingested_at", "created_at", "id"}
OPTIONS = {"text": "body", "published_at": "created"}


def _table(start: int, n: int):
    """Rows with day-first dates (a `13/..` value settles them), empty texts, bad dates and repeated ids."""
    ids, bodies, dates = [], [], []
    for i in range(start, start + n):
        when = T0 + timedelta(hours=7 * i)
        ids.append(f"p{i % (start + n - 3)}")  # the last three ids repeat earlier ones
        bodies.append("" if i % 11 == 5 else f"post {i}: refund still missing #{i % 4}")
        dates.append("not a date" if i % 17 == 3 else when.strftime("%d/%m/%Y %H:%M"))
    return pa.table({"id": ids, "body": bodies, "created": dates, "likes": list(range(start, start + n))})


def _folder(tmp_path):
    """Three files, with several row groups each (units of 9 rows)."""
    folder = tmp_path / "lake"
    (folder / "day=2").mkdir(parents=True)
    pq.write_table(_table(0, 40), folder / "a.parquet", row_group_size=9)
    pq.write_table(_table(40, 25), folder / "day=2" / "b.parquet", row_group_size=9)
    pq.write_table(_table(65, 30), folder / "c.parquet", row_group_size=9)
    return folder


def _dump(engine) -> dict[str, list[tuple]]:
    out = {}
    with engine.connect() as conn:
        for table in (posts, quarantine):
            cols = [c for c in table.c if c.name not in WALL_CLOCK]
            out[table.name] = sorted((tuple(r) for r in conn.execute(select(*cols))), key=repr)
        # the search index (worked out on the workers), by the indexed post's uid
        joined = select(posts.c.uid, *[c for c in post_search.c if c.name != "post_id"]).join(
            posts, posts.c.id == post_search.c.post_id
        )
        out["post_search"] = sorted((tuple(r) for r in conn.execute(joined)), key=repr)
    return out


@pytest.fixture(scope="module")
def client():
    with open_cluster("local:2") as c:
        yield c


@pytest.fixture
def two(db_url, tmp_path):
    """Two empty workspaces on one backend (the second in its own PostgreSQL schema)."""
    from monitio.workspace import init_workspace

    made = []
    with second_database(db_url) as other:
        for name, url in (("one", db_url), ("many", other)):
            made.append(init_workspace(tmp_path / name, database_url=None if url.startswith("sqlite") else url))
        yield made
        for ws in made:
            ws.engine.dispose()


def test_cluster_import_stores_what_one_process_stores(two, tmp_path, client):
    one, many = two
    folder = _folder(tmp_path)
    assert len(parquet_units(folder)) == 12
    opts = ImportOptions(overrides=dict(OPTIONS), source="lake")
    alone = ingest_file(one.engine, folder, options=opts, batch_size=20)
    spread = ingest_parquet_on_cluster(client, many.engine, folder, options=opts, batch_size=20)
    assert alone.as_json() == spread.as_json()
    assert (alone.read, alone.quarantined) == (95, 8 + 6) and alone.duplicate > 0 and alone.new > 0
    assert spread.date_order.startswith("dmy")
    a, b = _dump(one.engine), _dump(many.engine)
    assert a == b and len(a["posts"]) == alone.new
    again = ingest_parquet_on_cluster(client, many.engine, folder, options=opts, batch_size=20)
    assert (again.new, again.duplicate) == (0, alone.new + alone.duplicate)


def test_one_file_of_many_row_groups(tmp_path, client):
    from monitio.workspace import init_workspace

    path = tmp_path / "big.parquet"
    pq.write_table(_table(0, 200), path, row_group_size=16)
    one, many = init_workspace(tmp_path / "one"), init_workspace(tmp_path / "many")
    opts = ImportOptions(overrides=dict(OPTIONS))
    alone = ingest_file(one.engine, path, options=opts, batch_size=50)
    spread = ingest_parquet_on_cluster(client, many.engine, path, options=opts, batch_size=50)
    assert len(parquet_units(path)) == 13
    assert alone.as_json() == spread.as_json() and _dump(one.engine) == _dump(many.engine)


def test_worker_killed_mid_import_stores_every_row_once(tmp_path, client):
    from monitio.workspace import init_workspace

    folder = _folder(tmp_path)
    one, many = init_workspace(tmp_path / "one"), init_workspace(tmp_path / "many")
    opts = ImportOptions(overrides=dict(OPTIONS), source="lake")
    alone = ingest_file(one.engine, folder, options=opts, batch_size=20)
    killed: list[int] = []

    def kill_once(_: int) -> None:
        if not killed:
            killed.append(kill_one_worker(client))

    spread = ingest_parquet_on_cluster(client, many.engine, folder, options=opts, batch_size=20, on_progress=kill_once)
    assert killed
    assert alone.as_json() == spread.as_json()
    assert _dump(one.engine) == _dump(many.engine)
    client.wait_for_workers(2)


def test_cli_ingest_with_cluster_reads_parquet_on_the_workers(tmp_path, client):
    from monitio.cli.main import app

    runner = CliRunner()
    folder = _folder(tmp_path)
    reports = []
    for name, extra in (("plain", []), ("cluster", ["--cluster", client.scheduler.address])):
        ws = tmp_path / name
        assert runner.invoke(app, ["init", "-w", str(ws)]).exit_code == 0
        args = ["ingest", str(folder), "-w", str(ws), "--map", "text=body", "--map", "date=created", "--json"]
        result = runner.invoke(app, args + extra)
        assert result.exit_code == 0, result.output
        reports.append(json.loads(result.output.strip().splitlines()[-1]))
    plain, cluster = reports
    assert cluster.pop("enriched") == plain["new"] > 0
    assert plain == cluster
