"""Password hashing keeps argon2id with strong parameters; the cheap test hasher is opt-out, not leaked."""

import pytest
from argon2 import PasswordHasher

from monitio.auth import secrets


@pytest.mark.real_hasher
def test_production_hasher_is_argon2id_with_strong_parameters():
    stored = secrets.hash_password("correct horse battery")
    assert stored.startswith("$argon2id$")
    params = dict(kv.split("=") for kv in stored.split("$")[3].split(","))
    assert int(params["m"]) >= 19 * 1024 and int(params["t"]) >= 2
    assert secrets.verify_password(stored, "correct horse battery")
    assert not secrets.verify_password(stored, "correct horse batterY")
    assert not secrets.verify_password(None, "correct horse battery")  # unknown user: still verifies a dummy


def test_tests_get_the_cheap_hasher_and_restoring_gives_the_default_back():
    assert secrets.password_hasher().memory_cost == 8
    cheap = secrets.hash_password("a long enough password")
    assert secrets.verify_password(cheap, "a long enough password")
    secrets.use_password_hasher(None)
    try:
        assert secrets.password_hasher().memory_cost == PasswordHasher().memory_cost
        assert secrets.verify_password(cheap, "a long enough password")  # parameters live in the hash
    finally:
        secrets.use_password_hasher(PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))


def test_short_passwords_are_refused():
    with pytest.raises(ValueError, match="at least 10"):
        secrets.hash_password("short")
