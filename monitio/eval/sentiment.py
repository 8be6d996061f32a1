"""`monitio eval sentiment`: zero-shot or adapted sentiment against a labelled CSV (`text` + `label`).

Labels are `positive` / `negative` / `neutral` (and `mixed` in 4-class sets). Zero-shot predictions
are mapped to the label set present in the file: binary sets have no neutral, so the sign of the score
decides; 4-class sets add `mixed` when there is strong evidence both ways.

Adapted mode (`--train FILE.csv`) fits a softmax regression (numpy, full-batch Adam with L2) on
hashed character 1-4-grams plus the zero-shot lexicon evidence, then predicts the evaluation file.

>>> from monitio.enrich.sentiment import Sentiment
>>> to_label(Sentiment(0.05, "neutral", 1.0, 0.8), {"positive", "negative"})
'positive'
>>> to_label(Sentiment(-0.2, "negative", 2.0, 3.0), {"positive", "negative", "neutral", "mixed"})
'mixed'
"""

from __future__ import annotations

import zlib
from pathlib import Path

import numpy as np

from monitio.enrich.sentiment import Sentiment
from monitio.enrich.textnorm import fold
from monitio.eval.data import EvalDataError, read_labelled
from monitio.eval.metrics import classification_report

MIXED_EVIDENCE = 1.5
"""Both positive and negative evidence at least this strong makes a post `mixed` (4-class sets)."""
LABELS = frozenset({"positive", "negative", "neutral", "mixed"})


def to_label(s: Sentiment, labels: set[str]) -> str:
    """Map a `Sentiment` onto the labels of the data set."""
    if labels <= {"positive", "negative"}:
        if s.score != 0:
            return "positive" if s.score > 0 else "negative"
        return "positive" if s.positive > s.negative else "negative"
    if "mixed" in labels and s.positive >= MIXED_EVIDENCE and s.negative >= MIXED_EVIDENCE:
        return "mixed"
    return s.label


def zero_shot(texts: list[str]) -> list[Sentiment]:
    """Language stage then the lexicon scorer, as in the pipeline."""
    from monitio.enrich.language import LanguageIdentifier
    from monitio.enrich.sentiment import SentimentScorer

    langs = LanguageIdentifier().detect_many(texts)
    scorer = SentimentScorer()
    return [scorer.score(t, r.lang, r.mixed) for t, r in zip(texts, langs, strict=True)]


def predict(texts: list[str], labels: set[str]) -> list[str]:
    """Zero-shot labels for `texts`, mapped onto `labels`."""
    return [to_label(s, labels) for s in zero_shot(texts)]


class HashedLogit:
    """Softmax regression on hashed character n-grams plus lexicon evidence (`fit` returns self).

    >>> m = HashedLogit(dim=2**12, epochs=60).fit(["good good", "bad bad", "so good", "very bad"], ["p", "n", "p", "n"])
    >>> m.predict(["good one", "bad one"])
    ['p', 'n']
    """

    def __init__(self, dim: int = 2**18, ngrams: tuple[int, int] = (1, 4), l2: float = 1e-4, epochs: int = 150):
        self.dim, self.ngrams, self.l2, self.epochs = dim, ngrams, l2, epochs

    def _features(self, texts: list[str], evidence: list[Sentiment] | None) -> tuple[np.ndarray, ...]:
        rows, cols, vals = [], [], []
        lo, hi = self.ngrams
        for i, text in enumerate(texts):
            s = f" {fold(text)} "
            counts: dict[int, int] = {}
            for n in range(lo, hi + 1):
                for j in range(len(s) - n + 1):
                    h = zlib.crc32(s[j : j + n].encode()) % self.dim
                    counts[h] = counts.get(h, 0) + 1
            if counts:
                v = np.log1p(np.fromiter(counts.values(), float))
                rows += [i] * len(counts)
                cols += list(counts)
                vals += list(v / np.linalg.norm(v))
        dense = np.zeros((len(texts), 4))
        for i, e in enumerate(evidence or []):
            dense[i] = (e.score, np.tanh(e.positive / 3), np.tanh(e.negative / 3), e.score * e.score)
        return np.array(rows, int), np.array(cols, int), np.array(vals), dense

    def _matmul(self, feats: tuple[np.ndarray, ...], n: int, w: np.ndarray, v: np.ndarray) -> np.ndarray:
        rows, cols, vals, dense = feats
        sparse = [np.bincount(rows, weights=vals * w[cols, k], minlength=n) for k in range(w.shape[1])]
        return np.stack(sparse, axis=1) + dense @ v

    def fit(self, texts: list[str], labels: list[str], evidence: list[Sentiment] | None = None) -> HashedLogit:
        self.classes_ = sorted(set(labels))
        y = np.array([self.classes_.index(x) for x in labels])
        feats = self._features(texts, evidence)
        rows, cols, vals, dense = feats
        n, k = len(texts), len(self.classes_)
        onehot = np.eye(k)[y]
        params = [np.zeros((self.dim, k)), np.zeros((dense.shape[1], k)), np.zeros(k)]
        moments = [(np.zeros_like(p), np.zeros_like(p)) for p in params]
        for t in range(1, self.epochs + 1):
            w, v, b = params
            z = self._matmul(feats, n, w, v) + b
            p = np.exp(z - z.max(axis=1, keepdims=True))
            p /= p.sum(axis=1, keepdims=True)
            g = (p - onehot) / n
            gw = np.stack([np.bincount(cols, weights=vals * g[rows, j], minlength=self.dim) for j in range(k)], axis=1)
            grads = [gw + self.l2 * w, dense.T @ g, g.sum(axis=0)]
            for param, grad, (m1, m2) in zip(params, grads, moments, strict=True):
                m1 *= 0.9
                m1 += 0.1 * grad
                m2 *= 0.999
                m2 += 0.001 * grad * grad
                param -= 0.05 * (m1 / (1 - 0.9**t)) / (np.sqrt(m2 / (1 - 0.999**t)) + 1e-8)
        self.coef_, self.dense_coef_, self.intercept_ = params
        return self

    def predict(self, texts: list[str], evidence: list[Sentiment] | None = None) -> list[str]:
        feats = self._features(texts, evidence)
        z = self._matmul(feats, len(texts), self.coef_, self.dense_coef_) + self.intercept_
        return [self.classes_[i] for i in z.argmax(axis=1)]


def _check_labels(rows: list[tuple[str, str]], path: Path) -> set[str]:
    labels = {g for _, g in rows}
    unknown = labels - LABELS
    if unknown:
        raise EvalDataError(
            f"{path.name}: unknown sentiment labels {sorted(unknown)} (expected positive, negative, neutral, mixed)"
        )
    return labels


def eval_sentiment(data: Path, train: Path | None = None) -> dict:
    """Accuracy, macro-F1 and per-class figures on `data` (zero-shot unless `train` is given)."""
    rows = read_labelled(Path(data))
    labels = _check_labels(rows, Path(data))
    texts = [t for t, _ in rows]
    if train is None:
        preds = predict(texts, labels)
    else:
        try:
            train_rows = read_labelled(Path(train))
            _check_labels(train_rows, Path(train))
        except EvalDataError as exc:
            raise EvalDataError(f"--train {train}: {exc}") from None
        if len({g for _, g in train_rows}) < 2:
            raise EvalDataError(f"{Path(train).name}: training needs at least two different labels")
        train_texts = [t for t, _ in train_rows]
        model = HashedLogit().fit(train_texts, [g for _, g in train_rows], zero_shot(train_texts))
        preds = model.predict(texts, zero_shot(texts))
    return classification_report([g for _, g in rows], preds, sorted(labels))
