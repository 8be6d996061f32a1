"""`monitio detect`: online anomaly scores for a `timestamp,value` CSV."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from monitio.cli.common import JsonOpt, out, print_json, user_errors

app = typer.Typer(
    rich_markup_mode=None,
    help="Anomaly detection on series files (online: row i sees only rows <= i).",
    no_args_is_help=True,
)


@app.command()
def series(
    input: Annotated[Path, typer.Option("--input", help="CSV with `timestamp` and `value` columns.")],
    output: Annotated[Path, typer.Option("--output", help="Where to write the rows plus anomaly_score, is_anomaly.")],
    budget: Annotated[
        float | None,
        typer.Option(
            "--budget",
            min=0.01,
            help="At most this many alarms per week per series (default: no budget; see docs/detection.md).",
        ),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Score every row online and flag anomalies at the default operating point.

    Extra columns are kept. Rows with an unreadable timestamp or value are kept with an empty score.

    Example: monitio detect series --input cpu.csv --output cpu-scored.csv [--budget 2]
    """
    from monitio.detect.online import SeasonalDetector
    from monitio.detect.series_csv import detect_series_file
    from monitio.errors import Invalid

    with user_errors():
        try:
            report = detect_series_file(input, output, SeasonalDetector(budget_per_week=budget))
        except OSError as exc:
            raise Invalid(f"cannot write {output}: {exc.strerror or exc}") from None
    if as_json:
        print_json(
            {
                "rows": report.rows,
                "anomalies": report.anomalies,
                "skipped": report.skipped,
                "first_skipped_row": report.first_skipped_row,
                "output": str(output),
            }
        )
        return
    skipped = f", {report.skipped} skipped (first at data row {report.first_skipped_row})" if report.skipped else ""
    out.print(f"{report.rows} rows, {report.anomalies} anomalies{skipped} -> {output}", highlight=False)
