"""Configuration, the `sources` commands, schedules, health, the drop folder, and resuming after SIGKILL."""

from __future__ import annotations

import json
import random
import signal
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select, update
from typer.testing import CliRunner

from monitio.cli.main import app
from monitio.sources.base import failing_sources, run_source
from monitio.sources.config import SourceConfigError, append_source, load_sources, parse_sources, set_enabled
from monitio.sources.runner import due, run_due_sources, watch_loop
from monitio.sources.watch import scan_folder
from monitio.store.schema import posts, quarantine
from monitio.store.schema_intel import source_health
from tests.fixtures.sources.replay import Replay, fixture

runner = CliRunner()


@pytest.fixture
def replay():
    r = Replay()
    yield r
    r.close()


def count(ws, table=posts) -> int:
    with ws.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar_one()


def add_rss(ws, name: str, url: str, **extra) -> None:
    append_source(ws.path, {"name": name, "kind": "rss", "url": url, "allow_private": ["127.0.0.1"], **extra})


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ({"name": "a", "kind": "rss", "url": "https://x.org", "colour": 1}, "source 'a': unknown field"),
        ({"name": "a", "kind": "rss", "url": "https://x.org", "schedule": "often"}, "schedule 'often'"),
        ({"name": "a", "kind": "rss", "url": "https://x.org", "schedule": 15}, "'schedule' must be a string"),
        ({"name": "a", "kind": "rss", "url": "https://x.org", "markets": "ID"}, "'markets' must be a list"),
        ({"name": "a", "kind": "rss", "url": "https://x.org", "enabled": "yes"}, "'enabled' must be true or false"),
        ({"name": "a", "kind": "rss"}, "source 'a': missing 'url'"),
        ({"name": "a", "kind": "rss", "url": "ftp://x.org"}, "url must be http"),
        ({"name": "a", "kind": "twitter", "url": "https://x.org"}, "kind must be one of"),
        ({"kind": "rss", "url": "https://x.org"}, "missing 'name'"),
        ({"name": "a", "kind": "http_json", "url": "https://x.org"}, "needs 'fields'"),
        (
            {"name": "a", "kind": "http_json", "url": "https://x.org", "fields": {"text": "b", "published_at": "c"}},
            "'fields' needs id",
        ),
        (
            {
                "name": "a",
                "kind": "http_json",
                "url": "https://x.org?c={cursor}",
                "fields": {"id": "i", "text": "b", "published_at": "c"},
            },
            "needs 'next_path'",
        ),
        (
            {
                "name": "a",
                "kind": "http_json",
                "url": "https://x.org?p={pg}",
                "paging": "page",
                "fields": {"id": "i", "text": "b", "published_at": "c"},
            },
            "unknown placeholder",
        ),
        ({"name": "a", "kind": "http_json", "url": "https://x.org", "paging": "pages", "fields": {}}, "'paging' must"),
        ({"name": "a", "kind": "mastodon"}, "mastodon needs 'hashtag'"),
    ],
)
def test_config_errors_name_the_source_and_field(entry, message):
    with pytest.raises(SourceConfigError, match=message.replace("(", r"\(").replace("?", r"\?")):
        parse_sources({"sources": [entry]})


def test_duplicate_names_and_bad_toml(tmp_path):
    with pytest.raises(SourceConfigError, match="duplicate"):
        parse_sources({"sources": [{"name": "a", "kind": "gdelt", "query": "x"}] * 2})
    (tmp_path / "monitio.toml").write_text("[[sources]\nname=")
    with pytest.raises(SourceConfigError, match="not valid TOML"):
        load_sources(tmp_path)


def test_append_and_enable_edit_only_their_table(tmp_path):
    toml = tmp_path / "monitio.toml"
    toml.write_text(
        '# my settings\n[monitio]\ntimezone = "UTC"\n\n[[sources]]\nname = \'b\'\nkind = "gdelt"\nquery = "x"\n'
        "\n[alerts]\nenabled = true\n"
    )
    append_source(
        tmp_path,
        {"name": "a", "kind": "rss", "url": "https://x.org/f", "markets": ["ID"], "allow_private": ["10.0.0.0/8"]},
    )
    set_enabled(tmp_path, "b", False)
    text = toml.read_text()
    assert text.startswith("# my settings") and "[alerts]\nenabled = true" in text
    by_name = {s.name: s for s in load_sources(tmp_path)}
    assert by_name["b"].enabled is False and by_name["a"].enabled and by_name["a"].allow_private == ["10.0.0.0/8"]
    with pytest.raises(SourceConfigError, match="no source named"):
        set_enabled(tmp_path, "zzz", True)
    with pytest.raises(SourceConfigError, match="duplicate"):
        append_source(tmp_path, {"name": "a", "kind": "rss", "url": "https://x.org/g"})


