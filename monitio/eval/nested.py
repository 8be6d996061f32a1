"""Nested cross-validation of the adapted sentiment model: settings chosen inside, the estimate outside.

Plain K-fold CV of a model whose settings were picked by looking at the same folds is optimistic. Here
every outer training split chooses among `GRID` (simplest first) by an inner stratified K-fold of its
own rows only; the chosen settings are refitted on the outer training split and scored on the outer
test split, which took no part in the choice. Outer splits are repeated with different shuffles, so the
report carries a mean and a spread (standard deviation over outer folds) for the adapted model, for the
baseline (TF-IDF character 1-4-grams + LinearSVC) on the same splits, and for their difference.

A simpler setting wins unless a more complex one beats it by more than the noise: the choice is the
simplest candidate whose inner mean is within one standard error of the best inner mean.

The zero-shot lexicon evidence is a fixed function of the text (no fitting here); if the lexicons were
grown while looking at these rows, no resampling can remove that, and the report says so in `note`.

>>> pick([("a", [0.71, 0.75, 0.73]), ("b", [0.72, 0.76, 0.74])])
'a'
>>> pick([("a", [0.60, 0.61, 0.60]), ("b", [0.71, 0.73, 0.72])])
'b'
"""

from __future__ import annotations

import math
from collections import Counter
from pathlib import Path

import numpy as np

from monitio.eval.data import EvalDataError, read_labelled
from monitio.eval.metrics import classification_report

GRID: tuple[tuple[str, dict], ...] = (
    ("char", {"views": ("char",), "C": 0.5}),
    ("char+word+nfd", {"views": ("char", "word", "nfd"), "C": 0.5}),
    ("char+word+nfd C=0.1", {"views": ("char", "word", "nfd"), "C": 0.1}),
)
"""Candidate settings, simplest first (the current default is the second)."""
NOTE = (
    "settings chosen by inner CV on each outer training split; the lexicons are fixed and, where they were "
    "grown while reading these rows, the estimate is still optimistic"
)


def _macro_f1(gold, pred, labels) -> float:
    return classification_report(list(gold), list(pred), labels)["macro_f1"]


def pick(scores: list[tuple[str, list[float]]]) -> str:
    """The simplest candidate (first in order) whose mean is within one standard error of the best mean."""
    means = [float(np.mean(s)) for _, s in scores]
    best = int(np.argmax(means))
    spread = scores[best][1]
    se = float(np.std(spread, ddof=1) / math.sqrt(len(spread))) if len(spread) > 1 else 0.0
    return next(name for (name, _), m in zip(scores, means, strict=True) if m >= means[best] - se)


def _fit_predict(params: dict, texts, gold, evidence, test_texts, test_evidence) -> list[str]:
    from monitio.enrich.sentiment_model import AdaptedSentiment

    model = AdaptedSentiment(folds=3, **params).fit(texts, gold, evidence)
    return model.predict(test_texts, test_evidence)


def choose(texts: list[str], gold: list[str], evidence: list, inner: int = 3, seed: int = 0) -> tuple[str, dict]:
    """Inner K-fold over `GRID` on these rows only; returns the chosen name and each candidate's fold scores."""
    from monitio.eval.sentiment import stratified_folds

    labels = sorted(set(gold))
    folds = stratified_folds(gold, inner, seed=seed)
    scores = []
    for name, params in GRID:
        fold_scores = []
        for tr, te in folds:
            pred = _fit_predict(
                params,
                [texts[i] for i in tr],
                [gold[i] for i in tr],
                [evidence[i] for i in tr],
                [texts[i] for i in te],
                [evidence[i] for i in te],
            )
            fold_scores.append(_macro_f1([gold[i] for i in te], pred, labels))
        scores.append((name, fold_scores))
    return pick(scores), {name: [round(s, 4) for s in fs] for name, fs in scores}


