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


def dupe_key(text: str) -> str | None:
    """A 20-hex-digit key shared by copies of the same text, or None for short texts."""
    norm = normalize_for_dupes(text)
    if len(norm) < MIN_CHARS or token_count(norm) < MIN_TOKENS:
        return None
    return hashlib.blake2b(norm.encode(), digest_size=10).hexdigest()


class DupKeyStage:
    """Sets `doc.dup_key` (see `dupe_key`)."""

    name = "dupes"

    def process(self, docs: list[Doc]) -> None:
        for d in docs:
            d.dup_key = dupe_key(d.text)
