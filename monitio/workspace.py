"""Opening a workspace: its settings and its database, with errors that say what to do next.

>>> import tempfile
>>> ws = init_workspace(Path(tempfile.mkdtemp()) / "w")
>>> (ws.settings.workspace / "monitio.toml").exists()
True
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine

from monitio.errors import Invalid
from monitio.settings import WORKSPACE_FILE, Settings, default_toml
from monitio.store.db import DatabaseError, is_current, is_initialised, make_engine, migrate, sqlite_path


class WorkspaceError(Invalid, RuntimeError):
    """The workspace is missing or not initialised."""


@dataclass
class Workspace:
    settings: Settings
    engine: Engine
    read_only: bool = False

    @property
    def path(self) -> Path:
        return self.settings.workspace


def init_workspace(path: Path | str | None = None, database_url: str | None = None) -> Workspace:
    """Create the folder and `monitio.toml` if missing, then migrate the database to the newest schema."""
    settings = Settings.load(path, **({"database_url": database_url} if database_url else {}))
    settings.workspace.mkdir(parents=True, exist_ok=True)
    toml = settings.workspace / WORKSPACE_FILE
    if not toml.exists():
        text = default_toml()
        if database_url:
            text = text.replace("# database_url = ", f'database_url = "{database_url}"\n# e.g. ', 1)
        toml.write_text(text, encoding="utf-8")
    engine = make_engine(settings.resolved_database_url())
    try:
        migrate(engine)
    except Exception as exc:
        raise DatabaseError(f"cannot set up the database at {engine.url!r}: {exc}") from exc
    return Workspace(settings, engine)


def unwritable(settings: Settings) -> bool:
    """True when the workspace's SQLite database (or its folder) cannot be written by this process."""
    db = sqlite_path(settings.resolved_database_url())
    if db is None or not db.exists():
        return False
    return not (os.access(db, os.W_OK) and os.access(db.parent, os.W_OK))


def open_workspace(path: Path | str | None = None, *, read_only: bool | None = None) -> Workspace:
    """Open an initialised workspace (and apply any newer migrations).

    Read-only (`read_only=True`, the setting `read_only` / `MONITIO_READ_ONLY=1`, or a SQLite database
    this process cannot write) opens the database without writing anything: no migration, no pragma
    that writes; reading commands work and writing ones fail with a clear error.
    """
    settings = Settings.load(path)
    if not settings.workspace.exists():
        raise WorkspaceError(
            f"workspace {settings.workspace} does not exist; create it with: monitio init --workspace "
            f"{settings.workspace}"
        )
    if read_only is None:
        read_only = settings.read_only or unwritable(settings)
    engine = make_engine(settings.resolved_database_url(), read_only=read_only)
    if not is_initialised(engine):
        raise WorkspaceError(
            f"workspace {settings.workspace} is not initialised; run: monitio init --workspace {settings.workspace}"
        )
    if read_only:
        if not is_current(engine):
            raise WorkspaceError(
                f"workspace {settings.workspace} is read-only and its database needs newer migrations; "
                "open it once with write access (monitio init) first"
            )
        return Workspace(settings, engine, read_only=True)
    migrate(engine)
    return Workspace(settings, engine)
