"""Sentiment, complaint and language answers on many texts, written to a file and compared field by field.

For the speed work of issue 16: run `--write` on the code before a change and `--check` on the code after it.
Texts: the demo corpus (20,000 posts, seed 11, ending 2026-12-01) and every row of the shared data sets
(`../shared/data/*/data.csv`, langid included). Each text is scored with the language detected for it, with no
language, with one of the lexicon languages in turn (and English mixed in on every third), by a fresh scorer and
again, in another order, by the warm one (the two must agree); `find_complaint` cues are kept too. The file holds a
hash of each text, not the text.

    PYTHONPATH=. .venv/bin/python benchmarks/sentiment_equivalence.py --write /tmp/before.json
    PYTHONPATH=. .venv/bin/python benchmarks/sentiment_equivalence.py --check /tmp/before.json
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import random
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data"


def texts(shared: Path, posts: int) -> list[str]:
    from monitio.demo.corpus import generate_demo

    out = []
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "demo.csv"
        generate_demo(corpus, n_posts=posts, days=30, seed=11, end=datetime(2026, 12, 1, tzinfo=UTC))
        with open(corpus, encoding="utf-8") as fh:
            out += [row["text"] for row in csv.DictReader(fh)][:posts]
    for path in sorted(shared.glob("*/data.csv")):
        with open(path, encoding="utf-8", newline="") as fh:
            out += [r["text"] for r in csv.DictReader(fh) if r.get("text")]
    return out


def _fields(s) -> list:
    return [s.score, s.label, s.positive, s.negative, s.complaint]


def results(all_texts: list[str]) -> list[list]:
    from monitio.enrich.complaints import find_complaint
    from monitio.enrich.language import LanguageIdentifier
    from monitio.enrich.sentiment import SentimentScorer

    scorer = SentimentScorer()
    codes = [*sorted(scorer.lexicons), "und", "zh-Hant", "ur-Latn"]
    detected = LanguageIdentifier().detect_many(all_texts)
    calls = []
    for i, (text, r) in enumerate(zip(all_texts, detected, strict=True)):
        other = codes[i % len(codes)]
        calls.append((i, text, r.lang, tuple(r.mixed)))
        calls.append((i, text, None, ()))
        calls.append((i, text, other, ("en",) if i % 3 == 0 else ()))
    cold = {(i, lang, mixed): _fields(scorer.score(text, lang, mixed)) for i, text, lang, mixed in calls}
    shuffled = calls[:]
    random.Random(5).shuffle(shuffled)
    for i, text, lang, mixed in shuffled:
        again, first = _fields(scorer.score(text, lang, mixed)), cold[(i, lang, mixed)]
        if again != first:
            sys.exit(f"a warm scorer answers {again} for {text[:60]!r} ({lang}, {mixed}), cold {first}")
    out = []
    for i, (text, r) in enumerate(zip(all_texts, detected, strict=True)):
        other = codes[i % len(codes)]
        c = find_complaint(text, (r.lang, *r.mixed) if r.lang else ("en",))
        out.append(
            [
                hashlib.sha1(text.encode("utf-8")).hexdigest()[:12],
                [r.lang, r.script, r.confidence, list(r.mixed)],
                cold[(i, r.lang, tuple(r.mixed))],
                cold[(i, None, ())],
                cold[(i, other, ("en",) if i % 3 == 0 else ())],
                None if c is None else [list(c.cues), c.before_contrast],
            ]
        )
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    mode = ap.add_mutually_exclusive_group(required=True)
    mode.add_argument("--write", type=Path)
    mode.add_argument("--check", type=Path)
    ap.add_argument("--posts", type=int, default=20_000)
    ap.add_argument("--shared", type=Path, default=SHARED)
    args = ap.parse_args()
    got = results(texts(args.shared, args.posts))
    if args.write:
        args.write.write_text(json.dumps(got), encoding="utf-8")
        print(f"{len(got)} texts written to {args.write}")
        return
    want = json.loads(args.check.read_text(encoding="utf-8"))
    if len(want) != len(got):
        sys.exit(f"{len(got)} texts, {len(want)} in {args.check}")
    bad = [(i, w, g) for i, (w, g) in enumerate(zip(want, got, strict=True)) if w != g]
    for i, w, g in bad[:10]:
        print(f"text {i}: was {w}\n         now {g}")
    if bad:
        sys.exit(f"{len(bad)} of {len(got)} texts differ")
    print(f"{len(got)} texts: every field equal")


if __name__ == "__main__":
    main()
