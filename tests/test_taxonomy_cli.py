"""`monitio taxonomy test|validate` on small files written by the tests."""

import csv
import json

from typer.testing import CliRunner

from monitio.cli.main import app

runner = CliRunner()
POSTS = [
    "This ad is a scam, they promise guaranteed profit",
    "Refund belum masuk, uang tidak kembali",
    "what a lovely day at the beach",
    "โดนหลอกลงทุนจากโฆษณาปลอม",
    "Selamat anda mendapatkan hadiah! klaim hadiah di link ini",
    "scam\nad\x07 with a control character " + "x" * 300,
]
TAXONOMY = """version: 2
categories:
  refunds:
    name: Refunds
    description: Money not coming back.
    owner_team: Payments
    default_severity: 6
    playbook: [Check the payment records.]
    rules:
      - {id: refunds.en, lang: en, query: 'refund* NEAR/3 (late OR never)'}
      - {id: refunds.id, lang: id, query: '"refund belum masuk" OR "uang tidak kembali"'}
"""


def _csv(tmp_path, column="text"):
    path = tmp_path / "posts.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["id", column])
        w.writerows([i, t] for i, t in enumerate(POSTS, 1))
    return path


def test_taxonomy_test_json_counts_shares_terms_examples_and_rules(tmp_path):
    result = runner.invoke(app, ["taxonomy", "test", str(_csv(tmp_path)), "--json", "--examples", "2"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["posts"] == 6 and report["matched"] == 5
    cats = {c["id"]: c for c in report["categories"]}
    scam = cats["scam_ads"]
    assert scam["posts"] == 3 and scam["share"] == 0.5
    assert ["guaranteed profit", 1] in scam["top_terms"]
    assert [e["row"] for e in scam["examples"]] == [1, 4]
    assert scam["rules"]["scam_ads.en"] == 2 and scam["rules"]["scam_ads.th"] == 1
    assert cats["spam_phishing"]["posts"] == 1 and cats["payments_refunds"]["posts"] == 1
    assert cats["privacy_targeting"]["posts"] == 0 and cats["privacy_targeting"]["examples"] == []
    assert report["languages"]["th"] == 1


def test_taxonomy_test_escapes_and_truncates_examples(tmp_path):
    report = json.loads(runner.invoke(app, ["taxonomy", "test", str(_csv(tmp_path)), "--json"]).stdout)
    scam = next(c for c in report["categories"] if c["id"] == "scam_ads")
    text = scam["examples"][-1]["text"]
    assert text.startswith("scam ad\\x07 with") and text.endswith("…") and len(text) == 160


def test_taxonomy_test_with_a_custom_file_category_and_column(tmp_path):
    tax = tmp_path / "t.yaml"
    tax.write_text(TAXONOMY, encoding="utf-8")
    args = ["taxonomy", "test", str(_csv(tmp_path, "body")), "--taxonomy", str(tax), "--text-column", "body"]
    report = json.loads(runner.invoke(app, [*args, "--category", "refunds", "--json"]).stdout)
    assert [c["id"] for c in report["categories"]] == ["refunds"]
    assert report["categories"][0]["rules"] == {"refunds.en": 0, "refunds.id": 1}
    human = runner.invoke(app, args)
    assert human.exit_code == 0 and "refunds" in human.stdout and "row 2 [id]: Refund belum masuk" in human.stdout


def test_taxonomy_test_errors_are_one_line(tmp_path):
    path = _csv(tmp_path)
    result = runner.invoke(app, ["taxonomy", "test", str(path), "--text-column", "body"])
    assert result.exit_code == 2 and "no column 'body'" in result.output
    result = runner.invoke(app, ["taxonomy", "test", str(path), "--category", "nope"])
    assert result.exit_code == 2 and "no category 'nope'" in result.output


def test_taxonomy_validate_ok_and_errors(tmp_path):
    good = tmp_path / "good.yaml"
    good.write_text(TAXONOMY, encoding="utf-8")
    result = runner.invoke(app, ["taxonomy", "validate", str(good)])
    assert result.exit_code == 0 and result.stdout.strip() == "ok: 1 categories, 2 rules"
    bad = tmp_path / "bad.yaml"
    bad.write_text(TAXONOMY.replace("NEAR/3 (late OR never)", "NEAR/3 (late OR never"), encoding="utf-8")
    result = runner.invoke(app, ["taxonomy", "validate", str(bad), "--json"])
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["ok"] is False
    assert "category 'refunds', rule 1 (refunds.en): bad query, col 16: missing closing parenthesis" in report["error"]
    default = runner.invoke(app, ["taxonomy", "validate", "monitio/taxonomy/default.yaml", "--json"])
    assert json.loads(default.stdout)["categories"] == 13
