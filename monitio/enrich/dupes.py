"""Copy-paste keys: the same ad copy with another phone number, link, emoji or amount gets one key.

>>> a = dupe_key("Guaranteed 30% profit daily!! WhatsApp +62 812 3456 7890 https://bit.ly/x 🔥")
>>> b = dupe_key("Guaranteed 45% profit daily!! WhatsApp +62 899 1111 2222 https://tinyurl.com/y 💰")
>>> a == b and a is not None
True
>>> dupe_key("so cute") is None
True
"""

from __future__ import annotations

import hashlib
import re

from monitio.enrich.textnorm import fold, strip_noise
from monitio.records import Doc

PUNCT_RE = re.compile(r"[^\w\s]", re.UNICODE)
MIN_CHARS = 20
MIN_TOKENS = 4


def normalize_for_dupes(text: str) -> str:
    """Text without links, mentions, numbers, emoji and punctuation, folded."""
    return " ".join(PUNCT_RE.sub(" ", fold(strip_noise(text))).split())


def dupe_key(text: str) -> str | None:
    norm = normalize_for_dupes(text)
    if len(norm) < MIN_CHARS or (len(norm.split()) < MIN_TOKENS and " " in norm):
        return None
    return hashlib.blake2b(norm.encode(), digest_size=10).hexdigest()


class DupKeyStage:
    name = "dupes"

    def process(self, docs: list[Doc]) -> None:
        for d in docs:
            d.dup_key = dupe_key(d.text)
