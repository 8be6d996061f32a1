"""Shared CLI pieces: the `--workspace` option, one-line user errors, progress bars on a terminal."""

from __future__ import annotations

import contextlib
import json
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Annotated, Any

import typer

from monitio.errors import Invalid, MonitioError


class LazyConsole:
    """A rich `Console` made on first use, so `monitio --help` and `--version` never import rich's console."""

    def __init__(self, **options: Any):
        self._options = options
        self._console = None

    def get(self):
        """The real console (made now if needed)."""
        if self._console is None:
            from rich.console import Console

            self._console = Console(**self._options)
        return self._console

    def __getattr__(self, name: str) -> Any:
        return getattr(self.get(), name)


err = LazyConsole(stderr=True)
out = LazyConsole()

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
        from rich.markup import escape

        err.print(f"[bold red]error:[/] {escape(line)}", highlight=False, markup=True, soft_wrap=True)
        raise typer.Exit(2) from None


def print_json(value: Any) -> None:
    sys.stdout.write(json.dumps(value, ensure_ascii=False, default=str) + "\n")


def progress(enabled: bool | None = None):
    """A progress bar on stderr, shown only when stderr is a terminal."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    show = err.is_terminal if enabled is None else enabled
    return Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=err.get(),
        disable=not show,
        transient=True,
    )


_SINCE_UNITS = {"h": 3600, "d": 86400, "w": 7 * 86400}


def parse_since(text: str, *, now: datetime | None = None) -> datetime:
    """`--since` values: an ISO date or time (UTC unless it says otherwise) or an age like 24h, 7d, 2w.

    >>> parse_since("2026-11-20").isoformat()
    '2026-11-20T00:00:00+00:00'
    >>> parse_since("36h", now=datetime(2026, 11, 20, tzinfo=UTC)).isoformat()
    '2026-11-18T12:00:00+00:00'
    """
    value = text.strip()
    unit = value[-1:].lower()
    if unit in _SINCE_UNITS and value[:-1].isdigit() and len(value) <= 8:
        return (now or datetime.now(UTC)) - timedelta(seconds=int(value[:-1]) * _SINCE_UNITS[unit])
    try:
        when = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise Invalid(
            f"--since {text!r} is not a date", hint="use YYYY-MM-DD, YYYY-MM-DDTHH:MM, or an age like 24h, 7d, 2w"
        ) from None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def wrap(text: str, indent: int = 4, width: int | None = None) -> str:
    """`text` wrapped for the terminal (at most 100 columns, 80 when unknown), every line indented."""
    import shutil
    import textwrap

    cols = width or min(100, shutil.get_terminal_size((80, 24)).columns)
    pad = " " * indent
    return textwrap.fill(" ".join(text.split()), width=max(40, cols), initial_indent=pad, subsequent_indent=pad)
