"""`monitio eval langid|sentiment`: accuracy and macro-F1 per class on a labelled CSV."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from monitio.cli.common import JsonOpt, err, out, print_json

app = typer.Typer(
    help="Measure language ID and sentiment on labelled CSV files (text + label/lang columns).", no_args_is_help=True
)
DataOpt = Annotated[Path, typer.Option("--data", help="Labelled CSV: a `text` column and `label` (or `lang`).")]
TrainOpt = Annotated[Path | None, typer.Option("--train", help="Labelled CSV to train on first (adapted mode).")]


def _show(report: dict, title: str) -> None:
    out.print(
        f"[bold]{title}[/]: n={report['n']}  accuracy={report['accuracy']:.3f}  macro-F1={report['macro_f1']:.3f}"
    )
    table = Table("class", "precision", "recall", "F1", "support")
    for label, m in report["per_class"].items():
        table.add_row(label, f"{m['precision']:.3f}", f"{m['recall']:.3f}", f"{m['f1']:.3f}", str(m["support"]))
    out.print(table)
    conf = report["confusion"]
    cols = list(next(iter(conf.values())).keys()) if conf else []
    matrix = Table("gold \\ predicted", *cols, title="Confusion matrix")
    for gold, row in conf.items():
        matrix.add_row(gold, *(str(row[c]) for c in cols))
    out.print(matrix)


def _run(fn, title: str, as_json: bool, **kw) -> None:
    from monitio.eval.data import EvalDataError

    try:
        report = fn(**kw)
    except EvalDataError as exc:
        err.print(f"[bold red]error:[/] {exc}", highlight=False)
        raise typer.Exit(2) from None
    if as_json:
        print_json({k: v for k, v in report.items() if k != "confusion"})
    else:
        _show(report, title)


@app.command()
def langid(data: DataOpt, as_json: JsonOpt = False) -> None:
    """Language identification. Example: monitio eval langid --data ../shared/data/langid/data.csv --json"""
    from monitio.eval.tasks import eval_langid

    _run(eval_langid, "Language ID", as_json, data=data)


@app.command()
def sentiment(data: DataOpt, train: TrainOpt = None, as_json: JsonOpt = False) -> None:
    """Sentiment. Example: monitio eval sentiment --data ../shared/data/sentiment-id/data.csv"""
    from monitio.eval.tasks import eval_sentiment

    _run(eval_sentiment, "Sentiment", as_json, data=data, train=train)
