"""Language ID and sentiment pinned on 600 demo-corpus posts: the speed work (issue 7) must not change a result.

`fixtures/lang_sentiment_pinned.jsonl` holds, per post, the text, the `LangResult` (lang, script, confidence,
mixed) and the `Sentiment` (score, label, positive, negative) with the post's language and with none, as the
code gave them before the speed-ups (2026-12-04). Regenerate it only for a deliberate change of behaviour.
"""

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from monitio.enrich.language import LanguageIdentifier, detect
from monitio.enrich.sentiment import WORD_RE, SentimentScorer, load_lexicons, score_spaced

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


def _reference_score_spaced(text, lex, exact=False, guess=False):
    """`score_spaced` as it was before the word memo (one pass over every word), kept as the reference."""
    from monitio.enrich.sentiment import NEGATED, WORD_RE, _add, _stem_hit, spelling_key

    words = WORD_RE.findall(text)
    pos = neg = 0.0
    cut = next((i for i, w in enumerate(words) if w in lex.contrast), None)
    i = 0
    while i < len(words):
        hit, size = None, 1
        for n in range(min(lex.first_words.get(words[i], 1), len(words) - i), 1, -1):
            gram = " ".join(words[i : i + n])
            if gram in lex.terms:
                hit, size = lex.terms[gram], n
                break
        if hit is None and words[i] in lex.terms:
            hit = lex.terms[words[i]]
        if hit is None and not exact and lex.stem and len(words[i]) > 4:
            hit = _stem_hit(words[i], lex)
        if hit is None and not exact and lex.keys and len(words[i]) > 2:
            key = spelling_key(words[i])
            if key != words[i] or not guess:
                hit = lex.keys.get(key)
        if hit is not None:
            before = words[max(0, i - 3) : i]
            after = words[i + size : i + size + 2] if lex.negate_after else []
            if any(w in lex.lead_negators for w in before) or any(
                w in lex.negators or w.endswith("n't") for w in before + after
            ):
                hit *= NEGATED
            if (i and words[i - 1] in lex.intensifiers) or (
                i + size < len(words) and words[i + size] in lex.intensifiers
            ):
                hit *= 1.4
            if cut is not None:
                hit *= 1.3 if i > cut else 0.5
            pos, neg = _add(pos, neg, hit)
        i += size
    return pos, neg


def _vocabulary(lex) -> list[str]:
    """Whole terms (multi-word ones too, and their words apart), modifiers, misspellings and strangers."""
    words = set(lex.terms) | {w for term in lex.terms for w in term.split()}
    words |= lex.negators | lex.intensifiers | lex.contrast | lex.lead_negators
    return sorted(words | {"xyz", "not", "don't", "post", "aaachaaa", "mokkkaaa", "zabardasttt"})


SPACED = sorted(code for code, lex in load_lexicons()[0].items() if lex.regex is None)


@settings(max_examples=300, deadline=None)
@given(data=st.data(), code=st.sampled_from(SPACED), exact=st.booleans(), guess=st.booleans())
def test_score_spaced_with_its_word_memo_equals_the_reference(data, code, exact, guess):
    lex = load_lexicons()[0][code]
    vocab = _vocabulary(lex)
    picked = data.draw(
        st.lists(st.sampled_from(vocab) | st.sampled_from(vocab).map(lambda w: w + w[-1] * 2), max_size=14)
    )
    text = " ".join(picked)
    assert score_spaced(text, lex, exact, guess) == _reference_score_spaced(text, lex, exact, guess)
    assert score_spaced(text, lex, exact, guess, words=WORD_RE.findall(text)) == score_spaced(text, lex, exact, guess)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab Z1.-éđ ไทย 한글 かな 漢字 देव বাংলা தமிழ் اردو ខ្មែរ မြန်"), max_size=30))
def test_script_counts_list_scripts_as_a_counter_of_the_text_did(text):
    from collections import Counter

    from monitio.enrich.language import _script_table, script_counts, script_of

    table, names = _script_table()
    reference = Counter({names[c]: n for c, n in Counter(text.translate(table)).items() if c in names})
    assert list(script_counts(text).items()) == list(reference.items())
    if text.isascii():
        assert script_of(text)[0] == ("Latn" if any(c.isalpha() for c in text) else "Zyyy")


def test_lingua_is_read_once_per_text_and_its_memo_is_bounded(monkeypatch):
    from monitio.enrich import language

    calls = []
    real = language._detector

    class Counting:
        def __init__(self, detector):
            self.detector = detector

        def compute_language_confidence_values_in_parallel(self, texts):
            calls.append(list(texts))
            return self.detector.compute_language_confidence_values_in_parallel(texts)

    monkeypatch.setattr(language, "_detector", lambda langs: Counting(real(langs)))
    monkeypatch.setattr(language, "_LINGUA_MEMO", {})
    monkeypatch.setattr(language, "LINGUA_MEMO_SIZE", 3)
    ident = LanguageIdentifier()
    texts = ["the delivery was late again", "barangnya bagus banget", "the delivery was late again"]
    first = ident.detect_many(texts)
    assert calls == [["the delivery was late again", "barangnya bagus banget"]]
    assert first[0] == first[2] and ident.detect_many(texts[:1]) == first[:1] and len(calls) == 1
    ident.detect_many(["kumain na tayo mamaya", "saya tak boleh terima duit"])
    assert len(language._LINGUA_MEMO[ident.languages]) <= 3
    assert ident.detect_many(texts) == first


