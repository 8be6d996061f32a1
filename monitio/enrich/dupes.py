"""Copy-paste keys: the same ad copy with another phone number, link, emoji or amount gets one key.

The text is case-folded and NFKC-normalised; links, e-mail addresses, @mentions, phone numbers and
other numbers, emoji and punctuation are removed and whitespace is collapsed. What is left is hashed
when it is long enough to be a real copy (at least 20 characters and 5 tokens, where each pair of
Thai/CJK/... characters counts as a token), else the post has no key.

>>> a = dupe_key("Guaranteed 30% profit daily!! Just WhatsApp +62 812 3456 7890 https://bit.ly/x 🔥")
>>> b = dupe_key("GUARANTEED 45% profit daily! just WhatsApp +62 899 1111 2222 www.tinyurl.com/y 💰💰")
>>> a == b and len(a) == 20
True
>>> dupe_key("so cute") is None
True
"""

from __future__ import annotations

import hashlib
import re

from monitio.enrich.minhash import signatures, to_bytes
from monitio.enrich.textnorm import fold, strip_noise
from monitio.records import Doc

EMAIL_RE = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
PUNCT_RE = re.compile(r"[^\w\s\u0300-\u036f\u0900-\u0963\u0966-\u0dff\u064b-\u065f]")
NUM_RE = re.compile(r"\d+")
UNSPACED_RE = re.compile(
    "[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff]"
)
MIN_CHARS = 20
MIN_TOKENS = 5


def normalize_for_dupes(text: str) -> str:
    """Folded text without links, e-mails, mentions, numbers, emoji and punctuation.

    >>> normalize_for_dupes("Call @budi_99 at 0812-3456 or budi@mail.com! https://x.co 🔥 #Promo")
    'call at or promo'
    """
    text = strip_noise(EMAIL_RE.sub(" ", text))
    return " ".join(NUM_RE.sub(" ", PUNCT_RE.sub(" ", fold(text))).replace("_", " ").split())


def token_count(norm: str) -> int:
    """Whitespace tokens, with every two unspaced-script characters counted as one more token."""
    return len(norm.split()) + len(UNSPACED_RE.findall(norm)) // 2


def key_of(norm: str) -> str | None:
    """The key of an already normalised text (`normalize_for_dupes`), or None when it is too short."""
    if len(norm) < MIN_CHARS or token_count(norm) < MIN_TOKENS:
        return None
    return hashlib.blake2b(norm.encode(), digest_size=10).hexdigest()


def dupe_key(text: str) -> str | None:
    """A 20-hex-digit key shared by copies of the same text, or None for short texts."""
    return key_of(normalize_for_dupes(text))


class DupKeyStage:
    """Sets `doc.dup_key` (see `dupe_key`) and, with `signatures` (as on a cluster's workers), for posts
    with a key `doc.dup_sig`: the MinHash signature near-duplicate grouping compares (`minhash.to_bytes`
    form). Both are pure per text, so a cluster's workers work them out and the writer only looks them
    up; in one process grouping computes signatures itself, for the keys it has not stored yet only."""

    name = "dupes"

    def __init__(self, signatures: bool = False) -> None:
        self.signatures = signatures

    def process(self, docs: list[Doc]) -> None:
        norms: dict[str, str] = {}  # key -> normalised text, one per distinct key
        for d in docs:
            norm = normalize_for_dupes(d.text)
            d.dup_key = key_of(norm)
            if d.dup_key is not None:
                norms.setdefault(d.dup_key, norm)
        if not norms or not self.signatures:
            return
        sig = dict(zip(norms, (to_bytes(s) for s in signatures(list(norms.values()))), strict=True))
        for d in docs:
            if d.dup_key is not None:
                d.dup_sig = sig[d.dup_key]
