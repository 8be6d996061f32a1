"""`monitio eval langid`: the language identifier against a labelled CSV (`text` + `lang` or `label`).

Besides the contract figures, the report has `ms_id` (Malay and Indonesian confused, both ways: the
main error of every identifier) and, when the file has a `unit` column (`sentence`, `word_pair`),
`by_unit`: accuracy per unit, overall and per language.

>>> import csv, tempfile, pathlib
>>> f = pathlib.Path(tempfile.mkdtemp()) / "l.csv"
>>> _ = f.write_text("text,lang\\nสวัสดีครับ ยินดีที่ได้รู้จัก,th\\n이것은 한국어 문장입니다,ko\\n", encoding="utf-8")
>>> r = eval_langid(f)
>>> r["n"], r["accuracy"], sorted(r["per_class"]), r["ms_id"]
(2, 1.0, ['ko', 'th'], {'id_as_ms': 0, 'ms_as_id': 0, 'id': 0, 'ms': 0})
"""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

from monitio.enrich.textnorm import bcp47
from monitio.eval.data import read_labelled
from monitio.eval.metrics import classification_report


def _units(path: Path, n: int) -> list[str] | None:
    """The `unit` column of the labelled rows, when the file has one (same row order as `read_labelled`)."""
    with open(path, encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        if "unit" not in (reader.fieldnames or []):
            return None
        label = "lang" if "lang" in reader.fieldnames else "label"
        units = [r.get("unit") or "" for r in reader if (r.get(label) or "").strip()]
    return units if len(units) == n else None


def eval_langid(data: Path, languages: list[str] | None = None) -> dict:
    """Accuracy, macro-F1 and per-class figures of `monitio.enrich.language` on `data`.

    Gold labels are read in BCP 47 case (`hi-latn` is `hi-Latn`); a prediction of a romanised form counts
    for its base language when the file only has base codes (the langid set labels scripts, not forms).
    """
    from monitio.enrich.language import LanguageIdentifier

    rows = read_labelled(Path(data), ("lang", "label"))
    gold = [bcp47(g) or g for _, g in rows]
    known = set(gold)
    preds = []
    for r in LanguageIdentifier(languages).detect_many([t for t, _ in rows]):
        lang = r.lang
        if lang not in known and "-" in lang and lang.split("-")[0] in known:
            lang = lang.split("-")[0]
        preds.append(lang)
    report = classification_report(gold, preds, sorted(known))
    report["ms_id"] = {
        "id_as_ms": sum(g == "id" and p == "ms" for g, p in zip(gold, preds, strict=True)),
        "ms_as_id": sum(g == "ms" and p == "id" for g, p in zip(gold, preds, strict=True)),
        "id": gold.count("id"),
        "ms": gold.count("ms"),
    }
    units = _units(Path(data), len(rows))
    if units is not None:
        tally: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
        for u, g, p in zip(units, gold, preds, strict=True):
            for key in ("all", g):
                tally[u][key][0] += 1
                tally[u][key][1] += g == p
        report["by_unit"] = {
            u: {k: {"n": n, "accuracy": round(c / n, 4)} for k, (n, c) in sorted(t.items())} for u, t in tally.items()
        }
    return report
