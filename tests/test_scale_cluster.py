"""Enrichment on a real Dask LocalCluster of worker processes gives exactly what one process stores:
every enrichment field, category row, rollup row, near-duplicate group, narrative and signal (SQLite
and PostgreSQL). A worker SIGKILLed mid-run loses no post and counts none twice; an unreachable
scheduler is one line and exit 2 with nothing written; without a cluster Dask is never imported."""

import csv
import json
import os
import signal
import socket
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from typer.testing import CliRunner

from monitio.detect.narratives import assign_pending
from monitio.detect.signals import detect_signals
from monitio.ingest import ingest_file
from monitio.jobs import run_cycle
from monitio.store.schema import ALL, post_categories, posts, rollup_authors, rollups, signals
from monitio.store.schema_dupes import dup_bands, dup_group_authors, dup_groups, dup_keys
from monitio.store.schema_intel import narratives, post_narratives
from tests.conftest import _pg_unavailable, pg_schemas

pytest.importorskip("distributed", reason="dask.distributed not installed (pip install 'monitio[cluster]')")

from monitio.scale import worker
from monitio.scale.cluster import open_cluster, parse_cluster
from monitio.scale.enrich import enrich_on_cluster

T0 = datetime(2026, 3, 1, tzinfo=UTC)
TEXTS = [
    "This ad is a scam, they took my money and blocked me",
    "Great service, the refund arrived quickly, thank you",
    "Iklan investasi bodong, dijamin untung katanya, hubungi WA 0812-3456-7890",
    "Watching the match tonight with friends",
    "The seller sent a fake blender and the platform ignores my refund",
    "Lucky draw winner! Claim your prize at bit.ly/xyz now",
    "Penipuan! Barang tidak dikirim, uang saya hilang, jangan beli di toko ini",
]
WALL_CLOCK = {"ingested_at", "enriched_at", "created_at", "updated_at", "bands_pruned_at"}
"""Columns holding when something was written, not what: the only ones allowed to differ."""
COMPARED = [
    posts,
    post_categories,
    rollups,
    rollup_authors,
    dup_groups,
    dup_keys,
    dup_bands,
    dup_group_authors,
    narratives,
    post_narratives,
    signals,
]
N_POSTS = 420
BATCH = 37  # 12 batches: several in flight on 2 workers, finishing in any order


def _corpus(path: Path) -> Path:
    """Two weeks of ordinary posts, copy-paste repeats, and a scam burst in the last hours (a signal)."""
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "text", "published_at", "author", "likes"])
        for i in range(N_POSTS - 60):
            when = T0 + timedelta(minutes=53 * i)
            w.writerow([f"p{i}", f"{TEXTS[i % len(TEXTS)]} #{i % 7}", when.isoformat(), f"user{i % 23}", i % 5])
        end = T0 + timedelta(minutes=53 * (N_POSTS - 60))
        for j in range(60):
            text_ = f"{TEXTS[(0, 2, 6)[j % 3]]} korban {j % 4}"
            w.writerow([f"b{j}", text_, (end + timedelta(minutes=j)).isoformat(), f"burst{j % 9}", 1])
    return path


def _dump(engine) -> dict[str, list[tuple]]:
    """Every compared table as sorted rows, wall-clock columns left out."""
    out = {}
    with engine.connect() as conn:
        for table in COMPARED:
            cols = [c for c in table.c if c.name not in WALL_CLOCK]
            out[table.name] = sorted((tuple(r) for r in conn.execute(select(*cols))), key=repr)
    return out


@pytest.fixture(scope="module")
def client():
    """One LocalCluster of 2 worker processes (1 thread each) for the whole module."""
    with open_cluster("local:2") as c:
        yield c


@pytest.fixture(params=["sqlite", "postgres"])
def two_workspaces(request, tmp_path):
    """Two empty workspaces on the same backend: one for one process, one for the cluster."""
    from monitio.workspace import init_workspace

    if request.param == "sqlite":
        made = [init_workspace(tmp_path / name) for name in ("one", "many")]
        yield made
        for ws in made:
            ws.engine.dispose()
        return
    reason = _pg_unavailable()
    if reason:
        pytest.skip(reason)
    with pg_schemas(2) as urls:
        made = [init_workspace(tmp_path / f"db{i}", database_url=url) for i, url in enumerate(urls)]
        yield made
        for ws in made:
            ws.engine.dispose()


def _loads(client) -> dict[str, int]:
    return client.run(worker.load_count)


