"""Shared CLI pieces: the `--workspace` option, one-line user errors, progress bars on a terminal."""

from __future__ import annotations

import contextlib
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from monitio.errors import MonitioError

err = Console(stderr=True)
out = Console()

WorkspaceOpt = Annotated[
    Path | None,
    typer.Option(
        "--workspace",
        "-w",
        envvar="MONITIO_WORKSPACE",
        show_default="current directory",
        help="Workspace folder (holds monitio.toml and the SQLite database).",
    ),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print one JSON object (machine-readable) instead of text.")]


def one_line(exc: BaseException) -> str | None:
    """The one line a user error prints (what went wrong and what to do next), or None for a bug.

    >>> from monitio.errors import NotFound
    >>> one_line(NotFound("no signal 7", hint="list them with: monitio signals"))
    'no signal 7 (list them with: monitio signals)'
    >>> one_line(KeyError("x")) is None
    True
    """
    from monitio.store.db import unreachable

    if isinstance(exc, MonitioError):
        return exc.one_line()
    if isinstance(exc, FileNotFoundError | PermissionError):
        return str(exc)
    db = unreachable(exc)
    return db.one_line() if db is not None else None


@contextlib.contextmanager
def user_errors() -> Iterator[None]:
    """Turn user errors into one line `error: ...` on stderr and exit code 2; bugs keep their traceback."""
    try:
        yield
    except Exception as exc:
        line = one_line(exc)
        if line is None:
            raise
        err.print(f"[bold red]error:[/] {escape(line)}", highlight=False, markup=True, soft_wrap=True)
        raise typer.Exit(2) from None


def print_json(value: Any) -> None:
    sys.stdout.write(json.dumps(value, ensure_ascii=False, default=str) + "\n")


def progress(enabled: bool | None = None) -> Progress:
    """A progress bar on stderr, shown only when stderr is a terminal."""
    show = err.is_terminal if enabled is None else enabled
    return Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=err,
        disable=not show,
        transient=True,
    )
