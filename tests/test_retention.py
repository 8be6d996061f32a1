"""Retention (`monitio retention apply`, setting `retention_days`): old posts lose their text and search
rows; rollups, categories, signals and every evidence post stay exactly as they were (SQLite and
PostgreSQL)."""

import csv
import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import insert, select
from typer.testing import CliRunner

from monitio.enrich.reenrich import reenrich
from monitio.ingest import ingest_file
from monitio.jobs import run_cycle
from monitio.services import search as search_svc
from monitio.services.retention import apply_retention
from monitio.store.schema import post_categories, posts, rollup_authors, rollups, runs, signals
from monitio.store.schema_collab import audit_log, case_links, cases
from monitio.store.schema_intel import labels
from monitio.store.schema_search import post_search

NOW = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
TEXTS = [
    "This ad is a scam, they took my money and blocked me",
    "Great service, the refund arrived quickly, thank you",
    "Iklan investasi bodong, dijamin untung katanya, hubungi WA",
    "The seller sent a fake blender and the platform ignores my refund",
    "Lucky draw winner! Claim your prize at bit.ly/xyz now",
]
N = 120
DAYS = 30


def _when(i: int) -> datetime:
    """Posts spread over the last 60 days: the first half is older than DAYS."""
    return NOW - timedelta(days=60) + timedelta(hours=12 * i, minutes=7)


def _corpus(path):
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "text", "published_at", "author", "likes"])
        for i in range(N):
            w.writerow([f"p{i}", f"{TEXTS[i % len(TEXTS)]} zqx{i}", _when(i).isoformat(), f"user{i % 11}", i % 4])
    return path


META = ("id", "source_id", "published_at", "author", "market", "lang", "sentiment_label", "categories", "likes")


def _snapshot(engine):
    """Everything retention must not change."""
    with engine.connect() as conn:
        return {
            "rollups": sorted(tuple(r) for r in conn.execute(select(rollups))),
            "authors": sorted(tuple(r) for r in conn.execute(select(rollup_authors))),
            "categories": sorted(tuple(r) for r in conn.execute(select(post_categories))),
            "signals": sorted((r.id, r.key, r.status, r.score, r.evidence) for r in conn.execute(select(signals))),
            "meta": sorted(tuple(r._mapping[c] for c in META) for r in conn.execute(select(posts))),
        }


def _texts(engine) -> dict[str, tuple[str, object, object]]:
    with engine.connect() as conn:
        return {r.source_id: (r.text, r.raw, r.text_dropped_at) for r in conn.execute(select(posts))}


def _indexed(engine) -> set[int]:
    with engine.connect() as conn:
        return set(conn.execute(select(post_search.c.post_id)).scalars())


