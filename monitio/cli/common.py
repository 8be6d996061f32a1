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
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

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


def user_error_types() -> tuple[type[BaseException], ...]:
    """Errors caused by input or set-up, shown as one line instead of a traceback."""
    from monitio.errors import MonitioError
    from monitio.settings import SettingsError
    from monitio.sources.files import SourceFileError
    from monitio.sources.mapping import MappingError
    from monitio.store.db import DatabaseError
    from monitio.workspace import WorkspaceError

    types: list[type[BaseException]] = [
        MonitioError,
        SettingsError,
        SourceFileError,
        MappingError,
        DatabaseError,
        WorkspaceError,
        FileNotFoundError,
        PermissionError,
    ]
    from monitio.alerts.config import AlertConfigError
    from monitio.auth.users import AuthError
    from monitio.cases.service import CaseError

    types += [AuthError, CaseError, AlertConfigError]
    with contextlib.suppress(ImportError):
        from monitio.taxonomy.loader import TaxonomyError

        types.append(TaxonomyError)
    return tuple(types)


@contextlib.contextmanager
def user_errors() -> Iterator[None]:
    """Turn known user errors into `error: ...` on stderr and exit code 2."""
    try:
        yield
    except user_error_types() as exc:
        err.print(f"[bold red]error:[/] {exc}", highlight=False, markup=True, soft_wrap=True)
        raise typer.Exit(2) from None
    except Exception as exc:
        from sqlalchemy.exc import OperationalError

        if isinstance(exc, OperationalError):
            err.print(f"[bold red]error:[/] database error: {exc.orig}", highlight=False)
            raise typer.Exit(2) from None
        raise


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
