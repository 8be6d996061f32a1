"""Opening a workspace: its settings and its database, with errors that say what to do next.

>>> import tempfile
>>> ws = init_workspace(Path(tempfile.mkdtemp()) / "w")
>>> (ws.settings.workspace / "monitio.toml").exists()
True
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine

from monitio.errors import Invalid
from monitio.settings import WORKSPACE_FILE, Settings, default_toml
from monitio.store.db import DatabaseError, is_initialised, make_engine, migrate


class WorkspaceError(Invalid, RuntimeError):
    """The workspace is missing or not initialised."""


@dataclass
class Workspace:
    settings: Settings
    engine: Engine

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


def open_workspace(path: Path | str | None = None) -> Workspace:
    """Open an initialised workspace (and apply any newer migrations)."""
    settings = Settings.load(path)
    if not settings.workspace.exists():
        raise WorkspaceError(
            f"workspace {settings.workspace} does not exist; create it with: monitio init --workspace "
            f"{settings.workspace}"
        )
    engine = make_engine(settings.resolved_database_url())
    if not is_initialised(engine):
        raise WorkspaceError(
            f"workspace {settings.workspace} is not initialised; run: monitio init --workspace {settings.workspace}"
        )
    migrate(engine)
    return Workspace(settings, engine)
