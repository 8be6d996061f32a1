"""Figures of near-duplicate groups: merges into the older group and per-batch updates.

Size, first/last seen and posts per market are summed; distinct authors are exact, counted from
`dup_group_authors` (hashed authors, insert-if-absent), never estimated.

>>> len(author_key("someone"))
16
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, func, literal, select, update

from monitio.store.bulk import bulk_update
from monitio.store.schema import UNKNOWN
from monitio.store.schema_dupes import dup_group_authors, dup_groups

CHUNK = 2000


def _chunks(values: list, n: int = CHUNK):
    for i in range(0, len(values), n):
        yield values[i : i + n]


def author_key(author: str) -> str:
    return hashlib.blake2b(author.encode("utf-8", "replace"), digest_size=8).hexdigest()


def merge_groups(conn: Connection, merges: list[tuple[int, int]]) -> None:
    """Point each child (and anything merged into it) at its root; the root takes over its figures."""
    if not merges:
        return
    from monitio.store.repo import dialect_insert

    ids = sorted({x for pair in merges for x in pair})
    rows = {r.id: r for r in conn.execute(select(dup_groups).where(dup_groups.c.id.in_(ids)))}
    acc = {root: _Figures.of(rows[root]) for _, root in merges}
    for child, root in merges:
        acc[root].absorb(_Figures.of(rows[child]))
        conn.execute(
            update(dup_groups)
            .where((dup_groups.c.id == child) | (dup_groups.c.merged_into == child))
            .values(merged_into=root)
        )
        src = select(dup_group_authors.c.author_key, literal(root, dup_group_authors.c.group_id.type)).where(
            dup_group_authors.c.group_id == child
        )
        stmt = dialect_insert(conn, dup_group_authors).from_select(["author_key", "group_id"], src)
        conn.execute(stmt.on_conflict_do_nothing())
    for root, f in acc.items():
        authors = conn.execute(
            select(func.count()).select_from(dup_group_authors).where(dup_group_authors.c.group_id == root)
        ).scalar_one()
        conn.execute(update(dup_groups).where(dup_groups.c.id == root).values(**f.values(), authors=authors))


@dataclass
class _Figures:
    first_seen: datetime
    last_seen: datetime
    size: int
    markets: Counter

    @classmethod
    def of(cls, row) -> _Figures:
        return cls(row.first_seen, row.last_seen, row.size, Counter(row.markets or {}))

    def absorb(self, other: _Figures) -> None:
        self.first_seen = min(self.first_seen, other.first_seen)
        self.last_seen = max(self.last_seen, other.last_seen)
        self.size += other.size
        self.markets.update(other.markets)

    def values(self) -> dict:
        markets = dict(sorted(self.markets.items(), key=lambda kv: (-kv[1], kv[0])))
        return {"first_seen": self.first_seen, "last_seen": self.last_seen, "size": self.size, "markets": markets}


def update_figures(conn: Connection, items: list, group_of: dict[str, int]) -> None:
    """Fold the batch into its groups' size, first/last seen, markets and exact author counts."""
    from monitio.store.repo import dialect_insert

    batch: dict[int, _Figures] = {}
    author_rows = set()
    for it in items:
        gid = group_of[it.dup_key]
        f = batch.setdefault(gid, _Figures(it.published_at, it.published_at, 0, Counter()))
        f.absorb(_Figures(it.published_at, it.published_at, 1, Counter({it.market or UNKNOWN: 1})))
        if it.author:
            author_rows.add((gid, author_key(it.author)))
    new_authors: Counter = Counter()
    rows = [{"group_id": g, "author_key": a} for g, a in sorted(author_rows)]
    stmt = dialect_insert(conn, dup_group_authors).on_conflict_do_nothing().returning(dup_group_authors.c.group_id)
    for chunk in _chunks(rows, 5000):
        new_authors.update(conn.execute(stmt, chunk).scalars())
    updates = []
    for chunk in _chunks(sorted(batch)):
        for row in conn.execute(select(dup_groups).where(dup_groups.c.id.in_(chunk))):
            f = _Figures.of(row)
            f.absorb(batch[row.id])
            v = f.values()
            updates.append(
                (
                    row.id,
                    v["first_seen"],
                    v["last_seen"],
                    v["size"],
                    v["markets"],
                    row.authors + new_authors[row.id],
                    None,
                )
            )
    cols = ("first_seen", "last_seen", "size", "markets", "authors", "bands_pruned_at")
    bulk_update(conn, dup_groups, "id", cols, updates)