def test_cluster_stores_exactly_what_one_process_stores(two_workspaces, tmp_path, client):
    one, many = two_workspaces
    corpus = _corpus(tmp_path / "posts.csv")
    for ws in (one, many):
        ws.settings.batch_size = BATCH
        assert ingest_file(ws.engine, corpus, source="t").new == N_POSTS
    before = _loads(client)
    alone = run_cycle(one)
    spread = run_cycle(many, client=client)
    after = _loads(client)
    assert alone["enriched"] == spread["enriched"] == N_POSTS
    assert alone["narrated"] == spread["narrated"] > 0
    # the pipeline was built at most once per worker process for the run, not once per batch
    assert all(after[w] - before.get(w, 0) <= 1 for w in after) and sum(after.values()) > sum(before.values())
    a, b = _dump(one.engine), _dump(many.engine)
    assert a["rollups"] and a["post_categories"] and a["dup_groups"] and a["narratives"] and a["signals"]
    for name in a:
        assert a[name] == b[name], f"{name} differs between one process and the cluster"


def _kill_one_worker(client) -> int:
    pid = next(iter(client.run(os.getpid).values()))
    os.kill(pid, signal.SIGKILL)
    return pid


def test_worker_killed_mid_run_loses_nothing_and_counts_nothing_twice(tmp_path, client):
    from monitio.enrich.runner import enrich_pending
    from monitio.pipeline import default_pipeline
    from monitio.workspace import init_workspace

    corpus = _corpus(tmp_path / "posts.csv")
    ref, ws = init_workspace(tmp_path / "ref"), init_workspace(tmp_path / "ws")
    for w in (ref, ws):
        ingest_file(w.engine, corpus, source="t")
    enrich_pending(ref.engine, default_pipeline(ref.settings), batch_size=BATCH)
    killed = []

    def on_batch(n: int) -> None:
        if not killed:
            killed.append(_kill_one_worker(client))

    try:
        enrich_on_cluster(client, ws.engine, ws.settings, batch_size=BATCH, on_batch=on_batch)
    except Exception:  # the run may die with its worker; a re-run must complete it
        pass
    assert killed
    enrich_on_cluster(client, ws.engine, ws.settings, batch_size=BATCH)  # the re-run: finishes what is pending
    with ws.engine.connect() as conn:
        pending = conn.execute(select(func.count()).select_from(posts).where(posts.c.enriched_at.is_(None))).scalar()
        total = conn.execute(select(func.sum(rollups.c.count)).where(rollups.c.category == ALL)).scalar()
    assert pending == 0 and total == N_POSTS
    for w in (ref, ws):  # then narratives and detection, as `monitio run` goes on
        assign_pending(w.engine)
        detect_signals(w)
    a, b = _dump(ref.engine), _dump(ws.engine)
    assert a["signals"] and a["narratives"]
    for name in a:
        assert a[name] == b[name], f"{name} differs after a killed worker"


def test_duplicate_and_replayed_batches_are_written_once(tmp_path, client):
    """A batch delivered twice (a recomputed task, a second driver) is claimed by one write only."""
    from monitio.scale.enrich import write_batch
    from monitio.scale.worker import enrich_batch, pack_settings
    from monitio.store.repo import iter_pending
    from monitio.workspace import init_workspace

    ws = init_workspace(tmp_path / "ws")
    ingest_file(ws.engine, _corpus(tmp_path / "posts.csv"), source="t")
    batches = list(iter_pending(ws.engine, BATCH))
    blob = pack_settings(ws.settings)
    results = client.gather([client.submit(enrich_batch, blob, "t", docs, pure=False) for docs in batches])
    written = [write_batch(ws.engine, docs) for docs in reversed(results)]  # out of order
    again = [write_batch(ws.engine, docs) for docs in results]  # and every batch a second time
    assert sum(written) == N_POSTS and sum(again) == 0
    with ws.engine.connect() as conn:
        total = conn.execute(select(func.sum(rollups.c.count)).where(rollups.c.category == ALL)).scalar()
        per_key = conn.execute(
            select(posts.c.dup_key, func.count(func.distinct(posts.c.dup_group)))
            .where(posts.c.dup_key.is_not(None))
            .group_by(posts.c.dup_key)
        ).all()
    assert total == N_POSTS
    assert per_key and all(n == 1 for _, n in per_key)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_unreachable_scheduler_is_one_line_exit_2_and_writes_nothing(tmp_path):
    from monitio.cli.main import app

    runner = CliRunner()
    ws = tmp_path / "ws"
    assert runner.invoke(app, ["init", "-w", str(ws)]).exit_code == 0
    from monitio.workspace import open_workspace

    w = open_workspace(ws)
    ingest_file(w.engine, _corpus(tmp_path / "posts.csv"), source="t")
    address = f"tcp://127.0.0.1:{_free_port()}"
    for args in (["run"], ["reenrich", "--all"]):
        result = runner.invoke(app, [*args, "-w", str(ws), "--cluster", address])
        assert result.exit_code == 2, result.output
        lines = [ln for ln in result.output.splitlines() if ln.strip()]
        assert len(lines) == 1 and f"cannot reach the Dask scheduler at {address}" in lines[0]
    with w.engine.connect() as conn:
        assert (
            conn.execute(select(func.count()).select_from(posts).where(posts.c.enriched_at.is_not(None))).scalar() == 0
        )
    w.engine.dispose()
    result = runner.invoke(app, ["run", "-w", str(ws), "--cluster", "local:0"])
    assert result.exit_code == 2 and "worker count" in result.output


