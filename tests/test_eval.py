"""Evaluation: metrics on hand-computed cases, the JSON contract, clear errors, the CLI, and the shared sets."""

import csv
import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from monitio.cli.eval_cmd import app as eval_app
from monitio.enrich.sentiment import Sentiment
from monitio.eval.data import EvalDataError
from monitio.eval.langid import eval_langid
from monitio.eval.metrics import classification_report, confusion_matrix, contract
from monitio.eval.sentiment import HashedLogit, eval_sentiment, to_label

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
needs_shared = pytest.mark.skipif(not SHARED.exists(), reason=f"shared evaluation data not found at {SHARED}")


def _csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)
    return path


def test_metrics_on_a_hand_computed_case():
    gold = ["pos", "pos", "neg", "neg", "neu"]
    pred = ["pos", "neg", "neg", "neg", "pos"]
    r = classification_report(gold, pred)
    # pos: tp=1 fp=1 fn=1 -> P=R=F1=0.5; neg: tp=2 fp=1 fn=0 -> P=2/3 R=1 F1=0.8; neu: 0.
    assert r["accuracy"] == 0.6
    assert r["per_class"]["pos"] == {"precision": 0.5, "recall": 0.5, "f1": 0.5, "support": 2}
    assert r["per_class"]["neg"] == {"precision": 0.6667, "recall": 1.0, "f1": 0.8, "support": 2}
    assert r["per_class"]["neu"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 1}
    assert r["macro_f1"] == round((0.5 + 0.8 + 0.0) / 3, 4)
    assert r["confusion"]["pos"] == {"neg": 1, "neu": 0, "pos": 1}
    assert r["confusion"]["neu"]["pos"] == 1


def test_predictions_outside_the_gold_labels_cost_recall_only():
    r = classification_report(["en", "en", "th"], ["en", "und", "th"])
    assert r["per_class"]["en"]["recall"] == 0.5 and r["per_class"]["en"]["precision"] == 1.0
    assert set(r["per_class"]) == {"en", "th"}
    assert confusion_matrix(["en", "en", "th"], ["en", "und", "th"], ["en", "th"])["en"]["und"] == 1


def test_metrics_reject_misaligned_input():
    with pytest.raises(ValueError, match="differ in length"):
        classification_report(["a"], ["a", "b"])


def test_label_mapping_for_binary_and_four_class_sets():
    assert to_label(Sentiment(0.0, "neutral", 0.0, 0.0), {"positive", "negative"}) == "negative"
    assert to_label(Sentiment(0.05, "neutral", 1.0, 0.9), {"positive", "negative"}) == "positive"
    four = {"positive", "negative", "neutral", "mixed"}
    assert to_label(Sentiment(0.3, "positive", 3.0, 2.0), four) == "mixed"
    assert to_label(Sentiment(0.3, "positive", 3.0, 0.0), four) == "positive"


def test_langid_contract_on_a_small_file(tmp_path):
    f = _csv(
        tmp_path / "l.csv",
        ["text", "lang"],
        [["สวัสดีครับ ยินดีที่ได้รู้จัก", "th"], ["이것은 한국어 문장입니다", "ko"], ["This is an English sentence.", "en"]],
    )
    r = contract(eval_langid(f))
    assert list(r) == ["n", "accuracy", "macro_f1", "per_class"]
    assert r["n"] == 3 and r["accuracy"] == 1.0 and set(r["per_class"]) == {"th", "ko", "en"}
    assert set(r["per_class"]["th"]) == {"precision", "recall", "f1", "support"}


def test_sentiment_on_a_small_file(tmp_path):
    f = _csv(
        tmp_path / "s.csv",
        ["id", "text", "label"],
        [["1", "Total scam, refund never came", "negative"], ["2", "Love it, great seller", "positive"]],
    )
    r = eval_sentiment(f)
    assert r["n"] == 2 and r["accuracy"] == 1.0 and r["macro_f1"] == 1.0


@pytest.mark.parametrize(
    ("header", "message"),
    [(["body", "label"], "no 'text' column"), (["text", "sentiment"], "'label'")],
)
def test_missing_columns_are_clear_errors(tmp_path, header, message):
    f = _csv(tmp_path / "bad.csv", header, [["x", "positive"]])
    with pytest.raises(EvalDataError, match=message):
        eval_sentiment(f)
    assert issubclass(EvalDataError, ValueError)


