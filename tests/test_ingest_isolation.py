"""Issue 18 (ingest half): one bad row never costs its batch, on SQLite and PostgreSQL alike.

Each finding has a regression test; `test_bad_input_corpus` then runs a corpus of bad files through
the file import and checks the accounting for every file: every good row stored, every bad row
quarantined with its reason, read = new + duplicate + quarantined, and nothing else changed.
"""

from __future__ import annotations

import json
import zipfile
from datetime import UTC, datetime, timedelta

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from monitio.ingest import ingest_file, store_batch
from monitio.records import LIMITS, RAW_MAX_CHARS, Post
from monitio.sources import files as files_mod
from monitio.sources.files import SourceFileError, WorkbookTooLarge, check_xlsx_size
from monitio.sources.watch import scan_folder
from monitio.store.schema import posts, quarantine

WHEN = (datetime.now(UTC) - timedelta(days=3)).replace(microsecond=0)
ISO = WHEN.isoformat()


def good(i: int, **extra) -> dict:
    return {"id": f"g{i}", "text": f"refund still missing {i}", "published_at": ISO, **extra}


def write_jsonl(path, rows: list[dict | str]) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        for row in rows:
            # ensure_ascii keeps lone surrogates as \ud800 escapes, exactly as a JSON export would carry them
            fh.write((row if isinstance(row, str) else json.dumps(row)) + "\n")


def stored(ws) -> tuple[set[str], dict[str, str]]:
    with ws.engine.connect() as conn:
        ids = set(conn.execute(select(posts.c.source_id)).scalars())
        reasons = {r.locator: r.reason for r in conn.execute(select(quarantine.c.locator, quarantine.c.reason))}
    return ids, reasons


def assert_accounted(report) -> None:
    assert report.read == report.new + report.duplicate + report.quarantined


def test_count_above_int64_quarantines_its_row_only(ws, tmp_path):
    path = tmp_path / "big.jsonl"
    write_jsonl(path, [good(1), good(2, likes=1e23), good(3, views="99999999999999999999999"), good(4)])
    report = ingest_file(ws.engine, path)
    assert (report.read, report.new, report.quarantined) == (4, 2, 2)
    assert_accounted(report)
    ids, reasons = stored(ws)
    assert ids == {"g1", "g4"}
    assert all("largest count" in r for r in reasons.values()), reasons


def test_xlsx_count_1e19_quarantines_its_row_only(ws, tmp_path):
    path = tmp_path / "big.xlsx"
    wb = Workbook()
    wb.active.append(["id", "text", "date", "likes"])
    wb.active.append(["a", "fine", WHEN.replace(tzinfo=None), 3])
    wb.active.append(["b", "huge", WHEN.replace(tzinfo=None), 1e19])
    wb.save(path)
    report = ingest_file(ws.engine, path)
    assert (report.new, report.quarantined) == (1, 1)
    ids, reasons = stored(ws)
    assert ids == {"a"} and "likes" in next(iter(reasons.values()))


@pytest.mark.parametrize("column", ["text", "author", "id"])
def test_lone_surrogate_quarantines_its_row_only(ws, tmp_path, column):
    path = tmp_path / "sur.jsonl"
    bad = good(2)
    bad[column] = "x\ud800y"
    write_jsonl(path, [good(1), bad, good(3)])
    report = ingest_file(ws.engine, path)
    assert (report.read, report.new, report.quarantined) == (3, 2, 1)
    ids, reasons = stored(ws)
    assert {"g1", "g3"} <= ids and len(ids) == 2
    assert "encoding" in next(iter(reasons.values()))


@pytest.mark.parametrize(
    ("extra", "reason"),
    [
        ({"market": "M" * 21}, "market_hint is 21 characters"),
        ({"lang": "l" * 21}, "lang_hint is 21 characters"),
        ({"id": "i" * 501}, "source_id is 501 characters"),
        ({"author": "a" * 501}, "author is 501 characters"),
        ({"author": "ab\x00cd"}, "author contains NUL"),
        ({"id": "id\x00x"}, "source_id contains NUL"),
        ({"url": "http://x/" + "u" * 5000}, "url is"),
    ],
)
def test_field_limits_are_the_same_on_every_backend(ws, tmp_path, extra, reason):
    path = tmp_path / "lim.jsonl"
    write_jsonl(path, [good(1), {**good(2), **extra}, good(3)])
    report = ingest_file(ws.engine, path)
    assert (report.new, report.quarantined) == (2, 1)
    ids, reasons = stored(ws)
    assert ids == {"g1", "g3"}
    assert reason in next(iter(reasons.values()))


