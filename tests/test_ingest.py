"""File import on both backends: quarantine, idempotency, formats, bounded batches."""

import csv
import json
import random
from datetime import UTC, datetime, timedelta

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from monitio.ingest import ingest_file
from monitio.sources.files import SourceFileError
from monitio.sources.mapping import MappingError
from monitio.store.schema import posts, quarantine

BASE = datetime(2026, 11, 1, tzinfo=UTC)
BROKEN_KINDS = ["no text", "bad date", "bad likes", "too long", "bad bytes"]


def write_csv_with_broken_rows(path, n=400, broken_every=20, seed=3):
    """n rows, 5 % broken in five different ways; returns {row number: expected reason fragment}."""
    rng = random.Random(seed)
    broken = {}
    with open(path, "wb") as fh:
        fh.write(b"id,text,created_at,author,likes,country\n")
        for i in range(1, n + 1):
            text, date, likes = (
                f"post number {i} about refunds",
                (BASE + timedelta(minutes=i)).isoformat(),
                "3",
            )
            raw_text = None
            if i % broken_every == 0:
                kind = BROKEN_KINDS[(i // broken_every) % len(BROKEN_KINDS)]
                broken[i] = kind
                if kind == "no text":
                    text = ""
                elif kind == "bad date":
                    date = "31/31/2026 99:99"
                elif kind == "bad likes":
                    likes = "lots"
                elif kind == "too long":
                    text = "x" * 30_000
                else:
                    raw_text = b"caf\xe9 au lait \xff"
            line = ",".join([str(i), "{TEXT}", date, f"user{rng.randint(1, 50)}", likes, "ID"]).encode()
            line = line.replace(b"{TEXT}", raw_text if raw_text is not None else text.encode())
            fh.write(line + b"\n")
    return broken


REASONS = {
    "no text": "no text",
    "bad date": "published_at",
    "bad likes": "likes",
    "too long": "over the limit",
    "bad bytes": "broken encoding",
}


def test_broken_rows_are_quarantined_exactly_and_good_rows_kept(ws, tmp_path):
    path = tmp_path / "posts.csv"
    broken = write_csv_with_broken_rows(path)
    report = ingest_file(ws.engine, path, batch_size=64)
    assert report.read == 400
    assert report.quarantined == len(broken) == 20
    assert report.new == 380 and report.duplicate == 0
    with ws.engine.connect() as conn:
        rows = conn.execute(select(quarantine.c.locator, quarantine.c.reason)).all()
        stored_ids = set(conn.execute(select(posts.c.source_id)).scalars())
    assert len(rows) == 20
    by_row = {int(loc.split("row ")[1].split(" ")[0]): reason for loc, reason in rows}
    assert set(by_row) == set(broken)
    for number, kind in broken.items():
        assert REASONS[kind] in by_row[number], (number, kind, by_row[number])
    assert stored_ids == {str(i) for i in range(1, 401) if i not in broken}


def test_reimport_adds_nothing(ws, tmp_path):
    path = tmp_path / "posts.csv"
    write_csv_with_broken_rows(path, n=100)
    first = ingest_file(ws.engine, path)
    second = ingest_file(ws.engine, path)
    assert second.new == 0 and second.duplicate == first.new and second.quarantined == first.quarantined
    with ws.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(posts)).scalar_one() == first.new
        assert conn.execute(select(func.count()).select_from(quarantine)).scalar_one() == first.quarantined


def test_duplicate_ids_within_one_file_count_once(ws, tmp_path):
    path = tmp_path / "d.csv"
    path.write_text("id,text,date\n1,a,2026-11-01\n1,a again,2026-11-01\n2,b,2026-11-01\n", encoding="utf-8")
    report = ingest_file(ws.engine, path)
    assert (report.read, report.new, report.duplicate, report.quarantined) == (3, 2, 1, 0)


def test_jsonl_with_nested_fields_and_bad_lines(ws, tmp_path):
    path = tmp_path / "p.jsonl"
    lines = [
        json.dumps(
            {
                "id": "a",
                "body": "iklan penipuan lagi",
                "created": "2026-11-01T01:00:00Z",
                "user": {"name": "budi"},
            }
        ),
        "{not json",
        json.dumps(["a", "list"]),
        json.dumps({"id": "b", "body": "normal post", "created": "2026-11-01T02:00:00Z", "user": {"name": "sari"}}),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = ingest_file(ws.engine, path, overrides={"text": "body", "published_at": "created", "author": "user.name"})
    assert (report.new, report.quarantined) == (2, 2)
    with ws.engine.connect() as conn:
        authors = set(conn.execute(select(posts.c.author)).scalars())
        reasons = sorted(conn.execute(select(quarantine.c.reason)).scalars())
    assert authors == {"budi", "sari"}
    assert reasons[0].startswith("expected a JSON object") and reasons[1].startswith("invalid JSON")


def test_xlsx_import_with_real_dates_in_configured_zone(ws, tmp_path):
    path = tmp_path / "p.xlsx"
    wb = Workbook()
    sheet = wb.active
    sheet.append(["Post ID", "Message", "Date", "Likes"])
    sheet.append([101, "Refund belum masuk", datetime(2026, 11, 1, 9, 0), 4])
    sheet.append([102, None, datetime(2026, 11, 1, 9, 0), 1])
    sheet.append([103, "ok", "not a date", 1])
    wb.save(path)
    report = ingest_file(ws.engine, path, overrides={"id": "Post ID"}, timezone="Asia/Bangkok")
    assert (report.new, report.quarantined) == (1, 2)
    with ws.engine.connect() as conn:
        row = conn.execute(select(posts.c.source_id, posts.c.published_at, posts.c.likes)).one()
    assert row.source_id == "101" and row.likes == 4
    assert row.published_at == datetime(2026, 11, 1, 2, 0, tzinfo=UTC)


def test_unmappable_csv_stops_before_writing(ws, tmp_path):
    path = tmp_path / "p.csv"
    path.write_text("foo,bar\n1,2\n", encoding="utf-8")
    with pytest.raises(MappingError, match="no text column"):
        ingest_file(ws.engine, path)
    with ws.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(quarantine)).scalar_one() == 0


def test_missing_and_unknown_files(ws, tmp_path):
    with pytest.raises(SourceFileError, match="no such file"):
        ingest_file(ws.engine, tmp_path / "nope.csv")
    odd = tmp_path / "x.avro"
    odd.write_text("x")
    with pytest.raises(SourceFileError, match="--format"):
        ingest_file(ws.engine, odd)


def test_csv_with_semicolons_quotes_and_multiline_text(ws, tmp_path):
    path = tmp_path / "semi.csv"
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, delimiter=";")
        w.writerow(["id", "content", "timestamp"])
        w.writerow(["1", 'line one\nline two; with "quotes"', "2026-11-01 10:00"])
        w.writerow(["2", '=HYPERLINK("http://x")', "2026-11-01 11:00"])
    report = ingest_file(ws.engine, path)
    assert report.new == 2
    with ws.engine.connect() as conn:
        texts = set(conn.execute(select(posts.c.text)).scalars())
    assert 'line one\nline two; with "quotes"' in texts
