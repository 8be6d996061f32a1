"""Risk classifiers: training, calibration, the pipeline stage, active-learning suggestions, `eval risk`."""

from __future__ import annotations

import csv
import json
from datetime import UTC, datetime

import numpy as np
import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from monitio.enrich.dupes import dupe_key
from monitio.enrich.risk_model import RiskClassifier, load_models
from monitio.eval import risk as eval_risk_mod
from monitio.eval.risk import OPERATING_POINT, eval_risk, is_risk
from monitio.ingest import ingest_file
from monitio.labels import add_label
from monitio.pipeline import default_pipeline
from monitio.records import Doc, Post
from monitio.store.schema import posts
from monitio.training import rule_enrich, suggest, train_risk
from tests.risk_helpers import synthetic, write_posts_csv

NOW = datetime(2026, 11, 1, tzinfo=UTC)


def _docs(texts):
    return rule_enrich([Doc(i, Post("t", str(i), f"u{i}", t, NOW)) for i, t in enumerate(texts)])


def test_train_predicts_held_out_and_is_calibrated():
    rows = synthetic(40, seed=3)
    train, test = rows[:60], rows[60:]
    model = RiskClassifier().fit(_docs([t for t, _ in train]), [y for _, y in train])
    p = model.predict_proba(_docs([t for t, _ in test]))
    y = np.array([y for _, y in test])
    assert ((p >= 0) & (p <= 1)).all()
    assert ((p >= 0.5) == (y == 1)).mean() >= 0.9
    assert p[y == 1].mean() > 0.7 > 0.3 > p[y == 0].mean()


def _labelled_ws(ws, tmp_path, n_labelled=30, extra=()):
    rows = synthetic(25, seed=5)
    texts = [t for t, _ in rows] + list(extra)
    ingest_file(ws.engine, write_posts_csv(tmp_path / "p.csv", texts), source="syn")
    with ws.engine.begin() as conn:
        ids = {r.text: r.id for r in conn.execute(select(posts.c.id, posts.c.text))}
        for text, y in rows[:n_labelled]:
            add_label(conn, ids[text], "scam_x", bool(y), actor="ana")
    return rows, ids


def test_train_save_and_stage_writes_model_scores(ws, tmp_path):
    from monitio.enrich.runner import enrich_pending
    from monitio.services.search import post_json
    from monitio.store.repo import doc_from_row

    rows, _ = _labelled_ws(ws, tmp_path)
    results = train_risk(ws)
    assert [r["status"] for r in results] == ["trained"]
    meta = load_models(ws.path)["scam_x"]
    assert meta["n_labels"] == 30 and meta["metrics"]["f1"] > 0.8 and meta["feature_config"]["char_ngrams"] == [2, 5]
    pipeline = default_pipeline(ws.settings)
    assert pipeline.names[-1] == "risk_model"
    assert enrich_pending(ws.engine, pipeline) == len(rows)
    with ws.engine.connect() as conn:
        stored = {r.text: r for r in conn.execute(select(posts))}
    for text, y in rows[30:]:
        score = stored[text].evidence["model"]["scam_x"]
        assert (score >= 0.5) == bool(y)
        assert doc_from_row(stored[text]).model_scores["scam_x"] == score
        assert post_json(stored[text])["model_scores"] == {"scam_x": score}


def test_train_skips_with_reason(ws, tmp_path):
    _labelled_ws(ws, tmp_path, n_labelled=12)
    (result,) = train_risk(ws)
    assert result["status"] == "skipped" and "has 6 yes and 6 no" in result["reason"]
    assert load_models(ws.path) == {}


