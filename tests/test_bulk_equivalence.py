"""The bulk write path stores exactly what the row-by-row path stored (issue 13), on SQLite and PostgreSQL.

One multilingual demo corpus (copy-paste campaigns, narratives, planted events) is imported into two
workspaces on the same backend, one by `insert_posts` (COPY on PostgreSQL) and enriched by
`monitio.enrich.runner` (bulk statements), the other by the frozen row-by-row reference in
`tests/enrich_reference.py`; both then assign narratives and detect. Every stored post (enrichment
fields and search text), category row, rollup (and its author keys), near-duplicate group, key and
band, narrative, narrative assignment and signal must be equal, leaving out only the columns that
hold the wall-clock time of the run.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import JSON, DateTime, MetaData, Text, cast, select

from benchmarks.ingest_enrich import DIGEST_TABLES, VOLATILE
from monitio.demo.corpus import generate_demo
from monitio.detect.narratives import assign_pending
from monitio.detect.signals import detect_signals
from monitio.enrich.runner import enrich_pending
from monitio.ingest import ingest_file
from monitio.pipeline import default_pipeline
from monitio.workspace import init_workspace
from tests import enrich_reference as ref
from tests.conftest import _pg_unavailable, pg_schemas

TABLES = DIGEST_TABLES  # every table a run writes results to; times of the run left out (VOLATILE)
BATCH = 300  # small batches: groups and rollup rows that span batches, merges across batches


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("corpus") / "demo.csv"
    end = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) - timedelta(days=1)
    generate_demo(path, n_posts=2500, days=12, end=end, seed=5)
    return path


@pytest.fixture(params=["sqlite", "postgres"])
def two_urls(request, tmp_path):
    """Two empty databases on one backend (None: a SQLite file in the workspace)."""
    if request.param == "sqlite":
        yield [None, None]
        return
    reason = _pg_unavailable()
    if reason:
        pytest.skip(reason)
    with pg_schemas(2) as urls:
        yield urls


def snapshot(engine) -> dict[str, list[tuple]]:
    """Every row of the result tables in primary-key order, volatile columns left out, JSON and times as text."""
    meta = MetaData()
    meta.reflect(engine, only=list(TABLES))
    out = {}
    with engine.connect() as conn:
        for name in TABLES:
            table = meta.tables[name]
            cols = [c for c in table.c if c.name not in VOLATILE]
            order = list(table.primary_key.columns) or cols
            # JSON and timestamps as stored (text), so SQL NULL and JSON null, or two spellings of
            # one time (SQLite compares them as text), stay apart
            shown = [cast(c, Text) if isinstance(c.type, JSON | DateTime) else c for c in cols]
            out[name] = [tuple(r) for r in conn.execute(select(*shown).order_by(*order))]
    return out


def _run(root: Path, url: str | None, corpus: Path, enrich, monkeypatch, insert=None) -> dict[str, list[tuple]]:
    ws = init_workspace(root, database_url=url)
    try:
        with monkeypatch.context() as m:
            if insert is not None:
                m.setattr("monitio.ingest.insert_posts", insert)
            ingest_file(ws.engine, corpus, source="demo")
        enriched = enrich(ws.engine, default_pipeline(ws.settings), batch_size=BATCH)
        assert enriched > 2000
        assert assign_pending(ws.engine) > 0
        detect_signals(ws, now=datetime.now(UTC))
        return snapshot(ws.engine)
    finally:
        ws.engine.dispose()


def test_bulk_path_stores_what_the_row_by_row_path_stored(two_urls, corpus, tmp_path, monkeypatch):
    bulk = _run(tmp_path / "bulk", two_urls[0], corpus, enrich_pending, monkeypatch)
    rows = _run(tmp_path / "rows", two_urls[1], corpus, ref.enrich_pending, monkeypatch, ref.insert_posts)
    assert bulk["dup_groups"] and bulk["post_narratives"] and bulk["signals"]  # the corpus exercises them
    assert any(r for r in bulk["posts"] if "null" in r)  # JSON null (not SQL NULL) is compared too
    assert any(r for r in bulk["dup_groups"] if r[1] is not None), "no merged group: merges untested"
    for name in TABLES:
        assert len(bulk[name]) == len(rows[name]), name
        for a, b in zip(bulk[name], rows[name], strict=True):
            assert a == b, f"{name}: {a} != {b}"
