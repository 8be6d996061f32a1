"""The detection pass fanned out on a real Dask LocalCluster (2 worker processes): the spike scan's
series, the copy-paste groups' campaign tests and the term bursts' markets computed in groups on the
workers, joined on the driver for the false-discovery step, give exactly the findings and signals of
one process (SQLite and PostgreSQL), also when a worker is SIGKILLed during the fan-out."""

from datetime import UTC, datetime, timedelta
from functools import partial

import numpy as np
import pytest
from sqlalchemy import func, select

from monitio.detect.bursts import find_bursts
from monitio.detect.campaigns import find_campaigns
from monitio.detect.narratives import assign_pending
from monitio.detect.scan import join_candidates, scan_candidates, scan_series
from monitio.detect.signals import detect_signals
from monitio.ingest import ingest_file
from monitio.store.schema import rollups, signals
from tests.cluster_support import kill_one_worker, second_database
from tests.test_scale_cluster import T0, _corpus

pytest.importorskip("distributed", reason="dask.distributed not installed (pip install 'monitio[cluster]')")

from monitio.scale.cluster import open_cluster
from monitio.scale.detect import ClusterFanout

START = datetime(2026, 9, 1, tzinfo=UTC)
WALL_CLOCK = {"created_at", "updated_at", "detected_at", "id"}


@pytest.fixture(scope="module")
def client():
    with open_cluster("local:2") as c:
        yield c


class KillingFanout(ClusterFanout):
    """Kills one worker process once, after the first map's tasks are submitted and before they are gathered."""

    killed: list[int]

    def submitted(self, futures: list) -> None:
        if not self.killed:
            self.killed.append(kill_one_worker(self.client))


def _series(n: int = 300, days: int = 30) -> tuple[dict[str, np.ndarray], dict[str, str]]:
    """Category and market x category series, a few of them rising at the end; and their parents."""
    rng = np.random.default_rng(5)
    out, parents = {}, {}
    for c in range(n // 6):
        out[f"cat={c}"] = rng.poisson(rng.uniform(1, 9), days * 24).astype(float)
        for m in range(5):
            key = f"cat={c}|mkt=M{m}"
            out[key] = rng.poisson(rng.uniform(0.5, 4), days * 24).astype(float)
            parents[key] = f"cat={c}"
            if c % 7 == 0 and m < 2:
                out[key][-rng.integers(4, 60) :] += rng.integers(3, 12)
                out[f"cat={c}"][-30:] += 4
    return out, parents


@pytest.mark.parametrize("parts_per_worker", [1, 3])
def test_scan_in_groups_on_workers_equals_one_scan(client, parts_per_worker):
    series, parents = _series()
    alone = scan_series(series, START, window_hours=72, fdr=0.01, parents=parents)
    fan = ClusterFanout(client, parts_per_worker=parts_per_worker)
    groups = [dict(g) for g in fan.split(list(series.items()))]
    assert len(groups) == 2 * parts_per_worker
    parts = fan.map(partial(scan_candidates, start=START, window_hours=72), groups)
    spread = join_candidates(parts, START, total=len(series), fdr=0.01, parents=parents)
    assert len(alone) >= 10 and any("|mkt=" in f.key for f in alone)
    assert spread == alone  # every field of every finding, curves included, in the same order


@pytest.fixture
def two_enriched(db_url, tmp_path):
    """Two workspaces on one backend holding the same enriched posts and narratives."""
    from monitio.enrich.runner import enrich_pending
    from monitio.pipeline import default_pipeline
    from monitio.workspace import init_workspace

    corpus = _corpus(tmp_path / "posts.csv")
    made = []
    with second_database(db_url) as other:
        for name, url in (("one", db_url), ("many", other)):
            ws = init_workspace(tmp_path / name, database_url=None if url.startswith("sqlite") else url)
            ingest_file(ws.engine, corpus, source="t")
            enrich_pending(ws.engine, default_pipeline(ws.settings), batch_size=100)
            assign_pending(ws.engine)
            made.append(ws)
        yield made
        for ws in made:
            ws.engine.dispose()


def _signals(engine) -> list[tuple]:
    with engine.connect() as conn:
        cols = [c for c in signals.c if c.name not in WALL_CLOCK]
        return sorted((tuple(r) for r in conn.execute(select(*cols))), key=repr)


def test_detection_on_the_cluster_stores_the_signals_of_one_process(two_enriched, client):
    one, many = two_enriched
    alone = detect_signals(one)
    spread = detect_signals(many, fanout=ClusterFanout(client))
    assert alone.as_json() == spread.as_json() and alone.findings > 0
    a, b = _signals(one.engine), _signals(many.engine)
    assert a and a == b
    with one.engine.connect() as c1, many.engine.connect() as c2:
        end = c1.execute(select(func.max(rollups.c.bucket))).scalar() + timedelta(hours=1)  # as the pass does
        bursts = find_bursts(c1, end)
        assert bursts[0], "the corpus should have term bursts for the fan-out to split"
        assert find_bursts(c2, end, fanout=ClusterFanout(client, parts_per_worker=3)) == bursts
        # the corpus's copy-paste is slow (a few posts a day): a loose campaign test makes it count
        loose = {"min_authors": 5, "burst_hours": 24 * 14}
        campaigns = find_campaigns(c1, T0, end, **loose)
        assert len(campaigns) >= 2
        assert find_campaigns(c2, T0, end, fanout=ClusterFanout(client, parts_per_worker=3), **loose) == campaigns


def test_worker_killed_during_the_fanout_changes_no_signal(two_enriched, client):
    one, many = two_enriched
    fanout = KillingFanout(client)
    fanout.killed = []
    alone = detect_signals(one)
    spread = detect_signals(many, fanout=fanout)
    assert fanout.killed, "no worker was killed"
    assert alone.as_json() == spread.as_json()
    assert _signals(one.engine) == _signals(many.engine)
    client.wait_for_workers(2)
