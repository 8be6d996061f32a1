"""Figures of near-duplicate groups: new groups, merges into the older group and per-batch updates.

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

from sqlalchemy import Connection, select

from monitio.store.bulk import bulk_update, insert_rows, select_in
from monitio.store.schema import UNKNOWN
from monitio.store.schema_dupes import dup_group_authors, dup_groups

CHUNK = 2000


def _chunks(values: list, n: int = CHUNK):
    for i in range(0, len(values), n):
        yield values[i : i + n]


def author_key(author: str) -> str:
    return hashlib.blake2b(author.encode("utf-8", "replace"), digest_size=8).hexdigest()


def fold_batch(
    conn: Connection,
    items: list,
    label_of: dict[str, int],
    merges: list[tuple[int, int]],
    fresh: list[tuple[int, object]],
) -> dict[int, int]:
    """Write what a batch did to the groups; returns each new group's label -> its id.

    `label_of`: each item's `dup_key` -> its group as a root label, a stored group (> 0) or a group
    of this batch (< 0, each one in `fresh` with its representative item). `merges`: (child, root)
    stored groups to merge. New groups are inserted with their final figures; the stored groups the
    batch reaches are read once and updated by one statement (with what their merged children held).
    """
    batch: dict[int, _Figures] = {}
    author_rows: set[tuple[int, str]] = set()
    for it in items:
        label = label_of[it.dup_key]
        f = batch.setdefault(label, _Figures(it.published_at, it.published_at, 0, Counter()))
        f.absorb(_Figures(it.published_at, it.published_at, 1, Counter({it.market or UNKNOWN: 1})))
        if it.author:
            author_rows.add((label, author_key(it.author)))
    final: dict[int, int] = {}
    if fresh:
        new_authors = Counter(label for label, _ in author_rows if label < 0)
        rows = []
        for label, it in fresh:
            v = batch[label].values()
            figures = (v["first_seen"], v["last_seen"], v["size"], new_authors[label], v["markets"])
            rows.append((it.post_id, it.text[:2000], *figures))
        cols = ("rep_post_id", "rep_text", "first_seen", "last_seen", "size", "authors", "markets")
        by_rep = dict(insert_rows(conn, dup_groups, cols, rows, returning=("rep_post_id", "id")))
        final = {label: by_rep[it.post_id] for label, it in fresh}
    if merges:  # children (and what was merged into them) point at their root, which takes their authors
        bulk_update(conn, dup_groups, "merged_into", ["merged_into"], merges)
        bulk_update(conn, dup_groups, "id", ["merged_into"], merges)
        sql = (
            "INSERT INTO dup_group_authors (author_key, group_id) SELECT author_key, ? FROM dup_group_authors"
            " WHERE group_id = ? ON CONFLICT DO NOTHING"
        )
        if conn.dialect.paramstyle != "qmark":
            sql = sql.replace("?", "%s")
        conn.exec_driver_sql(sql, [(root, child) for child, root in merges])
    rows = sorted((label if label > 0 else final[label], a) for label, a in author_rows)
    cols = ("group_id", "author_key")
    added = insert_rows(conn, dup_group_authors, cols, rows, skip_on=cols, returning=["group_id"])
    gained = Counter(g for (g,) in added)
    stored = sorted(label for label in batch if label > 0)
    if not stored:
        return final
    read = {c for c, _ in merges} | set(stored)
    now: dict[int, object] = {}
    for chunk in _chunks(sorted(read)):
        for row in conn.execute(select(*_FIGURE_COLUMNS).where(dup_groups.c.id.in_(chunk))):
            now[row.id] = row
    roots = sorted({r for _, r in merges})
    counted = dict(
        select_in(
            conn, "SELECT group_id, COUNT(*) FROM dup_group_authors WHERE group_id IN_LIST GROUP BY group_id", roots
        )
    )
    children: dict[int, list[int]] = {}
    for child, root in merges:
        children.setdefault(root, []).append(child)
    updates = []
    for gid in stored:
        row = now[gid]
        f = _Figures.of(row)
        for child in children.get(gid, ()):
            f.absorb(_Figures.of(now[child]))
        f.absorb(batch[gid])
        v = f.values()
        authors = counted.get(gid, 0) if gid in children else row.authors + gained[gid]
        updates.append((gid, v["first_seen"], v["last_seen"], v["size"], v["markets"], authors, None))
    cols = ("first_seen", "last_seen", "size", "markets", "authors", "bands_pruned_at")
    bulk_update(conn, dup_groups, "id", cols, updates)
    return final


_FIGURE_COLUMNS = (
    dup_groups.c.id,
    dup_groups.c.first_seen,
    dup_groups.c.last_seen,
    dup_groups.c.size,
    dup_groups.c.authors,
    dup_groups.c.markets,
)


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
