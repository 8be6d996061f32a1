"""Classification metrics: accuracy, macro-F1, per-class precision/recall/F1/support, confusion matrix.

Plain Python (no scikit-learn). Macro-F1 is the unweighted mean of the per-class F1 over the classes
of the report (by default the gold classes; a prediction outside them only costs recall).

>>> r = classification_report(["a", "a", "b", "b"], ["a", "b", "b", "b"])
>>> r["accuracy"], r["macro_f1"], r["per_class"]["a"]
(0.75, 0.7333, {'precision': 1.0, 'recall': 0.5, 'f1': 0.6667, 'support': 2})
>>> r["confusion"]["a"]
{'a': 1, 'b': 1}
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

CONTRACT_KEYS = ("n", "accuracy", "macro_f1", "per_class")
"""The keys of the `monitio eval ... --json` object."""


def _ratio(num: float, den: float) -> float:
    return num / den if den else 0.0


def confusion_matrix(gold: Sequence[str], pred: Sequence[str], labels: Sequence[str]) -> dict[str, dict[str, int]]:
    """Counts by gold row then predicted column; columns are `labels` plus any other predicted label.

    >>> confusion_matrix(["x", "y"], ["y", "z"], ["x", "y"])
    {'x': {'x': 0, 'y': 1, 'z': 0}, 'y': {'x': 0, 'y': 0, 'z': 1}}
    """
    pairs = Counter(zip(gold, pred, strict=True))
    cols = list(labels) + sorted(set(pred) - set(labels))
    return {g: {p: pairs[(g, p)] for p in cols} for g in labels}


def classification_report(gold: Sequence[str], pred: Sequence[str], labels: Sequence[str] | None = None) -> dict:
    """The `monitio eval --json` object, plus `labels` and `confusion` for the human-readable view."""
    if len(gold) != len(pred):
        raise ValueError(f"gold and predicted labels differ in length ({len(gold)} != {len(pred)})")
    labels = list(labels) if labels is not None else sorted(set(gold))
    pairs = Counter(zip(gold, pred, strict=True))
    gold_n, pred_n = Counter(gold), Counter(pred)
    per_class, f1s = {}, []
    for label in labels:
        tp = pairs[(label, label)]
        precision = _ratio(tp, pred_n[label])
        recall = _ratio(tp, gold_n[label])
        f1 = _ratio(2 * precision * recall, precision + recall)
        f1s.append(f1)
        per_class[label] = {
            "precision": round(precision, 4),
            "recall": round(recall, 4),
            "f1": round(f1, 4),
            "support": gold_n[label],
        }
    n = len(gold)
    correct = sum(c for (g, p), c in pairs.items() if g == p)
    return {
        "n": n,
        "accuracy": round(_ratio(correct, n), 4),
        "macro_f1": round(_ratio(sum(f1s), len(f1s)), 4),
        "per_class": per_class,
        "labels": labels,
        "confusion": confusion_matrix(gold, pred, labels),
    }


def contract(report: dict) -> dict:
    """Only the contract keys (what `--json` prints)."""
    return {k: report[k] for k in CONTRACT_KEYS}
