"""The service layer on both backends: SQL-side signal filters and paging, analyst actions with audit,
escalation to cases, cases from narratives, and the error kinds every face maps."""

from datetime import UTC, datetime, timedelta

import pytest

from monitio import audit
from monitio.auth.users import add_user
from monitio.errors import Conflict, Forbidden, Invalid, NotFound
from monitio.services import cases, signals
from monitio.services.signals import SignalQuery
from tests.api_helpers import seed_signal


def _user(ws, role="analyst", email=None, team="Policy"):
    with ws.engine.begin() as conn:
        return add_user(conn, email or f"{role}@example.org", role, "a long enough password", team=team, actor="t")


def _seed_many(ws) -> dict[str, int]:
    ids = {
        "scam_id": seed_signal(ws, categories=("scam_ads",), markets=("ID",), severity=9),
        "scam_my": seed_signal(ws, categories=("scam_ads",), markets=("MY", "SG"), severity=5),
        "fake_id": seed_signal(ws, categories=("fake_discount",), markets=("ID",), severity=7),
        "odd": seed_signal(ws, categories=("scam%",), markets=("TH",), severity=3),
    }
    with ws.engine.begin() as conn:
        conn.exec_driver_sql(f"UPDATE signals SET kind = 'campaign' WHERE id = {ids['fake_id']}")
        old = (datetime.now(UTC) - timedelta(days=30)).isoformat(sep=" ")
        conn.exec_driver_sql(f"UPDATE signals SET last_seen = '{old}' WHERE id = {ids['scam_my']}")
    return ids


def _ids(page):
    return [s["id"] for s in page.items]


def test_signal_filters_and_paging(ws):
    ids = _seed_many(ws)
    assert _ids(signals.list_signals(ws)) == [ids["scam_id"], ids["fake_id"], ids["scam_my"], ids["odd"]]
    assert _ids(signals.list_signals(ws, SignalQuery(category="scam_ads"))) == [ids["scam_id"], ids["scam_my"]]
    assert _ids(signals.list_signals(ws, SignalQuery(category="scam"))) == []  # whole ids, not substrings
    assert _ids(signals.list_signals(ws, SignalQuery(category="scam%"))) == [ids["odd"]]  # no LIKE wildcards
    assert _ids(signals.list_signals(ws, SignalQuery(category="scam_"))) == []
    assert _ids(signals.list_signals(ws, SignalQuery(market="sg"))) == [ids["scam_my"]]
    assert _ids(signals.list_signals(ws, SignalQuery(kind="campaign"))) == [ids["fake_id"]]
    assert _ids(signals.list_signals(ws, SignalQuery(min_severity=6))) == [ids["scam_id"], ids["fake_id"]]
    recent = SignalQuery(since=datetime.now(UTC) - timedelta(days=2))
    assert ids["scam_my"] not in _ids(signals.list_signals(ws, recent))
    page = signals.list_signals(ws, limit=2, offset=1)
    assert page.total == 4 and _ids(page) == [ids["fake_id"], ids["scam_my"]]
    assert page.items[0]["evidence"] and page.items[0]["evidence"][0]["source_id"].startswith("ev")
    with pytest.raises(Invalid, match="unknown status"):
        signals.list_signals(ws, SignalQuery(status="later"))


def test_actions_are_audited_and_enforced(ws):
    sid = seed_signal(ws)
    ana, sam = _user(ws), _user(ws, "stakeholder", "sam@example.org")
    with pytest.raises(Forbidden):
        signals.act(ws, sid, "acknowledge", actor=sam)
    with pytest.raises(Invalid, match="needs a reason"):
        signals.act(ws, sid, "dismiss", actor=ana, reason="  ")
    assert signals.act(ws, sid, "acknowledge", actor=ana).status == "open"
    done = signals.act(ws, sid, "dismiss", actor=ana, reason="test traffic from QA")
    assert done.status == "dismissed"
    detail = signals.get_signal(ws, sid).signal
    assert detail["details"]["dismissed"]["reason"] == "test traffic from QA"
    assert detail["details"]["acknowledged"]["by"] == "analyst@example.org"
    with pytest.raises(Conflict):
        signals.act(ws, sid, "acknowledge", actor=ana)  # only open signals
    assert signals.act(ws, sid, "reopen", actor=ana).status == "open"
    with ws.engine.connect() as conn:
        trail = audit.entries(conn, entity="signal", entity_id=sid)
    assert [e["action"] for e in trail] == ["signal.acknowledge", "signal.dismiss", "signal.reopen"]
    assert trail[1]["after"]["reason"] == "test traffic from QA"
    with pytest.raises(NotFound):
        signals.act(ws, 10**9, "close", actor=ana)
    with pytest.raises(Invalid, match="unknown action"):
        signals.act(ws, sid, "snooze", actor=ana)


def test_escalate_opens_one_case_and_the_signal_shows_it(ws):
    sid = seed_signal(ws)
    ana = _user(ws)
    with ws.engine.begin() as conn:
        conn.exec_driver_sql('UPDATE posts SET indicators = \'{"phone": ["+6281234567890"], "wallet": ["TQ1abc"]}\'')
    first = signals.act(ws, sid, "escalate", actor=ana)
    again = signals.act(ws, sid, "escalate", actor=ana)
    assert first.case_id is not None and again.case_id == first.case_id
    found = signals.get_signal(ws, sid)
    assert found.cases == [first.case_id]
    assert found.indicators == {"phone": ["+6281234567890"], "wallet": ["TQ1abc"]}  # merged, not repeated
    case = cases.get_case(ws, ana, first.case_id)
    assert case["origin"] == "signal" and {"kind": "signal", "ref_id": str(sid)} in [
        {k: lk[k] for k in ("kind", "ref_id")} for lk in case["links"]
    ]
    with pytest.raises(Invalid, match="needs a user"):
        signals.act(ws, seed_signal(ws), "escalate", actor=None)


def test_case_from_narrative_links_examples_and_hides_other_teams(ws):
    from monitio.detect.narratives import assign_pending

    seed_signal(ws)
    with ws.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE posts SET categories = 'scam_ads', market = 'ID'")
    assign_pending(ws.engine)
    with ws.engine.connect() as conn:
        nid = conn.exec_driver_sql("SELECT min(id) FROM narratives").scalar()
    ana = _user(ws)
    case_id = cases.case_from_narrative(ws, nid, actor=ana)
    case = cases.get_case(ws, ana, case_id)
    assert case["origin"] == "narrative" and case["categories"] == ["scam_ads"]
    kinds = [lk["kind"] for lk in case["links"]]
    assert kinds[0] == "narrative" and kinds.count("post") >= 1
    outsider = _user(ws, "stakeholder", "pat@example.org", team="Nobody")
    with pytest.raises(NotFound):
        cases.get_case(ws, outsider, case_id)  # another team's case is not revealed
    with pytest.raises(NotFound):
        cases.case_from_narrative(ws, 10**9, actor=ana)
