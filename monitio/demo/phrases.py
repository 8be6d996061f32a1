"""Phrase banks of the demo corpus: the `Bank` type, shared emoji/slots and the text composer.

A post is composed from parts chosen independently (opener, a core template with slots, a tail,
emoji, hashtags) and then lightly roughed up (typos, case, punctuation), so background posts are
rarely exact or near duplicates of each other. Risk vocabulary lives only in `risk` templates;
`chatter` templates are everyday talk and carry none.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

CATEGORIES: tuple[str, ...] = (
    "scam_ads",
    "deepfake_impersonation",
    "misleading_claims",
    "prohibited_products",
    "shop_affiliate_fraud",
    "creator_monetization_abuse",
    "live_gifting_abuse",
    "ad_fraud_invalid_traffic",
    "payments_refunds",
    "advertiser_trust",
    "regulatory_legal",
    "privacy_targeting",
)

EMOJI_NEG = ("😡", "😤", "🙄", "😠", "💀", "😩", "🤬", "😒", "⚠️", "🚩", "😭", "🤦", "😑", "👎")
EMOJI_POS = ("😍", "🔥", "😂", "🥰", "👍", "✨", "🙌", "😋", "❤️", "🤣", "💯", "🥹", "😎", "🎉")

_SLOT = re.compile(r"\{(\w+)\}")


@dataclass(frozen=True)
class Bank:
    """Templates and slot values for one language variety."""

    lang: str
    chatter: tuple[str, ...]
    risk: Mapping[str, tuple[str, ...]]
    slots: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    openers: tuple[str, ...] = ()
    tails_neg: tuple[str, ...] = ()
    tails_pos: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    latin: bool = True


SHARED_SLOTS: dict[str, tuple[str, ...]] = {
    "creator": (
        "@kuyajun_vlogs",
        "@mei.eats",
        "@chefriko",
        "@dancewithnana",
        "@techbyarif",
        "@lola.travels",
        "@gamerzaki",
        "@minji.daily",
        "@ravi_cooks",
        "@tanya.fitlife",
        "@binhvlog",
        "@pimmy.review",
    ),
    "pct": ("10", "15", "20", "25", "30", "40", "50"),
    "days": ("3", "5", "6", "7", "9", "10", "12", "14", "15", "20", "21", "30"),
    "n": ("2", "3", "4", "5", "6"),
}


def fill(template: str, bank: Bank, rng: random.Random, extra: Callable[[str], str | None]) -> str:
    """Replace `{slot}` markers from the bank, then `extra` (market-specific), then shared slots."""

    def one(m: re.Match[str]) -> str:
        name = m.group(1)
        if name in bank.slots:
            return rng.choice(bank.slots[name])
        value = extra(name)
        if value is not None:
            return value
        if name in SHARED_SLOTS:
            return rng.choice(SHARED_SLOTS[name])
        return ""

    return _SLOT.sub(one, template)


def roughen(text: str, rng: random.Random, latin: bool) -> str:
    """Typos and casual writing: swapped or doubled letters, lower case, dropped final stop."""
    r = rng.random()
    if latin and r < 0.12 and len(text) > 12:
        i = rng.randrange(1, len(text) - 2)
        if text[i].isalpha() and text[i + 1].isalpha():
            text = text[:i] + text[i + 1] + text[i] + text[i + 2 :]
    elif latin and r < 0.2:
        words = text.split(" ")
        j = rng.randrange(len(words))
        w = words[j]
        if len(w) > 3 and w[-1].isalpha():
            words[j] = w + w[-1] * rng.randint(1, 3)
        text = " ".join(words)
    if latin and rng.random() < 0.18:
        text = text.lower()
    if rng.random() < 0.25 and text.endswith((".", "。", "।")):
        text = text[:-1]
    if not latin and rng.random() < 0.2:
        text += rng.choice(("!", "!!", "…", "~"))
    return text


def compose(
    bank: Bank,
    rng: random.Random,
    *,
    core: str,
    negative: bool,
    extra: Callable[[str], str | None],
) -> str:
    """A full post around one core template: opener, tail, emoji and hashtags, roughened."""
    parts: list[str] = []
    if bank.openers and rng.random() < 0.4:
        parts.append(rng.choice(bank.openers))
    body = fill(core, bank, rng, extra)
    if parts and parts[0].endswith(",") and body[:1].isupper() and body[1:2].islower():
        body = body[0].lower() + body[1:]
    parts.append(body)
    tails = bank.tails_neg if negative else bank.tails_pos
    if tails and rng.random() < 0.5:
        parts.append(fill(rng.choice(tails), bank, rng, extra))
    text = roughen(" ".join(parts), rng, bank.latin)
    emoji = EMOJI_NEG if negative else EMOJI_POS
    k = rng.choices((0, 1, 2, 3), weights=(32, 38, 21, 9))[0]
    if k:
        e = rng.choice(emoji)
        text += " " + (e * k if rng.random() < 0.4 else "".join(rng.choice(emoji) for _ in range(k)))
    if bank.tags and rng.random() < 0.28:
        text += " " + " ".join(rng.sample(bank.tags, k=min(len(bank.tags), rng.randint(1, 2))))
    return text
