"""One error mapping: a Monitio error class decides the HTTP status and code, whatever its message says;
the dashboard shows the same errors as a page with that status."""

import re

import pytest

from monitio.api.errors import status_and_body
from monitio.errors import Conflict, Invalid, MonitioError, NotFound
from tests.api_helpers import PASSWORD, Api, seed_signal


@pytest.fixture
def api(ws):
    return Api(ws)


def test_status_comes_from_the_class_not_the_words():
    assert status_and_body(Invalid("it exists already"))[0] == 422  # "exists" no longer means 409
    assert status_and_body(Conflict("no such thing"))[0] == 409  # "no such" no longer means 404
    status, body = status_and_body(NotFound("no case 3", hint="see monitio cases list"))
    assert (status, body["error"]["code"], body["error"]["details"]) == (
        404,
        "not_found",
        {"hint": "see monitio cases list"},
    )


def test_every_domain_error_is_a_monitio_error():
    from monitio.alerts.config import AlertConfigError
    from monitio.auth.users import AuthError, UnknownUser, UserExists
    from monitio.cases.service import CaseConflict, CaseError, CaseNotFound
    from monitio.labels import LabelError
    from monitio.query import QueryError
    from monitio.settings import SettingsError
    from monitio.sources.files import SourceFileError
    from monitio.sources.mapping import MappingError
    from monitio.store.db import DatabaseError
    from monitio.taxonomy.loader import TaxonomyError
    from monitio.workspace import WorkspaceError

    for cls in (AlertConfigError, AuthError, CaseError, LabelError, QueryError, SettingsError, SourceFileError,
                MappingError, DatabaseError, TaxonomyError, WorkspaceError):  # fmt: skip
        assert issubclass(cls, MonitioError), cls
    assert (UnknownUser.http_status, UserExists.http_status) == (404, 409)
    assert (CaseNotFound.http_status, CaseConflict.http_status, CaseError.http_status) == (404, 409, 422)
    assert QueryError("unbalanced", "(a", 0).http_status == 400


def test_api_answers_with_the_mapped_status_and_body(api):
    sig = seed_signal(api.ws)
    res = api.call("analyst", "GET", "/api/v1/signals/999999")
    assert res.status_code == 404 and res.json()["error"]["code"] == "not_found"
    dup = api.call("admin", "POST", "/api/v1/users", json={"email": "ana@example.org", "role": "analyst"})
    assert dup.status_code == 409 and dup.json()["error"]["code"] == "conflict"
    case = api.call("analyst", "POST", "/api/v1/cases", json={"signal_id": sig}).json()["id"]
    jump = api.call("analyst", "PATCH", f"/api/v1/cases/{case}", json={"status": "resolved"})
    assert jump.status_code == 409 and "cannot go from new" in jump.json()["error"]["message"]
    label = api.call(
        "analyst", "POST", "/api/v1/labels", json={"post_id": 999999, "category": "scam_ads", "value": True}
    )
    assert label.status_code == 404
    bad = api.call("analyst", "GET", "/api/v1/posts", params={"q": "(refund"})
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "bad_query"
    no_reason = api.call("analyst", "POST", f"/api/v1/signals/{sig}/actions", json={"action": "dismiss"})
    assert no_reason.status_code == 422 and "reason" in no_reason.json()["error"]["message"]
    ok = api.call("analyst", "POST", f"/api/v1/signals/{sig}/actions", json={"action": "dismiss", "reason": "QA"})
    assert ok.json()["status"] == "dismissed"
    assert api.call("analyst", "GET", "/api/v1/signals", params={"status": "dismissed"}).json()["total"] == 1


def test_dashboard_shows_errors_as_a_page_with_the_status(api):
    page = api.client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    api.client.post("/login", data={"email": "ana@example.org", "password": PASSWORD, "csrf_token": token})
    res = api.client.get("/briefs/4242.md")
    assert res.status_code == 404 and res.headers["content-type"].startswith("text/html")
    assert "no brief 4242" in res.text and '"code"' not in res.text and "<title>Error 404" in res.text
    api_res = api.call("analyst", "GET", "/api/v1/briefs/4242.md")
    assert api_res.status_code == 404 and api_res.json()["error"]["message"].startswith("no brief 4242")


def test_dashboard_signal_actions_flash_their_result(api):
    sig = seed_signal(api.ws)
    page = api.client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    api.client.post("/login", data={"email": "ana@example.org", "password": PASSWORD, "csrf_token": token})
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', api.client.get(f"/signals/{sig}").text).group(1)
    res = api.client.post(f"/signals/{sig}/act", data={"csrf_token": csrf, "action": "dismiss"})
    assert "needs a reason" in res.text
    res = api.client.post(f"/signals/{sig}/act", data={"csrf_token": csrf, "action": "dismiss", "reason": "QA <b>"})
    assert "now dismissed" in res.text and "Dismissed by ana@example.org: QA &lt;b&gt;" in res.text
