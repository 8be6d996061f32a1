"""Search at scale: the indexed search service beside the linear scan, on SQLite or PostgreSQL.

Builds an N-post multilingual workspace from the demo corpus generator over 90 days. The full
enrichment pipeline is too slow for 1M posts on this machine, so enrichment fields are filled
cheaply: market and language from the corpus (its hint columns, else the market's main language),
categories and sentiment from a hash of the text (about a quarter of posts get a category). The
search index is then built with the same function the write path uses (`fts.index_posts`), and
timed: that is the per-post cost of keeping the index. On PostgreSQL the build ends with `VACUUM
(ANALYZE)`, as autovacuum would after a bulk load (this machine's server runs with autovacuum off),
and the server's `shared_buffers` is printed beside the results. With `--columns` the facet columns
and their hot terms (`monitio.services.hot_terms`) are loaded before the queries, as `monitio serve`
does when it starts.

Twenty representative queries (single term, phrase, Boolean with fields, Thai and Chinese
substrings, a two-character Chinese term, wildcard, NEAR, a rare term, a term in ~30 % of posts ...)
each run through `monitio.services.search.search` (exact total, first page of 50, facets), `--repeat`
times cold (the search cache emptied first); p50/p95 are over all cold runs. Each cold run is
followed by the same search again (warm: answered from the cache while no post changes).
The linear scan (every post through the matcher: what
`monitio search` did before) runs beside it for `--linear` of the queries, in the same process.

    .venv/bin/python benchmarks/search_scale.py --posts 300000 --backend sqlite [--repeat 3] [--linear 2]
    .venv/bin/python benchmarks/search_scale.py --posts 300000 --backend postgres

PostgreSQL: MONITIO_TEST_POSTGRES_URL (default the local server, database `test`), in a schema of
its own that is dropped at the end. Machines here are noisy: compare ratios from one run.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import create_engine, insert, select, text

from monitio.demo.corpus import generate_demo
from monitio.query import compile_query
from monitio.query.text import build_view
from monitio.records import Post
from monitio.services import search as svc
from monitio.services import search_cache
from monitio.store import fts
from monitio.store.repo import doc_from_row
from monitio.store.schema import posts
from monitio.workspace import init_workspace

PG_URL = os.environ.get("MONITIO_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
END = datetime(2026, 11, 30, tzinfo=UTC)
MAIN_LANG = {"ID": "id", "MY": "ms", "TH": "th", "VN": "vi", "PH": "tl", "IN": "hi", "JP": "ja", "CN": "zh"}
CATS = ["scam_ads", "payments_refunds", "policy_enforcement", "ad_quality", "privacy"]
BATCH = 5000


def _cheap_enrichment(row: dict) -> dict:
    h = hashlib.blake2b(row["text"].encode(), digest_size=4).digest()
    market = row["market"] or "_unknown"
    cats = [CATS[h[0] % len(CATS)]] if h[1] < 64 else []
    if cats and h[2] < 40:
        cats.append(CATS[(h[0] + 1) % len(CATS)])
    sent = (h[3] - 128) / 128
    return {
        "enriched_at": END,
        "lang": row["lang"] or MAIN_LANG.get(market, "en"),
        "market": market,
        "sentiment": sent,
        "sentiment_label": "negative" if sent < -0.3 else "positive" if sent > 0.3 else "neutral",
        "categories": ",".join(sorted(cats)) or None,
    }


def build(engine, csv_path: Path, n: int) -> dict:
    """Insert the corpus with cheap enrichment, then index it; returns timings."""
    now = datetime.now(UTC)
    t_insert = t_index = 0.0
    total = 0
    with csv_path.open(encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        batch: list[dict] = []

        def flush() -> None:
            nonlocal t_insert, t_index, total
            if not batch:
                return
            t0 = time.perf_counter()
            with engine.begin() as conn:
                result = conn.execute(insert(posts).returning(posts.c.id, posts.c.text), batch)
                made = result.all()
                t1 = time.perf_counter()
                fts.index_posts(conn, made)  # the write path's indexing step
            t2 = time.perf_counter()
            t_insert += t1 - t0
            t_index += t2 - t1
            total += len(batch)
            batch.clear()

        for r in reader:
            published = datetime.fromisoformat(r["created_at"]).astimezone(UTC)
            p = Post.create(
                source="demo",
                source_id=r["id"],
                text=r["text"],
                published_at=published,
                author=r["author"],
                likes=int(r["likes"]),
                shares=int(r["shares"]),
                comments=int(r["comments"]),
                views=int(r["views"]),
                lang_hint=r["lang"] or None,
                market_hint=r["market"] or None,
            )
            row = {
                "uid": p.uid,
                "source": p.source,
                "source_id": p.source_id,
                "url": r["url"],
                "author": p.author,
                "text": p.text,
                "published_at": p.published_at,
                "ingested_at": now,
                "likes": p.likes,
                "shares": p.shares,
                "comments": p.comments,
                "views": p.views,
                "lang_hint": p.lang_hint,
                "market_hint": p.market_hint,
                **_cheap_enrichment(r),
            }
            batch.append(row)
            if len(batch) >= BATCH:
                flush()
        flush()
    return {"posts": total, "insert_s": t_insert, "index_s": t_index}


def index_size(engine) -> int:
    with engine.connect() as conn:
        if engine.dialect.name == "postgresql":
            return int(conn.execute(text("SELECT pg_total_relation_size('post_search')")).scalar_one())
        try:
            return int(conn.execute(text("SELECT SUM(pgsize) FROM dbstat WHERE name LIKE 'post_search%'")).scalar_one())
        except Exception:
            return -1


def table_size(engine, name: str) -> int:
    with engine.connect() as conn:
        if engine.dialect.name == "postgresql":
            return int(conn.execute(text(f"SELECT pg_total_relation_size('{name}')")).scalar_one())
        try:
            return int(conn.execute(text("SELECT SUM(pgsize) FROM dbstat WHERE name = :n"), {"n": name}).scalar_one())
        except Exception:
            return -1


def _sql_pass(engine, queries, repeat: int) -> dict:
    """Cold medians per query through SQL alone (no facet columns loaded), and p50/p95 over all runs."""
    times, medians = [], {}
    for label, q in queries:
        runs = []
        for _ in range(repeat):
            search_cache._caches.clear()
            s = time.perf_counter()
            svc.search(engine, q, limit=50)
            runs.append(time.perf_counter() - s)
        times += runs
        medians[label] = round(statistics.median(runs) * 1000, 1)
    times.sort()
    p95 = times[min(len(times) - 1, int(0.95 * len(times)))]
    return {"p50_ms": round(statistics.median(times) * 1000, 1), "p95_ms": round(p95 * 1000, 1), "medians": medians}


def pick_queries(engine, n: int) -> list[tuple[str, str]]:
    """Twenty queries; the frequent and rare terms are picked from the data's token frequencies."""
    df: Counter[str] = Counter()
    with engine.connect() as conn:
        with_text = select(posts.c.text).where(posts.c.text != "").order_by(posts.c.id).limit(20000)
        sample = conn.execute(with_text).scalars().all()  # retention may have emptied old texts
    for t in sample:
        v = build_view(t, None)
        df.update(w for w in v.vocab if w.isascii() and w.isalpha() and len(w) > 2)
    m = len(sample)
    frequent = min(df, key=lambda w: abs(df[w] / m - 0.30))
    rare = min((w for w, c in df.items() if c == 2), default="zzzz")
    return [
        ("single term", "refund"),
        ("single term (id)", "penipuan"),
        (f"term in ~{df[frequent] / m:.0%} of posts", frequent),
        ("rare term", rare),
        ("no match", "xqzvbnm"),
        ("phrase", '"customer service"'),
        ("phrase (id)", '"tidak bisa"'),
        ("Boolean + fields", "(scam OR penipuan OR lừa) market:ID|VN -giveaway"),
        ("Boolean + category", "refund category:payments_refunds sentiment:<0"),
        ("OR of many", "scam OR fraud OR fake OR refund OR hack OR phishing"),
        ("NOT only", "NOT lang:en"),
        ("Thai substring", "หลอก"),
        ("Thai phrase", "โฆษณา"),
        ("Chinese substring (2 chars)", "退款"),
        ("Chinese substring (3 chars)", "不退款"),
        ("wildcard", "scam*"),
        ("wildcard + field", "refund* lang:en|id"),
        ("NEAR", "refund NEAR/3 never"),
        ("date range", f"refund date:{(END.date().replace(day=1)).isoformat()}..{END.date().isoformat()}"),
        ("author prefix + term", "author:a* ads"),
    ][:n]


