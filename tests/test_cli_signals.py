"""The analysts' CLI: `monitio signals` filters and layout, `monitio signal ID`, quarantine raw rows,
cases from signals and narratives, `--version`, and one-line errors (exit code 2) everywhere."""

import json
import sys
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from monitio.cli.common import parse_since
from monitio.cli.main import app, main
from monitio.errors import Invalid
from tests.api_helpers import seed_signal

runner = CliRunner()


def cli(*args, **kw):
    return runner.invoke(app, [str(a) for a in args], catch_exceptions=False, **kw)


@pytest.fixture
def sig_ws(ws):
    a = seed_signal(ws, categories=("scam_ads",), markets=("ID",), severity=9)
    b = seed_signal(ws, categories=("fake_discount",), markets=("MY",), severity=4)
    with ws.engine.begin() as conn:
        conn.exec_driver_sql(
            f"UPDATE signals SET why = '{'Long why text about scam ads in Indonesia. ' * 6}' WHERE id = {a}"
        )
        conn.exec_driver_sql('UPDATE posts SET indicators = \'{"messaging": ["wa.me/6281234567890"]}\'')
    return ws, a, b


def test_signals_lists_ids_filters_and_wraps_at_80_columns(sig_ws):
    ws, a, b = sig_ws
    res = cli("signals", "--workspace", ws.path, env={"COLUMNS": "80"})
    lines = res.stdout.splitlines()
    assert lines[0].startswith(f"#{a} ") and "sev  9" in lines[0] and "scam_ads" in lines[0]
    assert all(len(line) <= 80 for line in lines), [line for line in lines if len(line) > 80]
    assert lines[1].startswith("       Long why") and lines[2].startswith("       ")  # the why, wrapped, indented
    assert "2 of 2 signals" in res.stdout
    only = cli("signals", "--workspace", ws.path, "--market", "my", "--json")
    assert [s["id"] for s in json.loads(only.stdout)] == [b]
    assert json.loads(cli("signals", "-w", ws.path, "--category", "scam_ads", "--json").stdout)[0]["id"] == a
    assert json.loads(cli("signals", "-w", ws.path, "--min-severity", "5", "--json").stdout)[0]["id"] == a
    assert json.loads(cli("signals", "-w", ws.path, "--kind", "campaign", "--json").stdout) == []
    assert len(json.loads(cli("signals", "-w", ws.path, "--since", "1d", "--json").stdout)) == 2
    item = json.loads(cli("signals", "-w", ws.path, "--json").stdout)[0]
    for key in ("id", "kind", "severity", "score", "why", "markets", "categories", "first_seen", "evidence"):
        assert key in item
    assert item["evidence"][0]["source_id"] == "ev0"


def test_signal_shows_indicators_evidence_and_acts(sig_ws):
    ws, a, _ = sig_ws
    shown = cli("signal", a, "--workspace", ws.path).stdout
    assert f"Signal #{a}" in shown and "messaging: wa.me/6281234567890" in shown
    assert "Evidence (2 posts):" in shown and "t/ev0" in shown and "Cases: none" in shown
    res = runner.invoke(app, ["signal", str(a), "-w", str(ws.path), "--do", "dismiss"])
    assert res.exit_code == 2 and res.stderr.count("\n") == 1 and "needs a reason" in res.stderr
    res = cli("signal", a, "-w", ws.path, "--do", "dismiss", "--reason", "duplicate of a known case")
    assert "status dismissed" in res.stdout
    detail = json.loads(cli("signal", a, "-w", ws.path, "--json").stdout)
    assert detail["status"] == "dismissed" and detail["indicators"] == {"messaging": ["wa.me/6281234567890"]}
    missing = runner.invoke(app, ["signal", "424242", "-w", str(ws.path)])
    assert missing.exit_code == 2 and missing.stderr.startswith("error: no signal 424242")


def test_cases_from_signal_needs_a_user_then_opens_one(sig_ws):
    from monitio.auth.users import add_user

    ws, a, b = sig_ws
    res = runner.invoke(app, ["cases", "from-signal", str(a), str(b), "-w", str(ws.path)])
    assert res.exit_code == 2 and "--as EMAIL" in res.stderr
    with ws.engine.begin() as conn:
        add_user(conn, "ana@example.org", "analyst", "a long enough password", actor="t")
    made = json.loads(cli("cases", "from-signal", a, b, "-w", ws.path, "--as", "ana@example.org", "--json").stdout)
    listed = json.loads(cli("cases", "list", "-w", ws.path, "--json").stdout)
    assert made["case_id"] in [c["id"] for c in listed["items"]]
    assert f"signal {a}" in cli("cases", "show", made["case_id"], "-w", ws.path).stdout


def test_quarantine_shows_the_raw_row(tmp_path):
    ws = tmp_path / "ws"
    cli("init", "--workspace", ws)
    f = tmp_path / "p.csv"
    f.write_text("id,text,created_at\n1,hello,2026-11-01T00:00:00Z\n2,,2026-11-01T00:00:00Z\n", encoding="utf-8")
    cli("ingest", f, "--workspace", ws)
    out = cli("quarantine", "--workspace", ws).stdout
    assert "row 2" in out and "no text" in out and "raw: 2,,2026-11-01T00:00:00Z" in out


def test_version_and_one_line_usage_errors(monkeypatch, capsys):
    from monitio import __version__

    assert cli("--version").stdout == f"monitio {__version__}\n"
    monkeypatch.setattr(sys, "argv", ["monitio", "signals", "--no-such-option"])
    with pytest.raises(SystemExit) as stop:
        main()
    err = capsys.readouterr().err
    assert stop.value.code == 2 and err.count("\n") == 1
    assert err.startswith("error: No such option: --no-such-option") and "--help" in err


def test_since_parses_dates_and_ages():
    now = datetime(2026, 11, 20, 12, tzinfo=UTC)
    assert parse_since("2026-11-19", now=now) == datetime(2026, 11, 19, tzinfo=UTC)
    assert parse_since("2026-11-19T08:00+07:00", now=now) == datetime(2026, 11, 19, 1, tzinfo=UTC)
    assert parse_since("2w", now=now) == now - timedelta(days=14)


@given(n=st.integers(min_value=0, max_value=9999), unit=st.sampled_from(["h", "d", "w", "H", "D"]))
def test_since_ages_count_back_from_now(n, unit):
    now = datetime(2026, 11, 20, tzinfo=UTC)
    hours = {"h": 1, "d": 24, "w": 168}[unit.lower()]
    assert parse_since(f"{n}{unit}", now=now) == now - timedelta(hours=n * hours)


@given(st.text(max_size=40))
def test_since_never_fails_with_anything_but_a_clear_error(text):
    try:
        when = parse_since(text)
    except Invalid as exc:
        assert "--since" in exc.one_line() and "\n" not in exc.one_line()
    else:
        assert when.tzinfo is not None
