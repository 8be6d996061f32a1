"""`monitio eval sentiment`: zero-shot or adapted sentiment against a labelled CSV (`text` + `label`).

Labels are `positive` / `negative` / `neutral` (and `mixed` in 4-class sets). Zero-shot predictions
are mapped to the label set present in the file: binary sets have no neutral, so the sign of the score
decides; 4-class sets add `mixed` when there is strong evidence both ways or the post turns on a contrast
word ('but', 'aana', 'lekin': "the trailer is great but the story is weak").

Adapted mode (`--train FILE.csv`) fits `AdaptedSentiment` (TF-IDF character and word n-grams, stacked
with the zero-shot lexicon evidence), then predicts the evaluation file. `--cv K` runs stratified K-fold
cross-validation on one file, of the adapted model and of a baseline (TF-IDF character 1-4-grams +
LinearSVC, scikit-learn defaults) on the same folds.

>>> from monitio.enrich.sentiment import Sentiment
>>> to_label(Sentiment(0.05, "neutral", 1.0, 0.8), {"positive", "negative"})
'positive'
>>> to_label(Sentiment(-0.2, "negative", 2.0, 3.0), {"positive", "negative", "neutral", "mixed"})
'mixed'
>>> to_label(Sentiment(-0.5, "negative", 0.0, 3.0), {"positive", "negative", "neutral", "mixed"}, turned=True)
'mixed'
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from monitio.enrich.sentiment import Sentiment, turns
from monitio.eval.data import EvalDataError, read_labelled
from monitio.eval.metrics import classification_report

MIXED_EVIDENCE = 1.5
"""Both positive and negative evidence at least this strong makes a post `mixed` (4-class sets)."""
LABELS = frozenset({"positive", "negative", "neutral", "mixed"})


def to_label(s: Sentiment, labels: set[str], turned: bool = False) -> str:
    """Map a `Sentiment` onto the labels of the data set (`turned`: the post has a contrast word)."""
    if labels <= {"positive", "negative"}:
        if s.score != 0:
            return "positive" if s.score > 0 else "negative"
        return "positive" if s.positive > s.negative else "negative"
    if "mixed" in labels and (turned or (s.positive >= MIXED_EVIDENCE and s.negative >= MIXED_EVIDENCE)):
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
    if "mixed" in labels:
        return [to_label(s, labels, turns(t)) for s, t in zip(zero_shot(texts), texts, strict=True)]
    return [to_label(s, labels) for s in zero_shot(texts)]


def _check_labels(rows: list[tuple[str, str]], path: Path) -> set[str]:
    labels = {g for _, g in rows}
    unknown = labels - LABELS
    if unknown:
        raise EvalDataError(
            f"{path.name}: unknown sentiment labels {sorted(unknown)} (expected positive, negative, neutral, mixed)"
        )
    return labels


def eval_sentiment(data: Path, train: Path | None = None, select: bool = True) -> dict:
    """Accuracy, macro-F1 and per-class figures on `data` (zero-shot unless `train` is given).

    With `train`, the adapted model's settings are chosen by inner CV on the training file only
    (`monitio.eval.nested.fit_selected`; `select=False`: the default settings); `mode` names the choice.
    """
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
        from monitio.enrich.sentiment_model import AdaptedSentiment
        from monitio.eval.nested import fit_selected

        train_texts, train_gold = [t for t, _ in train_rows], [g for _, g in train_rows]
        if select:
            model, chosen = fit_selected(train_texts, train_gold, zero_shot(train_texts))
        else:
            model, chosen = AdaptedSentiment().fit(train_texts, train_gold, zero_shot(train_texts)), "default"
        preds = model.predict(texts, zero_shot(texts))
        report = classification_report([g for _, g in rows], preds, sorted(labels))
        report["mode"] = f"adapted, settings: {chosen}"
        return report
    return classification_report([g for _, g in rows], preds, sorted(labels))


def stratified_folds(labels: list[str], k: int, seed: int = 0) -> list[tuple[np.ndarray, np.ndarray]]:
    """(train, test) index arrays of stratified K-fold cross-validation (shuffled, seeded).

    >>> folds = stratified_folds(["a", "b"] * 5, 5)
    >>> len(folds), sorted(int(i) for _, te in folds for i in te) == list(range(10))
    (5, True)
    """
    from sklearn.model_selection import StratifiedKFold

    y = np.array(labels)
    return list(StratifiedKFold(k, shuffle=True, random_state=seed).split(np.zeros(len(y)), y))


def baseline_predict(train_texts: list[str], train_labels: list[str], texts: list[str]) -> list[str]:
    """The reference baseline: TF-IDF character 1-4-grams + LinearSVC (scikit-learn defaults)."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.svm import LinearSVC

    vec = TfidfVectorizer(analyzer="char", ngram_range=(1, 4))
    model = LinearSVC().fit(vec.fit_transform(train_texts), train_labels)
    return [str(x) for x in model.predict(vec.transform(texts))]


def cross_validate(data: Path, folds: int = 5) -> dict:
    """Stratified K-fold of the adapted model and of the baseline on the same folds.

    The report is the adapted model's (out-of-fold predictions), plus `baseline_macro_f1`, `delta`
    (adapted minus baseline), `folds` and `baseline` (the baseline's own report).
    """
    from monitio.enrich.sentiment_model import AdaptedSentiment

    rows = read_labelled(Path(data))
    labels = _check_labels(rows, Path(data))
    texts, gold = [t for t, _ in rows], [g for _, g in rows]
    smallest = min(gold.count(x) for x in labels)
    if folds < 2 or smallest < folds or len(labels) < 2:
        raise EvalDataError(f"--cv {folds}: needs >= 2 folds, >= 2 labels and >= {folds} rows of every label")
    evidence = zero_shot(texts)
    x = np.array(texts, dtype=object)
    adapted, base = [""] * len(texts), [""] * len(texts)
    for tr, te in stratified_folds(gold, folds):
        tr_texts, tr_gold, te_texts = list(x[tr]), [gold[i] for i in tr], list(x[te])
        model = AdaptedSentiment().fit(tr_texts, tr_gold, [evidence[i] for i in tr])
        for i, p in zip(te, model.predict(te_texts, [evidence[i] for i in te]), strict=True):
            adapted[i] = p
        for i, p in zip(te, baseline_predict(tr_texts, tr_gold, te_texts), strict=True):
            base[i] = p
    report = classification_report(gold, adapted, sorted(labels))
    baseline = classification_report(gold, base, sorted(labels))
    report.update(
        mode=f"adapted, {folds}-fold CV",
        folds=folds,
        baseline_macro_f1=baseline["macro_f1"],
        delta=round(report["macro_f1"] - baseline["macro_f1"], 4),
        baseline=baseline,
    )
    return report
