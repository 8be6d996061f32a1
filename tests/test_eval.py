"""Evaluation: metrics on hand-computed cases, the JSON contract, clear errors, the CLI (shared sets: see
test_shared_data_quality.py)."""

import csv
import json
from pathlib import Path

import numpy as np
import pytest
import typer
from typer.testing import CliRunner

from monitio.cli.eval_cmd import app as eval_app
from monitio.enrich.sentiment import Sentiment
from monitio.enrich.sentiment_model import AdaptedSentiment
from monitio.eval.data import EvalDataError
from monitio.eval.langid import eval_langid
from monitio.eval.metrics import classification_report, confusion_matrix, contract
from monitio.eval.sentiment import cross_validate, eval_sentiment, stratified_folds, to_label, turns


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
    assert to_label(Sentiment(0.3, "positive", 3.0, 0.0), four, turned=True) == "mixed"
    three = {"positive", "negative", "neutral"}
    assert to_label(Sentiment(0.3, "positive", 3.0, 0.0), three, turned=True) == "positive"


def test_contrast_words_turn_a_post():
    assert turns("trailer semma aana story mokka") and turns("acting accha hai lekin story bakwas")
    assert turns("Great phone but the battery dies") and not turns("great phone, butter chicken")


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


def _synthetic(n: int = 60) -> tuple[list[str], list[str]]:
    """Made-up posts whose label depends on a marker word the lexicons do not know."""
    import random

    rng = random.Random(7)
    filler = ["item", "seller", "delivery", "shop", "order", "price", "today", "ad", "app", "video"]
    texts, labels = [], []
    for i in range(n):
        label = ("positive", "negative", "neutral")[i % 3]
        marker = {"positive": "zorbly", "negative": "kravvish", "neutral": "plimt"}[label]
        words = [*rng.sample(filler, 4), marker]
        rng.shuffle(words)
        texts.append(" ".join(words))
        labels.append(label)
    return texts, labels


def test_adapted_model_follows_the_fit_predict_convention_and_learns():
    texts, labels = _synthetic()
    evidence = [Sentiment(0.0, "neutral", 0.0, 0.0)] * len(texts)
    model = AdaptedSentiment(folds=3)
    assert model.fit(texts, labels, evidence) is model
    assert model.classes_ == ["negative", "neutral", "positive"]
    test, gold = _synthetic(30)
    preds = model.predict(test, [Sentiment(0.0, "neutral", 0.0, 0.0)] * len(test))
    acc = sum(p == g for p, g in zip(preds, gold, strict=True)) / len(gold)
    wrong = ["positive"] * len(gold)  # a trivially wrong model: one class for everything
    assert acc >= 0.9 > sum(p == g for p, g in zip(wrong, gold, strict=True)) / len(gold)


def test_cv_folds_are_stratified_and_disjoint():
    labels = ["a"] * 30 + ["b"] * 20 + ["c"] * 10
    folds = stratified_folds(labels, 5)
    assert len(folds) == 5
    seen = []
    for train, test in folds:
        assert not set(train) & set(test) and len(train) + len(test) == 60
        assert sorted(labels[i] for i in test) == ["a"] * 6 + ["b"] * 4 + ["c"] * 2
        seen += list(test)
    assert sorted(seen) == list(range(60))


def test_cross_validation_reports_adapted_and_baseline(tmp_path):
    texts, labels = _synthetic(60)
    f = _csv(tmp_path / "s.csv", ["text", "label"], [[t, g] for t, g in zip(texts, labels, strict=True)])
    r = cross_validate(f, 3)
    assert r["folds"] == 3 and r["n"] == 60
    assert r["delta"] == round(r["macro_f1"] - r["baseline_macro_f1"], 4)
    assert r["macro_f1"] >= 0.9
    with pytest.raises(EvalDataError, match="--cv"):
        cross_validate(f, 40)


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


def test_wide_confusion_matrix_is_never_cut_in_a_narrow_terminal(cli, tmp_path, monkeypatch):
    """16 languages x 3-digit counts do not fit 80 columns: the matrix widens rather than print '1…'."""
    codes = ["bn", "en", "hi", "id", "ja", "km", "ko", "ms", "my", "ta", "te", "th", "tl", "ur", "vi", "zh"]
    rows = [["ข่าวปลอม โฆษณาหลอกลวง", c] for c in codes for _ in range(7)] + [["โฆษณาหลอกลวง", "th"]] * 100
    f = _csv(tmp_path / "wide.csv", ["text", "label"], rows)
    monkeypatch.setenv("COLUMNS", "80")
    res = CliRunner().invoke(cli, ["eval", "langid", "--data", str(f)])
    assert res.exit_code == 0, res.output
    assert "…" not in res.stdout
    th_row = next(line for line in res.stdout.splitlines() if line.strip().startswith("th ") and "107" in line)
    assert th_row.split()[-5:] == ["107", "0", "0", "0", "0"]  # th predicted as th: 7 + 100; columns tl..zh: 0


