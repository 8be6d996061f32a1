"""Auth hardening: tokens die with disablement, a maximum token lifetime per role, no password path
for service accounts, and a login rate limit keyed on the real client address."""

from __future__ import annotations

import socket
import threading
import time
from datetime import UTC, datetime

import httpx
import pytest
from sqlalchemy import update
from typer.testing import CliRunner

from monitio.auth.secrets import TOKEN_PREFIX, hash_password
from monitio.auth.users import AuthError, add_user, create_token, get_user, update_user, user_for_token
from monitio.cli.main import app
from monitio.store.schema_collab import users
from tests.api_helpers import PASSWORD, Api

runner = CliRunner()


def login(client, email, password, **kw):
    return client.post("/api/v1/auth/login", json={"email": email, "password": password}, **kw)


def test_tokens_die_with_disablement_and_stay_dead_after_enabling(ws):
    api = Api(ws)
    uid = api.users["analyst"].id
    assert api.call("analyst", "GET", "/api/v1/me").status_code == 200
    assert api.call("admin", "PATCH", f"/api/v1/users/{uid}", json={"disabled": True}).status_code == 200
    assert api.call("admin", "PATCH", f"/api/v1/users/{uid}", json={"disabled": False}).status_code == 200
    assert api.call("analyst", "GET", "/api/v1/me").status_code == 401  # the old token stays dead
    tokens = api.call("admin", "GET", "/api/v1/tokens").json()["items"]
    assert [t["revoked"] for t in tokens if t["user"] == "ana@example.org"] == [True]
    assert login(api.client, "ana@example.org", PASSWORD).status_code == 200  # the person is back
    with ws.engine.begin() as conn:
        token, _ = create_token(conn, get_user(conn, user_id=uid), "new", actor="t")
        assert user_for_token(conn, token) is not None


def test_token_lifetime_is_capped_per_role(ws):
    api = Api(ws)
    never = api.call("analyst", "POST", "/api/v1/tokens", json={"name": "forever", "days": None})
    assert never.status_code == 422 and "at most 90 days" in never.json()["error"]["message"]
    assert api.call("analyst", "POST", "/api/v1/tokens", json={"days": 3000}).status_code == 422
    assert api.call("analyst", "POST", "/api/v1/tokens", json={"days": 30}).status_code == 201
    with ws.engine.begin() as conn:
        service = api.users["service"]
        create_token(conn, service, "ingest", days=365, actor="t")
        with pytest.raises(AuthError, match="at most 7 days"):
            create_token(conn, service, "ingest", days=30, actor="t", limits={"service": 7})
        create_token(conn, service, "forever", days=None, actor="t", limits={"service": 0})  # allowed by setting
    ws.settings.token_max_days = {"analyst": 10}
    capped = api.call("analyst", "POST", "/api/v1/tokens", json={"days": 30})
    assert capped.status_code == 422 and "at most 10 days" in capped.json()["error"]["message"]


def test_cli_refuses_a_never_expiring_token_unless_configured(tmp_path):
    wsdir = tmp_path / "w"
    assert runner.invoke(app, ["init", "--workspace", str(wsdir)]).exit_code == 0
    env = {"MONITIO_PASSWORD": PASSWORD}
    assert runner.invoke(app, ["users", "add", "a@example.org", "--workspace", str(wsdir)], env=env).exit_code == 0
    res = runner.invoke(app, ["tokens", "create", "a@example.org", "--days", "0", "--workspace", str(wsdir)])
    assert res.exit_code == 2 and "at most 90 days" in res.output
    env = {"MONITIO_TOKEN_MAX_DAYS": '{"analyst": 0}'}
    res = runner.invoke(app, ["tokens", "create", "a@example.org", "--days", "0", "--workspace", str(wsdir)], env=env)
    assert res.exit_code == 0 and TOKEN_PREFIX in res.output


def test_service_accounts_have_no_password_path(ws):
    api = Api(ws)
    with ws.engine.begin() as conn, pytest.raises(AuthError, match="no password"):
        add_user(conn, "svc2@example.org", "service", "a long enough password", actor="t")
    r = api.call(
        "admin", "POST", "/api/v1/users", json={"email": "s3@example.org", "role": "service", "password": "x" * 20}
    )
    assert r.status_code == 422
    # A service account that has a password from before (or an analyst turned service) cannot use it:
    with ws.engine.begin() as conn:
        conn.execute(
            update(users).where(users.c.email == "svc@example.org").values(password_hash=hash_password(PASSWORD))
        )
    right = login(api.client, "svc@example.org", PASSWORD)
    wrong = login(api.client, "svc@example.org", "not the password!")
    assert right.status_code == wrong.status_code == 401 and right.json() == wrong.json()  # no oracle
    with ws.engine.begin() as conn:
        update_user(conn, api.users["analyst"].id, role="service", actor="t")
    assert login(api.client, "ana@example.org", PASSWORD).status_code == 401
    with ws.engine.connect() as conn:
        assert conn.execute(users.select().where(users.c.email == "ana@example.org")).one().password_hash is None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Served:
    """The app under a real uvicorn server (with the options `monitio serve` uses) in a thread."""

    def __init__(self, ws):
        import uvicorn

        from monitio.api.app import create_app
        from monitio.api.security import server_options

        self.port = _free_port()
        config = uvicorn.Config(
            create_app(ws, cookie_secure=False),
            host="127.0.0.1",
            port=self.port,
            log_level="error",
            **server_options(ws.settings),
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started and time.monotonic() < deadline:
            time.sleep(0.05)
        self.base = f"http://127.0.0.1:{self.port}"

    def close(self):
        self.server.should_exit = True
        self.thread.join(10)


def _spoofed_attempts(base: str, n: int) -> list[int]:
    with httpx.Client(base_url=base) as client:
        return [
            login(
                client, "ana@example.org", "wrong password!", headers={"X-Forwarded-For": f"203.0.113.{i}"}
            ).status_code
            for i in range(n)
        ]


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_x_forwarded_for_from_an_untrusted_peer_does_not_reset_the_login_limit(ws):
    with ws.engine.begin() as conn:
        add_user(conn, "ana@example.org", "analyst", PASSWORD, actor="t")
        conn.execute(update(users).values(created_at=datetime.now(UTC)))
    served = Served(ws)
    try:
        codes = _spoofed_attempts(served.base, 6)
    finally:
        served.close()
    assert codes[:5] == [401] * 5 and codes[5] == 429


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_a_trusted_proxy_list_makes_x_forwarded_for_the_client_address(ws):
    ws.settings.trusted_proxies = ["127.0.0.1"]
    with ws.engine.begin() as conn:
        add_user(conn, "ana@example.org", "analyst", PASSWORD, actor="t")
        add_user(conn, "bob@example.org", "analyst", PASSWORD, actor="t")
    served = Served(ws)
    try:
        codes = _spoofed_attempts(served.base, 4)
        with httpx.Client(base_url=served.base) as client:
            me = [
                login(
                    client, "bob@example.org", "wrong password!", headers={"X-Forwarded-For": "198.51.100.7"}
                ).status_code
                for _ in range(6)
            ]
    finally:
        served.close()
    assert codes == [401] * 4
    assert me[:5] == [401] * 5 and me[5] == 429  # one forwarded client is still limited
