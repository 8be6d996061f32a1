"""Issue 14 (imports): real export layouts land on the right instant with every mapping reported.

Each fixture is written by the test in the layout docs/imports.md documents (Brandwatch CSV with a
report header, the listening tool's UTF-16 "Unicode Text" export, XLSX with real Excel dates and with
text dates, TikTok/Reddit API JSONL with epoch times, Meltwater's split date and time columns).
"""

from __future__ import annotations

import json
import re
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from sqlalchemy import func, select
from typer.testing import CliRunner

from monitio.cli.main import app
from monitio.ingest import ImportOptions, ingest_file
from monitio.sources.dates import AmbiguousDates
from monitio.sources.files import OldExcelFormat, SourceFileError
from monitio.sources.layouts import LAYOUTS
from monitio.sources.mapping import ColumnMap
from monitio.sources.presets import PresetError, load_presets
from monitio.sources.watch import scan_folder
from monitio.store.schema import posts, quarantine

runner = CliRunner()


def cli(*args):
    return runner.invoke(app, [str(a) for a in args], catch_exceptions=False)


def stored(ws, source=None) -> dict[str, datetime]:
    stmt = select(posts.c.source_id, posts.c.published_at)
    if source:
        stmt = stmt.where(posts.c.source == source)
    with ws.engine.connect() as conn:
        return {r.source_id: r.published_at for r in conn.execute(stmt)}


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def write_listening_export(path, encoding="utf-16", extra_row=None):
    """The issue-14 layout: report title rows, then the columns, dates day-first in GMT+7."""
    rows = [
        ["Mentions export - Brand X"],
        ["Period", "01/11/2026 - 30/11/2026"],
        [],
        ["Mention ID", "Mention Content", "Date (GMT+7)", "Author Handle", "Reach", "Platform", "Sentiment"],
        ["901", "Iklan ini penipuan, uang saya hilang", "04/11/2026 15:00", "@budi", "1200", "TikTok", "neg"],
        ["902", "Hoàn tiền chưa nhận được", "13/11/2026 09:30", "@lan", "85", "Facebook", "neg"],
        ["903", "โฆษณานี้หลอกลวง", "01/12/2026 00:15", "@somchai", "40", "TikTok", "neu"],
    ]
    if extra_row:
        rows.append(extra_row)
    text = "\r\n".join("\t".join(r) for r in rows) + "\r\n"
    path.write_bytes(text.encode(encoding) if encoding != "utf-16-be-bom" else b"\xfe\xff" + text.encode("utf-16-be"))


LISTENING = {
    "901": utc(2026, 11, 4, 8, 0),
    "902": utc(2026, 11, 13, 2, 30),
    "903": utc(2026, 11, 30, 17, 15),
}


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be-bom"])
def test_listening_tool_unicode_text_export(ws, tmp_path, encoding):
    path = tmp_path / "mentions.txt"
    write_listening_export(path, encoding)
    report = ingest_file(ws.engine, path, options=ImportOptions(source="listening"))
    assert (report.read, report.new, report.quarantined) == (3, 3, 0)
    assert report.mapping == {
        "id": "Mention ID",
        "text": "Mention Content",
        "published_at": "Date (GMT+7)",
        "author": "Author Handle",
        "views": "Reach",
        "platform": "Platform",
    }
    assert report.ignored == ["Sentiment"]
    assert len(report.skipped_rows) == 3 and "Mentions export" in report.skipped_rows[0]
    assert report.timezone == {"zone": "UTC+07:00", "from": "the column name 'Date (GMT+7)'"}
    assert report.date_order == "dmy (values)"
    got = {}
    for src in ("listening:tiktok", "listening:facebook"):
        got.update(stored(ws, src))
    assert got == LISTENING  # one source per platform, each row with its own Mention ID
    with ws.engine.connect() as conn:
        raw = conn.execute(select(posts.c.raw).where(posts.c.source_id == "901")).scalar_one()
        views = conn.execute(select(posts.c.views).where(posts.c.source_id == "901")).scalar_one()
    assert raw["Sentiment"] == "neg" and views == 1200


