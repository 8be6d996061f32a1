"""Issue 14 (dates): every supported way of writing a date lands on the right instant, or is refused.

The property test writes random dates in random supported formats into a real file and imports it
(dry run): the stored instant equals the original for every row, or the file is refused as
ambiguous, and a refusal only happens when every value really fits both orders. Never a different instant.
"""

from __future__ import annotations

import os
import tempfile
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from monitio.ingest import ImportOptions, ingest_file
from monitio.sources.dates import (
    AmbiguousDate,
    AmbiguousDates,
    DateError,
    DateSniffer,
    parse_date,
    suggest_format,
    zone_in_text,
)

JKT = ZoneInfo("Asia/Jakarta")


@pytest.mark.parametrize(
    ("value", "order", "expected"),
    [
        ("2026-12-04T15:00:00+07:00", None, datetime(2026, 12, 4, 8, tzinfo=UTC)),
        ("2026-12-04 15:00", None, datetime(2026, 12, 4, 8, tzinfo=UTC)),  # naive: Asia/Jakarta
        ("04/12/2026 15:00", "dmy", datetime(2026, 12, 4, 8, tzinfo=UTC)),
        ("12/04/2026 03:00 PM", "mdy", datetime(2026, 12, 4, 8, tzinfo=UTC)),
        ("13/12/2026 15:00", None, datetime(2026, 12, 13, 8, tzinfo=UTC)),  # settles itself
        ("04/04/2026 15:00", None, datetime(2026, 4, 4, 8, tzinfo=UTC)),  # same either way
        ("04.12.2026 15:00 WIB", "dmy", datetime(2026, 12, 4, 8, tzinfo=UTC)),
        ("04/12/2026 16:00 GMT+8", "dmy", datetime(2026, 12, 4, 8, tzinfo=UTC)),
        ("2026-12-04 17:00:00 UTC+09:00", None, datetime(2026, 12, 4, 8, tzinfo=UTC)),
        ("4 Dec 2026 17:00 JST", None, datetime(2026, 12, 4, 8, tzinfo=UTC)),
        ("4 Dec 2026 17:00 KST", None, datetime(2026, 12, 4, 8, tzinfo=UTC)),
        ("4 Dec 2026 13:30 IST", None, datetime(2026, 12, 4, 8, tzinfo=UTC)),
        ("4 Dec 2026 16:00 PHT", None, datetime(2026, 12, 4, 8, tzinfo=UTC)),
        ("4 Dec 2026 15:00 ICT", None, datetime(2026, 12, 4, 8, tzinfo=UTC)),
        ("Fri, 04 Dec 2026 15:00:00 +0700", None, datetime(2026, 12, 4, 8, tzinfo=UTC)),
        ("Dec 4, 2026 3:00 PM", None, datetime(2026, 12, 4, 8, tzinfo=UTC)),
        ("4 Desember 2026 15.00", None, datetime(2026, 12, 4, 8, tzinfo=UTC)),  # id
        ("4 Disember 2026 3:00 petang", None, datetime(2026, 12, 4, 8, tzinfo=UTC)),  # ms
        ("Disyembre 4, 2026 3:00 PM", None, datetime(2026, 12, 4, 8, tzinfo=UTC)),  # tl
        ("15:00 ngày 4 tháng 12 năm 2026", None, datetime(2026, 12, 4, 8, tzinfo=UTC)),  # vi
        ("04/12/2026 3:00 CH", "dmy", datetime(2026, 12, 4, 8, tzinfo=UTC)),  # vi: chiều
        ("4 ธันวาคม 2569 15:00 น.", None, datetime(2026, 12, 4, 8, tzinfo=UTC)),  # th, Buddhist era
        ("4 ธ.ค. 2569 15:00", None, datetime(2026, 12, 4, 8, tzinfo=UTC)),
        ("2026年12月4日 15時00分", None, datetime(2026, 12, 4, 8, tzinfo=UTC)),
        ("2026년 12월 4일 오후 3:00", None, datetime(2026, 12, 4, 8, tzinfo=UTC)),
        ("1796371200", None, datetime(2026, 12, 4, 8, tzinfo=UTC)),  # epoch seconds
        ("1796371200000", None, datetime(2026, 12, 4, 8, tzinfo=UTC)),  # epoch ms
        (1796371200, None, datetime(2026, 12, 4, 8, tzinfo=UTC)),
        ("46360.625", None, datetime(2026, 12, 4, 8, tzinfo=UTC)),  # Excel serial, local wall time
        (46360.625, None, datetime(2026, 12, 4, 8, tzinfo=UTC)),
        ("20261204", None, datetime(2026, 12, 3, 17, tzinfo=UTC)),
        (datetime(2026, 12, 4, 15), None, datetime(2026, 12, 4, 8, tzinfo=UTC)),
        ("Disyembre 4, 2026 sa 3:00 PM", None, datetime(2026, 12, 4, 8, tzinfo=UTC)),  # tl "sa" is not AM
        ("4 Desember 2026 jam 12 malam", None, datetime(2026, 12, 3, 17, tzinfo=UTC)),  # midnight
        ("4 Desember 2026 pukul 3 sore", None, datetime(2026, 12, 4, 8, tzinfo=UTC)),
        ("Dec 4, 2026 at 3 PM", None, datetime(2026, 12, 4, 8, tzinfo=UTC)),
        ("2026-12-04 15:00 WIB", None, datetime(2026, 12, 4, 8, tzinfo=UTC)),
    ],
)
def test_supported_forms_land_on_the_right_instant(value, order, expected):
    assert parse_date(value, zone=JKT, order=order) == expected


