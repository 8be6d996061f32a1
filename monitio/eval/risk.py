"""`monitio eval risk`: is a post a risk (scam, fraud, spam) or not, against a labelled CSV.

The labels named with `--positive` are the class `risk`; every other label is `other`.

- zero-shot (no `--train`): the rule stages of the default pipeline (language, market, sentiment,
  taxonomy categories, scam indicators when that stage exists, risk score) run on the texts without a
  database, and `is_risk` decides;
- adapted (`--train FILE.csv`): the classifier of `monitio train risk` (`RiskClassifier`) is fitted on
  the train file and scores the data file; a post is `risk` when its probability is >= 0.5;
- cross-validated (`--cv K`, no `--train`): stratified K-fold of the adapted classifier on the data file.

>>> binary(["fraud", "normal", "promo"], {"fraud"})
['risk', 'other', 'other']
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from monitio.eval.data import EvalDataError, read_labelled
from monitio.eval.metrics import classification_report
from monitio.records import Doc, Post

OPERATING_POINT = 0.35
"""Zero-shot: a rule-based `risk_score` at or above this makes a post `risk` (see `is_risk`).

0.35 is what one matched term of a severity-5 category scores on a neutral post (0.6 * 0.5 * 0.85 =
0.255 stays below; two terms or a severity >= 7 category pass). Change it here only."""
RISK, OTHER = "risk", "other"
LABELS = [RISK, OTHER]


def is_risk(doc: Doc) -> bool:
    """The zero-shot decision: `risk_score >= OPERATING_POINT`, or any taxonomy category matched.

    >>> from datetime import UTC, datetime
    >>> d = Doc(None, Post.create(source="s", source_id="1", text="x", published_at=datetime.now(UTC)))
    >>> is_risk(d)
    False
    >>> d.risk_score = 0.4
    >>> is_risk(d)
    True
    """
    return doc.risk_score >= OPERATING_POINT or bool(doc.categories)


def binary(labels: list[str], positive: set[str]) -> list[str]:
    """Map data-set labels onto `risk` / `other`."""
    return [RISK if lab in positive else OTHER for lab in labels]


def read_rows(path: Path, text_column: str = "text", label_column: str = "label") -> list[tuple[str, str]]:
    """(text, label) pairs of a CSV file; rows without a label are skipped."""
    return read_labelled(Path(path), (label_column,), text_column=text_column)


def enrich_texts(texts: list[str], settings=None) -> list[Doc]:
    """Docs for bare texts, run through the rule stages of the default pipeline (no database, no models)."""
    from datetime import UTC, datetime

    from monitio.training import rule_enrich

    now = datetime.now(UTC)
    return rule_enrich([Doc(None, Post("eval", str(i), f"eval-{i}", t, now)) for i, t in enumerate(texts)], settings)


def adapted_predict(train_docs: list[Doc], train_y: list[str], docs: list[Doc], **params) -> np.ndarray:
    """Probabilities of `risk` for `docs` from a `RiskClassifier` fitted on the train docs."""
    from monitio.enrich.risk_model import RiskClassifier

    y = np.array([1 if g == RISK else 0 for g in train_y])
    return RiskClassifier(**params).fit(train_docs, y).predict_proba(docs)


def cross_validate(docs: list[Doc], gold: list[str], k: int = 5, seed: int = 0, **params) -> list[str]:
    """Out-of-fold `risk` / `other` predictions by stratified k-fold."""
    from sklearn.model_selection import StratifiedKFold

    y = np.array([1 if g == RISK else 0 for g in gold])
    if min(y.sum(), (1 - y).sum()) < k:
        raise EvalDataError(f"--cv {k} needs at least {k} rows of each class")
    pred = np.zeros(len(docs))
    for tr, te in StratifiedKFold(k, shuffle=True, random_state=seed).split(np.zeros(len(y)), y):
        pred[te] = adapted_predict([docs[i] for i in tr], [gold[i] for i in tr], [docs[i] for i in te], **params)
    return [RISK if p >= 0.5 else OTHER for p in pred]


def eval_risk(
    data: Path,
    positive: str | list[str],
    train: Path | None = None,
    cv: int | None = None,
    text_column: str = "text",
    label_column: str = "label",
    **params,
) -> dict:
    """The classification report of `risk` versus `other` on `data` (see the module docstring for modes)."""
    pos = {p.strip() for p in (positive.split(",") if isinstance(positive, str) else positive) if p.strip()}
    if not pos:
        raise EvalDataError("--positive needs at least one label")
    rows = read_rows(Path(data), text_column, label_column)
    present = {lab for _, lab in rows}
    if not pos & present:
        raise EvalDataError(
            f"none of the --positive labels {sorted(pos)} occur in {Path(data).name}: {sorted(present)}"
        )
    gold = binary([lab for _, lab in rows], pos)
    docs = enrich_texts([t for t, _ in rows])
    if train is not None:
        try:
            train_rows = read_rows(Path(train), text_column, label_column)
        except EvalDataError as exc:
            raise EvalDataError(f"--train {train}: {exc}") from None
        train_gold = binary([lab for _, lab in train_rows], pos)
        if len(set(train_gold)) < 2:
            raise EvalDataError(f"--train {train}: needs rows of both the risk labels and others")
        probs = adapted_predict(enrich_texts([t for t, _ in train_rows]), train_gold, docs, **params)
        pred = [RISK if p >= 0.5 else OTHER for p in probs]
        mode = "adapted"
    elif cv:
        pred, mode = cross_validate(docs, gold, cv, **params), f"adapted, {cv}-fold cross-validation"
    else:
        pred, mode = [RISK if is_risk(d) else OTHER for d in docs], "zero-shot"
    report = classification_report(gold, pred, LABELS)
    report["mode"] = mode
    return report