def test_brandwatch_csv_with_report_header_and_month_first_dates(ws, tmp_path):
    path = tmp_path / "bw.csv"
    path.write_text(
        "Brandwatch Consumer Research export\n"
        "Query: scam ads\n"
        "\n"
        "Query Id,Date,Title,Full Text,Url,Author,Resource Id,Impressions,Country\n"
        "7,11/25/2026 08:00,,Fake giveaway ad again,https://x.example/1,@a,r1,10,ID\n"
        "7,01/02/2027 10:00,,Scam link in the ad,https://x.example/2,@b,r2,20,PH\n".replace("2027", "2026"),
        encoding="utf-8-sig",
    )
    report = ingest_file(ws.engine, path, options=ImportOptions(default_timezone="Asia/Manila"))
    assert report.mapping["text"] == "Full Text" and report.mapping["id"] == "Resource Id"
    assert report.mapping["views"] == "Impressions" and report.mapping["market"] == "Country"
    assert set(report.ignored) == {"Query Id", "Title"}
    assert report.timezone == {"zone": "Asia/Manila", "from": "the workspace setting timezone"}
    assert stored(ws) == {"r1": utc(2026, 11, 25, 0, 0), "r2": utc(2026, 1, 2, 2, 0)}


def test_xlsx_with_real_excel_dates_and_header_zone(ws, tmp_path):
    path = tmp_path / "sprinklr.xlsx"
    wb = Workbook()
    ws_ = wb.active
    ws_.append(["Sprinklr export"])
    ws_.append(["Universal Message ID", "Message", "Created Time (UTC+08:00)", "Sender Screen Name", "Social Network"])
    ws_.append(["u1", "Refund belum masuk", datetime(2026, 11, 3, 9, 0), "ali", "Twitter"])
    ws_.append(["u2", "Penipuan di iklan", 46360.625, "siti", "Instagram"])  # a serial number cell
    wb.save(path)
    report = ingest_file(ws.engine, path, options=ImportOptions(source="spr"))
    assert (
        report.mapping["published_at"] == "Created Time (UTC+08:00)" and report.mapping["platform"] == "Social Network"
    )
    assert report.skipped_rows == ["Sprinklr export"]
    got = {**stored(ws, "spr:twitter"), **stored(ws, "spr:instagram")}
    assert got == {"u1": utc(2026, 11, 3, 1, 0), "u2": utc(2026, 12, 4, 7, 0)}


def test_xlsx_with_text_dates_in_several_languages(ws, tmp_path):
    path = tmp_path / "text-dates.xlsx"
    wb = Workbook()
    wb.active.append(["id", "content", "published"])
    wb.active.append(["a", "Penipuan iklan", "4 Desember 2026 15.00"])
    wb.active.append(["b", "โฆษณาหลอก", "4 ธ.ค. 2569 15:00"])
    wb.active.append(["c", "Quảng cáo lừa đảo", "15:00 ngày 4 tháng 12 năm 2026"])
    wb.active.append(["d", "Scam ad", "Dec 4, 2026 3:00 PM"])
    wb.save(path)
    report = ingest_file(ws.engine, path, options=ImportOptions(timezone="Asia/Jakarta"))
    assert report.quarantined == 0
    assert set(stored(ws).values()) == {utc(2026, 12, 4, 8, 0)} and len(stored(ws)) == 4


def test_api_exports_jsonl_with_epoch_times(ws, tmp_path):
    path = tmp_path / "tiktok.jsonl"
    rows = [
        {"id": 7301, "video_description": "Fake shop ad", "create_time": 1796371200, "username": "u", "like_count": 5},
        {"id": 7302, "video_description": "Refund scam", "create_time": 1796371200000, "username": "v"},
    ]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    report = ingest_file(ws.engine, path)
    assert report.mapping["text"] == "video_description" and report.mapping["published_at"] == "create_time"
    assert stored(ws) == {"7301": utc(2026, 12, 4, 8), "7302": utc(2026, 12, 4, 8)}
    reddit = tmp_path / "reddit.jsonl"
    reddit.write_text(
        json.dumps({"id": "abc", "selftext": "Is this ad a scam?", "created_utc": 1796371200.0, "ups": 3}) + "\n",
        encoding="utf-8",
    )
    report = ingest_file(ws.engine, reddit)
    assert report.mapping["text"] == "selftext" and report.mapping["likes"] == "ups"