def linear(engine, query: str) -> int:
    """The linear reference: every post through the matcher, newest first."""
    compiled = compile_query(query)
    found = 0
    stmt = select(posts).order_by(posts.c.published_at.desc(), posts.c.id.desc())
    with engine.connect() as conn:
        result = conn.execution_options(stream_results=True, yield_per=2000).execute(stmt)
        for rows in result.partitions(2000):
            for row in rows:
                if compiled.matches(doc_from_row(row)):
                    found += 1
    return found


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--posts", type=int, default=100_000)
    ap.add_argument("--backend", choices=("sqlite", "postgres"), default="sqlite")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--linear", type=int, default=2, help="Run the linear scan for this many queries.")
    ap.add_argument("--queries", type=int, default=20)
    ap.add_argument("--json", action="store_true")
    ap.add_argument(
        "--columns",
        action="store_true",
        help="load the facet columns first, as `monitio serve` does at start (load time reported apart)",
    )
    ap.add_argument(
        "--workdir",
        type=Path,
        help="build the workspace here and keep it (on PostgreSQL: its schema too); a later run with the same"
        " folder reuses it",
    )
    ap.add_argument(
        "--workspace",
        type=Path,
        help="search an existing workspace (any backend) instead of building one; nothing is written",
    )
    args = ap.parse_args()

    keep = args.workdir is not None
    if args.workspace is not None:  # someone's workspace: searched only, never removed
        keep = True
        tmp = args.workspace.resolve()
    else:
        tmp = args.workdir.resolve() if keep else Path(tempfile.mkdtemp(prefix="search-scale-"))
    reuse = keep and (tmp / "built.json").exists()
    if args.workspace is not None:
        reuse = True
    tmp.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    if not reuse:
        generate_demo(tmp / "corpus.csv", n_posts=args.posts, days=90, end=END)
    gen_s = time.perf_counter() - t0
    schema = None
    if reuse:
        from monitio.workspace import open_workspace

        ws = open_workspace(args.workspace or tmp / "ws")
    elif args.backend == "postgres":
        schema = "bench_" + uuid.uuid4().hex[:10]
        admin = create_engine(PG_URL)
        if keep:  # kept with the folder: dropped by hand (`DROP SCHEMA ... CASCADE`) with it
            (tmp / "schema.txt").write_text(schema)
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        url = f"{PG_URL}{'&' if '?' in PG_URL else '?'}options={quote(f'-csearch_path={schema}')}"
        ws = init_workspace(tmp / "ws", database_url=url)
    else:
        ws = init_workspace(tmp / "ws")
    engine = ws.engine
    try:
        if args.workspace is not None:
            built = {"posts": svc.count(engine, None), "insert_s": 0.0, "index_s": 0.0}
        elif reuse:
            built = json.loads((tmp / "built.json").read_text())
        else:
            built = build(engine, tmp / "corpus.csv", args.posts)
        if reuse:
            pass
        elif engine.dialect.name == "postgresql":
            # what autovacuum does after a bulk load (this machine's server runs with it off): GIN
            # pending lists merged, visibility and statistics current
            with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(text("VACUUM (ANALYZE) posts"))
                conn.execute(text("VACUUM (ANALYZE) post_search"))
        else:
            with engine.begin() as conn:
                conn.exec_driver_sql("ANALYZE")
        if keep and not reuse:
            (tmp / "built.json").write_text(json.dumps(built))
        queries = pick_queries(engine, args.queries)
        columns_s = None
        hot_words = 0
        sql_first = None
        if args.columns:
            from monitio.services import facet_columns

            sql_first = _sql_pass(engine, queries, args.repeat)  # the same queries before the columns, same run

            s = time.perf_counter()
            cols = facet_columns.columns_for(engine)
            columns_s = time.perf_counter() - s
            columns_mb = cols.nbytes()
            hot_words = len(cols.hot.ids) if cols.hot else 0
        times: list[float] = []
        warm_times: list[float] = []
        per_query = []
        for label, q in queries:
            runs, warm = [], []
            for _ in range(args.repeat):
                search_cache._caches.clear()  # cold: nothing reused from an earlier run
                s = time.perf_counter()
                page = svc.search(engine, q, limit=50)
                runs.append(time.perf_counter() - s)
                s = time.perf_counter()
                again = svc.search(engine, q, limit=50)  # warm: the same search again, data unchanged
                warm.append(time.perf_counter() - s)
                assert again.total == page.total
            times += runs
            warm_times += warm
            per_query.append(
                {
                    "label": label,
                    "query": q,
                    "total": page.total,
                    "verified": page.verified,
                    "page": len(page.items),
                    "median_ms": round(statistics.median(runs) * 1000, 1),
                    "warm_ms": round(statistics.median(warm) * 1000, 1),
                }
            )
        lin = []
        for item in per_query[: args.linear]:
            s = time.perf_counter()
            n = linear(engine, item["query"])
            lin.append({"query": item["query"], "total": n, "seconds": round(time.perf_counter() - s, 2)})
            assert n == item["total"], (item, n)
        times.sort()
        warm_times.sort()
        post_bytes = table_size(engine, "posts")
        server = ""
        if engine.dialect.name == "postgresql":
            with engine.connect() as conn:
                server = f"shared_buffers {conn.execute(text('SHOW shared_buffers')).scalar()}"
        report = {
            "backend": engine.dialect.name,
            "posts": built["posts"],
            "generate_s": round(gen_s, 1),
            "insert_s": round(built["insert_s"], 1),
            "index_s": round(built["index_s"], 1),
            "index_us_per_post": round(built["index_s"] / max(1, built["posts"]) * 1e6, 1),
            "index_bytes": index_size(engine),
            "posts_bytes": post_bytes,
            "p50_ms": round(statistics.median(times) * 1000, 1),
            "p95_ms": round(times[min(len(times) - 1, int(0.95 * len(times)))] * 1000, 1),
            "warm_p50_ms": round(statistics.median(warm_times) * 1000, 1),
            "warm_p95_ms": round(warm_times[min(len(warm_times) - 1, int(0.95 * len(warm_times)))] * 1000, 1),
            "columns_load_s": None if columns_s is None else round(columns_s, 2),
            "columns_mb": None if columns_s is None else round(columns_mb / 1e6, 1),
            "hot_words": None if columns_s is None else hot_words,
            "server": server,
            "sql_first": sql_first,
            "queries": per_query,
            "linear": lin,
        }
    finally:
        engine.dispose()
        if not keep:
            shutil.rmtree(tmp, ignore_errors=True)
        if schema and not keep:
            with admin.begin() as conn:
                conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=1))
        return
    print(
        f"{report['backend']}: {report['posts']:,} posts (generated in {report['generate_s']} s, inserted in "
        f"{report['insert_s']} s); index built in {report['index_s']} s = {report['index_us_per_post']} µs/post; "
        f"index {report['index_bytes'] / 1e6:.0f} MB beside posts {report['posts_bytes'] / 1e6:.0f} MB"
        + (f"; server {report['server']}" if report["server"] else "")
    )
    if sql_first:
        first = f"cold p50 {sql_first['p50_ms']} ms, p95 {sql_first['p95_ms']} ms"
        print(f"SQL alone first (same run, no columns): {first}")
        for label, ms in sql_first["medians"].items():
            print(f"  {ms:8.1f}  {label}")
    if report["columns_load_s"] is not None:
        print(
            f"facet columns loaded in {report['columns_load_s']} s ({report['columns_mb']} MB, "
            f"{report['hot_words']} hot words), before the queries"
        )
    n = len(times)
    print(f"search p50 {report['p50_ms']} ms, p95 {report['p95_ms']} ms over {n} cold runs (total + page + facets)")
    print(f"same search again, data unchanged (cached): p50 {report['warm_p50_ms']} ms, p95 {report['warm_p95_ms']} ms")
    print("  cold ms   warm ms    matches  query")
    for item in per_query:
        mark = " (verified)" if item["verified"] else ""
        times_ms = f"{item['median_ms']:8.1f} {item['warm_ms']:8.1f}"
        print(f"  {times_ms}  {item['total']:>9,}  {item['label']}: {item['query']}{mark}")
    for item in lin:
        print(f"  linear scan: {item['seconds']} s for {item['query']!r} ({item['total']:,} posts, same total)")


if __name__ == "__main__":
    main()
