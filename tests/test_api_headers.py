"""Security headers on every response (API and dashboard), once each, and `no-store` on the API."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from monitio.api.app import create_app


@pytest.fixture
def client(tmp_path):
    from monitio.workspace import init_workspace

    return TestClient(create_app(init_workspace(tmp_path / "ws"), cookie_secure=False))


def test_api_and_dashboard_responses_carry_the_security_headers(client):
    for path, api in (("/api/v1/health", True), ("/api/v1/signals", True), ("/login", False)):
        r = client.get(path)
        h = r.headers
        assert "script-src 'self'" in h["content-security-policy"], path
        assert "frame-ancestors 'none'" in h["content-security-policy"], path
        assert h["x-content-type-options"] == "nosniff" and h["x-frame-options"] == "DENY", path
        assert h["referrer-policy"] == "same-origin" and "camera=()" in h["permissions-policy"], path
        if api:
            assert h["cache-control"] == "no-store", path
        assert h.get_list("content-security-policy") == [h["content-security-policy"]], path
