"""Training risk models from analyst labels, and choosing which posts to label next (active learning).

`train_risk` fits one `RiskClassifier` per category that has at least `MIN_PER_CLASS` labels of each
class, reports cross-validated precision / recall / F1, and saves the model in the workspace.

`suggest` ranks unlabelled posts by how much a label would teach the model: uncertainty sampling
(model probability nearest 0.5; before a model exists, the rule score nearest the zero-shot operating
point, see `prior_probability`), with diversity: no two suggestions share a copy-paste key
(`dup_key`) or have hashed character n-gram vectors more similar than `MAX_SIMILARITY`, and no market
takes more than a third of the picks while other markets still have candidates.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from sqlalchemy import select

from monitio.enrich.risk_model import MIN_PER_CLASS, RiskClassifier, load_models, save_model
from monitio.records import Doc, Post
from monitio.store.schema import posts
from monitio.store.schema_intel import labels

MAX_SIMILARITY = 0.8
"""Suggestions more similar than this (cosine of hashed char 2-4-grams) to an earlier one are skipped."""
CANDIDATE_POOL = 5000
"""How many of the newest unlabelled posts `suggest` considers."""


def workspace_categories(settings) -> set[str]:
    """The category ids of the workspace's taxonomy."""
    from monitio.enrich.categories import taxonomy_path
    from monitio.taxonomy.loader import load_taxonomy

    return set(load_taxonomy(taxonomy_path(settings)).categories)


def _docs(rows) -> list[Doc]:
    return [
        Doc(
            r.id,
            Post(
                r.source, r.source_id, r.uid, r.text, r.published_at, lang_hint=r.lang_hint, market_hint=r.market_hint
            ),
        )
        for r in rows
    ]


def _post_cols():
    return [
        posts.c.id,
        posts.c.source,
        posts.c.source_id,
        posts.c.uid,
        posts.c.text,
        posts.c.published_at,
        posts.c.lang_hint,
        posts.c.market_hint,
    ]


def rule_enrich(docs: list[Doc], settings=None) -> list[Doc]:
    """Run the rule stages of the default pipeline (no models, no dup key) on docs, in place."""
    from monitio.pipeline import Pipeline, default_pipeline

    stages = [s for s in default_pipeline(settings, with_models=False).stages if s.name != "dupes"]
    return Pipeline(stages).run(docs)


def labelled(engine, category: str) -> tuple[list[Doc], np.ndarray]:
    """The labelled posts of a category with 0/1 targets; when analysts disagree the newest label wins."""
    with engine.connect() as conn:
        rows = conn.execute(
            select(labels.c.post_id, labels.c.value).where(labels.c.category == category).order_by(labels.c.created_at)
        ).all()
        latest = {r.post_id: bool(r.value) for r in rows}
        ids = sorted(latest)
        found = conn.execute(select(*_post_cols()).where(posts.c.id.in_(ids))).all() if ids else []
    docs = _docs(found)
    return docs, np.array([int(latest[d.post_id]) for d in docs], dtype=int)


def label_counts(engine) -> dict[str, tuple[int, int]]:
    """(yes, no) counts per labelled category, newest label per post."""
    with engine.connect() as conn:
        rows = conn.execute(select(labels.c.category, labels.c.post_id, labels.c.value).order_by(labels.c.created_at))
        latest = {(r.category, r.post_id): bool(r.value) for r in rows}
    counts: dict[str, list[int]] = {}
    for (cat, _), value in latest.items():
        c = counts.setdefault(cat, [0, 0])
        c[0 if value else 1] += 1
    return {cat: (c[0], c[1]) for cat, c in sorted(counts.items())}


def cv_metrics(docs: list[Doc], y: np.ndarray, **params) -> dict[str, float]:
    """Cross-validated precision, recall and F1 of the yes class, and macro-F1 (stratified, up to 5 folds)."""
    from monitio.eval.metrics import classification_report
    from monitio.eval.risk import OTHER, RISK, cross_validate

    gold = [RISK if v else OTHER for v in y]
    k = int(min(5, y.sum(), len(y) - y.sum()))
    report = classification_report(gold, cross_validate(docs, gold, k, **params), [RISK, OTHER])
    return {
        **{m: report["per_class"][RISK][m] for m in ("precision", "recall", "f1")},
        "macro_f1": report["macro_f1"],
        "folds": k,
    }


