"""`monitio eval` tasks: language identification and sentiment, zero-shot on a labelled CSV."""

from __future__ import annotations

from pathlib import Path

from monitio.eval.data import EvalDataError, read_labelled
from monitio.eval.metrics import classification_report


def eval_langid(data: Path) -> dict:
    """Accuracy of the language identifier against the `lang` (or `label`) column."""
    from monitio.enrich.language import LanguageIdentifier

    rows = read_labelled(data, ("lang", "label"))
    results = LanguageIdentifier().detect_many([t for t, _ in rows])
    return classification_report([g for _, g in rows], [r.lang for r in results])


def sentiment_label(score, labels: set[str]) -> str:
    """Map a `Sentiment` to the label set of the data: binary sets have no neutral (a post without
    positive evidence counts as negative there); 4-class sets add `mixed` (strong evidence both ways)."""
    if labels <= {"positive", "negative"}:
        return "positive" if score.score > 0 else "negative"
    if "mixed" in labels and score.positive >= 1.5 and score.negative >= 1.5:
        return "mixed"
    return score.label


def eval_sentiment(data: Path, train: Path | None = None) -> dict:
    """Zero-shot sentiment against the `label` column (positive / negative / neutral / mixed)."""
    from monitio.enrich.language import LanguageIdentifier
    from monitio.enrich.sentiment import SentimentScorer

    if train is not None:
        raise EvalDataError("adapted mode (--train) is not available yet: sentiment is zero-shot in this version")
    rows = read_labelled(data)
    labels = {g for _, g in rows}
    langs = LanguageIdentifier().detect_many([t for t, _ in rows])
    scorer = SentimentScorer()
    preds = [sentiment_label(scorer.score(t, r.lang, r.mixed), labels) for (t, _), r in zip(rows, langs, strict=True)]
    return classification_report([g for _, g in rows], preds, sorted(labels))
