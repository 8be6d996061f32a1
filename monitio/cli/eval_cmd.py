"""`monitio eval langid|sentiment|risk|complaints`: accuracy and macro-F1 per class on a labelled CSV.

Mounted by `monitio.cli.main` as `monitio eval`; also runnable alone:
`python -m monitio.cli.eval_cmd sentiment --data FILE.csv --json`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer
from rich import box
from rich.console import Console
from rich.measure import Measurement
from rich.table import Table

from monitio.cli.common import user_errors

app = typer.Typer(
    rich_markup_mode=None,
    help="Measure language ID, sentiment and risk on labelled CSV files (a `text` column and `label`, or `lang`).",
    no_args_is_help=True,
)
DataOpt = Annotated[Path, typer.Option("--data", help="Labelled CSV: a `text` column and `label` (or `lang`).")]
TrainOpt = Annotated[Path | None, typer.Option("--train", help="Labelled CSV to train on first (adapted mode).")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print one JSON object (machine-readable) instead of tables.")]


def _show(report: dict, title: str, out: Console) -> None:
    if report.get("mode"):
        title = f"{title} ({report['mode']})"
    out.print(
        f"[bold]{title}[/]: n={report['n']}  accuracy={report['accuracy']:.3f}  macro-F1={report['macro_f1']:.3f}"
    )
    table = Table("class", "precision", "recall", "F1", "support", title="Per class")
    for label, m in report["per_class"].items():
        table.add_row(label, f"{m['precision']:.3f}", f"{m['recall']:.3f}", f"{m['f1']:.3f}", str(m["support"]))
    out.print(table)
    conf = report["confusion"]
    cols = list(next(iter(conf.values())).keys()) if conf else []
    digits = max((len(str(v)) for row in conf.values() for v in row.values()), default=1)
    matrix = Table(title="Confusion matrix (rows: gold, columns: predicted)", box=box.SIMPLE_HEAD, padding=(0, 1))
    matrix.add_column("gold", no_wrap=True, min_width=max((len(g) for g in conf), default=4))
    for c in cols:
        matrix.add_column(c, justify="right", no_wrap=True, min_width=max(len(c), digits))
    for gold, row in conf.items():
        matrix.add_row(gold, *(str(row[c]) for c in cols))
    # Never squeeze the matrix into a narrow terminal (numbers cut to "1…" say nothing): widen instead.
    needed = Measurement.get(out, out.options.update(width=10_000), matrix).maximum
    (out if out.width >= needed else Console(width=needed)).print(matrix)


def _run(fn: Callable[..., dict], title: str, as_json: bool, **kw) -> None:
    import json

    from monitio.errors import Invalid
    from monitio.eval.metrics import contract

    with user_errors():
        try:
            report = fn(**kw)
        except OSError as exc:
            raise Invalid(str(exc)) from None
    keys = ("folds", "baseline_macro_f1", "delta", "mode", "outer", "chosen", "note", "ms_id", "by_unit")
    keys += tuple(f"{a}_{b}" for a in ("adapted", "baseline", "delta") for b in ("mean", "std"))
    extra = {k: report[k] for k in keys if k in report}
    if as_json:
        typer.echo(json.dumps(contract(report) | extra, ensure_ascii=False))
    else:
        _show(report, title, Console())
        if "ms_id" in extra:
            m = extra["ms_id"]
            Console().print(
                f"Indonesian called Malay: {m['id_as_ms']}/{m['id']}; "
                f"Malay called Indonesian: {m['ms_as_id']}/{m['ms']}"
            )
            for unit, t in extra.get("by_unit", {}).items():
                Console().print(f"{unit}: accuracy {t['all']['accuracy']:.4f} (n={t['all']['n']})")
        if "delta_mean" in extra:
            Console().print(
                f"adapted {extra['adapted_mean']:.3f} ± {extra['adapted_std']:.3f}"
                f"  baseline {extra['baseline_mean']:.3f} ± {extra['baseline_std']:.3f}"
                f"  delta {extra['delta_mean']:+.3f} ± {extra['delta_std']:.3f}"
                f"  chosen {extra['chosen']}",
                highlight=False,
            )
        if "baseline_macro_f1" in extra:
            Console().print(
                f"baseline (TF-IDF char 1-4 + LinearSVC) macro-F1={extra['baseline_macro_f1']:.3f}  "
                f"adapted macro-F1={report['macro_f1']:.3f}  delta={extra['delta']:+.3f}",
                highlight=False,
            )


@app.command()
def langid(data: DataOpt, as_json: JsonOpt = False) -> None:
    """Language identification. Example: monitio eval langid --data ../shared/data/langid/data.csv --json"""
    from monitio.eval.langid import eval_langid

    _run(eval_langid, "Language ID", as_json, data=data)


@app.command()
def sentiment(
    data: DataOpt,
    train: TrainOpt = None,
    cv: Annotated[
        int | None,
        typer.Option("--cv", help="Stratified K-fold of the adapted model and the char-n-gram SVM baseline."),
    ] = None,
    nested: Annotated[
        bool,
        typer.Option(
            "--nested", help="With --cv K: settings chosen by inner CV, repeated outer splits (mean, spread)."
        ),
    ] = False,
    repeats: Annotated[int, typer.Option("--repeats", help="With --nested: outer K-fold repeats.")] = 2,
    inner: Annotated[int, typer.Option("--inner", help="With --nested: inner folds.")] = 3,
    select: Annotated[
        bool,
        typer.Option("--select/--no-select", help="With --train: choose the settings by inner CV on the train file."),
    ] = True,
    as_json: JsonOpt = False,
) -> None:
    """Sentiment: zero-shot lexicons, adapted with --train, or --cv K. Example: monitio eval sentiment --data F.csv"""
    if cv is not None and nested:
        from monitio.eval.nested import nested_cross_validate

        _run(nested_cross_validate, "Sentiment", as_json, data=data, outer=cv, repeats=repeats, inner=inner)
        return
    if cv is not None:
        from monitio.eval.sentiment import cross_validate

        _run(cross_validate, "Sentiment", as_json, data=data, folds=cv)
        return
    from monitio.eval.sentiment import eval_sentiment

    _run(eval_sentiment, "Sentiment", as_json, data=data, train=train, select=select)


@app.command()
def risk(
    data: DataOpt,
    positive: Annotated[str, typer.Option(help="Label(s) of the risk class, comma-separated, e.g. smishing,spam.")],
    train: TrainOpt = None,
    cv: Annotated[
        int | None, typer.Option("--cv", help="Without --train: stratified K-fold of the adapted classifier.")
    ] = None,
    text_column: Annotated[str, typer.Option(help="Column holding the text.")] = "text",
    label_column: Annotated[str, typer.Option(help="Column holding the label.")] = "label",
    as_json: JsonOpt = False,
) -> None:
    """Risk (the --positive labels) versus other: zero-shot rules, adapted with --train, or --cv K.

    Example: monitio eval risk --data FILE.csv --positive fraud --cv 5
    """
    from monitio.eval.risk import eval_risk

    _run(
        eval_risk,
        "Risk",
        as_json,
        data=data,
        positive=positive,
        train=train,
        cv=cv,
        text_column=text_column,
        label_column=label_column,
    )


@app.command()
def complaints(
    data: Annotated[
        Path, typer.Option("--data", help="Suite CSV: lang, kind (complaint|praise|question|lure), text.")
    ] = Path("tests/fixtures/complaint_suite.csv"),
    given_lang: Annotated[
        bool, typer.Option("--given-lang", help="Use the file's `lang` instead of the language stage.")
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Complaint / praise / question / lure suite: pass rate per language and kind.

    Example: monitio eval complaints --data tests/fixtures/complaint_suite.csv --json
    """
    import json

    from monitio.eval.complaints import eval_suite
    from monitio.eval.data import EvalDataError

    try:
        report = eval_suite(data, given_lang=given_lang)
    except (EvalDataError, OSError) as exc:
        Console(stderr=True).print(f"[bold red]error:[/] {exc}", highlight=False, soft_wrap=True)
        raise typer.Exit(2) from None
    if as_json:
        typer.echo(json.dumps(report, ensure_ascii=False))
        return
    out = Console()
    out.print(f"[bold]Complaint suite[/]: n={report['n']}  passed={report['accuracy']:.3f}")
    table = Table("lang", "all", "complaint", "praise", "question", "lure")
    for lang, kinds in report["per_lang"].items():
        table.add_row(
            lang,
            *(
                f"{kinds[k]['passed']}/{kinds[k]['n']}" if k in kinds else "-"
                for k in ("all", "complaint", "praise", "question", "lure")
            ),
        )
    out.print(table)
    for f in report["failures"]:
        out.print(
            f"[dim]{f['lang']} {f['kind']}[/] -> {f['label']}, complaint={f['complaint']}: {f['text']}", highlight=False
        )


if __name__ == "__main__":
    app()
