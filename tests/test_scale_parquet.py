"""Parquet in: `monitio ingest FILE.parquet` and a folder of .parquet files through the file-source path."""

from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from typer.testing import CliRunner

from monitio.ingest import ingest_file
from monitio.sources.files import SourceFileError, detect_format, parquet_parts, read_rows
from monitio.store.schema import posts, quarantine

pa = pytest.importorskip("pyarrow", reason="pyarrow not installed (pip install 'monitio[parquet]')")
pq = pytest.importorskip("pyarrow.parquet")

WHEN = datetime(2026, 3, 1, 10, 30, tzinfo=UTC)


def _table(n: int, start: int = 0):
    return pa.table(
        {
            "id": [f"p{i}" for i in range(start, start + n)],
            "body": ["" if i % 5 == 4 else f"post number {i} with a link" for i in range(start, start + n)],
            "created": [WHEN] * n,
            "likes": [i if i % 3 else None for i in range(start, start + n)],
            "meta": [{"lang": "en"}] * n,
        }
    )


def test_folder_reads_every_part_in_order_and_skips_markers(tmp_path):
    folder = tmp_path / "export"
    (folder / "day=2").mkdir(parents=True)
    pq.write_table(_table(3, 0), folder / "a.parquet")
    pq.write_table(_table(2, 3), folder / "day=2" / "b.parquet")
    (folder / "_SUCCESS").write_text("")
    pq.write_table(_table(4, 100), folder / ".hidden.parquet")
    assert detect_format(folder) == "parquet"
    assert [p.name for p in parquet_parts(folder)] == ["a.parquet", "b.parquet"]
    rows = list(read_rows(folder))
    assert [r.data["id"] for r in rows] == ["p0", "p1", "p2", "p3", "p4"]
    assert [r.number for r in rows] == [1, 2, 3, 4, 5]
    assert rows[3].locator == "row 4 (b.parquet row 1)"
    assert rows[0].data["meta"] == {"lang": "en"} and rows[0].data["created"] == WHEN


def test_ingest_maps_quarantines_and_is_idempotent(ws, tmp_path):
    path = tmp_path / "posts.parquet"
    pq.write_table(_table(10), path)
    report = ingest_file(ws.engine, path, overrides={"text": "body", "published_at": "created"})
    assert (report.read, report.new, report.quarantined) == (10, 8, 2)
    assert report.encoding == "parquet"
    assert report.mapping["text"] == "body" and report.mapping["published_at"] == "created"
    again = ingest_file(ws.engine, path, overrides={"text": "body", "published_at": "created"})
    assert (again.new, again.duplicate) == (0, 8)
    with ws.engine.connect() as conn:
        stored = conn.execute(select(posts.c.source_id, posts.c.likes, posts.c.published_at)).all()
        bad = conn.execute(select(quarantine.c.locator, quarantine.c.reason)).all()
    assert sorted(s for s, _, _ in stored) == sorted(f"p{i}" for i in range(10) if i % 5 != 4)
    assert {s: likes for s, likes, _ in stored} == {f"p{i}": (i if i % 3 else 0) for i in range(10) if i % 5 != 4}
    assert all(p.replace(tzinfo=UTC) == WHEN for _, _, p in stored)
    assert len(bad) == 2 and all(loc.startswith("posts.parquet row ") for loc, _ in bad)


def test_cli_ingests_a_folder_and_refuses_a_broken_file(tmp_path):
    from monitio.cli.main import app

    runner = CliRunner()
    ws = tmp_path / "ws"
    assert runner.invoke(app, ["init", "-w", str(ws)]).exit_code == 0
    folder = tmp_path / "dump"
    folder.mkdir()
    pq.write_table(_table(5, 0), folder / "part-0.parquet")
    pq.write_table(_table(5, 5), folder / "part-1.parquet")
    result = runner.invoke(app, ["ingest", str(folder), "-w", str(ws), "--map", "text=body", "--map", "date=created"])
    assert result.exit_code == 0, result.output
    assert "read 10, new 8, duplicate 0, quarantined 2" in result.output
    (folder / "part-2.parquet").write_bytes(b"PAR1 not really")
    result = runner.invoke(app, ["ingest", str(folder), "-w", str(ws), "--map", "text=body", "--map", "date=created"])
    assert result.exit_code == 2
    assert "part-2.parquet is not a readable Parquet file" in result.output
    empty = tmp_path / "empty"
    empty.mkdir()
    result = runner.invoke(app, ["ingest", str(empty), "-w", str(ws)])
    assert result.exit_code == 2 and "no .parquet files" in result.output


texts = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    rows=st.lists(
        st.tuples(
            texts, st.one_of(st.none(), st.integers(-(2**40), 2**40)), st.one_of(st.none(), st.binary(max_size=8))
        ),
        max_size=30,
    )
)
def test_any_table_reads_back_row_for_row(tmp_path, rows):
    path = tmp_path / "h.parquet"
    table = pa.table(
        {
            "text": pa.array([r[0] for r in rows], pa.string()),
            "n": pa.array([r[1] for r in rows], pa.int64()),
            "blob": pa.array([r[2] for r in rows], pa.binary()),
        }
    )
    pq.write_table(table, path, row_group_size=7)
    got = list(read_rows(path))
    assert [r.number for r in got] == list(range(1, len(rows) + 1))
    assert all(r.error is None for r in got)
    assert [(r.data["text"], r.data["n"]) for r in got] == [(t, n) for t, n, _ in rows]
    assert [r.data["blob"] for r in got] == [None if b is None else b.decode("utf-8", "replace") for _, _, b in rows]


def test_unknown_extension_names_parquet_and_garbage_is_refused(tmp_path):
    with pytest.raises(SourceFileError, match="parquet"):
        detect_format(tmp_path / "x.bin")
    bad = tmp_path / "x.parquet"
    bad.write_bytes(b"\x00" * 64)
    with pytest.raises(SourceFileError, match="not a readable Parquet file"):
        read_rows(bad)
