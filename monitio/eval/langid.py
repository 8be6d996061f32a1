"""`monitio eval langid`: the language identifier against a labelled CSV (`text` + `lang` or `label`).

>>> import csv, tempfile, pathlib
>>> f = pathlib.Path(tempfile.mkdtemp()) / "l.csv"
>>> _ = f.write_text("text,lang\\nสวัสดีครับ ยินดีที่ได้รู้จัก,th\\n이것은 한국어 문장입니다,ko\\n", encoding="utf-8")
>>> r = eval_langid(f)
>>> r["n"], r["accuracy"], sorted(r["per_class"])
(2, 1.0, ['ko', 'th'])
"""

from __future__ import annotations

from pathlib import Path

from monitio.eval.data import read_labelled
from monitio.eval.metrics import classification_report


def eval_langid(data: Path, languages: list[str] | None = None) -> dict:
    """Accuracy, macro-F1 and per-class figures of `monitio.enrich.language` on `data`.

    Gold labels are compared as written (`hi`, `hi-Latn`, ...); a prediction of a romanised form counts
    for its base language when the file only has base codes (the langid set labels scripts, not forms).
    """
    from monitio.enrich.language import LanguageIdentifier

    rows = read_labelled(Path(data), ("lang", "label"))
    gold = [g for _, g in rows]
    known = set(gold)
    preds = []
    for r in LanguageIdentifier(languages).detect_many([t for t, _ in rows]):
        lang = r.lang
        if lang not in known and "-" in lang and lang.split("-")[0] in known:
            lang = lang.split("-")[0]
        preds.append(lang)
    return classification_report(gold, preds, sorted(known))