def test_cli_user_errors_are_one_line_and_exit_2(cli, tmp_path):
    runner = CliRunner()
    res = runner.invoke(cli, ["eval", "sentiment", "--data", str(tmp_path / "missing.csv"), "--json"])
    assert res.exit_code == 2 and "no such file" in res.stderr and "Traceback" not in res.output
    bad = _csv(tmp_path / "bad.csv", ["body"], [["x"]])
    res = runner.invoke(cli, ["eval", "langid", "--data", str(bad)])
    assert res.exit_code == 2 and "no 'text' column" in res.stderr and res.stdout == ""


def test_adapted_model_saved_before_the_three_views_still_predicts():
    # Models saved before the three-view level 1 hold `text_model_` (vectorizers, one SVM) and a level 2 over
    # the SVM's decisions plus the six lexicon-evidence features only.
    from scipy import sparse
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.svm import LinearSVC

    from monitio.enrich.sentiment_model import evidence_matrix

    texts, labels = _synthetic()
    evidence = [Sentiment(0.0, "neutral", 0.0, 0.0)] * len(texts)
    vecs = [TfidfVectorizer(analyzer="char", ngram_range=(1, 3))]
    svm = LinearSVC().fit(sparse.hstack([v.fit_transform(texts) for v in vecs]).tocsr(), labels)
    legacy = AdaptedSentiment.__new__(AdaptedSentiment)
    legacy.text_model_ = (vecs, svm)
    legacy.meta_ = LogisticRegression().fit(
        np.hstack([svm.decision_function(vecs[0].transform(texts)), evidence_matrix(evidence)]), labels
    )
    test, gold = _synthetic(30)
    preds = legacy.predict(test, [Sentiment(0.0, "neutral", 0.0, 0.0)] * len(test))
    assert sum(p == g for p, g in zip(preds, gold, strict=True)) / len(gold) >= 0.9
    assert len(legacy.predict_scores(test[:2], evidence[:2])) == 2


def test_nested_cv_chooses_inside_and_reports_mean_and_spread(tmp_path):
    from monitio.eval.nested import GRID, nested_cross_validate

    rows = [[f"the zorbly item number {i} was fine", "positive"] for i in range(12)]
    rows += [[f"the blargish item number {i} was off", "negative"] for i in range(12)]
    f = _csv(tmp_path / "d.csv", ["text", "label"], rows)
    r = nested_cross_validate(f, outer=2, repeats=2, inner=2)
    assert len(r["outer"]) == 4 and {o["repeat"] for o in r["outer"]} == {0, 1}
    assert all(o["chosen"] in dict(GRID) and set(o["inner"]) == set(dict(GRID)) for o in r["outer"])
    assert r["adapted_mean"] > 0.9 and r["adapted_std"] >= 0 and sum(r["chosen"].values()) == 4
    assert r["delta_mean"] == pytest.approx(r["adapted_mean"] - r["baseline_mean"], abs=1e-3)
    assert set(contract(r)) == {"n", "accuracy", "macro_f1", "per_class"} and r["n"] == 24
    with pytest.raises(EvalDataError, match="nested CV needs"):
        nested_cross_validate(f, outer=5, repeats=1, inner=3)


def test_the_simplest_setting_wins_within_one_standard_error():
    from monitio.eval.nested import pick

    assert pick([("simple", [0.71, 0.75, 0.73]), ("complex", [0.72, 0.76, 0.74])]) == "simple"
    assert pick([("simple", [0.60, 0.61, 0.60]), ("complex", [0.72, 0.75, 0.73])]) == "complex"


def test_langid_reports_ms_id_confusion_and_accuracy_per_unit(tmp_path):
    rows = [
        ["Pemerintah akan memberi bantuan karena biaya hidup naik", "id", "sentence"],
        ["Kerajaan akan memberi bantuan kerana kos sara hidup meningkat", "ms", "sentence"],
        ["이것은 한국어 문장입니다", "KO", "sentence"],
        ["hari ini", "id", "word_pair"],
    ]
    r = eval_langid(_csv(tmp_path / "l.csv", ["text", "lang", "unit"], rows))
    assert set(r["per_class"]) == {"id", "ms", "ko"}  # labels read in BCP 47 case
    assert r["ms_id"] == {"id_as_ms": 0, "ms_as_id": 0, "id": 2, "ms": 1}
    assert r["by_unit"]["sentence"]["all"] == {"n": 3, "accuracy": 1.0} and r["by_unit"]["word_pair"]["all"]["n"] == 1
