"""`monitio label add|list|export|import|suggest` and `monitio train risk` on a real workspace."""

from __future__ import annotations

import csv
import io
import json

import pytest
from typer.testing import CliRunner

from monitio.cli.main import app
from monitio.ingest import ingest_file
from monitio.training import workspace_categories
from tests.risk_helpers import synthetic, write_posts_csv

runner = CliRunner()


@pytest.fixture
def posts_ws(ws, tmp_path):
    rows = synthetic(15)
    ingest_file(ws.engine, write_posts_csv(tmp_path / "posts.csv", [t for t, _ in rows]), source="synthetic")
    return ws, rows


def _cli(*args):
    result = runner.invoke(app, [str(a) for a in args])
    assert result.exit_code == 0, result.output
    return result.output


def test_label_round_trip(posts_ws, tmp_path):
    ws, _ = posts_ws
    cat = sorted(workspace_categories(ws.settings))[0]
    w = ["--workspace", ws.path]
    assert "= yes" in _cli("label", "add", 1, cat, "yes", *w, "--actor", "ana")
    _cli("label", "add", 2, cat, "no", *w, "--actor", "ana")
    _cli("label", "add", 1, cat, "no", *w, "--actor", "ana")  # ana changes her mind: replaces
    items = json.loads(_cli("label", "list", *w, "--json"))
    assert [(i["post_id"], i["value"], i["actor"]) for i in items] == [(2, "no", "ana"), (1, "no", "ana")]
    assert all(i["created_at"] and i["uid"] for i in items)

    exported = _cli("label", "export", *w)
    rows = list(csv.DictReader(io.StringIO(exported)))
    assert {r["post_id"] for r in rows} == {"1", "2"}
    # re-import under another analyst, by uid only
    path = tmp_path / "labels.csv"
    with open(path, "w", encoding="utf-8", newline="") as fh:
        wr = csv.DictWriter(fh, fieldnames=["uid", "category", "value"])
        wr.writeheader()
        wr.writerows({"uid": r["uid"], "category": cat, "value": "yes"} for r in rows)
        wr.writerow({"uid": "nope", "category": cat, "value": "yes"})
        wr.writerow({"uid": rows[0]["uid"], "category": "no_such_category", "value": "yes"})
    report = json.loads(_cli("label", "import", path, *w, "--actor", "ben", "--json"))
    assert report["added"] == 2 and [e["row"] for e in report["errors"]] == [4, 5]
    items = json.loads(_cli("label", "list", *w, "--category", cat, "--json"))
    assert sorted((i["actor"], i["value"]) for i in items) == [
        ("ana", "no"),
        ("ana", "no"),
        ("ben", "yes"),
        ("ben", "yes"),
    ]


def test_label_errors_are_one_line(posts_ws):
    ws, _ = posts_ws
    cat = sorted(workspace_categories(ws.settings))[0]
    for args, needle in [
        ((999, cat, "yes"), "no post"),
        ((1, "nope", "yes"), "unknown category"),
        ((1, cat, "maybe"), "yes or no"),
    ]:
        result = runner.invoke(app, ["label", "add", *map(str, args), "--workspace", str(ws.path)])
        assert result.exit_code == 2 and needle in result.output


def test_train_skips_categories_without_enough_labels(posts_ws):
    ws, _ = posts_ws
    cat = sorted(workspace_categories(ws.settings))[0]
    _cli("label", "add", 1, cat, "yes", "--workspace", ws.path)
    out = _cli("train", "risk", "--workspace", ws.path)
    assert f"{cat}: skipped" in out and "1 yes and 0 no" in out


def test_train_then_suggest_cli(posts_ws):
    ws, rows = posts_ws
    cat = sorted(workspace_categories(ws.settings))[0]
    for pid, (_, y) in enumerate(rows[:24], start=1):
        _cli("label", "add", pid, cat, "yes" if y else "no", "--workspace", ws.path)
    results = json.loads(_cli("train", "risk", "--workspace", ws.path, "--json"))
    assert results[0]["status"] == "trained" and results[0]["metrics"]["f1"] > 0.8
    assert (ws.path / "models" / "risk" / f"{cat}.joblib").exists()
    items = json.loads(_cli("label", "suggest", "--category", cat, "--n", 3, "--workspace", ws.path, "--json"))
    assert len(items) == 3 and all(i["post_id"] > 24 and i["basis"] == "model" for i in items)
    assert "p=" in _cli("label", "suggest", "--category", cat, "--workspace", ws.path)


def test_suggestions_spread_over_markets_when_one_market_dominates(ws):
    import random
    from datetime import UTC, datetime, timedelta

    from monitio.enrich.runner import enrich_pending
    from monitio.pipeline import default_pipeline
    from monitio.records import Post
    from monitio.store.repo import insert_posts
    from monitio.training import suggest

    rng = random.Random(3)
    vocab = {
        "ID": "iklan toko akun saldo kurir paket diskon aplikasi member bonus cicilan ongkir rekening barang".split(),
        "TH": "โฆษณา ร้านค้า บัญชี พัสดุ ส่วนลด แอป สมาชิก โบนัส ผ่อน ค่าส่ง สินค้า".split(),
        "VN": "quảng cáo cửa hàng tài khoản gói hàng giảm giá ứng dụng thành viên thưởng trả góp".split(),
    }
    scam = {"ID": "penipuan", "TH": "หลอกลวง", "VN": "lừa đảo"}
    t0 = datetime(2026, 11, 1, tzinfo=UTC)
    # the 6 TH/VN posts are the oldest: without the market cap the 24 newer ID posts fill every pick
    markets = ["TH", "VN"] * 3 + ["ID"] * 24
    batch = [
        Post.create(
            source="t",
            source_id=str(k),
            text=" ".join([*rng.sample(vocab[m], 6), scam[m], *rng.sample(vocab[m], 3)]),
            published_at=t0 + timedelta(minutes=k),
            market_hint=m,
        )
        for k, m in enumerate(markets)
    ]
    with ws.engine.begin() as conn:
        insert_posts(conn, batch)
    enrich_pending(ws.engine, default_pipeline(ws.settings))
    picks = suggest(ws, "scam_ads", n=6)
    got = [p["market"] for p in picks]
    assert len(picks) == 6 and got.count("ID") <= 2 and {"TH", "VN"} <= set(got), got
