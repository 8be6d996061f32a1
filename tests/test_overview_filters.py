"""The overview and signal lists under the dashboard's filter bar, on SQLite and PostgreSQL: every
market shown (blank when it had no posts, 0 when it had posts but none in a category), filters by
market, language and category, whole-day trends with the partial last day marked."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import insert

from monitio.services import overview
from monitio.services.signals import SignalQuery, list_signals
from monitio.store.schema import ALL, rollups
from tests.api_helpers import seed_signal

END = datetime(2026, 11, 20, 15, tzinfo=UTC)  # mid-afternoon: the last day is partial


def _roll(conn, when, market, lang, category, count):
    conn.execute(
        insert(rollups).values(
            bucket=when, market=market, lang=lang, category=category, source="t", count=count, negative=0
        )
    )


def _seed(ws):
    with ws.engine.begin() as conn:
        for day in range(3):
            t = END - timedelta(days=day, hours=2)
            _roll(conn, t, "ID", "id", ALL, 50)
            _roll(conn, t, "ID", "id", "scam_ads", 10)
            _roll(conn, t, "MY", "ms", ALL, 20)
            _roll(conn, t, "MY", "ms", "payments_refunds", 4)
            _roll(conn, t, "TH", "th", ALL, 7)  # posts, none of them risk posts
        _roll(conn, END - timedelta(days=20), "VN", "vi", ALL, 9)  # posts long before the window
        _roll(conn, END - timedelta(days=20), "VN", "vi", "scam_ads", 3)


def test_every_market_is_shown_blank_is_not_zero_and_order_is_by_risk(ws):
    _seed(ws)
    markets, langs = overview.dimensions(ws)
    assert set(markets) == {"ID", "MY", "TH", "VN"} and markets[0] == "ID"
    assert set(langs) == {"id", "ms", "th", "vi"}
    o = overview.overview(ws, since=END - timedelta(days=7), until=END, all_markets=markets)
    assert o.markets[:2] == ["ID", "MY"]  # most risk posts first
    assert set(o.markets) == {"ID", "MY", "TH", "VN"}
    assert o.market_posts.get("VN") is None  # blank: no posts at all in the window
    assert o.market_posts["TH"] == 21 and o.cells.get(("scam_ads", "TH"), 0) == 0  # zero
    assert o.cells[("scam_ads", "ID")] == 30 and o.cells[("payments_refunds", "MY")] == 12


def test_filters_change_the_numbers(ws):
    _seed(ws)
    week = {"since": END - timedelta(days=7), "until": END}
    assert overview.overview(ws, **week, markets=("MY",)).cells == {("payments_refunds", "MY"): 12}
    assert overview.overview(ws, **week, langs=("id",)).cells == {("scam_ads", "ID"): 30}
    assert set(overview.overview(ws, **week, categories=("scam_ads",)).trends) == {"scam_ads"}
    day = overview.overview(ws, since=END - timedelta(hours=24), until=END)
    assert day.bucket == "hour" and sum(day.cells.values()) == 14


def test_daily_trend_has_every_day_and_marks_the_partial_one(ws):
    _seed(ws)
    o = overview.overview(ws, since=END - timedelta(days=7), until=END)
    days = sorted(o.trends["scam_ads"])
    assert len(days) == 8 and all(d.hour == 0 for d in days)  # 7 days back from mid-day: 8 calendar days
    assert o.trends["scam_ads"][datetime(2026, 11, 20, tzinfo=UTC)] == 10
    assert o.trends["scam_ads"][datetime(2026, 11, 14, tzinfo=UTC)] == 0  # a quiet day is 0, not missing
    assert o.partial_from == datetime(2026, 11, 20, tzinfo=UTC)
    whole = overview.overview(ws, since=datetime(2026, 11, 13, tzinfo=UTC), until=datetime(2026, 11, 20, tzinfo=UTC))
    assert whole.partial_from is None


def test_signals_filter_by_any_of_several_markets_categories_and_languages(ws):
    a = seed_signal(ws, categories=("scam_ads",), markets=("ID",))
    b = seed_signal(ws, categories=("payments_refunds",), markets=("MY",))
    c = seed_signal(ws, categories=("scam_ads",), markets=("TH",))

    def ids(**kw):
        return {s["id"] for s in list_signals(ws, SignalQuery(**kw), evidence=False).items}

    assert ids(markets=("ID", "MY")) == {a, b}
    assert ids(categories=("scam_ads",)) == {a, c}
    assert ids(langs=("id",)) == {a, b, c} and ids(langs=("th",)) == set()
    assert ids(since=datetime.now(UTC) + timedelta(days=1)) == set()
    page = list_signals(ws, SignalQuery(markets=("ID",)))
    assert page.items[0]["cases"] == [] and page.items[0]["evidence"]


def test_the_overview_is_reused_until_posts_change(ws):
    """Rollups are written with their posts, so the posts version keys the cached heat map."""
    from monitio.records import Post
    from monitio.store.repo import insert_posts

    _seed(ws)
    week = {"since": END - timedelta(days=7), "until": END}
    first = overview.overview(ws, **week)
    with ws.engine.begin() as conn:
        _roll(conn, END - timedelta(hours=1), "ID", "id", "scam_ads", 5)
    assert overview.overview(ws, **week).cells == first.cells  # same posts version: the cached answer
    with ws.engine.begin() as conn:  # enrichment writes posts and rollups in one transaction
        insert_posts(conn, [Post.create(source="t", source_id="new", text="x", published_at=END - timedelta(hours=1))])
        _roll(conn, END - timedelta(hours=1), "MY", "ms", "scam_ads", 2)
    now = overview.overview(ws, **week)
    assert now.cells[("scam_ads", "ID")] == 35 and now.cells[("scam_ads", "MY")] == 2