@pytest.mark.parametrize(
    "value",
    [
        "-1",
        "0",
        "12",
        "4 Dec 2026 15:00 BST",
        "yesterday-ish",
        "31/31/2026",
        "2026-13-45",
        "1 Foo 2026",
        "x" * 65,
        "",
        "NaN",
        True,
    ],
)
def test_non_dates_are_refused(value):
    with pytest.raises(DateError):
        parse_date(value)


def test_ambiguous_value_needs_an_order():
    with pytest.raises(AmbiguousDate, match="fits both"):
        parse_date("04/12/2026 15:00")
    with pytest.raises(DateError, match="does not fit day-first"):
        parse_date("04/13/2026", order="dmy")


def test_header_zones():
    assert zone_in_text("Date (GMT+7)")[0] == timezone(timedelta(hours=7))
    assert zone_in_text("Time (UTC-03:30)")[0] == timezone(-timedelta(hours=3, minutes=30))
    assert zone_in_text("Created (WIB)")[0] == timezone(timedelta(hours=7))
    assert zone_in_text("Mention ID")[0] is None and zone_in_text("Zoom")[0] is None


def test_sniffer_settles_refuses_and_explains():
    s = DateSniffer("Date (GMT+7)")
    for v in ["04/12/2026 15:00", "03/11/2026 09:30", "05/05/2026 10:00"]:
        s.add(v)
    with pytest.raises(AmbiguousDates) as err:
        s.decide()
    msg = str(err.value)
    assert "'04/12/2026 15:00' and '03/11/2026 09:30'" in msg and '--date-format "%d/%m/%Y %H:%M"' in msg
    assert "--dayfirst" in msg and "\n" not in msg
    assert s.decide("dmy").order == "dmy"
    assert s.decide("mdy", source="workspace").settled_by == "workspace"
    s.add("25/12/2026 08:00")
    assert s.decide().order == "dmy" and s.decide().settled_by == "values"
    assert s.decide("mdy", source="workspace").order == "dmy"  # the workspace only breaks ties
    s.add("12/25/2026 08:00")
    with pytest.raises(AmbiguousDates, match="mixes day-first"):
        s.decide()


def test_suggest_format():
    assert suggest_format("04-12-26 3:00 pm", "dmy") == "%d-%m-%y %I:%M %p"


# --- the property: random dates in random formats ------------------------------------------------

