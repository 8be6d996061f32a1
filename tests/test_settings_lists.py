"""List settings from the environment: comma-separated values and JSON lists both work."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from monitio.settings import Settings, SettingsError


def test_comma_separated_env_lists(monkeypatch, tmp_path):
    monkeypatch.setenv("MONITIO_OUTBOUND_ALLOW", "127.0.0.1/32,localhost")
    monkeypatch.setenv("MONITIO_LANGUAGES", "en, id")
    monkeypatch.setenv("MONITIO_TRUSTED_PROXIES", "10.0.0.5,192.168.0.0/16")
    s = Settings.load(tmp_path)
    assert s.outbound_allow == ["127.0.0.1/32", "localhost"]
    assert s.languages == ["en", "id"]
    assert s.trusted_proxies == ["10.0.0.5", "192.168.0.0/16"]


def test_json_env_lists_still_work_and_bad_values_say_why(monkeypatch, tmp_path):
    monkeypatch.setenv("MONITIO_LANGUAGES", '["th", "vi"]')
    assert Settings.load(tmp_path).languages == ["th", "vi"]
    monkeypatch.setenv("MONITIO_LANGUAGES", '["th", ')
    with pytest.raises(SettingsError, match="comma-separated"):
        Settings.load(tmp_path)
    monkeypatch.delenv("MONITIO_LANGUAGES")
    monkeypatch.setenv("MONITIO_TRUSTED_PROXIES", "not-an-ip")
    with pytest.raises(SettingsError, match="trusted_proxies"):
        Settings.load(tmp_path)


@given(st.lists(st.text(alphabet="abcdefghij0123456789./:-", min_size=1, max_size=12), max_size=6))
def test_comma_lists_round_trip(items):
    assert Settings(outbound_allow=",".join(items)).outbound_allow == items