def test_allow_private_list_reaches_the_client():
    (src,) = parse_sources(
        {"sources": [{"name": "a", "kind": "rss", "url": "http://10.1.1.1/f", "allow_private": ["10.1.0.0/16"]}]}
    )
    assert "10.1.0.0/16" in src.connector(["192.168.0.0/16"]).client.allow


def test_sources_cli_add_test_run_list_disable_enable(ws, replay):
    replay.routes["/feed"] = [(200, {}, fixture("rss20.xml"))]
    w = ["--workspace", str(ws.path)]
    added = runner.invoke(
        app,
        [
            "sources",
            "add",
            "news",
            "--kind",
            "rss",
            "--url",
            replay.base + "/feed",
            "--market",
            "id",
            "--allow-private",
            "127.0.0.1",
            *w,
        ],
    )
    assert added.exit_code == 0, added.output
    tested = runner.invoke(app, ["sources", "test", "news", "--json", *w])
    result = json.loads(tested.stdout)
    assert result["items"] == 4 and len(result["posts"]) == 3 and result["refused"][0]["reason"]
    assert count(ws) == 0  # test stores nothing
    ran = runner.invoke(app, ["sources", "run", "--json", *w])
    assert ran.exit_code == 0 and json.loads(ran.stdout)["news"]["new"] == 3 and count(ws) == 3
    listed = json.loads(runner.invoke(app, ["sources", "list", "--json", *w]).stdout)
    assert listed[0]["name"] == "news" and listed[0]["last_success_at"] and listed[0]["items_last_run"] == 4
    assert listed[0]["lag_hours"] is not None and listed[0]["failing"] is False
    assert runner.invoke(app, ["sources", "disable", "news", *w]).exit_code == 0
    assert json.loads(runner.invoke(app, ["sources", "list", "--json", *w]).stdout)[0]["enabled"] is False
    assert run_due_sources(ws, force=True) == []
    assert runner.invoke(app, ["sources", "enable", "news", *w]).exit_code == 0
    assert load_sources(ws.path)[0].enabled
    bad = runner.invoke(app, ["sources", "add", "x", "--kind", "rss", "--url", "ftp://nope", *w])
    assert bad.exit_code == 2 and "url must be http" in bad.output
    assert runner.invoke(app, ["sources", "test", "missing", *w]).exit_code == 2


def test_gdelt_timeline_command_writes_a_series_csv(ws, replay, tmp_path):
    replay.routes["/doc"] = [(200, {}, fixture("gdelt_timeline_tone.json"))]
    append_source(
        ws.path,
        {
            "name": "gd",
            "kind": "gdelt",
            "query": "penipuan",
            "url": replay.base,
            "allow_private": True,
            "min_interval": 0,
        },
    )
    out = tmp_path / "tone.csv"
    res = runner.invoke(
        app, ["sources", "timeline", "gd", "--mode", "TimelineTone", "--csv", str(out), "--workspace", str(ws.path)]
    )
    assert res.exit_code == 0, res.output
    assert out.read_text().splitlines()[:2] == ["timestamp,value", "2026-11-24T00:00:00+00:00,-2.1345"]
    assert "mode=TimelineTone" in replay.paths()[-1]