def fit_selected(texts: list[str], gold: list[str], evidence: list, inner: int = 3, seed: int = 0):
    """The adapted model with settings chosen by inner CV on these rows only (`choose`), fitted on all of them.

    Returns (model, chosen name). With too few rows of some label for `inner` folds, the default settings.
    """
    from monitio.enrich.sentiment_model import AdaptedSentiment

    if min(gold.count(x) for x in set(gold)) < inner * 2:
        return AdaptedSentiment().fit(texts, gold, evidence), "default"
    name, _ = choose(texts, gold, evidence, inner, seed)
    return AdaptedSentiment(**dict(GRID)[name]).fit(texts, gold, evidence), name


def nested_cross_validate(data: Path, outer: int = 5, repeats: int = 2, inner: int = 3) -> dict:
    """Repeated outer stratified K-fold with inner-CV model choice; figures per outer fold and their mean/std.

    The report keeps the `monitio eval` contract (`n`, `accuracy`, `macro_f1`, `per_class`: of the pooled
    out-of-fold predictions of the first repeat) and adds `outer` (per fold: chosen settings, adapted and
    baseline macro-F1), `adapted_mean`, `adapted_std`, `baseline_mean`, `baseline_std`, `delta_mean`,
    `delta_std`, `chosen` (how often each setting won) and `note`.
    """
    from monitio.eval.sentiment import _check_labels, baseline_predict, stratified_folds, zero_shot

    rows = read_labelled(Path(data))
    labels = sorted(_check_labels(rows, Path(data)))
    texts, gold = [t for t, _ in rows], [g for _, g in rows]
    smallest = min(gold.count(x) for x in labels)
    if outer < 2 or inner < 2 or repeats < 1 or len(labels) < 2 or smallest < outer * inner:
        raise EvalDataError(
            f"nested CV needs >= 2 labels and >= {outer * inner} rows of every label (outer {outer} x inner {inner})"
        )
    evidence = zero_shot(texts)
    folds_out, first = [], [""] * len(texts)
    for r in range(repeats):
        for k, (tr, te) in enumerate(stratified_folds(gold, outer, seed=1000 + r)):
            tr_t, tr_g, tr_e = [texts[i] for i in tr], [gold[i] for i in tr], [evidence[i] for i in tr]
            te_t, te_g, te_e = [texts[i] for i in te], [gold[i] for i in te], [evidence[i] for i in te]
            name, inner_scores = choose(tr_t, tr_g, tr_e, inner, seed=r * 100 + k)
            pred = _fit_predict(dict(GRID)[name], tr_t, tr_g, tr_e, te_t, te_e)
            base = baseline_predict(tr_t, tr_g, te_t)
            a, b = _macro_f1(te_g, pred, labels), _macro_f1(te_g, base, labels)
            folds_out.append(
                {
                    "repeat": r,
                    "fold": k,
                    "chosen": name,
                    "adapted": round(a, 4),
                    "baseline": round(b, 4),
                    "inner": inner_scores,
                }
            )
            if r == 0:
                for i, p in zip(te, pred, strict=True):
                    first[i] = p
    report = classification_report(gold, first, labels)
    adapted = np.array([f["adapted"] for f in folds_out])
    baseline = np.array([f["baseline"] for f in folds_out])
    report.update(
        mode=f"adapted, nested CV ({repeats}x{outer} outer, {inner} inner)",
        outer=folds_out,
        adapted_mean=round(float(adapted.mean()), 4),
        adapted_std=round(float(adapted.std(ddof=1)), 4),
        baseline_mean=round(float(baseline.mean()), 4),
        baseline_std=round(float(baseline.std(ddof=1)), 4),
        delta_mean=round(float((adapted - baseline).mean()), 4),
        delta_std=round(float((adapted - baseline).std(ddof=1)), 4),
        chosen=dict(Counter(f["chosen"] for f in folds_out)),
        note=NOTE,
    )
    return report
