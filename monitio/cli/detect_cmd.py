"""`monitio detect series`: online anomaly scores for a `timestamp,value` CSV."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from monitio.cli.common import JsonOpt, err, out, print_json

app = typer.Typer(help="Anomaly detection on series files.", no_args_is_help=True)


@app.command()
def series(
    input: Annotated[Path, typer.Option("--input", help="CSV with `timestamp` and `value` columns.")],
    output: Annotated[Path, typer.Option("--output", help="Where to write the rows plus anomaly_score, is_anomaly.")],
    as_json: JsonOpt = False,
) -> None:
    """Score every row online (row i sees only rows <= i) and flag anomalies at the default operating point.

    Example: monitio detect series --input cpu.csv --output cpu-scored.csv
    """
    from monitio.detect.series_csv import SeriesFileError, detect_series_file

    try:
        report = detect_series_file(input, output)
    except SeriesFileError as exc:
        err.print(f"[bold red]error:[/] {exc}", highlight=False)
        raise typer.Exit(2) from None
    if as_json:
        print_json(
            {"rows": report.rows, "anomalies": report.anomalies, "skipped": report.skipped, "output": str(output)}
        )
    else:
        out.print(
            f"{report.rows} rows, {report.anomalies} anomalies, {report.skipped} skipped -> {output}", highlight=False
        )