def test_schedules_backoff_and_failing_sources(ws, replay):
    replay.routes["/feed"] = [(200, {}, fixture("atom.xml"))]
    replay.routes["/down"] = [(404, {}, b"")]
    add_rss(ws, "ok", replay.base + "/feed", schedule="15m")
    add_rss(ws, "down", replay.base + "/down", schedule="1m")
    now = datetime.now(UTC)
    first = {r.source: r for r in run_due_sources(ws, now)}
    assert first["ok"].new == 2 and "HTTP 404" in first["down"].error
    assert run_due_sources(ws, now + timedelta(seconds=30)) == []
    assert [r.source for r in run_due_sources(ws, now + timedelta(minutes=2))] == ["down"]
    # (health times are real: the run above happened about `now`) 2 failures in a row: wait 2 minutes
    assert [s.name for s in due(ws, load_sources(ws.path), now + timedelta(seconds=90))] == []
    assert [s.name for s in due(ws, load_sources(ws.path), now + timedelta(seconds=150))] == ["down"]
    assert [s.name for s in due(ws, load_sources(ws.path), now + timedelta(minutes=16))] == ["ok", "down"]
    run_due_sources(ws, force=True)
    (failing,) = failing_sources(ws, threshold=3)
    assert failing["source"] == "down" and failing["failures"] == 3 and "404" in failing["last_error"]
    replay.routes["/down"] = [(200, {}, fixture("rss091.xml"))]
    run_due_sources(ws, force=True)
    assert failing_sources(ws.engine, threshold=1) == []


def test_a_failing_source_becomes_a_signal(ws, replay):
    from monitio.detect.signals import detect_signals
    from monitio.detect.store import list_open_signals
    from monitio.net import HttpClient
    from monitio.sources.rss import RssConnector

    replay.routes["/down"] = [(503, {}, b"")]
    conn = RssConnector("flaky-feed", replay.base + "/down", client=HttpClient(allow=["127.0.0.1"], retries=0))
    for _ in range(3):
        run_source(ws.engine, conn)
    detect_signals(ws)
    (sig,) = [s for s in list_open_signals(ws.engine) if s["kind"] == "source_failing"]
    assert "flaky-feed" in sig["why"]


def test_watch_loop_runs_sources_then_the_callback_until_stopped(ws, replay):
    replay.routes["/feed"] = [(200, {}, fixture("atom.xml"))]
    add_rss(ws, "news", replay.base + "/feed", schedule="1s")
    stop = threading.Event()
    seen: list[int] = []

    def on_cycle():
        seen.append(count(ws))
        if len(seen) == 2:
            stop.set()

    thread = threading.Thread(target=lambda: seen.append(-watch_loop(ws, stop, on_cycle, interval=0.05)))
    thread.start()
    thread.join(30)
    assert not thread.is_alive() and seen[:2] == [2, 2] and seen[-1] == -2


def test_watch_loop_survives_a_broken_config_and_a_failing_callback(ws):
    (ws.path / "monitio.toml").write_text((ws.path / "monitio.toml").read_text() + "\n[[sources]]\nname = 1\n")
    stop, calls = threading.Event(), []

    def boom():
        calls.append(1)
        raise RuntimeError("enrich failed")

    threading.Timer(0.5, stop.set).start()
    assert watch_loop(ws, boom, interval=0.05, stop=stop) >= 2 and calls == []  # config error: no callback
    (ws.path / "monitio.toml").write_text(
        "[monitio]\n" + ("" if ws.settings.database_url is None else f'database_url = "{ws.settings.database_url}"\n')
    )
    stop.clear()
    threading.Timer(0.3, stop.set).start()
    assert watch_loop(ws, boom, interval=0.05, stop=stop) >= 2 and len(calls) >= 2


def test_drop_folder_imports_settled_files_and_moves_them(ws, tmp_path):
    drop = tmp_path / "drop"
    (drop / "partner-tool").mkdir(parents=True)
    (drop / "a.csv").write_text("id,text,created_at\n1,iklan penipuan,2026-11-24T08:00:00Z\n2,,2026-11-24\n")
    (drop / "b.csv").write_text("foo,bar\n1,2\n")
    (drop / "c.xlsx").write_bytes(b"PK\x03\x04 not really a workbook")
    (drop / "~$lock.xlsx").write_bytes(b"lock")
    (drop / "d.csv.part").write_text("half")
    (drop / "partner-tool" / "export-1.jsonl").write_text(
        '{"id": "p1", "text": "refund never came", "created_at": 1764000000}\n'
    )
    sizes: dict = {}
    assert scan_folder(ws, drop, settle=60, sizes=sizes) == {}  # first sight: wait until the size settles
    results = scan_folder(ws, drop, settle=0, sizes=sizes)
    assert set(results) == {"a.csv", "b.csv", "c.xlsx", "partner-tool/export-1.jsonl"}
    assert results["a.csv"].new == 1 and results["a.csv"].quarantined == 1
    assert results["b.csv"].startswith("failed: no text column") and results["c.xlsx"].startswith("failed:")
    assert (drop / "done" / "a.csv").exists() and (drop / "failed" / "b.csv.reason.txt").exists()
    assert (drop / "failed" / "c.xlsx.reason.txt").read_text().strip()
    assert (drop / "partner-tool" / "done" / "export-1.jsonl").exists()
    assert (drop / "~$lock.xlsx").exists() and (drop / "d.csv.part").exists()
    # the tool exports again under a new name: rows it already sent are not stored twice
    (drop / "partner-tool" / "export-2.jsonl").write_text(
        '{"id": "p1", "text": "refund never came", "created_at": 1764000000}\n'
        '{"id": "p2", "text": "fake ad", "created_at": 1764000100}\n'
    )
    again = scan_folder(ws, drop, settle=0)
    assert (again["partner-tool/export-2.jsonl"].new, again["partner-tool/export-2.jsonl"].duplicate) == (1, 1)
    assert count(ws) == 3 and count(ws, quarantine) == 1


