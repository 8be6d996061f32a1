"""Alert delivery hardening: one outbound guard for every transport, errors without a port-scan
oracle, one bad channel never blocking the others, channel settings checked when saved."""

from __future__ import annotations

import socket
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import insert, select
from typer.testing import CliRunner

from monitio.alerts import transport
from monitio.alerts.config import AlertConfigError, add_channel, add_rule, check_channel
from monitio.alerts.outbox import deliver_due, enqueue
from monitio.cli.main import app
from monitio.store.schema_alerts import channels, outbox
from tests.test_alerts import SECRET, Receiver, _signal

runner = CliRunner()


class Smtp:
    """A real SMTP server (aiosmtpd) on 127.0.0.1 that records what it receives."""

    def __init__(self):
        controller = pytest.importorskip("aiosmtpd.controller", reason="aiosmtpd is not installed")
        self.received: list[str] = []
        owner = self

        class Handler:
            async def handle_DATA(self, server, session, envelope):
                owner.received.append(envelope.content.decode("utf-8", "replace"))
                return "250 OK"

        self.port = _free_port()
        self.controller = controller.Controller(Handler(), hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def close(self):
        self.controller.stop()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _silent_port() -> tuple[socket.socket, int]:
    """A port that accepts connections and never answers (a timeout, not a refusal)."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    s.listen(8)
    return s, s.getsockname()[1]


def _mail(port: int, **kw) -> dict:
    return {"host": "127.0.0.1", "port": port, "to": ["policy@example.org"], **kw}


def _outcomes(ws) -> dict[str, tuple[str, str | None]]:
    with ws.engine.connect() as conn:
        rows = conn.execute(
            select(channels.c.name, outbox.c.status, outbox.c.last_error).join(
                channels, channels.c.id == outbox.c.channel_id
            )
        ).all()
    return {r.name: (r.status, r.last_error) for r in rows}


def test_smtp_to_loopback_is_refused_like_a_webhook_unless_allowed(ws):
    smtp = Smtp()
    try:
        with ws.engine.begin() as conn:
            mail = add_channel(conn, "mail", "email", _mail(smtp.port), actor="t")
            add_rule(conn, "r", channel_ids=[mail], actor="t")
            enqueue(conn, [_signal(1)])
        deliver_due(ws.engine, allow=[])
        status, error = _outcomes(ws)["mail"]
        assert status == "dead" and "private or local" in error and smtp.received == []
        with ws.engine.begin() as conn:
            enqueue(conn, [_signal(2, key="other")])
        deliver_due(ws.engine, allow=["127.0.0.1/32"])
        assert len(smtp.received) == 1 and "[sev 7]" in smtp.received[0]
    finally:
        smtp.close()


def test_connection_errors_read_the_same_whatever_the_port_state(ws, monkeypatch):
    monkeypatch.setattr(transport, "TIMEOUT", 0.5)
    silent, silent_port = _silent_port()
    closed_port = _free_port()
    try:
        with ws.engine.begin() as conn:
            ids = [
                add_channel(conn, "mail-closed", "email", _mail(closed_port), actor="t"),
                add_channel(conn, "mail-silent", "email", _mail(silent_port), actor="t"),
                add_channel(conn, "hook-closed", "slack", {"url": f"http://127.0.0.1:{closed_port}/h"}, actor="t"),
                add_channel(conn, "hook-silent", "slack", {"url": f"http://127.0.0.1:{silent_port}/h"}, actor="t"),
            ]
            add_rule(conn, "r", channel_ids=ids, actor="t")
            enqueue(conn, [_signal(1)])
        deliver_due(ws.engine, allow=["127.0.0.1"])
        outcomes = _outcomes(ws)
        assert {error for _, error in outcomes.values()} == {"could not connect to 127.0.0.1"}, outcomes
        assert {status for status, _ in outcomes.values()} == {"pending"}  # retried later
    finally:
        silent.close()


def _raw_channel(conn, name: str, kind: str, config: dict) -> int:
    """A channel stored without the checks (as one saved by an older version could be)."""
    now = datetime.now(UTC)
    return conn.execute(
        insert(channels)
        .values(name=name, kind=kind, config=config, enabled=True, created_at=now, updated_at=now)
        .returning(channels.c.id)
    ).scalar_one()


def test_a_bad_channel_marks_only_its_own_items_and_never_stops_delivery(ws, tmp_path):
    rx = Receiver()
    try:
        with ws.engine.begin() as conn:
            crlf = _raw_channel(conn, "crlf", "email", {"to": "a@example.org\r\nBcc: x@evil.test", "port": 25})
            port = _raw_channel(conn, "port", "email", {"to": ["a@example.org"], "port": "twenty-five"})
            good = add_channel(conn, "good", "webhook", {"url": rx.url, "secret": SECRET}, actor="t")
            add_rule(conn, "all", channel_ids=[crlf, port, good], actor="t")
            enqueue(conn, [_signal(i) for i in range(3)])
        counts = deliver_due(ws.engine, allow=["127.0.0.1"])
        assert counts == {"delivered": 3, "retry": 0, "dead": 6}
        assert len(rx.accepted) == 3
        with ws.engine.connect() as conn:
            rows = conn.execute(select(outbox.c.channel_id, outbox.c.status, outbox.c.last_error)).all()
        bad = [r for r in rows if r.channel_id in (crlf, port)]
        assert all(r.status == "dead" and r.last_error.startswith("invalid channel") for r in bad)
        assert any("'to'" in r.last_error for r in bad) and any("'port'" in r.last_error for r in bad)
        listing = runner.invoke(app, ["alerts", "list", "--workspace", str(ws.settings.workspace)])
        assert listing.exit_code == 0, listing.output
        assert listing.output.count("dead delivery") == 6 and "is not a port number" in listing.output
    finally:
        rx.close()


def test_alerts_deliver_and_run_exit_0_with_a_broken_channel(tmp_path):
    wsdir = tmp_path / "w"
    assert runner.invoke(app, ["init", "--workspace", str(wsdir)]).exit_code == 0
    from monitio.workspace import open_workspace

    ws = open_workspace(wsdir)
    with ws.engine.begin() as conn:
        bad = _raw_channel(conn, "crlf", "email", {"to": "a@example.org\r\nBcc: x@evil.test"})
        add_rule(conn, "all", channel_ids=[bad], min_severity=1, actor="t")
        enqueue(conn, [_signal(1)])
    ws.engine.dispose()
    res = runner.invoke(app, ["alerts", "deliver", "--workspace", str(wsdir), "--json"])
    assert res.exit_code == 0, res.output
    assert '"dead": 1' in res.output
    res = runner.invoke(app, ["alerts", "list", "--workspace", str(wsdir), "--json"])
    assert '"reason": "invalid channel' in res.output


@pytest.mark.parametrize(
    ("kind", "config", "field"),
    [
        ("email", {"to": "a@example.org\r\nBcc: x@evil.test"}, "'to'"),
        ("email", {"to": ["a@example.org", "b@example.org\nX: y"]}, "'to'"),
        ("email", {"to": "a@example.org", "port": "abc"}, "'port'"),
        ("email", {"to": "a@example.org", "port": 70000}, "'port'"),
        ("email", {"to": "a@example.org", "host": "mail\r\n.example.org"}, "'host'"),
        ("email", {"to": "a@example.org", "from": "x@y.org\r\nBcc: z@evil.test"}, "'from'"),
        ("slack", {"url": "https://hooks.example.org:99999/x"}, "port"),
        ("slack", {"url": "https://hooks.example.org/x\r\nHost: evil"}, "url"),
    ],
)
def test_channel_settings_are_checked_when_saved(ws, kind, config, field):
    with ws.engine.begin() as conn, pytest.raises(AlertConfigError, match=field):
        add_channel(conn, "c", kind, config, actor="t")


def test_the_api_refuses_a_bad_channel_with_422(ws):
    from tests.api_helpers import Api

    api = Api(ws)
    r = api.call(
        "admin", "POST", "/api/v1/alerts/channels", json={"name": "m", "kind": "email", "config": {"to": "a@b.org\r\n"}}
    )
    assert r.status_code == 422 and "'to'" in r.json()["error"]["message"]
    r = api.call(
        "admin",
        "POST",
        "/api/v1/alerts/channels",
        json={"name": "m", "kind": "email", "config": {"to": "a@b.org", "port": "x"}},
    )
    assert r.status_code == 422 and "'port'" in r.json()["error"]["message"]


@settings(max_examples=200, deadline=None)
@given(to=st.text(max_size=60), port=st.one_of(st.integers(), st.text(max_size=8)), host=st.text(max_size=30))
def test_checked_email_settings_never_carry_a_line_break(to, port, host):
    try:
        config = check_channel("email", {"to": to, "port": port, "host": host})
    except AlertConfigError:
        return
    assert all("\r" not in a and "\n" not in a for a in config["to"])
    assert isinstance(config["port"], int) and 1 <= config["port"] <= 65535
    assert not any(c in config["host"] for c in "\r\n \t")


def test_channel_add_warns_about_a_target_outbound_allow_does_not_allow(tmp_path):
    wsdir = tmp_path / "w"
    assert runner.invoke(app, ["init", "--workspace", str(wsdir)]).exit_code == 0
    args = ["alerts", "channel-add", "--workspace", str(wsdir)]
    res = runner.invoke(app, [*args, "loop", "--kind", "slack", "--url", "http://127.0.0.1:9/hook"])
    assert res.exit_code == 0 and "warning:" in res.output and "private or local" in res.output
    res = runner.invoke(app, [*args, "mail", "--kind", "email", "--to", "a@example.org", "--smtp-host", "10.1.2.3"])
    assert res.exit_code == 0 and "warning:" in res.output
    res = runner.invoke(app, [*args, "pub", "--kind", "slack", "--url", "https://8.8.8.8/hook"])
    assert res.exit_code == 0 and "warning" not in res.output
    (wsdir / "monitio.toml").write_text('[monitio]\noutbound_allow = ["127.0.0.1/32"]\n')
    res = runner.invoke(app, [*args, "ok", "--kind", "slack", "--url", "http://127.0.0.1:9/hook"])
    assert res.exit_code == 0 and "warning" not in res.output
