"""The caches behind the API's hot reads (issue 18), on both backends: API tokens, signal pages,
series and rollup tables, whole search pages, and the case list paged in SQL. Each answer is
reused while nothing it depends on changes, and is never served after a change, also a change made
through another engine (another server process or the command line)."""

from __future__ import annotations

import dataclasses
import enum
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse
from sqlalchemy import update

from monitio.api.jsonbody import json_body
from monitio.auth import users as auth_users
from monitio.auth.users import add_user, create_token, update_user
from monitio.enrich.runner import enrich_pending
from monitio.pipeline import Pipeline
from monitio.records import Post
from monitio.services import cases, overview, people, search, signals
from monitio.store.db import make_engine
from monitio.store.repo import insert_posts
from monitio.store.schema import posts
from monitio.store.versions import PEOPLE, SIGNALS, data_version
from tests.api_helpers import seed_signal


@pytest.fixture
def other(ws):
    """A second engine on the same database: what another server process or the CLI would use."""
    engine = make_engine(ws.engine.url.render_as_string(hide_password=False))
    yield engine
    engine.dispose()


def _analyst(ws, email="ana@example.org"):
    with ws.engine.begin() as conn:
        user = add_user(conn, email, "analyst", "a long enough password", team="Policy", actor="t")
        token, token_id = create_token(conn, user, "t", days=1, actor="t")
    return user, token, token_id


def _boom(*_a, **_k):
    raise AssertionError("read from the database although nothing changed")


def test_a_token_is_answered_from_memory_until_its_user_is_disabled_elsewhere(ws, other, monkeypatch):
    user, token, _ = _analyst(ws)
    assert people.token_user(ws, token).id == user.id
    with monkeypatch.context() as m:
        m.setattr(auth_users, "token_use", _boom)
        assert people.token_user(ws, token).email == "ana@example.org"  # from memory
    with other.begin() as conn:  # another process disables the user
        update_user(conn, user.id, actor="admin", disabled=True)
    assert people.token_user(ws, token) is None  # at once, not after a delay


def test_a_revoked_token_and_a_changed_role_count_at_the_next_request(ws, other):
    user, token, token_id = _analyst(ws)
    assert people.token_user(ws, token).role == "analyst"
    with other.begin() as conn:
        update_user(conn, user.id, actor="admin", role="stakeholder")
    assert people.token_user(ws, token).role == "stakeholder"
    with other.begin() as conn:
        auth_users.revoke_token(conn, token_id, actor="admin")
    assert people.token_user(ws, token) is None
    assert people.token_user(ws, "not-a-token") is None


def _clock_at(monkeypatch, later: datetime) -> None:
    """The token cache and the token store both read `later` as now."""

    class Later(datetime):
        @classmethod
        def now(cls, tz=None):
            return later

    monkeypatch.setattr(people, "datetime", Later)
    monkeypatch.setattr(auth_users, "_now", lambda: later)


def test_a_cached_token_past_its_expiry_is_refused(ws, monkeypatch):
    _, token, _ = _analyst(ws)
    assert people.token_user(ws, token) is not None
    later = datetime.now(UTC) + timedelta(days=2)
    _clock_at(monkeypatch, later)
    assert people.token_user(ws, token) is None


def test_the_last_use_is_still_recorded_about_once_a_minute(ws, monkeypatch):
    _, token, token_id = _analyst(ws)
    people.token_user(ws, token)
    later = datetime.now(UTC) + timedelta(minutes=2)
    _clock_at(monkeypatch, later)
    assert people.token_user(ws, token) is not None
    with ws.engine.connect() as conn:
        (used,) = conn.exec_driver_sql(f"SELECT last_used_at FROM api_tokens WHERE id = {token_id}").one()
    assert str(used).startswith(later.strftime("%Y-%m-%d %H:%M"))


def test_users_tokens_signals_and_case_links_bump_their_versions(ws):
    def versions():
        with ws.engine.connect() as conn:
            return data_version(conn, PEOPLE), data_version(conn, SIGNALS)

    p0, s0 = versions()
    assert min(p0, s0) >= 0
    _analyst(ws)
    p1, s1 = versions()
    assert p1 > p0 and s1 == s0
    sid = seed_signal(ws)
    p2, s2 = versions()
    assert s2 > s1 and p2 == p1
    user, _, _ = _analyst(ws, "bo@example.org")
    with ws.engine.connect() as conn:
        s3 = data_version(conn, SIGNALS)
    signals.act(ws, sid, "escalate", actor=user)  # links the signal to a new case
    assert versions()[1] > s3


def test_signal_pages_are_reused_until_signals_links_or_posts_change(ws, other, monkeypatch):
    sid = seed_signal(ws)
    first = signals.list_signals(ws)
    detail = signals.get_signal(ws, sid)
    first.items[0]["why"] = "changed by a caller"  # a caller's edits do not leak into the cache
    detail.signal["evidence"].clear()
    with monkeypatch.context() as m:
        m.setattr(signals, "signal_dicts", _boom)
        again = signals.list_signals(ws)
        assert again.items[0]["why"] != "changed by a caller" and again.total == 1
        assert len(signals.get_signal(ws, sid).signal["evidence"]) == 2
    with other.begin() as conn:
        conn.exec_driver_sql(f"UPDATE signals SET severity = 3 WHERE id = {sid}")
    assert signals.list_signals(ws).items[0]["severity"] == 3
    assert signals.get_signal(ws, sid).signal["severity"] == 3
    with other.begin() as conn:
        conn.execute(update(posts).where(posts.c.source_id == "ev0").values(text="edited evidence"))
    assert "edited evidence" in [p["text"] for p in signals.list_signals(ws).items[0]["evidence"]]
    assert "edited evidence" in [p["text"] for p in signals.get_signal(ws, sid).signal["evidence"]]
    user, _, _ = _analyst(ws)
    case_id = signals.act(ws, sid, "escalate", actor=user).case_id
    assert signals.list_signals(ws).items[0]["cases"] == [case_id]
    assert signals.get_signal(ws, sid).cases == [case_id]


