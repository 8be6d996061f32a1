"""`monitio train sentiment --data FILE.csv`: fit the adapted sentiment model and save it in the workspace.

Registered on the `train` group of `monitio.cli.label_cmd` by `mount()`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from monitio.cli.common import JsonOpt, WorkspaceOpt, out, print_json, user_errors


def train_sentiment(data: Path, workspace: Path, cv: int = 5) -> dict:
    """Fit on `data` (`text`, `label`), report K-fold CV macro-F1, save; returns the model's metadata."""
    from monitio.enrich.language import LanguageIdentifier
    from monitio.enrich.sentiment_model import SavedSentimentModel, covered_languages, save_model
    from monitio.eval.data import EvalDataError, read_labelled
    from monitio.eval.sentiment import _check_labels, cross_validate, zero_shot

    rows = read_labelled(Path(data))
    labels = sorted(_check_labels(rows, Path(data)))
    if len(labels) < 2:
        raise EvalDataError(f"{Path(data).name}: training needs at least two different labels")
    texts, gold = [t for t, _ in rows], [g for _, g in rows]
    langs = covered_languages([r.lang for r in LanguageIdentifier().detect_many(texts)])
    if not langs:
        raise EvalDataError(f"{Path(data).name}: no language has 30 or more rows; the model would cover nothing")
    score = None
    if cv and min(gold.count(x) for x in labels) >= cv:
        score = cross_validate(Path(data), cv)["macro_f1"]
    from monitio.eval.nested import fit_selected

    model, chosen = fit_selected(texts, gold, zero_shot(texts))
    saved = SavedSentimentModel(model, langs, labels, len(rows), score)
    path = save_model(saved, Path(workspace))
    return saved.metadata() | {"path": str(path), "settings": chosen}


def train_sentiment_command(
    data: Annotated[Path, typer.Option("--data", help="Labelled CSV: a `text` column and `label`.")],
    workspace: WorkspaceOpt = None,
    cv: Annotated[int, typer.Option("--cv", help="Folds for the reported CV macro-F1 (0: skip).")] = 5,
    as_json: JsonOpt = False,
) -> None:
    """Fit the adapted sentiment model on labelled posts; the pipeline then uses it for the languages it covers."""
    import os

    ws = Path(workspace or os.environ.get("MONITIO_WORKSPACE") or Path.cwd())
    with user_errors():
        meta = train_sentiment(data, ws, cv)
    if as_json:
        print_json(meta)
        return
    cv_text = f"{meta['cv_macro_f1']:.3f}" if meta["cv_macro_f1"] is not None else "n/a"
    out.print(
        f"Sentiment model on {meta['rows']} rows, labels {', '.join(meta['labels'])}, languages "
        f"{', '.join(meta['languages'])}; CV macro-F1 {cv_text} -> {meta['path']}",
        highlight=False,
        markup=False,
        soft_wrap=True,
    )


def mount(train_app: typer.Typer) -> None:
    """Register `train sentiment` on the `train` group."""
    train_app.command("sentiment")(train_sentiment_command)