def test_limits_match_the_posts_table():
    for name, limit in LIMITS.items():
        column = posts.c[name]
        if hasattr(column.type, "length") and column.type.length:
            assert column.type.length == limit, name


def test_huge_date_cell_is_refused_before_parsing(ws, tmp_path):
    path = tmp_path / "date.csv"
    path.write_text(f"id,text,date\n1,ok,{ISO}\n2,slow,{'2026-01-01 ' * 1_000_000}\n3,ok too,{ISO}\n", encoding="utf-8")
    report = ingest_file(ws.engine, path)
    assert (report.new, report.quarantined) == (2, 1)
    assert "is not a date" in next(iter(stored(ws)[1].values()))


def test_extra_columns_are_kept_bounded_in_raw(ws, tmp_path):
    path = tmp_path / "extra.jsonl"
    write_jsonl(path, [good(1, Reach=1200, notes="n" * 3_000_000, **{f"c{i}": i for i in range(300)})])
    report = ingest_file(ws.engine, path)
    assert report.new == 1
    with ws.engine.connect() as conn:
        raw = conn.execute(select(posts.c.raw)).scalar_one()
    assert raw["Reach"] == 1200
    assert "notes" in raw["_truncated"] and len(raw["notes"]) <= 2000
    assert raw["_dropped"] and len(json.dumps(raw)) <= RAW_MAX_CHARS + 4000
    assert "text" not in raw  # the text lives in posts.text, not twice


def test_database_refusal_quarantines_only_that_row(ws):
    """The last line: a post built around the validation (not via Post.create) that the database refuses."""
    ok = Post.create(source="s", source_id="1", text="fine", published_at=WHEN)
    broken = Post(source="s", source_id="2", uid=Post.make_uid("s", "2"), text="bad \ud800", published_at=WHEN)
    result = store_batch(ws.engine, [ok, broken], [])
    assert (result.new, result.refused) == (1, 1)
    ids, reasons = stored(ws)
    assert ids == {"1"} and "database refused" in next(iter(reasons.values()))


def test_api_push_keeps_the_good_item_beside_bad_ones(ws):
    from tests.api_helpers import Api

    api = Api(ws)
    items = [
        {"id": "ok", "text": "refund delayed", "published_at": ISO},
        {"id": "big", "text": "x", "published_at": ISO, "likes": 1e23},
        {"id": "sur", "text": "bad \ud800 text", "published_at": ISO},
        {"id": "slow", "text": "x", "published_at": "2" * 256_000},
        {"id": "m", "text": "x", "published_at": ISO, "market": "M" * 30},
    ]
    # a lone surrogate cannot travel as UTF-8 JSON, only as a \ud800 escape: send the text as written
    resp = api.call(
        "service",
        "POST",
        "/api/v1/posts",
        content=json.dumps({"source": "push", "items": items}),
        headers={"Content-Type": "application/json"},
    )
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert (body["read"], body["new"], body["quarantined"]) == (5, 1, 4)
    assert [e["index"] for e in body["errors"]] == [1, 2, 3, 4]
    assert "not a date" in body["errors"][2]["reason"]
    assert stored(ws)[0] == {"ok"}


def test_watch_keeps_a_file_with_bad_rows_out_of_failed(ws, tmp_path):
    folder = tmp_path / "drop"
    folder.mkdir()
    write_jsonl(folder / "mixed.jsonl", [good(1), good(2, likes=1e23), good(3, author="a\x00b"), good(4)])
    result = scan_folder(ws, folder, settle=0)
    report = result["mixed.jsonl"]
    assert not isinstance(report, str), report
    assert (report.new, report.quarantined) == (2, 2)
    assert (folder / "done" / "mixed.jsonl").exists() and not (folder / "failed").exists()


def _bomb(path, size: int) -> None:
    """A valid-looking XLSX whose sheet part inflates to `size` bytes (zeros compress ~1000:1)."""
    wb = Workbook()
    wb.active.append(["text", "date"])
    wb.save(path)
    with zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/padding.bin", b"\0" * size)