def _posts(ws, n: int, start: int = 0) -> None:
    now = datetime.now(UTC).replace(minute=30, second=0, microsecond=0)
    batch = [
        Post.create(
            source="s", source_id=f"p{start + i}", text=f"refund scam {i}", published_at=now - timedelta(hours=i)
        )
        for i in range(n)
    ]
    with ws.engine.begin() as conn:
        insert_posts(conn, batch)
    enrich_pending(ws.engine, Pipeline([]), batch_size=50)


def test_series_and_rollup_tables_follow_new_posts_and_match_the_exact_week(ws, monkeypatch):
    _posts(ws, 3)
    series = overview.series(ws)
    table = overview.rollup_table(ws, ["source"], include_all=True)
    assert sum(p["count"] for p in series) == 3 and table[0]["count"] == 3
    exact = datetime.now(UTC) - timedelta(days=7)  # what the window was before it was rounded to the hour
    assert overview.series(ws, since=exact) == series
    assert overview.rollup_table(ws, ["source"], since=exact, include_all=True) == table
    series[0]["count"] = 99
    with monkeypatch.context() as m:
        m.setattr(overview, "rollups", None)  # a query would fail: answered from the cache
        assert overview.series(ws)[0]["count"] != 99
        assert overview.rollup_table(ws, ["source"], include_all=True) == table
    _posts(ws, 2, start=10)
    assert sum(p["count"] for p in overview.series(ws)) == 5
    assert overview.rollup_table(ws, ["source"], include_all=True)[0]["count"] == 5


def test_week_ago_is_rounded_up_to_a_whole_hour():
    start = overview._week_ago()
    assert (start.minute, start.second, start.microsecond) == (0, 0, 0)
    assert timedelta(0) <= start - (datetime.now(UTC) - timedelta(days=7)) < timedelta(hours=1)


def test_whole_search_pages_are_reused_until_a_post_changes(ws, other, monkeypatch):
    _posts(ws, 3)
    first = search.search_json(ws.engine, "refund", limit=2)
    assert first == search.page_json(search.search(ws.engine, "refund", limit=2))
    assert first["total"] == 3 and len(first["items"]) == 2 and first["next_cursor"]
    first["items"].clear()
    with monkeypatch.context() as m:
        m.setattr(search, "search", _boom)
        assert len(search.search_json(ws.engine, "refund", limit=2)["items"]) == 2
    with other.begin() as conn:
        conn.execute(update(posts).where(posts.c.source_id == "p0").values(market="TH"))
    assert search.search_json(ws.engine, "refund", limit=2)["facets"]["market"]["TH"] == 1
    _posts(ws, 1, start=20)
    assert search.search_json(ws.engine, "refund", limit=2)["total"] == 4


def test_the_case_list_is_counted_and_paged_in_sql(ws):
    user, _, _ = _analyst(ws)
    made = [
        cases.create_case(ws, user, cases.CaseRequest(title=f"case {i}", severity=sev, owner_team="Policy"))["id"]
        for i, sev in enumerate((3, 9, 5, 9, 1))
    ]
    everything = cases.list_cases(ws, user, limit=50)
    assert everything.total == 5
    assert [c["severity"] for c in everything.items] == [9, 9, 5, 3, 1]
    assert sorted(c["id"] for c in everything.items) == sorted(made)
    page = cases.list_cases(ws, user, limit=2, offset=1)
    assert page.total == 5 and page.items == everything.items[1:3]
    past = cases.list_cases(ws, user, limit=2, offset=7)
    assert past.total == 5 and past.items == []
    assert cases.list_cases(ws, user, cases.CaseFilter(breached=True)).total == 0


class Colour(enum.Enum):
    RED = "red"


@dataclasses.dataclass
class Point:
    x: int
    when: date


def test_json_body_writes_the_bytes_fastapi_would():
    content = {
        "when": datetime(2026, 11, 2, 3, 4, 5, 600, tzinfo=UTC),
        "day": date(2026, 11, 2),
        "tags": {"one"},
        "pair": (1, 2.5),
        "colour": Colour.RED,
        "amount": Decimal("12"),
        "ratio": Decimal("0.25"),
        "point": Point(3, date(2026, 1, 1)),
        "text": "lừa đảo 退款 \u2028",
        "nested": [{"a": None, "b": True}],
        1: "int key",
    }
    assert json_body(content).body == JSONResponse(jsonable_encoder(content)).body
    assert json_body({"x": 1}, status_code=201).status_code == 201
    with pytest.raises(ValueError):
        json_body({"nan": float("nan")})


def test_migration_0027_adds_and_removes_the_signals_and_people_versions(ws):
    from alembic import command

    from monitio.store.db import alembic_config

    cfg = alembic_config(ws.engine)
    with ws.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0024")
    with ws.engine.connect() as conn:
        assert (data_version(conn, PEOPLE), data_version(conn, SIGNALS)) == (-1, -1)
    _, token, _ = _analyst(ws)  # no version: answered from the database every time, still right
    assert people.token_user(ws, token) is not None
    with ws.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
    with ws.engine.connect() as conn:
        before = data_version(conn, PEOPLE)
    _analyst(ws, "bo@example.org")
    with ws.engine.connect() as conn:
        assert data_version(conn, PEOPLE) > before >= 0
