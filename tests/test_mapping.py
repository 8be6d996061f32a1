from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from monitio.records import RecordError
from monitio.sources.mapping import (
    ColumnMap,
    MappingError,
    map_row,
    parse_count,
    parse_map_option,
    parse_timestamp,
)


def test_default_names_are_recognised_case_insensitively():
    cm = ColumnMap.from_headers(
        [
            "Body",
            "Timestamp",
            "Link",
            "User Name",
            "Language",
            "Country",
            "like_count",
            "Retweets",
            "Replies",
            "Views",
        ],
        {},
    )
    assert cm.columns == {
        "text": "Body",
        "published_at": "Timestamp",
        "url": "Link",
        "author": "User Name",
        "lang": "Language",
        "market": "Country",
        "likes": "like_count",
        "shares": "Retweets",
        "comments": "Replies",
        "views": "Views",
    }


def test_map_option_overrides_defaults():
    cm = ColumnMap.from_headers(["text", "caption", "when"], parse_map_option(["text=caption", "date=when"]))
    assert cm.columns["text"] == "caption"
    assert cm.columns["published_at"] == "when"


def test_missing_text_column_is_a_clear_error():
    with pytest.raises(MappingError, match=r"no text column.*--map text=COLUMN"):
        ColumnMap.from_headers(["foo", "date"], {})


def test_map_option_rejects_unknown_field_and_missing_column():
    with pytest.raises(MappingError, match="unknown field"):
        parse_map_option(["colour=red"])
    with pytest.raises(MappingError, match="no column 'nope'"):
        ColumnMap.from_headers(["text", "date"], {"text": "nope"})


def test_naive_timestamps_use_the_configured_zone():
    dt = parse_timestamp("2026-11-01 08:00:00", ZoneInfo("Asia/Jakarta"))
    assert dt == datetime(2026, 11, 1, 1, tzinfo=UTC)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2026-11-01T08:00:00Z", datetime(2026, 11, 1, 8, tzinfo=UTC)),
        ("2026-11-01T08:00:00+07:00", datetime(2026, 11, 1, 1, tzinfo=UTC)),
        ("Sun, 01 Nov 2026 08:00:00 GMT", datetime(2026, 11, 1, 8, tzinfo=UTC)),
        ("1793520000", datetime(2026, 11, 1, 8, tzinfo=UTC)),
        ("1793520000000", datetime(2026, 11, 1, 8, tzinfo=UTC)),
        (
            datetime(2026, 11, 1, 8, tzinfo=timezone(timedelta(hours=-5))),
            datetime(2026, 11, 1, 13, tzinfo=UTC),
        ),
    ],
)
def test_timestamp_formats(raw, expected):
    assert parse_timestamp(raw, UTC) == expected


@pytest.mark.parametrize("raw", ["", "yesterday-ish", "2026-13-45", "99999-01-01", "1850-01-01"])
def test_bad_timestamps_raise(raw):
    with pytest.raises(ValueError):
        parse_timestamp(raw, UTC)


@pytest.mark.parametrize(
    ("raw", "n"),
    [("", 0), (None, 0), ("1,234", 1234), ("1.2K", 1200), ("3M", 3_000_000), (7, 7), (7.0, 7), ("12", 12)],
)
def test_counts(raw, n):
    assert parse_count(raw) == n


@pytest.mark.parametrize("raw", ["abc", "1.5", -1.5, "12 apples", True, float("nan")])
def test_bad_counts(raw):
    with pytest.raises(ValueError):
        parse_count(raw)


def test_row_without_id_gets_a_stable_content_id():
    cm = ColumnMap.from_headers(["text", "date", "author"], {})
    row = {"text": "same", "date": "2026-11-01", "author": "a"}
    p1 = map_row(row, cm, source="f", default_zone=UTC)
    p2 = map_row(dict(row), cm, source="f", default_zone=UTC)
    assert p1.source_id.startswith("h:") and p1.uid == p2.uid
    p3 = map_row({**row, "author": "b"}, cm, source="f", default_zone=UTC)
    assert p3.uid != p1.uid


def test_numeric_ids_from_spreadsheets_lose_the_trailing_zero():
    cm = ColumnMap.from_headers(["id", "text", "date"], {})
    p = map_row({"id": 42.0, "text": "x", "date": "2026-11-01"}, cm, source="f", default_zone=UTC)
    assert p.source_id == "42"


ROW_VALUES = st.one_of(st.none(), st.text(max_size=30), st.integers(), st.floats(allow_nan=True), st.booleans())


@given(st.dictionaries(st.sampled_from(["id", "text", "date", "likes", "author", "url", "lang"]), ROW_VALUES))
def test_map_row_gives_a_post_or_a_record_error(row):
    """Property: any row maps to a valid Post or raises RecordError, never anything else."""
    cm = ColumnMap.from_headers(["id", "text", "date", "likes", "author", "url", "lang"], {})
    try:
        post = map_row(row, cm, source="fuzz", default_zone=UTC)
    except RecordError:
        return
    assert post.text.strip() and post.published_at.tzinfo is not None and post.likes >= 0
