"""Vectorised MinHash signatures and LSH band buckets for near-duplicate grouping.

Shingles are character 5-grams of the normalised text (see `dupes.normalize_for_dupes`), hashed
with a fixed polynomial hash and a splitmix64 finaliser; each of the `NUM_PERM` permutations is a
multiply-shift hash whose constants come from blake2b, so signatures never change between runs,
processes or machines (no `hash()`, no random seeds). A whole batch is hashed with numpy at once.

>>> a, b, c = signatures([
...     "guaranteed profit daily just whatsapp us now and join the vip group",
...     "guaranteed profit daily just whatsapp us today and join the vip group",
...     "the weather in manila is lovely this morning after the rain",
... ])
>>> jaccard(a, b) > 0.5 > jaccard(a, c)
True
>>> band_buckets(a[None, :]).shape
(1, 16)
"""

from __future__ import annotations

import hashlib

import numpy as np

NUM_PERM = 64
BANDS = 16
ROWS = NUM_PERM // BANDS
SHINGLE = 5
_CHUNK_SHINGLES = 40_000
"""Shingles hashed at once (a chunk's permutation matrix is `_CHUNK_SHINGLES x NUM_PERM` words)."""

_M = np.uint64(0x100000001B3)
_MASK63 = np.uint64((1 << 63) - 1)


def _const(tag: str, i: int) -> np.uint64:
    return np.uint64(int.from_bytes(hashlib.blake2b(f"monitio-{tag}-{i}".encode(), digest_size=8).digest(), "little"))


_A = np.array([_const("a", i) | np.uint64(1) for i in range(NUM_PERM)], dtype=np.uint64)
_B = np.array([_const("b", i) for i in range(NUM_PERM)], dtype=np.uint64)
_BAND_SEED = np.array([_const("band", i) for i in range(BANDS)], dtype=np.uint64)


def _mix(x: np.ndarray) -> np.ndarray:
    """splitmix64 finaliser (wrapping uint64 arithmetic)."""
    x = x ^ (x >> np.uint64(30))
    x = x * np.uint64(0xBF58476D1CE4E5B9)
    x = x ^ (x >> np.uint64(27))
    x = x * np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))


def shingle_hashes(text: str) -> np.ndarray:
    """64-bit hashes of the character 5-grams of `text` (the whole text when shorter).

    >>> len(shingle_hashes("abcdefg")), len(shingle_hashes("abc"))
    (3, 1)
    """
    cp = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4").astype(np.uint64)
    if len(cp) == 0:
        cp = np.zeros(1, dtype=np.uint64)
    n = max(len(cp) - SHINGLE + 1, 1)
    h = np.zeros(n, dtype=np.uint64)
    for j in range(min(SHINGLE, len(cp))):
        h = h * _M + cp[j : j + n]
    return _mix(h)


def signatures(texts: list[str]) -> np.ndarray:
    """A `(len(texts), NUM_PERM)` uint32 MinHash matrix, one row per (already normalised) text."""
    out = np.empty((len(texts), NUM_PERM), dtype=np.uint32)
    start = 0
    while start < len(texts):
        hashes, total, end = [], 0, start
        while end < len(texts) and (total < _CHUNK_SHINGLES or end == start):
            h = shingle_hashes(texts[end])
            hashes.append(h)
            total += len(h)
            end += 1
        flat = np.concatenate(hashes)
        perm = np.multiply(flat[:, None], _A[None, :])
        perm += _B
        perm >>= np.uint64(32)
        offsets = np.cumsum([0] + [len(h) for h in hashes[:-1]])
        out[start:end] = np.minimum.reduceat(perm, offsets, axis=0).astype(np.uint32)
        start = end
    return out


def band_buckets(sigs: np.ndarray) -> np.ndarray:
    """`(n, BANDS)` int64 bucket ids (non-negative, band number mixed in) of `(n, NUM_PERM)` signatures."""
    rows = sigs.astype(np.uint64).reshape(len(sigs), BANDS, ROWS)
    v = np.broadcast_to(_BAND_SEED, (len(sigs), BANDS)).copy()
    for r in range(ROWS):
        v = _mix(v ^ rows[:, :, r])
    return (v & _MASK63).astype(np.int64)


def jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """Estimated Jaccard similarity of two signatures (share of equal minima)."""
    return float(np.count_nonzero(a == b)) / len(a)


def to_bytes(sig: np.ndarray) -> bytes:
    """Compact storage form (4 bytes per permutation, little-endian)."""
    return sig.astype("<u4").tobytes()


def from_bytes(data: bytes) -> np.ndarray:
    """The signature stored by `to_bytes`.

    >>> s = signatures(["some text that is long enough"])[0]
    >>> bool((from_bytes(to_bytes(s)) == s).all())
    True
    """
    return np.frombuffer(data, dtype="<u4").astype(np.uint32)
