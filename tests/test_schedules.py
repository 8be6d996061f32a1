"""Scheduled briefs: once per schedule and period, through the outbox, to a real SMTP server and a local
HTTP receiver, with a process restart between the scheduled time and the delivery."""

from __future__ import annotations

import email
import json
import os
import socket
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from email import policy
from pathlib import Path

import pytest
from sqlalchemy import func, select

from monitio.alerts.config import add_channel
from monitio.enrich.runner import enrich_pending
from monitio.errors import Conflict, Invalid
from monitio.pipeline import Pipeline
from monitio.records import CategoryHit, Doc, Post
from monitio.services.schedules import fire_due, latest_fire, list_schedules, save_schedule, set_enabled
from monitio.store.repo import insert_posts
from monitio.store.schema_alerts import outbox
from tests.test_alerts import Receiver

MON_0930_JKT = datetime(2026, 11, 2, 2, 30, tzinfo=UTC)  # Monday 09:30 in Asia/Jakarta (UTC+7), in the past


class Stage:
    name = "fake"

    def process(self, docs: list[Doc]) -> None:
        for d in docs:
            d.lang, d.market, d.sentiment_label = "id", "ID", "negative"
            d.categories["scam_ads"] = CategoryHit("scam_ads", "r", ["penipuan"])