def test_unknown_sentiment_labels_are_clear_errors(tmp_path):
    f = _csv(tmp_path / "s.csv", ["text", "label"], [["ok", "pos"]])
    with pytest.raises(EvalDataError, match="unknown sentiment labels"):
        eval_sentiment(f)
    one = _csv(tmp_path / "one.csv", ["text", "label"], [["ok", "positive"]])
    with pytest.raises(EvalDataError, match="at least two different labels"):
        eval_sentiment(one, train=one)


def test_adapted_mode_learns_words_the_lexicons_do_not_know(tmp_path):
    # Made-up words: zero-shot cannot know them, training must pick them up.
    train = [[f"the zorbly item {i}", "positive"] for i in range(12)]
    train += [[f"the blargish item {i}", "negative"] for i in range(12)]
    train_f = _csv(tmp_path / "train.csv", ["text", "label"], train)
    test_f = _csv(tmp_path / "test.csv", ["text", "label"], [["so zorbly", "positive"], ["very blargish", "negative"]])
    assert eval_sentiment(test_f)["accuracy"] < 1.0
    r = eval_sentiment(test_f, train=train_f)
    assert r["accuracy"] == 1.0 and r["n"] == 2


def test_hashed_logit_follows_the_fit_predict_convention():
    model = HashedLogit(dim=2**12, epochs=80)
    assert model.fit(["good", "bad", "great", "awful"], ["p", "n", "p", "n"]) is model
    assert model.classes_ == ["n", "p"] and model.coef_.shape == (2**12, 2)


@pytest.fixture
def cli():
    root = typer.Typer()

    @root.callback()
    def main() -> None:
        """Test root."""

    root.add_typer(eval_app, name="eval")
    return root


def test_cli_json_and_table(cli, tmp_path):
    f = _csv(tmp_path / "l.csv", ["text", "label"], [["광고가 너무 많아요", "ko"], ["โฆษณาหลอกลวง", "th"]])
    runner = CliRunner()
    res = runner.invoke(cli, ["eval", "langid", "--data", str(f), "--json"])
    assert res.exit_code == 0, res.output
    obj = json.loads(res.stdout)
    assert obj["n"] == 2 and obj["accuracy"] == 1.0 and "confusion" not in obj
    res = runner.invoke(cli, ["eval", "langid", "--data", str(f)])
    assert res.exit_code == 0 and "Confusion matrix" in res.stdout and "macro-F1" in res.stdout


def test_cli_user_errors_are_one_line_and_exit_2(cli, tmp_path):
    runner = CliRunner()
    res = runner.invoke(cli, ["eval", "sentiment", "--data", str(tmp_path / "missing.csv"), "--json"])
    assert res.exit_code == 2 and "no such file" in res.stderr and "Traceback" not in res.output
    bad = _csv(tmp_path / "bad.csv", ["body"], [["x"]])
    res = runner.invoke(cli, ["eval", "langid", "--data", str(bad)])
    assert res.exit_code == 2 and "no 'text' column" in res.stderr and res.stdout == ""


CHANCE = {"sentiment-ko": 0.5, "sentiment-zh": 0.5, "sentiment-ur": 0.5, "sentiment-ta-codemix": 0.25}


@needs_shared
@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(p.parent.name for p in SHARED.glob("sentiment-*/data.csv")) or ["none"])
def test_zero_shot_sentiment_beats_chance(name):
    report = eval_sentiment(SHARED / name / "data.csv")
    chance = CHANCE.get(name, 1 / 3)
    assert report["macro_f1"] > chance + 0.03, (name, report["macro_f1"])


@needs_shared
def test_language_id_on_the_shared_set():
    report = eval_langid(SHARED / "langid" / "data.csv")
    assert report["n"] > 2000 and report["accuracy"] >= 0.92
    for lang in ("th", "my", "km", "ja", "ko", "zh", "hi", "bn", "ta", "te", "en", "vi", "tl"):
        assert report["per_class"][lang]["recall"] >= 0.97, lang
