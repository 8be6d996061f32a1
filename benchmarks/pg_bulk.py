"""PostgreSQL bulk writes, measured: posts by multi-row INSERT ... VALUES or by COPY, enrichment by
executemany UPDATE or by one UPDATE ... FROM unnest(arrays) per batch.

Each variant writes the same demo posts (and the same enrichment results) in batches of
`--batch` into a fresh schema; variants alternate for `--rounds` rounds and the medians are printed
with their ratio. Needs the PostgreSQL server of the tests (MONITIO_TEST_POSTGRES_URL or
postgresql+psycopg://postgres@127.0.0.1:5432/test).

    .venv/bin/python benchmarks/pg_bulk.py --posts 10000 --rounds 3
"""

from __future__ import annotations

import argparse
import csv
import os
import statistics
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

from sqlalchemy import bindparam, create_engine, text, update

PG_URL = os.environ.get("MONITIO_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def _posts(n: int):
    from monitio.demo.corpus import generate_demo
    from monitio.records import Post

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "demo.csv"
        generate_demo(path, n_posts=n, days=20, seed=3)
        with open(path, encoding="utf-8") as fh:
            rows = list(csv.DictReader(fh))
    return [
        Post.create(
            source="bench",
            source_id=r["id"],
            text=r["text"],
            published_at=datetime.fromisoformat(r["created_at"]).astimezone(UTC),
            author=r.get("author") or None,
            url=r.get("url") or None,
        )
        for r in rows
    ]


def _values_insert(conn, batch):
    from monitio.store.repo import dialect_insert, post_row, utcnow
    from monitio.store.schema import posts

    stmt = dialect_insert(conn, posts).on_conflict_do_nothing(index_elements=["uid"]).returning(posts.c.id)
    now = utcnow()
    return conn.execute(stmt, [post_row(p, now) for p in batch]).all()


def _copy_insert(conn, batch):
    from monitio.store.bulk import copy_insert
    from monitio.store.repo import post_row, utcnow
    from monitio.store.schema import posts

    now = utcnow()
    dicts = [post_row(p, now) for p in batch]
    cols = list(dicts[0])
    return copy_insert(conn, posts, cols, [[d[c] for c in cols] for d in dicts], conflict="uid", returning="id")


def _executemany_update(conn, rows):
    from monitio.store.repo import ENRICHMENT_COLUMNS
    from monitio.store.schema import posts

    stmt = (
        update(posts)
        .where(posts.c.id == bindparam("b_id"))
        .values({c: bindparam(f"b_{c}") for c in ENRICHMENT_COLUMNS})
    )
    conn.execute(
        stmt, [{"b_id": r[0], **{f"b_{c}": v for c, v in zip(ENRICHMENT_COLUMNS, r[1:], strict=True)}} for r in rows]
    )


def _unnest_update(conn, rows):
    from monitio.store.bulk import bulk_update
    from monitio.store.repo import ENRICHMENT_COLUMNS
    from monitio.store.schema import posts

    bulk_update(conn, posts, "id", ENRICHMENT_COLUMNS, rows, where_null="enriched_at", keep=["dup_group"])


def _schema_url(admin):
    schema = "b_" + uuid.uuid4().hex[:10]
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in PG_URL else "?"
    return schema, f"{PG_URL}{sep}options={quote(f'-csearch_path={schema}')}"


def _one(admin, posts, enriched, insert, write, batch) -> tuple[float, float]:
    from monitio.store.db import make_engine, migrate

    schema, url = _schema_url(admin)
    engine = make_engine(url)
    try:
        migrate(engine)
        t0 = time.perf_counter()
        for i in range(0, len(posts), batch):
            with engine.begin() as conn:
                insert(conn, posts[i : i + batch])
        t1 = time.perf_counter()
        with engine.connect() as conn:
            ids = [r[0] for r in conn.execute(text("SELECT id FROM posts ORDER BY id"))]
        rows = [(pid, *values) for pid, values in zip(ids, enriched, strict=False)]
        t2 = time.perf_counter()
        for i in range(0, len(rows), batch):
            with engine.begin() as conn:
                write(conn, rows[i : i + batch])
        t3 = time.perf_counter()
        return t1 - t0, t3 - t2
    finally:
        engine.dispose()
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--posts", type=int, default=10_000)
    ap.add_argument("--batch", type=int, default=1000)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()

    from monitio.pipeline import default_pipeline
    from monitio.records import Doc
    from monitio.settings import Settings
    from monitio.store.repo import enrichment_row

    posts = _posts(args.posts)
    docs = [Doc(i + 1, p) for i, p in enumerate(posts)]
    default_pipeline(Settings()).run(docs)
    now = datetime.now(UTC)
    enriched = [enrichment_row(d, now, None)[1:] for d in docs]
    admin = create_engine(PG_URL)
    variants = {
        "values+executemany": (_values_insert, _executemany_update),
        "copy+unnest": (_copy_insert, _unnest_update),
    }
    times: dict[str, list[tuple[float, float]]] = {k: [] for k in variants}
    for _ in range(args.rounds):
        for name, (insert, write) in variants.items():
            times[name].append(_one(admin, posts, enriched, insert, write, args.batch))
    admin.dispose()
    n = len(posts)
    print(
        f"{n} demo posts, batches of {args.batch}, PostgreSQL, {args.rounds} rounds, medians "
        f"(load {' '.join(f'{x:.2f}' for x in os.getloadavg())}):"
    )
    med = {k: (statistics.median(t[0] for t in v), statistics.median(t[1] for t in v)) for k, v in times.items()}
    print(f"  posts INSERT ... VALUES (multi-row)   {n / med['values+executemany'][0]:8.0f} posts/s")  # noqa: S608
    print(f"  posts COPY + INSERT ... SELECT        {n / med['copy+unnest'][0]:8.0f} posts/s")
    print(f"  enrichment executemany UPDATE         {n / med['values+executemany'][1]:8.0f} posts/s")
    print(f"  enrichment UPDATE ... FROM unnest     {n / med['copy+unnest'][1]:8.0f} posts/s")
    print(
        f"  ratio COPY / VALUES: {med['values+executemany'][0] / med['copy+unnest'][0]:.2f}x; "
        f"unnest / executemany: {med['values+executemany'][1] / med['copy+unnest'][1]:.2f}x"
    )


if __name__ == "__main__":
    main()