NOISE_PARTS = [*"aZ é.:/@#_-1 9\t\n\u00a0\u2003ＳＣß\u200d", "www.", "https://", ".com", "🔥", "❤️"]
NOISY = st.lists(st.sampled_from(NOISE_PARTS), max_size=30).map("".join)


@settings(max_examples=400, deadline=None)
@given(NOISY)
def test_fold_and_strip_noise_equal_their_one_pass_forms(text):
    import unicodedata

    from monitio.enrich.textnorm import EMOJI_RE, MENTION_RE, NUMBER_RE, SPACE_RE, URL_RE, fold, strip_noise

    assert fold(text) == SPACE_RE.sub(" ", unicodedata.normalize("NFKC", text).casefold()).strip()
    ref = EMOJI_RE.sub(" ", MENTION_RE.sub(" ", URL_RE.sub(" ", text))).replace("#", " ")
    assert strip_noise(text) == SPACE_RE.sub(" ", NUMBER_RE.sub(" ", ref)).strip()


def _vader_vocabulary() -> list[str]:
    from vaderSentiment import vaderSentiment as vs

    from monitio.enrich.sentiment import _vader

    scored = sorted(_vader().lexicon)[::25]  # every 25th lexicon word: ~300 of them
    rules = ["but", "no", "least", "at", "very", "kind", "of", "so", "this", "never", "without", "doubt", "or"]
    odd = ["the", "bomb", "!", "??", "GOOD", "BAD", "Great!", "(good)", "isn't", "like", "teaser"]
    emoji = ["😍", "💔", ":)", ":-("]
    return scored + sorted(vs.BOOSTER_DICT) + sorted(vs.NEGATE) + rules + odd + emoji


VADER_WORDS = _vader_vocabulary()


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(VADER_WORDS), max_size=14).map(" ".join))
def test_our_vader_compound_equals_vader_itself(text):
    from monitio.enrich.sentiment import _vader

    vader = _vader()
    assert vader.compound(text) == vader.analyzer.polarity_scores(text)["compound"]


def test_our_vader_compound_on_vaders_own_examples():
    from monitio.enrich.sentiment import _vader

    vader = _vader()
    for text in [
        "VADER is smart, handsome, and funny.",
        "VADER is VERY SMART, handsome, and FUNNY!!!",
        "The book was kind of good.",
        "At least it isn't a horrible book.",
        "the plot was good, but the characters are uncompelling and the dialog is not great.",
        "good nice but great great good",
        "Make sure you :) or :D today!",
        "wow 😍😍 love it!!!! but 💔",
    ]:
        assert vader.compound(text) == vader.analyzer.polarity_scores(text)["compound"], text


def _reference_score_unspaced(text, lex):
    """`score_unspaced` as it was before issue 16's speed work (contrast by `str.find` per word, intensifiers by
    one `endswith` each), kept as the reference."""
    from monitio.enrich.sentiment import NEGATED, _add

    pos = neg = 0.0
    cuts = [text.find(c) for c in lex.contrast if c in text]
    cut = min(cuts) if cuts else -1
    for m in lex.regex.finditer(text):
        hit = lex.terms[m.group(0)]
        before = text[max(0, m.start() - lex.neg_span) : m.start()]
        if lex.neg_regex is not None:
            after = text[m.end() : m.end() + 4]
            if lex.neg_regex.search(before) or (lex.negate_after and lex.neg_regex.search(after)):
                hit *= NEGATED
        if any(before.endswith(x) for x in lex.intensifiers):
            hit *= 1.4
        if cut >= 0:
            hit *= 1.3 if m.start() > cut else 0.5
        pos, neg = _add(pos, neg, hit)
    return pos, neg


UNSPACED = sorted(code for code, lex in load_lexicons()[0].items() if lex.regex is not None)


@settings(max_examples=300, deadline=None)
@given(data=st.data(), code=st.sampled_from(UNSPACED))
def test_score_unspaced_equals_the_reference(data, code):
    from monitio.enrich.sentiment import score_unspaced

    lex = load_lexicons()[0][code]
    pieces = [*sorted(set(lex.terms) | lex.negators | lex.intensifiers | lex.contrast), "x", " ", "。"]
    text = "".join(data.draw(st.lists(st.sampled_from(pieces), max_size=10)))
    assert score_unspaced(text, lex) == _reference_score_unspaced(text, lex)


def test_clear_memos_forgets_vader_tokens_and_answers_stay_the_same(scorer):
    from monitio.enrich.sentiment import _vader

    text = "Still NOT refunded after 2 weeks, kind of a scam tbh :( 😡"
    first = scorer.score(text, "en")
    assert _vader()._lows and scorer._texts
    scorer.clear_memos()
    assert not _vader()._lows and not _vader()._tokens and not scorer._texts
    again = scorer.score(text, "en")
    assert again == first and again is not first
    assert (again.score, again.label, again.complaint) == (first.score, first.label, True)
