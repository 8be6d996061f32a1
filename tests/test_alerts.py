"""Alert delivery against real local servers: a flaky HTTP receiver and an SMTP server."""

from __future__ import annotations

import json
import random
import threading
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sqlalchemy import func, select

from monitio.alerts.config import AlertConfigError, add_channel, add_rule
from monitio.alerts.outbox import Backoff, deliver_due, enqueue
from monitio.alerts.transport import blocked_reason, sign
from monitio.store.schema_alerts import deliveries, outbox

SECRET = "shared-secret"


class Receiver:
    """An HTTP server on 127.0.0.1 that fails a share of requests and records accepted keys."""

    def __init__(self, fail_share: float = 0.0, seed: int = 1):
        self.accepted: list[str] = []
        self.bodies: list[dict] = []
        self.bad_signatures = 0
        rng = random.Random(seed)
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                if rng.random() < fail_share:
                    self.send_response(503)
                    self.end_headers()
                    return
                if self.headers.get("X-Monitio-Signature"):
                    expected = sign(SECRET, self.headers["X-Monitio-Timestamp"], body)
                    if expected != self.headers["X-Monitio-Signature"]:
                        owner.bad_signatures += 1
                owner.accepted.append(self.headers["Idempotency-Key"])
                owner.bodies.append(json.loads(body))
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()


def _signal(i: int, severity: int = 7, key: str | None = None, category: str = "scam_ads") -> dict:
    return {
        "id": i,
        "key": key or f"spike:cat={category}:{i}",
        "kind": "spike",
        "severity": severity,
        "categories": [category],
        "markets": ["ID"],
        "why": f"Scam ads in Indonesia, event {i}",
        "first_seen": "2026-11-20T10:00:00Z",
        "evidence": [{"text": "iklan penipuan investasi"}],
    }


def _drain(ws, allow, rounds=60):
    """Deliver until nothing is pending, moving the clock past each backoff."""
    now = datetime.now(UTC)
    for _ in range(rounds):
        deliver_due(
            ws.engine,
            now=now,
            allow=allow,
            backoff=Backoff(base_seconds=1, cap_seconds=30),
            rng=random.Random(3),
        )
        with ws.engine.connect() as conn:
            pending = conn.execute(
                select(func.count()).select_from(outbox).where(outbox.c.status == "pending")
            ).scalar()
        if not pending:
            return
        now += timedelta(seconds=60)


def test_every_alert_is_delivered_once_through_a_flaky_receiver(ws):
    rx = Receiver(fail_share=0.4, seed=7)
    try:
        with ws.engine.begin() as conn:
            hook = add_channel(conn, "hook", "webhook", {"url": rx.url, "secret": SECRET}, actor="test")
            slack = add_channel(conn, "slack", "slack", {"url": rx.url}, actor="test")
            add_rule(conn, "all", channel_ids=[hook, slack], actor="test")
            queued = enqueue(conn, [_signal(i) for i in range(40)])
        assert queued == 80
        _drain(ws, allow=["127.0.0.1"])
        with ws.engine.connect() as conn:
            statuses = conn.execute(select(outbox.c.status, func.count()).group_by(outbox.c.status)).all()
            attempts = conn.execute(select(func.count()).select_from(deliveries)).scalar()
        assert dict(statuses) == {"delivered": 80}
        assert len(rx.accepted) == 80 and len(set(rx.accepted)) == 80
        assert attempts > 80  # some attempts failed and were retried
        assert rx.bad_signatures == 0
        webhook_bodies = [b for b in rx.bodies if b.get("event") == "signal"]
        assert len(webhook_bodies) == 40 and all("alert" in b for b in webhook_bodies)
    finally:
        rx.close()


def test_dedup_cooldown_and_escalation(ws):
    rx = Receiver()
    try:
        with ws.engine.begin() as conn:
            ch = add_channel(conn, "teams", "teams", {"url": rx.url}, actor="test")
            add_rule(conn, "scams", channel_ids=[ch], categories=["scam_ads"], min_severity=5, actor="test")
            assert enqueue(conn, [_signal(1, 6, key="s1")]) == 1
            assert enqueue(conn, [_signal(1, 6, key="s1")]) == 0  # same alert again: deduplicated
            assert enqueue(conn, [_signal(1, 6, key="s1")], now=datetime.now(UTC) + timedelta(minutes=5)) == 0
            assert enqueue(conn, [_signal(1, 9, key="s1")]) == 1  # escalation re-fires
            assert enqueue(conn, [_signal(2, 4)]) == 0  # below min_severity
            assert enqueue(conn, [_signal(3, 9, category="payments_refunds")]) == 0  # other category
        _drain(ws, allow=["127.0.0.1"])
        cards = [b["attachments"][0]["content"] for b in rx.bodies]
        assert [c["body"][0]["text"] for c in cards] == [
            "[sev 6] Spike: scam ads (Indonesia)",
            "[sev 9] Spike: scam ads (Indonesia)",
        ]
    finally:
        rx.close()