EN = ["", "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
ID = ["", "Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
      "November", "Desember"]  # fmt: skip
TH = ["", "ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.", "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค."]


def _h12(d: datetime) -> str:
    return f"{(d.hour % 12) or 12}:{d.minute:02d} {'AM' if d.hour < 12 else 'PM'}"


FORMATS = {
    # name: (writer of a naive local datetime, carries its own zone?)
    "iso_offset": (lambda d, z: d.replace(tzinfo=z).isoformat(), True),
    "iso_naive": (lambda d, z: d.isoformat(sep=" "), False),
    "dmy": (lambda d, z: d.strftime("%d/%m/%Y %H:%M"), False),
    "mdy": (lambda d, z: d.strftime("%m/%d/%Y %H:%M"), False),
    "dmy_dots_gmt": (lambda d, z: d.strftime("%d.%m.%Y %H:%M ") + _gmt(z), True),
    "mdy_12h": (lambda d, z: d.strftime("%m/%d/%Y ") + _h12(d), False),
    "en_month": (lambda d, z: f"{EN[d.month]} {d.day}, {d.year} {_h12(d)}", False),
    "id_month": (lambda d, z: f"{d.day} {ID[d.month]} {d.year} {d.hour:02d}.{d.minute:02d}", False),
    "th_buddhist": (lambda d, z: f"{d.day} {TH[d.month]} {d.year + 543} {d.hour:02d}:{d.minute:02d} น.", False),
    "vi": (lambda d, z: f"{d.hour:02d}:{d.minute:02d} ngày {d.day} tháng {d.month} năm {d.year}", False),
    "epoch_s": (lambda d, z: str(int(d.replace(tzinfo=z).timestamp())), True),
    "epoch_ms": (lambda d, z: str(int(d.replace(tzinfo=z).timestamp()) * 1000), True),
    "excel_serial": (lambda d, z: repr((d - datetime(1899, 12, 30)).total_seconds() / 86400), False),
}
ZONE_OFFSETS = [0, 5.5, 7, 8, 9, -5]


def _gmt(z: timezone) -> str:
    minutes = int(z.utcoffset(None).total_seconds() // 60)
    sign = "-" if minutes < 0 else "+"
    return f"GMT{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def _truly_ambiguous(name: str, moments: list[datetime]) -> bool:
    return name in ("dmy", "mdy", "mdy_12h", "dmy_dots_gmt") and all(d.day <= 12 for d in moments)


moments_st = st.lists(
    st.datetimes(min_value=datetime(2000, 1, 2), max_value=datetime(2026, 11, 30)).map(
        lambda d: d.replace(second=0, microsecond=0)
    ),
    min_size=1,
    max_size=12,
)


@settings(
    max_examples=int(os.environ.get("DATES_EXAMPLES", "80")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(name=st.sampled_from(sorted(FORMATS)), moments=moments_st, offset=st.sampled_from(ZONE_OFFSETS))
def test_random_dates_in_random_formats_land_exactly_or_are_refused(name, moments, offset):
    zone = timezone(timedelta(hours=offset))
    write, _own_zone = FORMATS[name]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "export.csv"
        lines = ["id,text,date"] + [f'{i},post {i},"{write(d, zone)}"' for i, d in enumerate(moments)]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        # the zone for values without one comes from --timezone (a fixed-offset zone name)
        tz_name = "UTC" if offset == 0 else None
        opts = ImportOptions(timezone=tz_name, default_timezone="UTC")
        if tz_name is None:
            opts = ImportOptions(default_timezone="UTC")
            header = f"date (GMT{'+' if offset >= 0 else '-'}{int(abs(offset)):02d}:{int(abs(offset) * 60) % 60:02d})"
            text = path.read_text(encoding="utf-8").replace("id,text,date", f"id,text,{header}", 1)
            path.write_text(text, encoding="utf-8")
        try:
            report = ingest_file(None, path, options=opts, dry_run=True, preview=100)
        except AmbiguousDates:
            assert _truly_ambiguous(name, moments), f"{name} refused although a value settles it"
            return
    assert report.quarantined == 0, report.quarantine
    got = {int(r["source_id"]): datetime.fromisoformat(r["published_at"]) for r in report.rows}
    for i, d in enumerate(moments):
        assert got[i] == d.replace(tzinfo=zone), (name, write(d, zone))


ANY_VALUE = st.one_of(
    st.text(max_size=80),
    st.from_regex(r"\d{1,4}[/.\-]\d{1,4}[/.\-]\d{1,4}( \d{1,2}:\d{2}( [AP]M)?)?( GMT[+-]\d{1,2})?", fullmatch=True),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.none(),
    st.booleans(),
)


@settings(max_examples=300, deadline=None)
@given(ANY_VALUE, st.sampled_from([None, "dmy", "mdy"]))
def test_any_value_gives_an_aware_utc_instant_or_a_date_error(value, order):
    """Property (outside input): a date, always aware UTC, or DateError; never another exception."""
    try:
        when = parse_date(value, zone=JKT, order=order)
    except DateError:
        return
    assert when.tzinfo is not None and when.utcoffset() == timedelta(0)
