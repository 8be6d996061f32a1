"""Audit of Malay/Indonesian labels: which way each labelled text leans by standard spellings and words.

    .venv/bin/python benchmarks/ms_id_audit.py --data ../shared/data/langid/data.csv

Counts, per gold label and unit, the texts whose cues (`monitio.enrich.language.malay_indonesian_score`,
lexicon `monitio/lexicons/malay_indonesian.yaml`) lean Malay, lean Indonesian or say nothing. A Malay-
labelled sentence full of Indonesian-only spellings (karena, bahwa, bisa, uang, kamu ...) is evidence
of a labelling problem in the source, not of a weak identifier.
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from monitio.enrich.language import WORD_RE, malay_indonesian_score
from monitio.enrich.textnorm import strip_noise


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=Path("../shared/data/langid/data.csv"))
    args = ap.parse_args()
    lean: Counter = Counter()
    with open(args.data, encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            if row["lang"] not in ("ms", "id"):
                continue
            score = malay_indonesian_score(WORD_RE.findall(strip_noise(row["text"]).lower()))
            side = "leans ms" if score > 0 else "leans id" if score < 0 else "no cue"
            lean[(row["lang"], row.get("unit", ""), side)] += 1
    print(f"{'gold':<6}{'unit':<11}{'leans ms':>10}{'leans id':>10}{'no cue':>8}")
    for gold in ("ms", "id"):
        for unit in sorted({u for g, u, _ in lean if g == gold}):
            counts = [lean[(gold, unit, s)] for s in ("leans ms", "leans id", "no cue")]
            print(f"{gold:<6}{unit:<11}{counts[0]:>10}{counts[1]:>10}{counts[2]:>8}")


if __name__ == "__main__":
    main()