def test_suggest_unlabelled_uncertain_distinct(ws, tmp_path):
    ambiguous = [f"bonus meeting verify garden {w} call later" for w in ("today", "again")]
    rows, ids = _labelled_ws(ws, tmp_path, extra=[*ambiguous, ambiguous[0] + "!"])
    train_risk(ws)
    items = suggest(ws, "scam_x", n=5)
    labelled = {ids[t] for t, _ in rows[:30]}
    assert len(items) == 5 and not {i["post_id"] for i in items} & labelled
    probs = [abs(i["probability"] - 0.5) for i in items]
    assert probs == sorted(probs)
    keys = [dupe_key(i["text"]) for i in items]
    assert len(set(keys)) == len(keys)
    # the near-copy of an ambiguous post is never suggested next to it
    assert sum(i["text"].startswith(ambiguous[0]) for i in items) <= 1


def test_suggest_without_model_uses_rule_score(ws, tmp_path):
    _labelled_ws(ws, tmp_path)
    items = suggest(ws, "scam_x", n=3)
    assert len(items) == 3 and all(i["basis"] == "rules" for i in items)


def test_zero_shot_decision():
    d = Doc(None, Post("t", "1", "u", "x", NOW))
    assert not is_risk(d)
    d.risk_score = OPERATING_POINT
    assert is_risk(d)


def test_eval_risk_hand_checked(tmp_path, monkeypatch):
    path = tmp_path / "tiny.csv"
    data = [("0.9", "fraud"), ("0.5", "fraud"), ("0.1", "fraud"), ("0.4", "normal"), ("0.0", "promo")]
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["body", "kind"])
        w.writerows(data)

    def fake_enrich(texts, settings=None):
        docs = [Doc(None, Post("t", str(i), f"u{i}", t, NOW)) for i, t in enumerate(texts)]
        for d in docs:
            d.risk_score = float(d.text)
        return docs

    monkeypatch.setattr(eval_risk_mod, "enrich_texts", fake_enrich)
    r = eval_risk(path, "fraud", text_column="body", label_column="kind")
    # predicted risk: 0.9, 0.5, 0.4 -> TP 2, FP 1, FN 1
    assert r["per_class"]["risk"] == {"precision": 0.6667, "recall": 0.6667, "f1": 0.6667, "support": 3}
    assert r["per_class"]["other"] == {"precision": 0.5, "recall": 0.5, "f1": 0.5, "support": 2}
    assert r["accuracy"] == 0.6 and r["macro_f1"] == 0.5833
    assert r["confusion"] == {"risk": {"risk": 2, "other": 1}, "other": {"risk": 1, "other": 1}}

    from monitio.cli.eval_cmd import app

    args = ["risk", "--data", str(path), "--positive", "fraud", "--text-column", "body", "--label-column", "kind"]
    out = CliRunner().invoke(app, [*args, "--json"])
    assert out.exit_code == 0, out.output
    printed = json.loads(out.output)
    assert {k: printed[k] for k in ("n", "accuracy", "macro_f1", "per_class")} == {
        k: r[k] for k in ("n", "accuracy", "macro_f1", "per_class")
    }
    human = CliRunner().invoke(app, args)
    assert "Confusion matrix" in human.output and "zero-shot" in human.output
    bad = CliRunner().invoke(app, [*args[:4], "spam", *args[4:]])
    assert bad.exit_code == 2


def test_eval_risk_adapted_with_train(tmp_path):
    rows = synthetic(30, seed=9)
    for name, part in (("train.csv", rows[:40]), ("test.csv", rows[40:])):
        with open(tmp_path / name, "w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(["text", "label"])
            w.writerows((t, "scam" if y else "ok") for t, y in part)
    r = eval_risk(tmp_path / "test.csv", "scam", train=tmp_path / "train.csv")
    assert r["mode"] == "adapted" and r["macro_f1"] >= 0.9


def test_adapted_cv_on_shared_data(shared_data):
    path = shared_data / "scam-smishing-en" / "data.csv"
    if not path.exists():
        pytest.skip(f"{path} not found")
    r = eval_risk(path, "smishing,spam", cv=5)
    assert r["macro_f1"] >= 0.95, r
