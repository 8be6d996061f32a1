"""Language ID, sentiment and the complaint flag pinned on a sample of ../shared/data (skipped where absent).

The speed work of issue 16 (trie regexes, word masks, gated noise stripping) must not change a result on text
nobody here wrote. `fixtures/lang_sentiment_shared.json` holds, for every 7th row of each shared `data.csv`, a
hash of the text and what the code gave before that work (2026-12-06, `de67016`): the `LangResult` and the
`Sentiment` (score, label, positive, negative, complaint) with the detected language and with none. It holds no
text. Regenerate it only for a deliberate change of behaviour:

    PYTHONPATH=. .venv/bin/python tests/test_lang_sentiment_shared.py --write
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from monitio.enrich.sentiment import SentimentScorer
from monitio.enrich.textnorm import trie_pattern

FIXTURE = Path(__file__).parent / "fixtures" / "lang_sentiment_shared.json"
STEP = 7


def _digest(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]


def _sample(data: Path) -> dict[str, list[tuple[int, str]]]:
    """(row number, text) of every `STEP`-th row with a text, per shared set."""
    out = {}
    for path in sorted(data.glob("*/data.csv")):
        with open(path, encoding="utf-8", newline="") as fh:
            rows = [(i, r["text"]) for i, r in enumerate(csv.DictReader(fh)) if r.get("text")]
        if rows:
            out[path.parent.name] = rows[::STEP]
    return out


def _results(texts: list[str]) -> list[list]:
    from monitio.enrich.language import LanguageIdentifier

    scorer = SentimentScorer()
    out = []
    for text, r in zip(texts, LanguageIdentifier().detect_many(texts), strict=True):
        s, u = scorer.score(text, r.lang, r.mixed), scorer.score(text)
        lang = [r.lang, r.script, r.confidence, list(r.mixed)]
        out.append([*lang, *_fields(s), *_fields(u)])
    return out


def _fields(s) -> list:
    return [s.score, s.label, s.positive, s.negative, s.complaint]


def test_language_and_sentiment_on_shared_data_are_unchanged(shared_data):
    if not FIXTURE.exists():
        pytest.skip("no pinned results (write them with --write)")
    pinned = json.loads(FIXTURE.read_text(encoding="utf-8"))
    sample = _sample(shared_data)
    compared = total = 0
    for name, rows in pinned.items():
        by_row = dict(sample.get(name, []))
        total += len(rows)
        kept = [(row, by_row[row], want) for row, digest, want in rows if _digest(by_row.get(row, "")) == digest]
        got = _results([text for _, text, _ in kept])
        for (row, text, want), have in zip(kept, got, strict=True):
            assert have == want, f"{name} row {row}: {text[:80]!r}"
        compared += len(kept)
    if compared < 0.9 * total:
        pytest.skip(f"../shared/data changed since the results were pinned ({compared} of {total} rows still there)")
    assert compared > 1000


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.text(alphabet="ab:-)😀\u0e01", min_size=1, max_size=4), min_size=1, max_size=8),
    st.text(alphabet="ab:-) x😀\u0e01", max_size=40),
)
def test_a_trie_pattern_finds_what_a_longest_first_alternation_finds(words, text):
    flat = re.compile("|".join(map(re.escape, sorted(set(words), key=len, reverse=True))))
    assert re.findall(trie_pattern(words), text) == flat.findall(text)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=":-)(;<3xXD😀😂❤\ufe0f🙏 ab", max_size=40))
def test_emoji_counts_match_a_scan_with_the_whole_emoji_alternation(text):
    scorer = SentimentScorer()
    flat = re.compile("|".join(map(re.escape, sorted(scorer.emoji, key=len, reverse=True))))
    want: dict[str, int] = {}
    for m in flat.finditer(text):
        want[m.group(0)] = want.get(m.group(0), 0) + 1
    got = scorer._emoji_counts(text)
    assert list(got.items()) == list(want.items())


def _write(data: Path) -> None:
    pinned = {}
    for name, rows in _sample(data).items():
        got = _results([text for _, text in rows])
        pinned[name] = [[row, _digest(text), want] for (row, text), want in zip(rows, got, strict=True)]
    FIXTURE.write_text(json.dumps(pinned, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"{sum(map(len, pinned.values()))} rows pinned in {FIXTURE}")


if __name__ == "__main__" and "--write" in sys.argv:
    from conftest import SHARED_DATA  # type: ignore[import-not-found]

    _write(SHARED_DATA)
