"""Incremental near-duplicate grouping at scale, on SQLite, beside an in-memory datasketch baseline.

Synthetic posts (multilingual unique texts + copy-paste campaigns whose copies change emoji, links,
numbers and, for some, one word) arrive in chunks; each chunk is stored, then grouped batch by batch
with `assign_groups`, exactly as enrichment does. Prints grouping posts/s, peak RSS at checkpoints
(bounded memory), the size of the band table (stale buckets are pruned), pairwise precision/recall
against the generated truth, and per-post cost against datasketch MinHash + MinHashLSH (in memory,
no storage) on a sample of the same texts.

    .venv/bin/python benchmarks/dup_groups.py --posts 1000000

Machines here are noisy: compare ratios from one run, not absolute numbers across runs.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np

EMOJI = ["🔥", "💰", "🚀", "✅", "💸", "👉", "📲", "🤑", "💯", ""]
LANGS = {
    "en": ("Anyone else seeing this", "Honestly", "Please help", "Update:", "Why does"),
    "id": ("Ada yang tahu", "Tolong bantu", "Kenapa", "Jujur saja", "Info dong"),
    "hi": ("Koi batao", "Yaar", "Bhai log", "Sach mein", "Kya scene hai"),
    "vi": ("Có ai biết", "Giúp mình với", "Tại sao", "Thật sự", "Cho hỏi"),
    "th": ("ใครรู้บ้าง", "ช่วยด้วย", "ทำไม", "จริงๆ นะ", "สอบถามหน่อย"),
}
SYLL = {
    "en": [c + v for c in "bdgklmnprst" for v in "aeiou"],
    "th": [chr(c) for c in range(0x0E01, 0x0E2E)] + ["า", "ี", "ู", "ิ", "ั"],
}


def _word(rng: random.Random, lang: str) -> str:
    syl = SYLL["th"] if lang == "th" else SYLL["en"]
    return "".join(rng.choice(syl) for _ in range(rng.randint(2, 4)))


class Generator:
    """Deterministic synthetic posts with the campaign each belongs to (-1 for unique texts)."""

    def __init__(self, seed: int, n_campaigns: int, campaign_share: float, edit_share: float):
        self.rng = random.Random(seed)
        self.vocab = {lang: [_word(self.rng, lang) for _ in range(4000)] for lang in LANGS}
        self.campaign_share = campaign_share
        self.edit_share = edit_share
        self.bases = [self._unique(self.rng.choice(list(LANGS)), 14, 26) for _ in range(n_campaigns)]

    def _unique(self, lang: str, lo: int = 8, hi: int = 30) -> str:
        words = self.rng.choices(self.vocab[lang], k=self.rng.randint(lo, hi))
        return f"{self.rng.choice(LANGS[lang])} " + " ".join(words)

    def _copy(self, base: str) -> str:
        rng = self.rng
        words = base.split()
        if rng.random() < self.edit_share:  # one small edit: replace, drop or insert a word
            i = rng.randrange(1, len(words))
            op = rng.randrange(3)
            if op == 0:
                words[i] = _word(rng, "en")
            elif op == 1:
                del words[i]
            else:
                words.insert(i, _word(rng, "en"))
        phone = f"+{rng.choice(('62', '91', '92', '84', '66'))} {rng.randint(100, 999)} {rng.randint(1000, 9999)}"
        link = rng.choice((f"https://bit.ly/{rng.randrange(36**6):x}", f"wa.me/{rng.randrange(10**10)}", ""))
        amount = f"{rng.randint(1, 99)}%"
        return f"{rng.choice(EMOJI)} {' '.join(words)} {amount} {rng.choice(EMOJI)} {phone} {link}".strip()

    def post(self) -> tuple[str, int]:
        if self.rng.random() < self.campaign_share:
            c = self.rng.randrange(len(self.bases))
            return self._copy(self.bases[c]), c
        return self._unique(self.rng.choice(list(LANGS))), -1


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _insert_chunk(engine, gen: Generator, start: int, n: int, t0: datetime, span: timedelta, total: int):
    from sqlalchemy import insert

    from monitio.enrich.dupes import dupe_key
    from monitio.store.schema import posts

    rows, truth, texts = [], [], []
    now = datetime.now(UTC)
    for i in range(start, start + n):
        text, camp = gen.post()
        ts = t0 + span * (i / total)
        rows.append(
            {
                "uid": f"b{i:031d}",
                "source": "bench",
                "source_id": str(i),
                "author": f"user{gen.rng.randrange(total)}" if camp < 0 else f"c{camp}_{i}",
                "text": text,
                "published_at": ts,
                "ingested_at": now,
                "likes": 0,
                "shares": 0,
                "comments": 0,
                "views": 0,
                "enriched_at": now,
                "market": gen.rng.choice(("ID", "IN", "PK", "VN", "TH")),
                "dup_key": dupe_key(text),
            }
        )
        truth.append(camp)
        texts.append(text)
    with engine.begin() as conn:
        conn.execute(insert(posts), rows)
    return truth, texts


def _group_range(engine, lo_id: int, hi_id: int, batch: int) -> None:
    from sqlalchemy import select

    from monitio.enrich.dupgroups import DupItem, assign_groups
    from monitio.store.schema import posts

    cols = (posts.c.id, posts.c.dup_key, posts.c.text, posts.c.author, posts.c.market, posts.c.published_at)
    last = lo_id - 1
    while last < hi_id:
        with engine.begin() as conn:
            rows = conn.execute(
                select(*cols)
                .where(posts.c.id > last, posts.c.id <= hi_id, posts.c.dup_key.is_not(None))
                .order_by(posts.c.id)
                .limit(batch)
            ).all()
            if not rows:
                return
            assign_groups(conn, [DupItem(r.id, r.dup_key, r.text, r.author, r.market, r.published_at) for r in rows])
        last = rows[-1].id


def _pair_scores(truth: np.ndarray, pred: np.ndarray) -> tuple[float, float]:
    """Pairwise precision and recall of predicted clusters against true ones (ids < 0 are singletons)."""
    n = len(truth)
    truth = np.where(truth < 0, -(np.arange(n) + 1), truth)
    pred = np.where(pred < 0, -(np.arange(n) + 1) - n, pred)

    def pairs(*cols) -> int:
        _, counts = np.unique(np.stack(cols, axis=1), axis=0, return_counts=True)
        c = counts.astype(np.int64)
        return int((c * (c - 1) // 2).sum())

    tp, tp_pred, tp_true = pairs(truth, pred), pairs(pred), pairs(truth)
    return (tp / tp_pred if tp_pred else 1.0), (tp / tp_true if tp_true else 1.0)


def _predicted(engine, total: int) -> np.ndarray:
    from sqlalchemy import select

    from monitio.store.schema import posts
    from monitio.store.schema_dupes import dup_groups

    merged = np.zeros(0, dtype=np.int64)
    with engine.connect() as conn:
        rows = conn.execute(select(dup_groups.c.id, dup_groups.c.merged_into)).all()
        top = max((r.id for r in rows), default=0)
        merged = np.arange(top + 1, dtype=np.int64)
        for r in rows:
            if r.merged_into:
                merged[r.id] = r.merged_into
        pred = np.full(total, -1, dtype=np.int64)
        for sid, g in conn.execute(select(posts.c.source_id, posts.c.dup_group)):
            if g is not None:
                pred[int(sid)] = merged[g]
    return pred


def _baseline(texts: list[str], truth: list[int], threshold: float) -> dict:
    """datasketch MinHash (64 perms) + MinHashLSH in memory, union-find; per-post cost and pair scores."""
    from datasketch import MinHash, MinHashLSH

    from monitio.enrich.dupes import dupe_key, normalize_for_dupes
    from monitio.enrich.minhash import signatures

    keep = [i for i, t in enumerate(texts) if dupe_key(t)]
    norm = [normalize_for_dupes(texts[i]) for i in keep]
    t0 = time.perf_counter()
    lsh = MinHashLSH(threshold=threshold, num_perm=64)
    parent = list(range(len(norm)))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    hashes = {}
    for i, t in enumerate(norm):
        m = MinHash(num_perm=64, seed=11)
        m.update_batch([t[j : j + 5].encode() for j in range(max(len(t) - 4, 1))])
        for other in lsh.query(m):
            if m.jaccard(hashes[other]) >= threshold:
                parent[find(i)] = find(other)
        lsh.insert(i, m)
        hashes[i] = m
    elapsed = time.perf_counter() - t0
    t1 = time.perf_counter()
    sig_ds = [MinHash(num_perm=64, seed=11) for _ in norm[:5000]]
    for m, t in zip(sig_ds, norm[:5000], strict=False):
        m.update_batch([t[j : j + 5].encode() for j in range(max(len(t) - 4, 1))])
    ds_sig_rate = len(sig_ds) / (time.perf_counter() - t1)
    t2 = time.perf_counter()
    signatures(norm)
    our_sig_rate = len(norm) / (time.perf_counter() - t2)
    pred = np.full(len(texts), -1, dtype=np.int64)
    for i, k in enumerate(keep):
        pred[k] = find(i)
    precision, recall = _pair_scores(np.array(truth, dtype=np.int64), pred)
    return {
        "posts": len(texts),
        "per_s": len(norm) / elapsed,
        "us_per_post": elapsed / max(len(norm), 1) * 1e6,
        "precision": precision,
        "recall": recall,
        "datasketch_signatures_per_s": ds_sig_rate,
        "monitio_signatures_per_s": our_sig_rate,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--posts", type=int, default=1_000_000)
    ap.add_argument("--chunk", type=int, default=50_000, help="posts stored then grouped at a time")
    ap.add_argument("--batch", type=int, default=1000, help="posts per grouping transaction (as enrichment)")
    ap.add_argument("--campaign-share", type=float, default=0.3)
    ap.add_argument("--edit-share", type=float, default=0.3, help="share of copies with a one-word edit")
    ap.add_argument("--days", type=int, default=60, help="posts spread over this many days (buckets prune after 30)")
    ap.add_argument("--baseline-sample", type=int, default=50_000)
    ap.add_argument("--db", type=Path, help="SQLite file to use (default: a temporary one)")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()

    from sqlalchemy import func, select

    from monitio.enrich.dupgroups import THRESHOLD, prune_bands
    from monitio.store.schema_dupes import dup_bands, dup_groups
    from monitio.workspace import init_workspace

    gen = Generator(
        seed=7, n_campaigns=max(args.posts // 500, 10), campaign_share=args.campaign_share, edit_share=args.edit_share
    )
    checkpoints = {c for c in (100_000, 200_000, 500_000, 1_000_000) if c <= args.posts} | {args.posts}
    with tempfile.TemporaryDirectory() as tmp:
        ws = init_workspace(Path(args.db or tmp) / "ws")
        t0 = datetime(2026, 9, 1, tzinfo=UTC)
        truth: list[int] = []
        sample: list[str] = []
        grouping_s = insert_s = 0.0
        marks = []
        done = 0
        while done < args.posts:
            n = min(args.chunk, args.posts - done)
            a = time.perf_counter()
            chunk_truth, texts = _insert_chunk(ws.engine, gen, done, n, t0, timedelta(days=args.days), args.posts)
            b = time.perf_counter()
            truth += chunk_truth
            if len(sample) < args.baseline_sample:
                sample += texts[: args.baseline_sample - len(sample)]
            _group_range(ws.engine, done + 1, done + n, args.batch)
            with ws.engine.begin() as conn:
                prune_bands(conn)
            c = time.perf_counter()
            insert_s += b - a
            grouping_s += c - b
            done += n
            passed = [x for x in checkpoints if done >= x and all(m["posts"] != x for m in marks)]
            if passed:
                with ws.engine.connect() as conn:
                    bands = conn.execute(select(func.count()).select_from(dup_bands)).scalar_one()
                    groups = conn.execute(select(func.count()).select_from(dup_groups)).scalar_one()
                marks.append(
                    {
                        "posts": done,
                        "rss_mb": round(_rss_mb(), 1),
                        "grouping_per_s": round(done / grouping_s),
                        "band_rows": bands,
                        "groups": groups,
                    }
                )
                if not args.json:
                    print(
                        f"  {done:>9,} posts  grouping {done / grouping_s:7.0f} posts/s  peak RSS {_rss_mb():7.1f} MB"
                        f"  groups {groups:,}  band rows {bands:,}",
                        flush=True,
                    )
        precision, recall = _pair_scores(np.array(truth, dtype=np.int64), _predicted(ws.engine, args.posts))
        ws.engine.dispose()
    peer = _baseline(sample, truth[: len(sample)], THRESHOLD)
    ours_us = grouping_s / args.posts * 1e6
    result = {
        "posts": args.posts,
        "insert_s": round(insert_s, 1),
        "grouping_s": round(grouping_s, 1),
        "grouping_per_s": args.posts / grouping_s,
        "us_per_post": ours_us,
        "precision": precision,
        "recall": recall,
        "checkpoints": marks,
        "baseline": peer,
        "ratio_cost_vs_baseline": ours_us / peer["us_per_post"],
    }
    if args.json:
        print(json.dumps(result, indent=2))
        return
    print(f"Monitio incremental grouping of {args.posts:,} posts (SQLite, batches of {args.batch}):")
    print(f"  {result['grouping_per_s']:.0f} posts/s ({grouping_s:.0f} s; storing the posts took {insert_s:.0f} s)")
    print(f"  pairwise precision {precision:.4f}  recall {recall:.4f}")
    print(f"Baseline datasketch MinHash+MinHashLSH in memory on {peer['posts']:,} of the same texts (no storage):")
    print(f"  {peer['per_s']:.0f} posts/s  precision {peer['precision']:.4f}  recall {peer['recall']:.4f}")
    print(
        f"  signatures alone: datasketch {peer['datasketch_signatures_per_s']:.0f}/s, "
        f"monitio (numpy) {peer['monitio_signatures_per_s']:.0f}/s"
    )
    print(
        f"Per-post cost Monitio (with storage, {args.posts:,} posts) / baseline (memory, {peer['posts']:,}): "
        f"{result['ratio_cost_vs_baseline']:.2f}x"
    )


if __name__ == "__main__":
    main()
