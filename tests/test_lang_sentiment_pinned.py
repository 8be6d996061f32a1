"""Language ID and sentiment pinned on 600 demo-corpus posts: the speed work (issue 7) must not change a result.

`fixtures/lang_sentiment_pinned.jsonl` holds, per post, the text, the `LangResult` (lang, script, confidence,
mixed) and the `Sentiment` (score, label, positive, negative) with the post's language and with none, as the
code gave them before the speed-ups (2026-12-04). Regenerate it only for a deliberate change of behaviour.
"""

import json
from pathlib import Path

import pytest

from monitio.enrich.language import LanguageIdentifier, detect
from monitio.enrich.sentiment import SentimentScorer

FIXTURE = Path(__file__).parent / "fixtures" / "lang_sentiment_pinned.jsonl"
PINNED = [json.loads(line) for line in FIXTURE.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def scorer():
    return SentimentScorer()


def test_language_results_are_pinned_in_a_batch_and_one_by_one():
    texts = [text for text, *_ in PINNED]
    got = [[r.lang, r.script, r.confidence, list(r.mixed)] for r in LanguageIdentifier().detect_many(texts)]
    assert got == [lang for _, lang, _, _ in PINNED]
    for text, lang, _, _ in PINNED[:60]:
        r = detect(text)
        assert [r.lang, r.script, r.confidence, list(r.mixed)] == lang, text


def test_sentiment_results_are_pinned_with_and_without_the_language(scorer):
    for text, (lang, _, _, mixed), with_lang, without in PINNED:
        s = scorer.score(text, lang, tuple(mixed))
        assert [s.score, s.label, s.positive, s.negative] == with_lang, text
        u = scorer.score(text)
        assert [u.score, u.label, u.positive, u.negative] == without, text