def train_risk(ws, category: str | None = None, min_per_class: int = MIN_PER_CLASS, **params) -> list[dict[str, Any]]:
    """Train (and save) a model per category with enough labels; one result per category, trained or skipped."""
    counts = label_counts(ws.engine)
    if category is not None:
        counts = {category: counts.get(category, (0, 0))}
    results = []
    for cat, (n_yes, n_no) in counts.items():
        result: dict[str, Any] = {"category": cat, "yes": n_yes, "no": n_no}
        if min(n_yes, n_no) < min_per_class:
            result |= {
                "status": "skipped",
                "reason": f"needs >= {min_per_class} labels of each class, has {n_yes} yes and {n_no} no",
            }
            results.append(result)
            continue
        docs, y = labelled(ws.engine, cat)
        rule_enrich(docs, ws.settings)
        metrics = cv_metrics(docs, y, **params)
        model = RiskClassifier(**params).fit(docs, y)
        path = save_model(
            ws.path,
            cat,
            model,
            {"n_labels": len(y), "n_yes": int(y.sum()), "n_no": int(len(y) - y.sum()), "metrics": metrics},
        )
        results.append(result | {"status": "trained", "metrics": metrics, "path": str(path)})
    return results


def prior_probability(doc: Doc, category: str) -> float:
    """A stand-in probability before a model exists: 0.5 exactly at the zero-shot operating point.

    The rule score is scaled so `OPERATING_POINT` maps to 0.5; a match of this very category adds 0.2
    and each kind of scam indicator 0.1.

    >>> from datetime import UTC, datetime
    >>> d = Doc(1, Post.create(source="s", source_id="1", text="x", published_at=datetime.now(UTC)))
    >>> d.risk_score = 0.35
    >>> prior_probability(d, "scam_ads")
    0.5
    """
    from monitio.eval.risk import OPERATING_POINT

    p = 0.5 * doc.risk_score / OPERATING_POINT + (0.2 if category in doc.categories else 0.0)
    p += 0.1 * sum(1 for v in (doc.indicators or {}).values() if v)
    return round(min(1.0, p), 4)


def _vectors(texts: list[str]) -> np.ndarray:
    from sklearn.feature_extraction.text import HashingVectorizer

    hv = HashingVectorizer(analyzer="char_wb", ngram_range=(2, 4), n_features=2**16, norm="l2", alternate_sign=False)
    return hv.transform(texts)


def suggest(ws, category: str, n: int = 20) -> list[dict[str, Any]]:
    """Up to `n` unlabelled posts whose labels would teach the category's model most (see the module docstring)."""
    from monitio.enrich.dupes import dupe_key

    with ws.engine.connect() as conn:
        done = select(labels.c.post_id).where(labels.c.category == category)
        rows = conn.execute(
            select(*_post_cols()).where(posts.c.id.not_in(done)).order_by(posts.c.id.desc()).limit(CANDIDATE_POOL)
        ).all()
    docs = rule_enrich(_docs(rows), ws.settings)
    if not docs:
        return []
    payload = load_models(ws.path).get(category)
    if payload is not None:
        probs = [float(p) for p in payload["model"].predict_proba(docs)]
        basis = "model"
    else:
        probs = [prior_probability(d, category) for d in docs]
        basis = "rules"
    order = sorted(range(len(docs)), key=lambda i: (abs(probs[i] - 0.5), -docs[i].post_id))
    vecs = _vectors([d.text for d in docs])
    picked: list[int] = []
    keys: set[str] = set()
    per_market: dict[str | None, int] = {}
    cap = max(2, n // 3)  # first pass: no market takes more than a third of the picks
    for capped in (True, False):
        for i in order:
            if len(picked) >= n:
                break
            market = docs[i].market
            if i in picked or (capped and per_market.get(market, 0) >= cap):
                continue
            key = dupe_key(docs[i].text)
            if key and key in keys:
                continue
            if picked and (vecs[picked] @ vecs[i].T).max() > MAX_SIMILARITY:
                continue
            picked.append(i)
            per_market[market] = per_market.get(market, 0) + 1
            if key:
                keys.add(key)
    return [
        {
            "post_id": docs[i].post_id,
            "probability": round(probs[i], 4),
            "basis": basis,
            "market": docs[i].market,
            "text": docs[i].text,
        }
        for i in picked
    ]