def test_meltwater_split_date_and_time(ws, tmp_path):
    path = tmp_path / "mw.csv"
    path.write_text(
        "Date,Time,Hit Sentence,Influencer,URL,Reach\n"
        "04-Dec-2026,03:00 PM,Scam ads everywhere,@x,https://m.example/1,300\n",
        encoding="utf-8",
    )
    report = ingest_file(ws.engine, path, options=ImportOptions(timezone="Asia/Singapore"))
    assert report.mapping["published_time"] == "Time" and report.mapping["text"] == "Hit Sentence"
    assert list(stored(ws).values()) == [utc(2026, 12, 4, 7, 0)]


def test_ambiguous_file_is_refused_before_writing(ws, tmp_path):
    path = tmp_path / "amb.csv"
    path.write_text("id,text,date\n1,a,04/12/2026 15:00\n2,b,03/11/2026 09:30\n", encoding="utf-8")
    with pytest.raises(AmbiguousDates, match=r'--date-format "%d/%m/%Y %H:%M" or --dayfirst'):
        ingest_file(ws.engine, path)
    with ws.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(posts)).scalar_one() == 0
        assert conn.execute(select(func.count()).select_from(quarantine)).scalar_one() == 0
    report = ingest_file(ws.engine, path, options=ImportOptions(order="mdy"))
    assert stored(ws) == {"1": utc(2026, 4, 12, 15), "2": utc(2026, 3, 11, 9, 30)}
    assert report.date_order == "mdy (option)"


# --- command line: dry run, presets, errors (SQLite) ---------------------------------------------


@pytest.fixture
def cli_ws(tmp_path):
    ws = tmp_path / "ws"
    assert cli("init", "--workspace", ws).exit_code == 0
    return ws


def test_dry_run_contract_and_writes_nothing(cli_ws, tmp_path):
    path = tmp_path / "mentions.txt"
    write_listening_export(path, extra_row=["904", "old", "04/11/1999 10:00", "@z", "1", "TikTok", "neu"])
    res = cli("ingest", path, "--workspace", cli_ws, "--dry-run", "--json")
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert out["mapping"]["published_at"] == "Date (GMT+7)" and out["ignored"] == ["Sentiment"]
    assert out["quarantined"] == 1 and "before 2000" in out["quarantine"][0]["reason"]
    assert [r["published_at"] for r in out["rows"]] == [v.isoformat() for v in LISTENING.values()]
    assert out["rows"][0]["published_local"] == "2026-11-04T15:00:00+07:00"
    stats = json.loads(cli("stats", "--workspace", cli_ws, "--json").stdout)
    assert stats["posts"] == 0 and stats["quarantined"] == 0


def test_cli_ambiguous_exits_2_with_one_line_and_options_fix_it(cli_ws, tmp_path):
    path = tmp_path / "amb.csv"
    path.write_text("id,text,date\n1,a,04/12/2026 15:00\n2,b,03/11/2026 09:30\n", encoding="utf-8")
    for extra in ([], ["--dry-run"]):
        res = cli("ingest", path, "--workspace", cli_ws, "--json", *extra)
        assert res.exit_code == 2
        assert res.output.count("\n") == 1 and "--dayfirst" in res.output
    dry = json.loads(cli("ingest", path, "-w", cli_ws, "--dry-run", "--json", "--dayfirst").stdout)
    assert dry["rows"][0]["published_at"] == "2026-12-04T15:00:00+00:00"
    fmt = json.loads(cli("ingest", path, "-w", cli_ws, "--json", "--date-format", "%m/%d/%Y %H:%M").stdout)
    assert fmt["new"] == 2 and fmt["date_order"].startswith("format")


