"""SIGKILL in the middle of an import, then a rerun: every post exactly once (both backends)."""

import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from monitio.store.schema import posts

N = 20_000


def _write(path):
    base = datetime(2026, 10, 1, tzinfo=UTC)
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("id,text,created_at,author\n")
        for i in range(N):
            ts = (base + timedelta(seconds=i * 30)).isoformat()
            fh.write(f"{i},post {i} says the refund never came,{ts},u{i % 997}\n")


def _count(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(posts)).scalar_one()


def _ingest_cmd(ws_path, file):
    return [
        sys.executable,
        "-m",
        "monitio.cli.main",
        "ingest",
        str(file),
        "--workspace",
        str(ws_path),
        "--json",
    ]


def test_sigkill_mid_import_then_rerun_stores_every_post_once(ws, tmp_path):
    file = tmp_path / "big.csv"
    _write(file)
    env = {**os.environ, "MONITIO_BATCH_SIZE": "200"}
    env.pop("MONITIO_WORKSPACE", None)
    proc = subprocess.Popen(_ingest_cmd(ws.path, file), env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    killed_at = None
    while time.monotonic() < deadline and proc.poll() is None:
        n = _count(ws.engine)
        if n >= 2_000:
            proc.send_signal(signal.SIGKILL)
            killed_at = n
            break
        time.sleep(0.05)
    proc.wait(timeout=30)
    assert killed_at is not None, f"import finished before it could be killed: {proc.stderr.read().decode()[-500:]}"
    assert proc.returncode == -signal.SIGKILL
    partial = _count(ws.engine)
    assert 0 < partial < N
    rerun = subprocess.run(_ingest_cmd(ws.path, file), env=env, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    assert _count(ws.engine) == N
    with ws.engine.connect() as conn:
        distinct = conn.execute(select(func.count(func.distinct(posts.c.source_id)))).scalar_one()
    assert distinct == N
