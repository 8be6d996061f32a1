"""System messages on the dashboard come only from server-side state, never from the URL."""

from __future__ import annotations

import re

import pytest

from tests.api_helpers import PASSWORD, Api
from tests.test_web_forms import _login

SPOOF = "Your account is locked: call 555-0100"


@pytest.fixture
def api(ws):
    return Api(ws)


def test_url_parameters_cannot_put_text_in_a_system_message(api):
    page = api.client.get("/login", params={"error": SPOOF, "flash": SPOOF})
    assert page.status_code == 200 and "555-0100" not in page.text
    _login(api, "admin@example.org")
    for url in ("/", "/settings", "/signals", "/cases", "/search"):
        res = api.client.get(url, params={"flash": SPOOF, "error": SPOOF, "new_token": "mnt_" + SPOOF})
        assert res.status_code == 200 and "555-0100" not in res.text, url
    assert "New token (shown once)" not in api.client.get("/settings", params={"new_token": "mnt_x"}).text


def test_a_real_message_is_shown_once(api):
    csrf = _login(api, "admin@example.org")
    res = api.client.post(
        "/settings/channels",
        data={"csrf_token": csrf, "name": "s", "kind": "slack", "url": "https://hooks.example.org/x"},
        follow_redirects=False,
    )
    assert res.status_code == 303 and "flash" not in res.headers["location"] and "added" not in res.headers["location"]
    first = api.client.get(res.headers["location"])
    assert "Channel s added" in first.text
    assert "Channel s added" not in api.client.get(res.headers["location"]).text  # one time only


def test_a_failed_login_says_so_without_a_url_message(api):
    page = api.client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    res = api.client.post(
        "/login",
        data={"email": "admin@example.org", "password": "wrong one!", "csrf_token": token},
        follow_redirects=False,
    )
    assert res.status_code == 303 and res.headers["location"] == "/login"
    assert "Wrong e-mail or password." in api.client.get("/login").text
    assert PASSWORD not in api.client.get("/login").text


def test_a_new_token_is_shown_on_the_response_that_made_it(api):
    csrf = _login(api, "ana@example.org")
    res = api.client.post("/settings/tokens", data={"csrf_token": csrf, "name": "script"})
    shown = re.search(r'<code id="new-token">([^<]+)</code>', res.text)
    assert res.status_code == 200 and shown and shown.group(1).startswith("mnt_")
