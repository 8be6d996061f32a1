"""The CLI contracts of DESIGN.md: JSON shapes, exit codes, one-line errors."""

import json

from typer.testing import CliRunner

from monitio.cli.main import app

runner = CliRunner()


def invoke(*args, **kw):
    return runner.invoke(app, [str(a) for a in args], catch_exceptions=False, **kw)


def test_init_ingest_stats_contract(tmp_path):
    ws = tmp_path / "ws"
    assert invoke("init", "--workspace", ws).exit_code == 0
    assert (ws / "monitio.toml").exists() and (ws / "monitio.db").exists()
    f = tmp_path / "p.csv"
    f.write_text("id,text,created_at\n1,hello,2026-11-01T00:00:00Z\n2,,2026-11-01T00:00:00Z\n", encoding="utf-8")
    res = invoke("ingest", f, "--workspace", ws, "--json")
    assert res.exit_code == 0
    counts = ("read", "new", "duplicate", "quarantined")
    first = json.loads(res.stdout)
    assert {k: first[k] for k in counts} == {"read": 2, "new": 1, "duplicate": 0, "quarantined": 1}
    assert first["mapping"] == {"id": "id", "text": "text", "published_at": "created_at"}  # additive keys
    assert first["ignored"] == []
    res = invoke("ingest", f, "--workspace", ws, "--json")
    assert {k: json.loads(res.stdout)[k] for k in counts} == {"read": 2, "new": 0, "duplicate": 1, "quarantined": 1}
    stats = json.loads(invoke("stats", "--workspace", ws, "--json").stdout)
    assert stats["posts"] == 1 and stats["quarantined"] == 1 and stats["signals"] == 0
    q = json.loads(invoke("quarantine", "--workspace", ws, "--json").stdout)
    assert q[0]["reason"] == "no text" and "row 2" in q[0]["locator"]


def test_workspace_from_environment(tmp_path):
    ws = tmp_path / "env-ws"
    assert invoke("init", env={"MONITIO_WORKSPACE": str(ws)}).exit_code == 0
    res = invoke("stats", "--json", env={"MONITIO_WORKSPACE": str(ws)})
    assert json.loads(res.stdout)["posts"] == 0


def test_uninitialised_workspace_is_one_clear_line(tmp_path):
    res = runner.invoke(app, ["stats", "--workspace", str(tmp_path / "none")])
    assert res.exit_code == 2
    assert "monitio init --workspace" in res.stderr
    assert "Traceback" not in res.stderr and len(res.stderr.strip().splitlines()) <= 2


def test_bad_mapping_and_missing_file_are_user_errors(tmp_path):
    ws = tmp_path / "ws"
    invoke("init", "--workspace", ws)
    res = runner.invoke(app, ["ingest", str(tmp_path / "missing.csv"), "--workspace", str(ws)])
    assert res.exit_code == 2 and "no such file" in res.stderr
    f = tmp_path / "p.csv"
    f.write_text("a,b\n1,2\n", encoding="utf-8")
    res = runner.invoke(app, ["ingest", str(f), "--workspace", str(ws), "--map", "nonsense"])
    assert res.exit_code == 2 and "FIELD=COLUMN" in res.stderr
    res = runner.invoke(app, ["ingest", str(f), "--workspace", str(ws)])
    assert res.exit_code == 2 and "--map text=COLUMN" in res.stderr


def test_bad_timezone_setting_is_reported(tmp_path):
    ws = tmp_path / "ws"
    invoke("init", "--workspace", ws)
    f = tmp_path / "p.csv"
    f.write_text("text,date\nx,2026-11-01\n", encoding="utf-8")
    res = runner.invoke(app, ["ingest", str(f), "--workspace", str(ws), "--timezone", "Mars/Olympus"])
    assert res.exit_code == 2 and "unknown time zone" in res.stderr


def test_help_teaches_the_commands():
    res = invoke("--help")
    for name in ("init", "ingest", "run", "signals", "brief", "stats", "demo"):
        assert name in res.stdout
    assert "--map" in invoke("ingest", "--help").stdout


def test_users_and_tokens_from_the_cli(tmp_path):
    ws = tmp_path / "ws"
    invoke("init", "--workspace", ws)
    env = {"MONITIO_PASSWORD": "a long enough password"}
    assert (
        "added ana@example.org (analyst, Policy)"
        in invoke("users", "add", "ana@example.org", "--team", "Policy", "--workspace", ws, env=env).stdout
    )
    again = runner.invoke(app, ["users", "add", "ana@example.org", "--workspace", str(ws)], env=env)
    assert again.exit_code == 2 and again.stderr.startswith("error: a user ana@example.org exists already")
    token = invoke("tokens", "create", "ana@example.org", "--workspace", ws).stdout.strip()
    assert token.startswith("mnt_")
    (listed,) = json.loads(invoke("tokens", "list", "--workspace", ws, "--json").stdout)
    assert token.startswith(listed["prefix"]) and not listed["revoked"]
    assert "revoked token" in invoke("tokens", "revoke", listed["id"], "--workspace", ws).stdout
    assert json.loads(invoke("tokens", "list", "--workspace", ws, "--json").stdout)[0]["revoked"]
    invoke("users", "disable", "ana@example.org", "--workspace", ws)
    (ana,) = json.loads(invoke("users", "list", "--workspace", ws, "--json").stdout)
    assert ana["disabled"] is True
    nobody = runner.invoke(app, ["tokens", "create", "nobody@example.org", "--workspace", str(ws)])
    assert nobody.exit_code == 2 and "monitio users add nobody@example.org" in nobody.stderr
