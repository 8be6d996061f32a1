"""Quality floors on the real labelled sets in ../shared/data (skipped where absent): language ID,
zero-shot sentiment and zero-shot risk classification. The exact figures live in docs/evaluation.md."""

import pytest

from monitio.eval.langid import eval_langid
from monitio.eval.sentiment import eval_sentiment

CHANCE = {"sentiment-ko": 0.5, "sentiment-zh": 0.5, "sentiment-ur": 0.5, "sentiment-ta-codemix": 0.25}


@pytest.mark.slow
def test_zero_shot_sentiment_beats_chance_on_every_shared_set(shared_data):
    sets = sorted(p for p in shared_data.glob("sentiment-*/data.csv"))
    assert len(sets) >= 10
    for path in sets:
        report = eval_sentiment(path)
        chance = CHANCE.get(path.parent.name, 1 / 3)
        assert report["macro_f1"] > chance + 0.01, (path.parent.name, report["macro_f1"])


def test_language_id_on_the_shared_set(shared_data):
    report = eval_langid(shared_data / "langid" / "data.csv")
    assert report["accuracy"] >= 0.92
    for lang in ("th", "my", "km", "ja", "ko", "zh", "hi", "bn", "ta", "te"):
        assert report["per_class"][lang]["recall"] >= 0.97, lang


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
