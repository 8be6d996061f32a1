"""Classification metrics: accuracy, macro-F1, per-class precision/recall/F1/support, confusion matrix.

>>> r = classification_report(["a", "a", "b", "b"], ["a", "b", "b", "b"])
>>> r["accuracy"], round(r["macro_f1"], 3), r["per_class"]["a"]["recall"]
(0.75, 0.733, 0.5)
"""

from __future__ import annotations

from collections import Counter


def classification_report(gold: list[str], pred: list[str], labels: list[str] | None = None) -> dict:
    """The `monitio eval --json` object (plus `labels` and `confusion` for the human-readable view)."""
    if len(gold) != len(pred):
        raise ValueError("gold and predicted labels differ in length")
    labels = labels or sorted(set(gold))
    pairs = Counter(zip(gold, pred, strict=True))
    per_class = {}
    for label in labels:
        tp = pairs[(label, label)]
        fp = sum(n for (g, p), n in pairs.items() if p == label and g != label)
        fn = sum(n for (g, p), n in pairs.items() if g == label and p != label)
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_class[label] = {
            "precision": round(precision, 4),
            "recall": round(recall, 4),
            "f1": round(f1, 4),
            "support": tp + fn,
        }
    n = len(gold)
    accuracy = sum(n_ for (g, p), n_ in pairs.items() if g == p) / n if n else 0.0
    macro = sum(c["f1"] for c in per_class.values()) / len(per_class) if per_class else 0.0
    pred_labels = sorted(set(pred) - set(labels))
    confusion = {g: {p: pairs[(g, p)] for p in labels + pred_labels} for g in labels}
    return {
        "n": n,
        "accuracy": round(accuracy, 4),
        "macro_f1": round(macro, 4),
        "per_class": per_class,
        "confusion": confusion,
    }
