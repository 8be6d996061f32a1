"""Narratives keep their ids across runs, group near-duplicates, keep categories apart; labels API."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from monitio.detect.narrative_views import list_narratives, narrative_detail
from monitio.detect.narratives import assign_pending, label_terms
from monitio.records import Post
from monitio.store.repo import insert_posts
from monitio.store.schema_intel import post_narratives
from tests.api_helpers import Api

T = datetime(2026, 11, 20, tzinfo=UTC)
SCAM = "Guaranteed {n}% profit daily, zero risk investment, WhatsApp me now to join the group"
REFUND = "Still waiting for my refund from the shop after {n} days, customer service keeps ignoring me"
GIFT = "ขอคืนเงินค่าของขวัญไลฟ์ ลูกเติมเหรียญไป {n} บาท"


def _add(ws, start: int, texts: list[tuple[str, str]]):
    with ws.engine.begin() as conn:
        insert_posts(
            conn,
            [
                Post.create(
                    source="t",
                    source_id=str(start + i),
                    text=t,
                    author=f"a{i}",
                    market_hint="ID",
                    published_at=T + timedelta(hours=i),
                )
                for i, (t, _) in enumerate(texts)
            ],
        )
        for i, (_, cat) in enumerate(texts):
            conn.exec_driver_sql(
                "UPDATE posts SET categories = ?, market = 'ID' WHERE source_id = ?"
                if ws.engine.dialect.name == "sqlite"
                else "UPDATE posts SET categories = %s, market = 'ID' WHERE source_id = %s",
                (cat, str(start + i)),
            )


def _assignments(ws) -> dict[int, int]:
    with ws.engine.connect() as conn:
        return dict(conn.execute(select(post_narratives.c.post_id, post_narratives.c.narrative_id)).all())


def test_ids_are_stable_and_new_posts_join_existing_narratives(ws):
    first = [(SCAM.format(n=n), "scam_ads") for n in (10, 20, 30)] + [
        (REFUND.format(n=n), "payments_refunds") for n in (3, 5)
    ]
    _add(ws, 0, first)
    assert assign_pending(ws.engine) == 5
    before = _assignments(ws)
    scam_ids = {before[i] for i in (1, 2, 3)}
    assert len(scam_ids) == 1 and before[4] == before[5] != before[1]
    assert assign_pending(ws.engine) == 0  # nothing pending: nothing renumbered
    _add(
        ws,
        100,
        [
            (SCAM.format(n=45), "scam_ads"),
            (GIFT.format(n=500), "live_gifting_abuse"),
            (GIFT.format(n=900), "live_gifting_abuse"),
        ],
    )
    assign_pending(ws.engine)
    after = _assignments(ws)
    assert {k: v for k, v in after.items() if k in before} == before
    assert after[6] in scam_ids
    assert after[7] == after[8] and after[7] not in set(before.values())


def test_same_text_in_another_category_is_another_narrative(ws):
    _add(ws, 0, [(SCAM.format(n=1), "scam_ads"), (SCAM.format(n=2), "payments_refunds")])
    assign_pending(ws.engine)
    a = _assignments(ws)
    assert a[1] != a[2]


def test_views_and_labels(ws):
    _add(
        ws,
        0,
        [(SCAM.format(n=n), "scam_ads") for n in range(5)]
        + [(REFUND.format(n=n), "payments_refunds") for n in range(4)],
    )
    assign_pending(ws.engine)
    with ws.engine.connect() as conn:
        items, total = list_narratives(conn)
        detail = narrative_detail(conn, items[0]["id"])
    assert total == 2 and {i["size"] for i in items} == {5, 4}
    assert detail["examples"] and detail["timeline"] and detail["markets"] == {"ID": detail["size"]}
    assert any(t in detail["terms"] for t in ("profit daily", "refund", "whatsapp"))
    api = Api(ws)
    res = api.call("analyst", "POST", "/api/v1/labels", json={"post_id": 1, "category": "scam_ads", "value": True})
    assert res.status_code == 201
    assert (
        api.call(
            "analyst", "POST", "/api/v1/labels", json={"post_id": 1, "category": "nope", "value": True}
        ).status_code
        == 422
    )
    assert (
        api.call(
            "analyst", "POST", "/api/v1/labels", json={"post_id": 999, "category": "scam_ads", "value": True}
        ).status_code
        == 404
    )
    got = api.call("analyst", "GET", "/api/v1/labels").json()["items"]
    assert got[0]["by"] == "ana@example.org" and got[0]["value"] is True
    listed = api.call("stakeholder", "GET", "/api/v1/narratives").json()
    assert listed["total"] == 2 and listed["items"][0]["label"]


def test_ctfidf_prefers_distinctive_terms():
    terms = {1: {"refund": 10, "shop": 10}, 2: {"shop": 10, "deepfake": 10}, 3: {"shop": 5, "gift": 9}}
    assert label_terms(terms, 1, 1) == ["refund"] and label_terms(terms, 2, 1) == ["deepfake"]