def _ids(engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {r.source_id: r.id for r in conn.execute(select(posts.c.source_id, posts.c.id))}


@pytest.fixture
def filled(ws, tmp_path):
    """A workspace with 120 enriched posts over 60 days, and evidence on three old posts."""
    assert ingest_file(ws.engine, _corpus(tmp_path / "posts.csv"), source="t").new == N
    run_cycle(ws)
    ids = _ids(ws.engine)
    with ws.engine.begin() as conn:
        conn.execute(
            insert(signals).values(
                key="test:evidence", kind="spike", status="dismissed", severity=2, score=1.0, confidence=0.5,
                window_start=NOW - timedelta(days=50), window_end=NOW - timedelta(days=49), observed=3.0,
                expected=1.0, markets=[], categories=[], langs=[], why="test", details={},
                evidence=[ids["p2"], ids["p3"]], first_seen=NOW, last_seen=NOW, created_at=NOW, updated_at=NOW,
            )
        )  # fmt: skip
        case_id = conn.execute(
            insert(cases).values(
                title="t", status="new", severity=2, owner_team="Policy", categories=[], markets=[],
                origin="manual", sla_due_at=NOW, created_at=NOW, updated_at=NOW,
            )
        ).inserted_primary_key[0]  # fmt: skip
        conn.execute(insert(case_links).values(case_id=case_id, kind="post", ref_id=str(ids["p5"]), created_at=NOW))
        conn.execute(
            insert(labels).values(post_id=ids["p7"], category="scam_ads", value=True, actor="a", created_at=NOW)
        )
    return ws


KEPT = {"p2", "p3", "p5", "p7"}


def _old(i: int) -> bool:
    return _when(i) < (NOW - timedelta(days=DAYS)).replace(hour=0)


def test_retention_drops_old_text_and_keeps_counts_and_evidence(filled):
    ws = filled
    before, texts, ids = _snapshot(ws.engine), _texts(ws.engine), _ids(ws.engine)
    old = {f"p{i}" for i in range(N) if _old(i)}
    assert 40 < len(old) < 80 and KEPT <= old

    dry = apply_retention(ws, days=DAYS, dry_run=True)
    assert (dry.due, dry.dropped, dry.kept) == (len(old), len(old) - len(KEPT), len(KEPT))
    assert _texts(ws.engine) == texts, "a dry run writes nothing"

    report = apply_retention(ws, days=DAYS, batch_size=7)
    assert (report.due, report.dropped, report.kept) == (len(old), len(old) - len(KEPT), len(KEPT))
    after = _texts(ws.engine)
    for sid, (text, raw, dropped_at) in after.items():
        if sid in old - KEPT:
            assert (text, raw) == ("", None) and dropped_at is not None, sid
        else:
            assert text == texts[sid][0] and dropped_at is None, sid
    assert _snapshot(ws.engine) == before, "rollups, categories, signals and post metadata are unchanged"
    indexed = _indexed(ws.engine)
    assert not indexed & {ids[s] for s in old - KEPT}
    assert {ids[s] for s in set(ids) - (old - KEPT)} <= indexed

    # search: an old dropped post's own word is gone; a kept one and a recent one are still found
    gone = next(s for s in sorted(old - KEPT))
    assert search_svc.search(ws.engine, f"zqx{gone[1:]}").total == 0
    assert search_svc.search(ws.engine, "zqx2").total == 1
    assert search_svc.search(ws.engine, f"zqx{N - 1}").total == 1

    again = apply_retention(ws, days=DAYS)
    assert (again.due, again.dropped, again.kept) == (len(KEPT), 0, len(KEPT))
    assert _texts(ws.engine) == after
    with ws.engine.connect() as conn:
        where = audit_log.c.entity == "retention"
        actions = list(conn.execute(select(audit_log.c.action, audit_log.c.after).where(where)))
        done = list(conn.execute(select(runs.c.finished_at, runs.c.stats).where(runs.c.kind == "retention")))
    assert [a for a, _ in actions].count("retention.apply") == 2
    assert actions[1][1]["dropped"] == len(old) - len(KEPT)
    assert all(finished is not None for finished, _ in done) and len(done) == 2


def test_a_run_stopped_midway_is_finished_by_the_next(filled):
    ws = filled
    before = _snapshot(ws.engine)

    def crash(done, due):
        raise RuntimeError("killed")

    with pytest.raises(RuntimeError):
        apply_retention(ws, days=DAYS, batch_size=5, on_progress=crash)
    partial = sum(1 for text, _, _ in _texts(ws.engine).values() if text == "")
    assert partial == 3, "the first batch (p0-p4, of which p2 and p3 are evidence) committed on its own"
    report = apply_retention(ws, days=DAYS, batch_size=5)
    old = {f"p{i}" for i in range(N) if _old(i)}
    assert report.dropped == len(old) - len(KEPT) - 3
    assert sum(1 for text, _, _ in _texts(ws.engine).values() if text == "") == len(old) - len(KEPT)
    assert _snapshot(ws.engine) == before


def test_run_applies_the_setting_and_reenrich_stays_after_the_cutoff(filled):
    ws = filled
    before = _snapshot(ws.engine)
    assert run_cycle(ws)["retention"] is None, "no retention unless retention_days is set"
    ws.settings.retention_days = DAYS
    result = run_cycle(ws)["retention"]
    assert result["dropped"] > 0 and result["cutoff"]
    assert _snapshot(ws.engine)["rollups"] == before["rollups"]

    redo = reenrich(ws)
    assert redo["retention_cutoff"] == result["cutoff"] and redo["from"] == result["cutoff"]
    assert redo["reset"] == redo["enriched"] == sum(1 for i in range(N) if not _old(i))
    assert _snapshot(ws.engine)["rollups"] == before["rollups"], "dropped text is never enriched again"


def test_cli_dry_run_json_and_days_required(filled):
    from monitio.cli.main import app

    runner = CliRunner()
    ws_dir = str(filled.path)
    env = {"MONITIO_DATABASE_URL": filled.settings.database_url or ""}
    res = runner.invoke(app, ["retention", "apply", "--workspace", ws_dir, "--json"], env=env)
    assert res.exit_code == 2 and "retention_days" in res.output
    res = runner.invoke(
        app, ["retention", "apply", "--workspace", ws_dir, "--days", str(DAYS), "--dry-run", "--json"], env=env
    )
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert out["dry_run"] is True and out["kept"] == len(KEPT) and out["dropped"] > 0
    assert not any(text == "" for text, _, _ in _texts(filled.engine).values())


def test_dropped_posts_are_never_placed_in_narratives(filled):
    from sqlalchemy import delete

    from monitio.detect.narratives import assign_pending
    from monitio.store.schema_intel import post_narratives

    ws = filled
    apply_retention(ws, days=DAYS)
    with ws.engine.begin() as conn:
        dropped = set(conn.execute(select(posts.c.id).where(posts.c.text_dropped_at.is_not(None))).scalars())
        risky = set(conn.execute(select(posts.c.id).where(posts.c.categories.is_not(None))).scalars())
        conn.execute(delete(post_narratives))
    assert dropped & risky, "the corpus should have old risk posts"
    assign_pending(ws.engine)
    with ws.engine.connect() as conn:
        placed = set(conn.execute(select(post_narratives.c.post_id)).scalars())
    assert placed and not placed & dropped
    assert placed == risky - dropped