def _fill(ws, start: datetime, days: int) -> None:
    batch = [
        Post.create(
            source="t",
            source_id=f"{i}",
            text=f"iklan penipuan {i}",
            published_at=start + timedelta(hours=5 * i),
            author=f"a{i}",
        )
        for i in range(days * 24 // 5)
    ]
    with ws.engine.begin() as conn:
        insert_posts(conn, batch)
    enrich_pending(ws.engine, Pipeline([Stage()]), batch_size=100)


def _queued(ws) -> list:
    with ws.engine.connect() as conn:
        return conn.execute(
            select(outbox.c.series_key, outbox.c.payload).where(outbox.c.schedule_id.is_not(None))
        ).all()


@pytest.fixture
def hook_ws(ws):
    with ws.engine.begin() as conn:
        add_channel(conn, "policy-hook", "webhook", {"url": "http://127.0.0.1:9/hook", "secret": "s"}, actor="t")
    return ws


def test_latest_fire_in_the_schedules_zone():
    assert latest_fire("0 9 * * MON", "Asia/Jakarta", MON_0930_JKT) == datetime(2026, 11, 2, 2, 0, tzinfo=UTC)
    before = MON_0930_JKT - timedelta(hours=1)  # 08:30 in Jakarta: last week's Monday
    assert latest_fire("0 9 * * MON", "Asia/Jakarta", before) == datetime(2026, 10, 26, 2, 0, tzinfo=UTC)


def test_each_period_is_queued_once_and_a_missed_run_once(hook_ws):
    ws = hook_ws
    _fill(ws, datetime(2026, 10, 19, tzinfo=UTC), 14)
    made = MON_0930_JKT - timedelta(days=3)
    save_schedule(ws, "weekly", cron="0 9 * * MON", tz="Asia/Jakarta", period="week", markets=["ID"],
                  formats="md,xlsx", channel_names=["policy-hook"], now=made)  # fmt: skip
    # the process was down at 09:00; it comes back at 09:30 and at 11:00: one brief, for 2026-W44
    assert fire_due(ws, now=MON_0930_JKT) == {"weekly": 1}
    assert fire_due(ws, now=MON_0930_JKT + timedelta(hours=2)) == {}
    rows = _queued(ws)
    assert len(rows) == 1 and rows[0].series_key == "brief:weekly:2026-W44-ID"
    assert (
        rows[0].payload["summary"] and rows[0].payload["since"] == "2026-10-25T17:00:00+00:00"
    )  # Monday 00:00 in Jakarta
    # a week later the next period goes out, once
    assert fire_due(ws, now=MON_0930_JKT + timedelta(days=7)) == {"weekly": 1}
    assert [r.series_key for r in _queued(ws)][-1] == "brief:weekly:2026-W45-ID"


def test_a_changed_schedule_does_not_resend_old_periods(hook_ws):
    ws = hook_ws
    _fill(ws, datetime(2026, 10, 26, tzinfo=UTC), 7)
    save_schedule(ws, "weekly", cron="0 9 * * MON", tz="Asia/Jakarta", channel_names=["policy-hook"],
                  formats="md", now=MON_0930_JKT - timedelta(days=2))  # fmt: skip
    assert fire_due(ws, now=MON_0930_JKT) == {"weekly": 1}
    # changed at 10:00 (new format): this week's 09:00 run is before the change, so nothing is resent
    save_schedule(ws, "weekly", cron="0 9 * * MON", tz="Asia/Jakarta", channel_names=["policy-hook"],
                  formats="md,xlsx", replace=True, now=MON_0930_JKT + timedelta(minutes=30))  # fmt: skip
    assert fire_due(ws, now=MON_0930_JKT + timedelta(hours=1)) == {}
    # disabled, then enabled: periods missed while disabled are not sent
    set_enabled(ws, "weekly", False, now=MON_0930_JKT + timedelta(days=1))
    assert fire_due(ws, now=MON_0930_JKT + timedelta(days=7)) == {}
    set_enabled(ws, "weekly", True, now=MON_0930_JKT + timedelta(days=7, hours=1))
    assert fire_due(ws, now=MON_0930_JKT + timedelta(days=7, hours=2)) == {}
    assert len(_queued(ws)) == 1


def test_schedule_input_is_checked(hook_ws):
    ws = hook_ws
    with pytest.raises(Invalid, match="cron"):
        save_schedule(ws, "x", cron="every monday", channel_names=["policy-hook"])
    with pytest.raises(Invalid, match="time zone"):
        save_schedule(ws, "x", cron="0 9 * * MON", tz="Mars/Olympus", channel_names=["policy-hook"])
    with pytest.raises(Invalid, match="somewhere to send"):
        save_schedule(ws, "x", cron="0 9 * * MON")
    with pytest.raises(Invalid, match="e-mail channel"):
        save_schedule(ws, "x", cron="0 9 * * MON", emails=["policy@example.org"])
    with pytest.raises(Invalid, match="not an e-mail address"):
        save_schedule(ws, "x", cron="0 9 * * MON", emails=["a@b.org\r\nBcc: evil@x.org"])
    save_schedule(ws, "x", cron="0 9 * * MON", channel_names=["policy-hook"])
    with pytest.raises(Conflict):
        save_schedule(ws, "x", cron="0 9 * * MON", channel_names=["policy-hook"])


def test_toml_schedules_are_kept_in_step(hook_ws):
    ws = hook_ws
    ws.settings.schedules = [
        {"name": "daily-id", "cron": "0 8 * * *", "tz": "Asia/Jakarta", "period": "day", "markets": ["id"],
         "channels": ["policy-hook"], "formats": "md"}
    ]  # fmt: skip
    fire_due(ws, now=MON_0930_JKT)
    (s,) = list_schedules(ws)
    assert (s.name, s.origin, s.period, s.scope["markets"]) == ("daily-id", "toml", "day", ["ID"])
    first = s.starts_after
    fire_due(ws, now=MON_0930_JKT + timedelta(hours=1))
    assert list_schedules(ws)[0].starts_after == first  # unchanged settings: not re-made


def _smtp():
    controller_mod = pytest.importorskip("aiosmtpd.controller", reason="aiosmtpd is not installed")
    received: list[bytes] = []

    class Handler:
        async def handle_DATA(self, server, session, envelope):
            received.append(envelope.content)
            return "250 OK"

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = controller_mod.Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    return controller, port, received


def _run(ws, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": os.getcwd()}
    return subprocess.run(
        [str(Path(sys.executable).parent / "monitio"), *args, "--workspace", str(ws.path)],
        capture_output=True, text=True, timeout=300, env=env, check=False,
    )  # fmt: skip


def test_delivered_once_across_a_process_restart(ws):
    controller, port, received = _smtp()
    rx = Receiver()
    try:
        toml = ws.path / "monitio.toml"
        toml.write_text(
            toml.read_text() + '\noutbound_allow = ["127.0.0.1"]\npublic_url = "https://monitio.example.org"\n'
        )
        _fill(ws, datetime.now(UTC) - timedelta(days=3), 3)
        with ws.engine.begin() as conn:
            add_channel(conn, "mail", "email", {"host": "127.0.0.1", "port": port, "to": ["ops@example.org"],
                                                "from": "monitio@example.org"}, actor="t")  # fmt: skip
            add_channel(conn, "policy-slack", "slack", {"url": rx.url}, actor="t")
        save_schedule(ws, "daily", cron="* * * * *", tz="UTC", period="day", formats="md,xlsx",
                      emails=["policy-id@example.org", "lead@example.org"], channel_names=["policy-slack"],
                      now=datetime.now(UTC) - timedelta(minutes=5))  # fmt: skip
        # process 1 reaches the scheduled time, queues the brief, and stops before delivering
        code = "from monitio.workspace import open_workspace; from monitio.services.schedules import fire_due; "
        code += f"print(fire_due(open_workspace({str(ws.path)!r})))"
        first = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300,
                               env={**os.environ, "PYTHONPATH": os.getcwd()}, check=False)  # fmt: skip
        assert first.returncode == 0, first.stderr
        assert "'daily': 3" in first.stdout and received == [] and rx.bodies == []
        # process 2 (a restart) delivers; process 3 finds nothing left to send
        for _ in range(2):
            done = _run(ws, "alerts", "deliver")
            assert done.returncode == 0, done.stderr + done.stdout
        again = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300,
                               env={**os.environ, "PYTHONPATH": os.getcwd()}, check=False)  # fmt: skip
        assert "{}" in again.stdout
        assert _run(ws, "alerts", "deliver").returncode == 0
        assert len(received) == 2 and len(rx.bodies) == 1
        messages = [email.message_from_bytes(m, policy=policy.default) for m in received]
        assert sorted(m["To"] for m in messages) == ["lead@example.org", "policy-id@example.org"]
        for m in messages:
            html = m.get_body(preferencelist=("html",)).get_content()
            assert "<li>" in html and "Risk brief" in m["Subject"]
            names = sorted(part.get_filename() for part in m.iter_attachments())
            assert len(names) == 2 and names[0].endswith(".md") and names[1].endswith(".xlsx")
        text = json.dumps(rx.bodies[0])
        assert "Risk brief" in text and "https://monitio.example.org/briefs" in text
    finally:
        controller.stop()
        rx.close()
    with ws.engine.connect() as conn:
        assert (
            conn.execute(select(func.count()).select_from(outbox).where(outbox.c.status == "delivered")).scalar() == 3
        )


def test_alert_messages_read_well(ws):
    from monitio.alerts.formats import email as alert_email
    from monitio.alerts.outbox import _alert

    post = {"text": "<script>alert(1)</script> video palsu", "market": "ID", "lang": "id"}
    signal = {"id": 7, "kind": "emerging_narrative", "severity": 8, "categories": ["deepfake_impersonation"],
              "markets": ["ID", "MY"], "why": "A story grew fast", "first_seen": "2026-12-01T00:00:00Z",
              "evidence": [post]}  # fmt: skip
    alert = _alert(signal, "https://m.example.org", {"deepfake_impersonation": "Deepfakes and impersonation"})
    assert alert["title"] == "Emerging narrative: Deepfakes and impersonation (Indonesia, Malaysia)"
    subject, text, html = alert_email(alert)
    assert "deepfake_impersonation" not in subject + text and "video palsu" in text
    assert "<script>" not in html and "&lt;script&gt;" in html and "https://m.example.org/signals/7" in html