def test_preset_in_monitio_toml(cli_ws, tmp_path):
    (cli_ws / "monitio.toml").write_text(
        (cli_ws / "monitio.toml").read_text()
        + '\n[[imports]]\nname = "tool"\ndayfirst = true\nsource = "tool"\ntimezone = "Asia/Jakarta"\n'
        '[imports.columns]\ntext = "Body Text"\npublished_at = "When"\nid = "Ref"\n',
        encoding="utf-8",
    )
    path = tmp_path / "x.csv"
    path.write_text("Ref,Body Text,When,Other\nk1,hello scam,04/12/2026 15:00,z\n", encoding="utf-8")
    res = cli("ingest", path, "-w", cli_ws, "--preset", "tool", "--json")
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert out["mapping"] == {"id": "Ref", "text": "Body Text", "published_at": "When"}
    assert out["date_order"] == "dmy (preset)" and out["timezone"]["from"] == "the preset"
    search = cli("ingest", path, "-w", cli_ws, "--preset", "nope")
    assert search.exit_code == 2 and "presets: tool" in search.output
    assert load_presets(cli_ws)["tool"].columns["id"] == "Ref"


def test_bad_presets_are_clear():
    from monitio.sources.presets import ImportPreset

    with pytest.raises(PresetError, match="unknown field 'colour'"):
        ImportPreset.from_dict({"name": "x", "columns": {"colour": "C"}})
    with pytest.raises(PresetError, match="unknown keys"):
        ImportPreset.from_dict({"name": "x", "dayfirts": True})
    with pytest.raises(PresetError, match="unknown time zone"):
        ImportPreset.from_dict({"name": "x", "timezone": "Mars/Base"})


def test_watch_uses_the_folder_preset(ws, tmp_path):
    (ws.path / "monitio.toml").write_text(
        (ws.path / "monitio.toml").read_text()
        + '\n[[imports]]\nname = "tool"\nfolder = "partner"\ndayfirst = true\nsource = "partner-tool"\n',
        encoding="utf-8",
    )
    drop = tmp_path / "drop"
    (drop / "partner").mkdir(parents=True)
    (drop / "partner" / "a.csv").write_text("id,text,date\n1,x,04/12/2026 15:00\n", encoding="utf-8")
    (drop / "b.csv").write_text("id,text,date\n1,x,04/12/2026 15:00\n", encoding="utf-8")
    results = scan_folder(ws, drop, settle=0)
    assert results["partner/a.csv"].new == 1
    assert stored(ws, "partner-tool") == {"1": utc(2026, 12, 4, 15)}
    assert results["b.csv"].startswith("failed:") and "--dayfirst" in results["b.csv"]
    reason = (drop / "failed" / "b.csv.reason.txt").read_text()
    assert "fits both day-first and month-first" in reason


def test_skip_rows_tsv_and_file_errors(tmp_path):
    path = tmp_path / "odd.dat"
    path.write_text("junk line\tx\tz\nid\ttext\tdate\n1\thello\t2026-11-01 10:00\n", encoding="utf-8")
    report = ingest_file(None, path, options=ImportOptions(fmt="tsv", skip_rows=1), dry_run=True)
    assert report.rows[0]["published_at"] == "2026-11-01T10:00:00+00:00" and report.skipped_rows == [
        "junk line | x | z"
    ]
    old = tmp_path / "report.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)
    with pytest.raises(OldExcelFormat, match=r"old Excel 97-2003 format.*convert-to xlsx"):
        ingest_file(None, old, dry_run=True)
    html = tmp_path / "disguised.xlsx"
    html.write_bytes(b"<html><table><tr><td>x</td></tr></table></html>")
    with pytest.raises(OldExcelFormat, match="HTML table"):
        ingest_file(None, html, dry_run=True)
    latin = tmp_path / "latin.csv"
    latin.write_bytes(("id,text,date\n" + "1,caf\xe9 cr\xe8me br\xfbl\xe9e,2026-11-01\n" * 40).encode("cp1252"))
    with pytest.raises(SourceFileError, match=r"is not UTF-8 .*save it as CSV UTF-8"):
        ingest_file(None, latin, dry_run=True)
    nobom = tmp_path / "nobom.csv"
    nobom.write_bytes("id,text,date\n1,x,2026-11-01\n".encode("utf-16-le"))
    with pytest.raises(SourceFileError, match="UTF-16 LE without a byte-order mark"):
        ingest_file(None, nobom, dry_run=True)


