"""`monitio eval complaints`: the hand-written complaint / praise / question / lure suite, per language.

The suite (`tests/fixtures/complaint_suite.csv`: `lang`, `kind`, `text`) was written for the domain (shops,
refunds, payouts, deliveries, ads accounts, scams), not taken from any data set. A row passes when:

- `complaint`: the post is flagged a complaint and labelled negative;
- `praise`: labelled positive;
- `question` (a neutral question): not labelled negative and not a complaint;
- `lure` (scam and spam lures): not a complaint (their polarity is not judged).

The language comes from the language stage, as in the pipeline (`given_lang=True`: from the file).

>>> import pathlib, tempfile
>>> f = pathlib.Path(tempfile.mkdtemp()) / "s.csv"
>>> _ = f.write_text("lang,kind,text\\nen,complaint,Still no refund after 2 weeks\\nen,praise,Great shop!\\n")
>>> r = eval_suite(f)
>>> r["n"], r["accuracy"], r["per_lang"]["en"]["complaint"]
(2, 1.0, {'n': 1, 'passed': 1, 'rate': 1.0})
"""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

from monitio.eval.data import EvalDataError

KINDS = ("complaint", "praise", "question", "lure")


def passes(kind: str, label: str, complaint: bool) -> bool:
    """Whether one scored row meets its kind's expectation.

    >>> passes("complaint", "negative", True), passes("question", "negative", False), passes("lure", "positive", False)
    (True, False, True)
    """
    if kind == "complaint":
        return complaint and label == "negative"
    if kind == "praise":
        return label == "positive"
    if kind == "question":
        return label != "negative" and not complaint
    return not complaint


def read_suite(path: Path) -> list[dict[str, str]]:
    """Rows of a suite file (`lang`, `kind`, `text`); a bad file raises `EvalDataError` naming the fix."""
    try:
        with Path(path).open(encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise EvalDataError(f"{path}: cannot read the suite ({exc}); give a UTF-8 CSV with lang,kind,text") from None
    if not rows or not {"lang", "kind", "text"} <= set(rows[0]):
        raise EvalDataError(f"{path}: needs the columns lang, kind and text")
    bad = sorted({r["kind"] for r in rows} - set(KINDS))
    if bad:
        raise EvalDataError(f"{path}: unknown kinds {bad} (expected {', '.join(KINDS)})")
    return rows


def eval_suite(path: Path, given_lang: bool = False) -> dict:
    """Pass rates per language and kind, overall accuracy, and the failing rows (to read, not to hide)."""
    from monitio.enrich.language import LanguageIdentifier
    from monitio.enrich.sentiment import SentimentScorer

    rows = read_suite(path)
    texts = [r["text"] for r in rows]
    scorer = SentimentScorer()
    if given_lang:
        langs = [(r["lang"], ()) for r in rows]
    else:
        langs = [(x.lang, x.mixed) for x in LanguageIdentifier().detect_many(texts)]
    tally: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    failures = []
    for r, (lang, mixed) in zip(rows, langs, strict=True):
        s = scorer.score(r["text"], lang, tuple(mixed))
        ok = passes(r["kind"], s.label, s.complaint)
        for key in (r["kind"], "all"):
            tally[r["lang"]][key][0] += 1
            tally[r["lang"]][key][1] += ok
        if not ok:
            failures.append({**r, "detected": lang, "label": s.label, "complaint": s.complaint, "score": s.score})
    per_lang = {
        lang: {k: {"n": n, "passed": p, "rate": round(p / n, 4)} for k, (n, p) in kinds.items()}
        for lang, kinds in tally.items()
    }
    passed = sum(k["all"]["passed"] for k in per_lang.values())
    return {
        "n": len(rows),
        "accuracy": round(passed / len(rows), 4),
        "per_lang": per_lang,
        "failures": failures,
    }
