"""The demo corpus: shape, rhythm, determinism, and planted events that stand out of the background."""

from __future__ import annotations

import csv
import re
import unicodedata
from collections import Counter, defaultdict
from datetime import UTC, datetime, timedelta

import pytest
from datasketch import MinHash, MinHashLSH

from monitio.demo.corpus import COLUMNS, DemoManifest, generate_demo
from monitio.demo.markets import BY_CODE

END = datetime(2026, 11, 20, 12, tzinfo=UTC)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[DemoManifest, list[dict[str, str]]]:
    path = tmp_path_factory.mktemp("demo") / "corpus.csv"
    manifest = generate_demo(path, end=END)
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    return manifest, rows


def _ts(row: dict[str, str]) -> datetime:
    return datetime.fromisoformat(row["created_at"]).astimezone(UTC)


def test_rows_columns_and_ids(demo):
    manifest, rows = demo
    assert len(rows) == manifest.n_posts == 50_000
    assert tuple(rows[0].keys()) == COLUMNS
    assert len({r["id"] for r in rows}) == len(rows)
    assert all(r["text"].strip() and r["author"] for r in rows)
    assert all(int(r[k]) >= 0 for r in rows[:2000] for k in ("likes", "shares", "comments", "views"))


def test_timestamps_parse_within_period_with_several_zones(demo):
    manifest, rows = demo
    zones = Counter()
    for r in rows:
        dt = datetime.fromisoformat(r["created_at"])
        assert dt.tzinfo is not None
        zones[dt.utcoffset()] += 1
        assert manifest.start <= dt < manifest.end
    assert manifest.end - manifest.start == timedelta(days=30)
    assert zones[timedelta(hours=7)] > 100 and len(zones) >= 6
    assert zones[timedelta(0)] > len(rows) / 2


def test_markets_languages_and_hint_rates(demo):
    manifest, rows = demo
    markets = Counter(r["market"] for r in rows)
    langs = Counter(r["lang"] for r in rows)
    assert len([m for m in markets if m]) >= 8 and len(manifest.markets) >= 8
    assert len([lang for lang in langs if lang]) >= 10
    assert {"en", "id", "ms", "th", "vi", "tl", "ja", "ko", "zh", "hi", "hi-Latn"} <= set(manifest.languages)
    assert 0.65 < 1 - markets[""] / len(rows) < 0.75
    assert 0.07 < 1 - langs[""] / len(rows) < 0.13
    texts = " ".join(r["text"] for r in rows[:20000])
    assert re.search(r"[\u0900-\u097f]", texts) and re.search(r"[\u0e00-\u0e7f]", texts)
    assert re.search(r"[\u0980-\u09ff]", texts) and re.search(r"[\uac00-\ud7af]", texts)


