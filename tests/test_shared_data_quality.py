"""Quality floors on the real labelled sets in ../shared/data (skipped where absent): language ID,
zero-shot sentiment and zero-shot risk classification. The exact figures live in docs/evaluation.md."""

import pytest

from monitio.eval.langid import eval_langid
from monitio.eval.sentiment import eval_sentiment

# The zero-shot targets of issue 7 (chance: 0.33 for 3 classes, 0.50 for ko/zh/ur, 0.25 for ta-codemix).
ZERO_SHOT_FLOOR = {
    "sentiment-en": 0.58,
    "sentiment-bn": 0.50,
    "sentiment-id": 0.50,
    "sentiment-th": 0.50,
    "sentiment-vi": 0.50,
    "sentiment-hi-latn": 0.45,
    "sentiment-ko": 0.70,
    "sentiment-zh": 0.70,
    "sentiment-ur": 0.60,
    "sentiment-ta-codemix": 0.40,
}


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(ZERO_SHOT_FLOOR))
def test_zero_shot_sentiment_reaches_its_floor_on_every_shared_set(shared_data, name):
    path = shared_data / name / "data.csv"
    if not path.exists():
        pytest.skip(f"{path} is not there")
    report = eval_sentiment(path)
    assert report["macro_f1"] >= ZERO_SHOT_FLOOR[name], (name, report["macro_f1"])


def test_language_id_on_the_shared_set(shared_data):
    """Issue 16 on the corrected set (Malay is the UDHR in Standard Malay beside the Indonesian UDHR): >= 0.93 of
    every language's sentences, >= 0.97 of all sentences, >= 0.90 of word pairs, no Indonesian text called Malay."""
    report = eval_langid(shared_data / "langid" / "data.csv")
    assert report["n"] > 2000 and report["accuracy"] >= 0.93
    sentences = report["by_unit"]["sentence"]
    assert sentences["all"]["accuracy"] >= 0.97
    for lang in ("th", "my", "km", "ja", "ko", "zh", "hi", "bn", "ta", "te", "en", "vi", "tl", "id", "ms", "ur"):
        assert sentences[lang]["accuracy"] >= 0.93, (lang, sentences[lang])
    assert report["by_unit"]["word_pair"]["all"]["accuracy"] >= 0.90
    assert report["ms_id"]["id_as_ms"] == 0, report["ms_id"]


@pytest.mark.parametrize(
    ("name", "positive"),
    [("spam-sms-id", "fraud"), ("scam-smishing-en", "smishing,spam"), ("spam-youtube-comments", "spam")],
)
def test_zero_shot_risk_rules_and_indicators_reach_0_8_macro_f1(shared_data, name, positive):
    from monitio.eval.risk import eval_risk

    path = shared_data / name / "data.csv"
    if not path.exists():
        pytest.skip(f"{path} is not there")
    report = eval_risk(path, positive=positive)
    assert report["macro_f1"] >= 0.80, report["macro_f1"]


@pytest.mark.slow
def test_adapted_sentiment_beats_the_char_svm_baseline_by_0_03_on_8_of_10_sets(shared_data):
    """Issue 7's adapted target under 5-fold CV (deterministic folds): the stacked model beats TF-IDF char
    1-4-grams + LinearSVC on every set, by at least 0.03 macro-F1 on 8 of the 10 (figures in evaluation.md)."""
    from monitio.eval.sentiment import cross_validate

    paths = [shared_data / name / "data.csv" for name in sorted(ZERO_SHOT_FLOOR)]
    if not all(p.exists() for p in paths):
        pytest.skip("the ten sentiment sets of ../shared/data are not all there")
    deltas = {p.parent.name: cross_validate(p, folds=5)["delta"] for p in paths}
    assert all(d > 0 for d in deltas.values()), deltas
    assert sum(d >= 0.03 for d in deltas.values()) >= 8, deltas