def test_xlsx_expanding_past_the_cap_is_refused_before_reading(ws, tmp_path, monkeypatch):
    path = tmp_path / "bomb.xlsx"
    _bomb(path, 8 * 2**20)
    assert path.stat().st_size < 100_000
    monkeypatch.setattr(files_mod, "MAX_XLSX_UNCOMPRESSED", 4 * 2**20)
    with pytest.raises(WorkbookTooLarge, match=r"expands to 8 MB, over the limit of 4 MB.*CSV"):
        ingest_file(ws.engine, path)
    assert check_xlsx_size(path, limit=16 * 2**20) > 8 * 2**20
    not_zip = tmp_path / "fake.xlsx"
    not_zip.write_bytes(b"PK\x03\x04 broken")
    with pytest.raises(SourceFileError, match="not a readable XLSX"):
        check_xlsx_size(not_zip)


CORPUS = {
    # file name: (content writer, {id of each bad row: reason fragment}, ids of good rows)
    "counts.jsonl": (
        [good(1), good(2, likes=1e23), good(3, shares=-4), good(4, comments="lots"), good(5)],
        {"g2": "largest count", "g3": "negative", "g4": "comments"},
    ),
    "strings.jsonl": (
        [good(1), good(2, text="a\ud800"), good(3, author="n\x00l"), good(4, market="X" * 40), good(5, text="")],
        {"g2": "encoding", "g3": "NUL", "g4": "market_hint", "g5": "no text"},
    ),
    "dates.jsonl": (
        [
            good(1),
            good(2, published_at="-1"),
            good(3, published_at="1999-12-31T23:00:00Z"),
            good(4, published_at=(datetime.now(UTC) + timedelta(days=30)).isoformat()),
            good(5, published_at="x" * 100_000),
            good(6),
        ],
        {"g2": "published_at", "g3": "before 2000", "g4": "future", "g5": "not a date"},
    ),
    "broken.jsonl": ([good(1), "{not json", "[1, 2]", good(4)], {}),
}


def test_bad_input_corpus(ws, tmp_path):
    """Every file: good rows stored, bad rows quarantined with their reason, the counts add up."""
    before = 0
    for name, (rows, bad) in CORPUS.items():
        path = tmp_path / name
        write_jsonl(path, rows)
        report = ingest_file(ws.engine, path, source=name)
        assert_accounted(report)
        n_bad = len(bad) + sum(isinstance(r, str) for r in rows)
        assert report.quarantined == n_bad, (name, report)
        with ws.engine.connect() as conn:
            ids = set(conn.execute(select(posts.c.source_id).where(posts.c.source == name)).scalars())
            q = conn.execute(select(quarantine.c.raw, quarantine.c.reason).where(quarantine.c.source == name)).all()
            total = conn.execute(select(func.count()).select_from(posts)).scalar_one()
        want_good = {r["id"] for r in rows if isinstance(r, dict) and r["id"] not in bad}
        assert ids == want_good, name
        assert total == before + len(want_good)  # nothing else changed
        before = total
        for bad_id, fragment in bad.items():
            reasons = [reason for raw, reason in q if f'"{bad_id}"' in raw]
            assert reasons and fragment in reasons[0], (name, bad_id, reasons)


def test_api_push_reads_a_batch_of_dates_like_a_column(ws):
    from tests.api_helpers import Api

    api = Api(ws)
    settled = [
        {"id": "a", "text": "x", "published_at": "13/11/2026 10:00"},
        {"id": "b", "text": "y", "published_at": "04/11/2026 10:00"},
    ]
    body = api.call("service", "POST", "/api/v1/posts", json={"source": "p", "items": settled}).json()
    assert body["new"] == 2
    with ws.engine.connect() as conn:
        b = conn.execute(select(posts.c.published_at).where(posts.c.source_id == "b")).scalar_one()
    assert b == datetime(2026, 11, 4, 10, tzinfo=UTC)  # day-first, settled by item a
    lone = [{"id": "c", "text": "z", "published_at": "04/11/2026 10:00"}]
    body = api.call("service", "POST", "/api/v1/posts", json={"source": "p", "items": lone}).json()
    assert body["quarantined"] == 1 and "send ISO 8601" in body["errors"][0]["reason"]