def test_author_activity_and_engagement_heavy_tailed(demo):
    _, rows = demo
    per_author = Counter(r["author"] for r in rows)
    counts = sorted(per_author.values(), reverse=True)
    assert len(per_author) > 5000
    assert counts[0] > 10 * (sum(counts) / len(counts))
    views = sorted(int(r["views"]) for r in rows)
    assert views[-len(views) // 100] > 20 * views[len(views) // 2]


def test_daily_rhythm_in_local_time(demo):
    _, rows = demo
    for code in ("ID", "JP", "IN"):
        offset = timedelta(hours=BY_CODE[code].offset)
        by_hour = Counter((_ts(r) + offset).hour for r in rows if r["market"] == code)
        night = sum(by_hour[h] for h in (2, 3, 4, 5))
        evening = sum(by_hour[h] for h in (19, 20, 21, 22))
        assert night * 4 < evening, (code, night, evening)


def test_deterministic_for_a_seed(tmp_path):
    a, b, c = tmp_path / "a.csv", tmp_path / "b.csv", tmp_path / "c.csv"
    ma = generate_demo(a, n_posts=4000, days=12, end=END, seed=3)
    mb = generate_demo(b, n_posts=4000, days=12, end=END, seed=3)
    generate_demo(c, n_posts=4000, days=12, end=END, seed=4)
    assert a.read_bytes() == b.read_bytes()
    assert a.read_bytes() != c.read_bytes()
    assert [e.post_ids for e in ma.events] == [e.post_ids for e in mb.events]


def test_end_defaults_to_current_hour(tmp_path):
    m = generate_demo(tmp_path / "x.csv", n_posts=3000, days=10)
    now = datetime.now(UTC)
    assert m.end.minute == 0 and timedelta(0) <= now - m.end < timedelta(hours=1, minutes=1)


def test_four_planted_events_of_different_shapes(demo):
    manifest, _ = demo
    shapes = {e.shape for e in manifest.events}
    assert shapes == {"spike", "ramp", "spread", "campaign"}
    for e in manifest.events:
        assert manifest.end - e.end < timedelta(hours=3), e.name
        assert e.start <= e.peak <= e.end and e.n_posts == len(e.post_ids)


def _event_rows(rows, event):
    ids = set(event.post_ids)
    return [r for r in rows if r["id"] in ids]


def test_events_are_in_their_windows_and_markets_and_stand_out(demo):
    manifest, rows = demo
    for e in manifest.events:
        ev = _event_rows(rows, e)
        assert len(ev) == e.n_posts >= 90
        assert all(e.start <= _ts(r) <= e.end for r in ev)
        assert {r["market"] for r in ev if r["market"]} <= set(e.markets)
        for mkt in e.markets:
            here = [_ts(r) for r in ev if r["market"] == mkt]  # ~70% of rows carry the market hint
            days = max((e.end - min(here)).total_seconds() / 86400, 0.5)
            background_per_day = manifest.background[e.category].get(mkt, 0) / 30
            event_per_day = len(here) / 0.7 / days
            assert event_per_day > 3 * background_per_day, (e.name, mkt, event_per_day, background_per_day)


def test_spread_event_starts_in_thailand_then_vietnam_then_malaysia(demo):
    manifest, rows = demo
    ev = _event_rows(rows, manifest.event("shop_refund_spread_th_vn_my"))
    langs = defaultdict(list)
    for r in ev:
        text = r["text"]
        key = "th" if re.search(r"[\u0e00-\u0e7f]", text) else "vi" if re.search(r"[ạảấầẩậắằẳặđơư]", text) else "my"
        langs[key].append(_ts(r))
    assert min(langs["th"]) + timedelta(hours=18) < min(langs["vi"])
    assert min(langs["vi"]) + timedelta(hours=18) < min(langs["my"])


def test_slow_build_up_grows(demo):
    manifest, rows = demo
    e = manifest.event("live_gift_abuse_ph")
    ev = sorted(_ts(r) for r in _event_rows(rows, e))
    mid = e.start + (e.end - e.start) / 2
    assert sum(t >= mid for t in ev) > 2 * sum(t < mid for t in ev)


def _norm(text: str) -> str:
    text = re.sub(r"https?://\S+|\S+\.\S+/\S*|@\w+|[+\d][\d\s]{6,}|\d+", " ", text.lower())
    text = "".join(ch for ch in text if unicodedata.category(ch)[0] in "LNZ")
    return " ".join(text.split())


def _clusters(rows: list[dict[str, str]], threshold: float = 0.6) -> list[list[dict[str, str]]]:
    lsh = MinHashLSH(threshold=threshold, num_perm=64)
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            x = parent[x]
        return x

    by_key = defaultdict(list)
    for r in rows:
        by_key[_norm(r["text"])].append(r)
    for key in by_key:
        m = MinHash(num_perm=64, seed=11)
        m.update_batch([key[i : i + 5].encode() for i in range(max(1, len(key) - 4))])
        for other in lsh.query(m):
            parent[find(key)] = find(other)
        lsh.insert(key, m)
    groups = defaultdict(list)
    for key, members in by_key.items():
        groups[find(key)].extend(members)
    return list(groups.values())


def test_campaign_is_one_near_duplicate_group_of_fresh_accounts(demo):
    manifest, rows = demo
    e = manifest.event("guaranteed_returns_campaign_in_pk")
    ev = _event_rows(rows, e)
    authors = {r["author"] for r in ev}
    assert len(authors) >= 150 and e.end - e.start <= timedelta(hours=13)
    earlier = {r["author"] for r in rows if _ts(r) < e.start}
    assert not authors & earlier
    assert len({r["text"] for r in ev}) > 0.8 * len(ev)  # small variations, not exact copies
    biggest = max(_clusters(ev), key=len)
    assert len(biggest) >= 0.9 * len(ev)


def test_no_other_copy_paste_group_in_the_last_three_days(demo):
    manifest, rows = demo
    campaign = set(manifest.event("guaranteed_returns_campaign_in_pk").post_ids)
    recent = [r for r in rows if _ts(r) >= manifest.end - timedelta(hours=72)]
    for group in _clusters(recent):
        if any(r["id"] in campaign for r in group):
            continue
        by_day = Counter(_ts(r).replace(hour=0, minute=0, second=0) for r in group)
        authors = {r["author"] for r in group}
        assert len(authors) < 20 or max(by_day.values()) < 20, group[0]["text"]