def test_loopback_and_private_addresses_are_refused_unless_allowed(ws):
    for url in (
        "http://127.0.0.1/x",
        "http://10.1.2.3/x",
        "http://169.254.169.254/latest",
        "http://[::1]/x",
        "http://localhost/x",
        "ftp://example.org/x",
    ):
        assert blocked_reason(url, allow=[]) is not None, url
    assert blocked_reason("http://10.1.2.3/x", allow=["10.0.0.0/8"]) is None
    rx = Receiver()
    try:
        with ws.engine.begin() as conn:
            ch = add_channel(conn, "lark", "lark", {"url": rx.url}, actor="test")
            add_rule(conn, "r", channel_ids=[ch], actor="test")
            enqueue(conn, [_signal(1)])
        deliver_due(ws.engine, allow=[])
        with ws.engine.connect() as conn:
            row = conn.execute(select(outbox.c.status, outbox.c.last_error)).one()
        assert row.status == "dead" and "private or local" in row.last_error and rx.accepted == []
    finally:
        rx.close()


def test_email_alerts_reach_a_real_smtp_server(ws):
    aiosmtpd = pytest.importorskip("aiosmtpd.controller", reason="aiosmtpd is not installed")
    received = []

    class Handler:
        async def handle_DATA(self, server, session, envelope):
            received.append(envelope.content.decode("utf-8", "replace"))
            return "250 OK"

    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = aiosmtpd.Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        with ws.engine.begin() as conn:
            ch = add_channel(
                conn,
                "mail",
                "email",
                {
                    "host": "127.0.0.1",
                    "port": port,
                    "to": ["policy@example.org"],
                    "from": "monitio@example.org",
                },
                actor="test",
            )
            add_rule(conn, "mail", channel_ids=[ch], actor="test")
            enqueue(conn, [_signal(5, 8)], base_url="https://monitio.example.org")
        deliver_due(ws.engine, allow=["127.0.0.1"])
        assert len(received) == 1
        assert "Subject: [sev 8] Spike: scam ads (Indonesia)" in received[0]
        assert "https://monitio.example.org/signals/5" in received[0]
    finally:
        controller.stop()


def test_bad_channel_and_rule_definitions(ws):
    with ws.engine.begin() as conn:
        with pytest.raises(AlertConfigError, match="secret"):
            add_channel(conn, "h", "webhook", {"url": "https://example.org"}, actor="t")
        with pytest.raises(AlertConfigError, match="unknown channel kind"):
            add_channel(conn, "p", "pager", {"url": "https://example.org"}, actor="t")
        with pytest.raises(AlertConfigError, match="no channel"):
            add_rule(conn, "r", channel_ids=[99], actor="t")


def _signal_with(evidence: list[dict]) -> dict:
    return {
        "severity": 7,
        "kind": "spike",
        "categories": ["scam_ads"],
        "markets": ["ID"],
        "why": "Scam-ad complaints in Indonesia: 40 posts in 6 h",
        "evidence": evidence,
    }


def test_rule_queries_see_the_stored_enrichment_of_evidence_posts():
    from monitio.alerts.config import Rule

    def rule(query: str) -> Rule:
        return Rule(1, "r", True, [], [], [], 1, query, [1], 60)

    post = {
        "post_id": 5,
        "source": "s",
        "source_id": "5",
        "text": "invest now, WA me",
        "published_at": "2026-11-02T10:00:00+00:00",
        "lang": "id",
        "market": "ID",
        "categories": ["scam_ads"],
        "indicators": {"messaging": ["whatsapp:+6281234567890"]},
    }
    assert rule("has:messaging").matches(_signal_with([post]))
    assert not rule("has:wallet").matches(_signal_with([post]))
    assert rule("invest lang:id category:scam_ads").matches(_signal_with([post]))
    assert not rule("has:messaging").matches(_signal_with([]))
    assert rule('"scam-ad complaints"').matches(_signal_with([]))  # the why text still counts
