"""Reading commands work on a workspace that may not be written, and write nothing to it."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import stat
from datetime import UTC, datetime

import pytest
from typer.testing import CliRunner

from monitio.cli.main import app
from monitio.records import Post
from monitio.store.repo import insert_posts
from monitio.workspace import init_workspace, open_workspace

runner = CliRunner()


def _digest(folder) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file()}


@pytest.fixture
def frozen(tmp_path):
    """A workspace with posts, copied, its database in rollback-journal mode, files and folder chmod'ed
    read-only (root ignores the modes: the tests that need them skip there)."""
    src = tmp_path / "src"
    ws = init_workspace(src)
    with ws.engine.begin() as conn:
        insert_posts(
            conn,
            [
                Post.create(source="t", source_id=str(i), text=text, published_at=datetime(2026, 11, 1 + i, tzinfo=UTC))
                for i, text in enumerate(["iklan penipuan investasi", "refund please"])
            ],
        )
    ws.engine.dispose()
    with sqlite3.connect(src / "monitio.db") as conn:
        conn.execute("PRAGMA journal_mode=DELETE")  # folds the WAL into the file
    copy = tmp_path / "copy"
    shutil.copytree(src, copy)
    for p in copy.iterdir():
        p.chmod(stat.S_IRUSR | stat.S_IRGRP)
    copy.chmod(stat.S_IRUSR | stat.S_IXUSR)
    yield copy
    copy.chmod(0o755)
    for p in copy.iterdir():
        p.chmod(0o644)


def test_the_read_only_flag_reads_without_writing_a_byte(frozen, monkeypatch):
    before = _digest(frozen)
    monkeypatch.setenv("MONITIO_READ_ONLY", "1")
    res = runner.invoke(app, ["stats", "--json", "--workspace", str(frozen)])
    assert res.exit_code == 0, res.output
    assert json.loads(res.output)["posts"] == 2
    res = runner.invoke(app, ["search", "refund", "--json", "--workspace", str(frozen)])
    assert res.exit_code == 0 and "refund please" in res.output, res.output
    assert _digest(frozen) == before  # not even the journal-mode pragma was written
    ws = open_workspace(frozen)
    assert ws.read_only
    with pytest.raises(Exception, match=r"readonly|read-only|attempt to write"), ws.engine.begin() as conn:
        conn.exec_driver_sql("DELETE FROM posts")
    ws.engine.dispose()


def test_a_write_on_a_read_only_workspace_is_a_one_line_error(frozen, monkeypatch):
    monkeypatch.setenv("MONITIO_READ_ONLY", "true")
    data = frozen.parent / "more.csv"
    data.write_text("id,text,published_at\n9,another post,2026-11-03T10:00:00Z\n")
    res = runner.invoke(app, ["ingest", str(data), "--workspace", str(frozen)])
    assert res.exit_code == 2 and "Traceback" not in res.output and "read" in res.output.lower(), res.output


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores file modes, so an unwritable folder cannot be made here")
def test_an_unwritable_workspace_is_detected_and_opened_read_only(frozen):
    before = _digest(frozen)
    res = runner.invoke(app, ["stats", "--json", "--workspace", str(frozen)])
    assert res.exit_code == 0 and json.loads(res.output)["posts"] == 2, res.output
    assert _digest(frozen) == before


def test_a_wal_database_in_an_unwritable_folder_still_opens(tmp_path, monkeypatch):
    src = tmp_path / "w"
    init_workspace(src).engine.dispose()
    with sqlite3.connect(src / "monitio.db") as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    for extra in ("monitio.db-wal", "monitio.db-shm"):
        (src / extra).unlink(missing_ok=True)  # as after a clean shutdown: WAL mode, no -shm to share
    monkeypatch.setenv("MONITIO_READ_ONLY", "1")
    res = runner.invoke(app, ["stats", "--json", "--workspace", str(src)])
    assert res.exit_code == 0 and json.loads(res.output)["posts"] == 0, res.output
