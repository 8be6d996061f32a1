"""Incremental near-duplicate groups with stable ids, assigned as posts are enriched.

Each post with a copy-paste key (`dupes.dupe_key`) joins a group in the same transaction that saves
its enrichment:

1. exact: a key seen before joins its key's group (one indexed lookup, no hashing);
2. near: a new key's MinHash signature (char 5-grams of the normalised text, `minhash.py`) is cut
   into 16 bands of 4 rows; stored keys sharing a band bucket are candidates and one whose estimated
   Jaccard similarity reaches `threshold` brings the post into its group (single linkage over
   distinct texts, so chains of small edits stay together);
3. else the key starts a new group.

Ids never change: when one post matches two groups, the younger group is merged into the older
(`merged_into`), its posts keep their id and readers resolve it to the root. Nothing reads all
posts: a batch touches only its own keys, their band buckets and the groups they reach.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import numpy as np
from sqlalchemy import Connection, func, select, update

from monitio.enrich.dupes import normalize_for_dupes
from monitio.enrich.dupstats import fold_batch
from monitio.enrich.minhash import band_buckets, from_bytes, signatures, to_bytes
from monitio.store.bulk import copy_rows, insert_rows, select_in
from monitio.store.schema import posts
from monitio.store.schema_dupes import dup_bands, dup_groups, dup_keys

THRESHOLD = 0.6
"""Estimated Jaccard similarity (char 5-grams) for a new text to join a group."""
BAND_RETENTION_DAYS = 30
"""Band buckets of groups not seen for this long are pruned (exact keys still match)."""
CHUNK = 2000


@dataclass(frozen=True)
class DupItem:
    """What grouping needs to know of one post."""

    post_id: int
    dup_key: str
    text: str
    author: str | None
    market: str | None
    published_at: datetime
    signature: bytes | None = None
    """MinHash signature (`minhash.to_bytes`) when the pipeline worked it out; computed here otherwise."""


@dataclass
class GroupReport:
    """What one `assign_groups` call did."""

    posts: int = 0
    exact: int = 0
    near: int = 0
    new_groups: int = 0
    merges: int = 0
    groups: dict[int, int] = field(default_factory=dict)
    """Post id -> the group it joined."""


def _chunks(values: list, n: int = CHUNK):
    for i in range(0, len(values), n):
        yield values[i : i + n]


def roots(conn: Connection, group_ids) -> dict[int, int]:
    """Each group id mapped to the id of the group it now belongs to (itself unless merged)."""
    out: dict[int, int] = {}
    for chunk in _chunks(sorted(set(group_ids))):
        for gid, into in conn.execute(
            select(dup_groups.c.id, dup_groups.c.merged_into).where(dup_groups.c.id.in_(chunk))
        ):
            out[gid] = into or gid
    return out


def members(conn: Connection, root: int) -> list[int]:
    """The root and every group merged into it."""
    merged = conn.execute(select(dup_groups.c.id).where(dup_groups.c.merged_into == root)).scalars()
    return [root, *sorted(merged)]


class _Labels:
    """Union-find over existing group ids (> 0) and groups of this batch (< 0); the older one wins."""

    def __init__(self) -> None:
        self.parent: dict[int, int] = {}

    @staticmethod
    def rank(label: int) -> tuple[int, int]:
        return (0, label) if label > 0 else (1, -label)

    def find(self, x: int) -> int:
        while self.parent.get(x, x) != x:
            self.parent[x] = self.parent.get(self.parent[x], self.parent[x])
            x = self.parent[x]
        return x

    def union(self, labels: set[int]) -> int:
        found = {self.find(x) for x in labels}
        target = min(found, key=self.rank)
        for x in found - {target}:
            self.parent[x] = target
        return target


def assign_groups(
    conn: Connection, items: list[DupItem], *, threshold: float = THRESHOLD, write_posts: bool = True
) -> GroupReport:
    """Put each item's post in a group and update the groups' figures.

    Sets `posts.dup_group` unless `write_posts` is false (the caller then writes `report.groups` with the
    rest of the post's row, as `save_enrichment` does).
    """
    report = GroupReport(posts=len(items))
    if not items:
        return report
    items = sorted(items, key=lambda it: it.post_id)
    first_item: dict[str, DupItem] = {}
    for it in items:
        first_item.setdefault(it.dup_key, it)
    labels = _Labels()
    key_group: dict[str, int] = {}
    known_merged: set[int] = set()  # stored groups already merged into another (their root read with them)
    for key, gid, into in select_in(
        conn,
        "SELECT k.dup_key, k.group_id, g.merged_into FROM dup_keys k"
        " LEFT JOIN dup_groups g ON g.id = k.group_id WHERE k.dup_key IN_LIST",
        list(first_item),
    ):
        key_group[key] = gid
        if into and into != gid:
            labels.parent[gid] = into
            known_merged.add(gid)
    new_keys = [k for k in first_item if k not in key_group]
    sigs = _signatures([first_item[k] for k in new_keys])
    buckets = band_buckets(sigs) if new_keys else np.empty((0, 0), dtype=np.int64)
    cand_db, db_sigs = _candidates(conn, buckets, labels)
    mem: dict[int, list[tuple[int, int]]] = defaultdict(list)  # bucket -> [(new key index, label)]
    new_label: list[int] = []
    band_rows: list[tuple[int, int]] = []  # (new key index, bucket)
    creators: list[int] = []  # new key index that started provisional group -(n+1)
    need = threshold * sigs.shape[1] if new_keys else 0
    for i, row in enumerate(buckets.tolist()):
        hit = [b for b in row if b in cand_db or b in mem]  # most buckets of most texts are new
        matched: set[int] = set()
        if hit:
            seen_db: set[int] = set()
            seen_mem: set[int] = set()
            for b in hit:
                for kid, label in cand_db.get(b, ()):
                    if kid not in seen_db:
                        seen_db.add(kid)
                        if np.count_nonzero(db_sigs[kid] == sigs[i]) >= need:
                            matched.add(label)
                for j, label in mem.get(b, ()):
                    if j not in seen_mem:
                        seen_mem.add(j)
                        if np.count_nonzero(sigs[j] == sigs[i]) >= need:
                            matched.add(label)
        if matched:
            target = labels.union(matched)
            report.near += 1
        else:
            creators.append(i)
            target = -len(creators)
        new_label.append(target)
        if not hit and len(set(row)) == len(row):  # nothing holds its buckets: every one is kept
            for b in row:
                mem[b].append((i, target))
                band_rows.append((i, b))
            continue
        root = labels.find(target)
        for b in row:
            held = cand_db.get(b, []) + mem.get(b, [])
            if not held or all(labels.find(lab) != root for _, lab in held):
                mem[b].append((i, target))
                band_rows.append((i, b))
    # Each key's group as a root label: a stored group (> 0) or one of this batch's (< 0).
    label_of = {k: labels.find(g) for k, g in key_group.items()}
    label_of.update({k: labels.find(new_label[i]) for i, k in enumerate(new_keys)})
    merges = sorted((x, labels.find(x)) for x in list(labels.parent) if x > 0 and labels.find(x) != x)
    merges = [(child, root) for child, root in merges if child not in known_merged]
    report.merges = len(merges)
    fresh = [(-(n + 1), first_item[new_keys[i]]) for n, i in enumerate(creators) if labels.find(-(n + 1)) == -(n + 1)]
    report.new_groups = len(fresh)
    final = fold_batch(conn, items, label_of, merges, fresh)

    def resolve(label: int) -> int:
        root = labels.find(label)
        return root if root > 0 else final[root]

    group_ids = [resolve(label) for label in new_label]
    key_ids = _insert_keys(conn, [(k, group_ids[i], to_bytes(sigs[i])) for i, k in enumerate(new_keys)])
    copy_rows(conn, dup_bands, ("bucket", "key_id", "group_id"), [(b, key_ids[i], group_ids[i]) for i, b in band_rows])
    group_of = {k: resolve(g) for k, g in label_of.items()}
    report.exact = sum(1 for it in items if it.dup_key in key_group)
    report.groups = {it.post_id: group_of[it.dup_key] for it in items}
    if write_posts:
        _bulk(conn, "UPDATE posts SET dup_group = {} WHERE id = {}", [(g, pid) for pid, g in report.groups.items()])
    return report


def _signatures(items: list[DupItem]) -> np.ndarray:
    """The items' MinHash signatures: shipped with them when the pipeline worked them out, else computed."""
    if not items:
        return np.empty((0, 0), dtype=np.uint32)
    if all(it.signature is not None for it in items):
        return np.stack([from_bytes(it.signature) for it in items])
    return signatures([normalize_for_dupes(it.text) for it in items])


def _bulk(conn: Connection, sql: str, rows: list[tuple]) -> None:
    """A plain DBAPI executemany (SQLAlchemy's per-row parameter work is the cost).

    `sql` ends in VALUES (placeholders are added) or has `{}` for each placeholder.
    """
    if not rows:
        return
    mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    if sql.endswith("VALUES"):
        sql += " (" + ", ".join([mark] * len(rows[0])) + ")"
    else:
        sql = sql.format(*([mark] * len(rows[0])))
    for chunk in _chunks(rows, 5000):
        conn.exec_driver_sql(sql, chunk)


def _candidates(conn: Connection, buckets: np.ndarray, labels: _Labels):
    """Stored keys sharing a bucket with the new keys: bucket -> [(key id, root label)], key id -> signature.

    One statement: the bands, their group's root and their key's signature.
    """
    cand: dict[int, list[tuple[int, int]]] = defaultdict(list)
    sigs: dict[int, np.ndarray] = {}
    if buckets.size == 0:
        return cand, sigs
    rows = select_in(
        conn,
        "SELECT b.bucket, b.key_id, COALESCE(g.merged_into, b.group_id), k.signature FROM dup_bands b"
        " JOIN dup_keys k ON k.id = b.key_id LEFT JOIN dup_groups g ON g.id = b.group_id"
        " WHERE b.bucket IN_LIST",
        sorted(set(buckets.ravel().tolist())),
    )
    for bucket, kid, root, data in rows:
        cand[bucket].append((kid, labels.find(root)))
        if kid not in sigs:
            sigs[kid] = from_bytes(bytes(data))
    return cand, sigs


def _insert_keys(conn: Connection, rows: list[tuple[str, int, bytes]]) -> list[int]:
    """Insert (key, group, signature) rows in their order; their ids, in the same order."""
    if not rows:
        return []
    ids = dict(insert_rows(conn, dup_keys, ("dup_key", "group_id", "signature"), rows, returning=("dup_key", "id")))
    return [ids[k] for k, _, _ in rows]


def group_docs(conn: Connection, docs, *, ungrouped: set[int] | None = None, write_posts: bool = True) -> GroupReport:
    """Group the enriched `Doc`s of a batch whose posts have no group yet (a replayed batch is a no-op).

    `ungrouped`: the ids among them known to have no group yet (read here when not given).
    """
    keyed = {d.post_id: d for d in docs if d.dup_key and d.post_id is not None}
    todo: set[int] = set()
    if ungrouped is not None:
        todo = ungrouped & keyed.keys()
    else:
        for chunk in _chunks(sorted(keyed)):
            todo.update(
                conn.execute(select(posts.c.id).where(posts.c.id.in_(chunk), posts.c.dup_group.is_(None))).scalars()
            )
    items = [
        DupItem(pid, d.dup_key, d.post.text, d.post.author, d.market, d.post.published_at, d.dup_sig)
        for pid, d in keyed.items()
        if pid in todo
    ]
    return assign_groups(conn, items, write_posts=write_posts)


def grouper(conn: Connection, docs, ungrouped: set[int]) -> dict[int, int]:
    """`save_enrichment`'s grouper: the batch's posts without a group join one; post id -> group id."""
    return group_docs(conn, docs, ungrouped=ungrouped, write_posts=False).groups


def prune_bands(conn: Connection, *, keep_days: int = BAND_RETENTION_DAYS) -> int:
    """Drop band buckets of groups not seen for `keep_days` before the newest group; returns rows deleted."""
    newest = conn.execute(select(func.max(dup_groups.c.last_seen))).scalar()
    if newest is None:
        return 0
    cutoff = newest - timedelta(days=keep_days)
    stale = list(
        conn.execute(
            select(dup_groups.c.id).where(
                dup_groups.c.last_seen < cutoff,
                dup_groups.c.merged_into.is_(None),
                dup_groups.c.bands_pruned_at.is_(None),
            )
        ).scalars()
    )
    deleted = 0
    for chunk in _chunks(stale):
        merged = select(dup_groups.c.id).where(dup_groups.c.merged_into.in_(chunk))
        deleted += conn.execute(
            dup_bands.delete().where(dup_bands.c.group_id.in_(chunk) | dup_bands.c.group_id.in_(merged))
        ).rowcount
        conn.execute(update(dup_groups).where(dup_groups.c.id.in_(chunk)).values(bands_pruned_at=newest))
    return deleted


def group_ungrouped(engine, *, batch_size: int = 1000) -> int:
    """Group enriched posts that have a copy-paste key but no group (posts enriched before groups existed).

    Walks posts by id in batches, each in its own transaction; returns how many posts were grouped.
    """
    cols = (posts.c.id, posts.c.dup_key, posts.c.text, posts.c.author, posts.c.market, posts.c.published_at)
    last, done = 0, 0
    while True:
        with engine.begin() as conn:
            rows = conn.execute(
                select(*cols)
                .where(posts.c.id > last, posts.c.dup_group.is_(None), posts.c.dup_key.is_not(None))
                .order_by(posts.c.id)
                .limit(batch_size)
            ).all()
            if not rows:
                return done
            assign_groups(conn, [DupItem(r.id, r.dup_key, r.text, r.author, r.market, r.published_at) for r in rows])
        last, done = rows[-1].id, done + len(rows)