def test_a_growing_file_waits_until_it_stops_changing(ws, tmp_path):
    drop = tmp_path / "drop"
    drop.mkdir()
    f = drop / "big.csv"
    f.write_text("id,text,created_at\n1,first half,2026-11-24T08:00:00Z\n")
    sizes: dict = {}
    assert scan_folder(ws, drop, settle=0.2, sizes=sizes) == {}
    with f.open("a") as fh:
        fh.write("2,second half,2026-11-24T08:00:00Z\n")
    time.sleep(0.25)
    assert scan_folder(ws, drop, settle=0.2, sizes=sizes) == {}  # it grew: the clock starts again
    time.sleep(0.25)
    assert scan_folder(ws, drop, settle=0.2, sizes=sizes)["big.csv"].new == 2


class SlowApi:
    """An API of `total` items served newest-last in pages of 10, each answer taking `delay` seconds."""

    def __init__(self, total: int = 120, delay: float = 0.15):
        self.replay = Replay()
        self.items = [{"id": i, "text": f"item {i}: scam ad report", "ts": 1764000000 + i} for i in range(1, total + 1)]

        def page(handler):
            time.sleep(delay)
            after = handler.path.split("after=")[1].split("&")[0] if "after=" in handler.path else ""
            start = int(after) if after.isdigit() else 0
            chunk = self.items[start : start + 10]
            nxt = str(start + len(chunk)) if chunk else None
            return 200, {"Content-Type": "application/json"}, json.dumps({"items": chunk, "next": nxt}).encode()

        self.replay.routes["/items"] = [(200, {}, page)]


def test_sigkill_during_a_source_run_then_restart_stores_every_item_once(ws):
    api = SlowApi()
    append_source(
        ws.path,
        {
            "name": "slow",
            "kind": "http_json",
            "url": api.replay.base + "/items?after={cursor}",
            "items_path": "items",
            "next_path": "next",
            "paging": "cursor",
            "allow_private": True,
            "fields": {"id": "id", "text": "text", "published_at": "ts"},
        },
    )
    cmd = [sys.executable, "-m", "monitio.cli.main", "sources", "run", "slow", "--workspace", str(ws.path)]
    rng = random.Random(3)
    try:
        for _ in range(4):
            proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            time.sleep(rng.uniform(1.2, 2.2))  # start-up takes ~1 s, then pages every 0.15 s
            proc.send_signal(signal.SIGKILL)
            proc.wait(timeout=30)
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        requests = len(api.replay.seen)
    finally:
        api.replay.close()
    with ws.engine.connect() as conn:
        ids = [int(x) for x in conn.execute(select(posts.c.source_id).where(posts.c.source == "slow")).scalars()]
    assert sorted(ids) == list(range(1, 121))
    assert requests < 13 + 4 * 2  # resumed from the stored cursor: at most a page or two fetched again per kill


def test_the_source_name_keys_cursor_and_posts(ws, replay):
    from monitio.sources.rss import RssConnector
    from tests.test_sources_rss import client

    replay.routes["/feed"] = [(200, {}, fixture("atom.xml"))]
    report = run_source(ws.engine, RssConnector("conn-name", replay.base + "/feed", client=client()), "configured")
    assert report.source == "configured" and report.new == 2
    with ws.engine.connect() as conn:
        assert set(conn.execute(select(posts.c.source)).scalars()) == {"configured"}
        conn.execute(update(source_health).values(consecutive_failures=0))