def test_taxonomy_test_reads_exports_like_ingest(cli_ws, tmp_path):
    path = tmp_path / "mentions.txt"
    write_listening_export(path)  # UTF-16, report header rows, text in "Mention Content"
    res = cli("taxonomy", "test", path, "--json")
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["posts"] == 3
    (cli_ws / "monitio.toml").write_text(
        (cli_ws / "monitio.toml").read_text()
        + '\n[[imports]]\nname = "t"\n[imports.columns]\ntext = "Author Handle"\n',
        encoding="utf-8",
    )
    res = cli("taxonomy", "test", path, "--preset", "t", "--workspace", cli_ws, "--json", "--examples", "5")
    texts = {e["text"] for c in json.loads(res.stdout)["categories"] for e in c["examples"]}
    assert not texts or texts <= {"@budi", "@lan", "@somchai"}
    assert json.loads(res.stdout)["posts"] == 3


@pytest.mark.parametrize("tool", sorted(LAYOUTS))
def test_every_documented_layout_maps_as_documented(tool):
    """docs/imports.md's table comes from LAYOUTS: each alternative column name maps to its field."""
    layout = LAYOUTS[tool]
    for pick in (0, -1):  # the first and the last alternative of each field
        headers = {}
        for field_, names in layout.items():
            options = [n.strip() for n in names.split(" / ")]
            name = re.sub(r"\s*\(.*\)$", "", options[pick])
            headers[name] = field_
        if tool == "Meltwater":
            headers["Time"] = "published_time"
        cmap = ColumnMap.from_headers(
            [h.upper() if pick and not re.search(r"[a-z][A-Z]", h) else h for h in headers], {}
        )
        got = {f: c.lower() for f, c in cmap.columns.items()}
        assert got == {f: h.lower() for h, f in headers.items()}, tool


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=400), st.sampled_from(["csv", "tsv", "jsonl", "xlsx"]))
def test_any_bytes_give_rows_or_one_file_error(data, fmt):
    """Property (outside input): any file is read as rows (good or quarantined) or refused with a
    SourceFileError/MappingError, never another exception."""
    from monitio.sources.mapping import MappingError

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"f.{fmt}"
        path.write_bytes(data)
        try:
            report = ingest_file(None, path, dry_run=True)
        except (SourceFileError, MappingError):
            return
    assert report.read == report.new + report.duplicate + report.quarantined


def test_issue_14_export_394_rows_none_in_the_wrong_month(ws, tmp_path):
    """The reported file: 394 rows (391 posts + 3 bad), day-first text dates in GMT+7, Excel layout."""
    path = tmp_path / "issue14.xlsx"
    wb = Workbook()
    sheet = wb.active
    sheet.append(["Mention ID", "Mention Content", "Date (GMT+7)", "Author Handle", "Reach"])
    expected = {}
    for i in range(391):
        day, month, hour = 1 + i % 28, 1 + (i // 28) % 11, i % 24
        sheet.append([f"M{i}", f"mention {i}", f"{day:02d}/{month:02d}/2026 {hour:02d}:00", f"@h{i}", i])
        expected[f"M{i}"] = datetime(2026, month, day, hour, tzinfo=UTC) - timedelta(hours=7)
    sheet.append(["B1", "bad date", "31/02/2026 10:00", "@b", 1])
    sheet.append(["B2", "not a date", "-1", "@b", 1])
    sheet.append(["B3", "", "01/01/2026 10:00", "@b", 1])
    wb.save(path)
    report = ingest_file(ws.engine, path)
    assert (report.read, report.new, report.quarantined) == (394, 391, 3)
    assert stored(ws) == expected
    with ws.engine.connect() as conn:
        authors = dict(conn.execute(select(posts.c.source_id, posts.c.author)).all())
        views = dict(conn.execute(select(posts.c.source_id, posts.c.views)).all())
    assert authors["M5"] == "@h5" and views["M390"] == 390
