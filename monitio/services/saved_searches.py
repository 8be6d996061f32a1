"""Saved searches: a named query (with its owner and when it was saved) that any face can run again,
an alert rule can use as its source, and a brief can use as its filter (`resolve`).

>>> from monitio.workspace import init_workspace
>>> import tempfile
>>> ws = init_workspace(tempfile.mkdtemp())
>>> add(ws.engine, "id-scams", "scam* market:ID", owner="ana@example.org").name
'id-scams'
>>> resolve(ws.engine, "id-scams")
'scam* market:ID'
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Engine, select

from monitio.errors import Conflict, Invalid, NotFound
from monitio.services.search import parse_query
from monitio.store.schema_search import saved_searches

MAX_NAME = 200


@dataclass(frozen=True, slots=True)
class SavedSearch:
    id: int
    name: str
    query: str
    owner: str
    created_at: datetime

    def as_json(self) -> dict:
        return {
            "id": self.id,
            "name": self.name,
            "query": self.query,
            "owner": self.owner,
            "created_at": self.created_at.isoformat(),
        }


def _row(r) -> SavedSearch:
    return SavedSearch(r.id, r.name, r.query, r.owner, r.created_at)


def _check_name(name: str) -> str:
    name = name.strip()
    if not name or len(name) > MAX_NAME:
        raise Invalid(f"a saved search needs a name of 1 to {MAX_NAME} characters")
    return name


def add(engine: Engine, name: str, query: str, owner: str) -> SavedSearch:
    """Save `query` under `name`; the query must parse, and the name must be new (`Conflict`)."""
    name = _check_name(name)
    if parse_query(query) is None:
        raise Invalid("a saved search needs a query", hint="give the query to save, e.g. 'scam* market:ID'")
    with engine.begin() as conn:
        if conn.execute(select(saved_searches.c.id).where(saved_searches.c.name == name)).first():
            raise Conflict(f"a saved search named {name!r} exists", hint="remove it first or pick another name")
        now = datetime.now(UTC)
        new_id = conn.execute(
            saved_searches.insert().values(name=name, query=query, owner=owner, created_at=now)
        ).inserted_primary_key[0]
    return SavedSearch(new_id, name, query, owner, now)


def list_saved(engine: Engine, owner: str | None = None) -> list[SavedSearch]:
    """Saved searches by name (only `owner`'s when given)."""
    stmt = select(saved_searches).order_by(saved_searches.c.name)
    if owner is not None:
        stmt = stmt.where(saved_searches.c.owner == owner)
    with engine.connect() as conn:
        return [_row(r) for r in conn.execute(stmt)]


def get(engine: Engine, name: str) -> SavedSearch:
    with engine.connect() as conn:
        r = conn.execute(select(saved_searches).where(saved_searches.c.name == name)).first()
    if r is None:
        raise NotFound(f"no saved search named {name!r}", hint="see `monitio searches list`")
    return _row(r)


def resolve(engine: Engine, name: str) -> str:
    """The query of the saved search `name` (for alert rules and brief filters); `NotFound` if none."""
    return get(engine, name).query


def remove(engine: Engine, name: str) -> None:
    with engine.begin() as conn:
        gone = conn.execute(saved_searches.delete().where(saved_searches.c.name == name)).rowcount
    if not gone:
        raise NotFound(f"no saved search named {name!r}", hint="see `monitio searches list`")