def test_cluster_setting_comes_from_the_environment_and_is_checked(monkeypatch, tmp_path):
    from monitio.settings import Settings

    monkeypatch.setenv("MONITIO_CLUSTER", "tcp://sched.internal:8786")
    assert Settings.load(tmp_path).cluster == "tcp://sched.internal:8786"
    assert parse_cluster("local:4").local_workers == 4
    assert parse_cluster("tls://10.0.0.5:8786").address == "tls://10.0.0.5:8786"
    for bad in ("local:x", "http://x:1", "x", "host:99999", "local:\u0663", "host:\u0663\u0663"):
        with pytest.raises(Exception, match="cluster"):
            parse_cluster(bad)


def test_no_cluster_means_no_dask_import(tmp_path):
    """Without --cluster or the setting, a full `monitio run` happens in one process and never imports Dask."""
    code = (
        "import sys\n"
        "from typer.testing import CliRunner\n"
        "from monitio.cli.main import app\n"
        f"r = CliRunner().invoke(app, ['init', '-w', {str(tmp_path / 'ws')!r}])\n"
        "assert r.exit_code == 0, r.output\n"
        f"r = CliRunner().invoke(app, ['run', '-w', {str(tmp_path / 'ws')!r}])\n"
        "assert r.exit_code == 0, r.output\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('dask', 'distributed')))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    env.pop("MONITIO_CLUSTER", None)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "[]"


def test_ingest_then_enrich_on_a_running_scheduler(tmp_path, client):
    """`monitio ingest FILE --cluster tcp://...` connects to a running scheduler (this module's), imports,
    then enriches the new posts on its workers; the rollups count each post once."""
    from monitio.cli.main import app
    from monitio.workspace import open_workspace

    runner = CliRunner()
    ws = tmp_path / "ws"
    assert runner.invoke(app, ["init", "-w", str(ws)]).exit_code == 0
    address = client.scheduler.address
    assert address.startswith("tcp://")
    corpus = _corpus(tmp_path / "posts.csv")
    result = runner.invoke(app, ["ingest", str(corpus), "-w", str(ws), "--source", "t", "--cluster", address, "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output.strip().splitlines()[-1])
    assert report["new"] == report["enriched"] == N_POSTS
    again = runner.invoke(app, ["ingest", str(corpus), "-w", str(ws), "--source", "t", "--cluster", address])
    assert again.exit_code == 0 and "enriched 0 posts on the cluster" in again.output
    w = open_workspace(ws)
    with w.engine.connect() as conn:
        total = conn.execute(select(func.sum(rollups.c.count)).where(rollups.c.category == ALL)).scalar()
    w.engine.dispose()
    assert total == N_POSTS


def test_scheduler_without_workers_is_refused_before_writing(tmp_path):
    import distributed

    from monitio.scale.cluster import ClusterUnavailable

    with distributed.LocalCluster(n_workers=0, processes=False, protocol="tcp://", dashboard_address=None) as empty:
        with pytest.raises(ClusterUnavailable, match=f"scheduler at {empty.scheduler_address} has no workers"):
            with open_cluster(empty.scheduler_address, timeout=1):
                pytest.fail("should not get a client")


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(
        st.text(max_size=40), st.from_regex(r"(local(:\d{1,4})?|(tcp://)?[a-z0-9.\-]{1,20}:\d{1,6})", fullmatch=True)
    )
)
def test_any_cluster_value_parses_or_says_what_to_use(value):
    from monitio.scale.cluster import ClusterSpecError

    try:
        spec = parse_cluster(value)
    except ClusterSpecError as exc:
        assert "local:N" in exc.one_line()
        return
    if spec.local_workers is not None:
        assert 1 <= spec.local_workers <= 256 and spec.address is None
    else:
        assert spec.address.startswith(("tcp://", "tls://", "ws://", "wss://"))
        assert parse_cluster(spec.address) == spec  # normalised form is stable
