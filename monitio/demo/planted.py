"""The planted emerging risks (spike, slow build-up, spread across markets, copy-paste campaign).

Each event is drawn as hourly counts from a shape curve times the market's daily rhythm, and every
post of an event carries the event's name so the manifest can list its post ids.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np

from monitio.demo.markets import BY_CODE, Market
from monitio.demo.phrases import Bank
from monitio.demo.phrases_events import (
    CAMPAIGN_BASE,
    CAMPAIGN_SLOTS,
    DEEPFAKE_ID,
    DEEPFAKE_ID_EN,
    GIFTING_PH,
    REFUND_SPREAD,
)
from monitio.demo.phrases_south import HINGLISH
from monitio.demo.rhythm import local_weights


@dataclass(frozen=True)
class EventSpec:
    """What to plant: shape, category, where, when (hours before `end`) and how many posts."""

    name: str
    shape: str
    category: str
    legs: tuple[tuple[str, int, int], ...]  # (market, starts hours before end, posts)
    banks: tuple[tuple[Bank, float], ...] = ()
    description: str = ""


@dataclass
class Draft:
    """One generated post before ids and engagement are assigned."""

    ts: datetime
    market: Market
    bank: Bank
    text: str
    author: str | None = None
    event: str = ""
    kind: str = "chatter"


def specs(scale: float) -> list[EventSpec]:
    """The four planted events, post counts scaled with the corpus size (campaign size fixed)."""

    def n(x: int) -> int:
        return max(10, round(x * scale))

    return [
        EventSpec(
            "deepfake_investment_ads_id", "spike", "deepfake_impersonation", (("ID", 40, n(95)),),
            ((DEEPFAKE_ID, 0.88), (DEEPFAKE_ID_EN, 0.12)),
            "Deepfake celebrity investment ads in Indonesia, rising within hours over the last 2 days.",
        ),
        EventSpec(
            "live_gift_abuse_ph", "ramp", "live_gifting_abuse", (("PH", 216, n(120)),),
            tuple((b, w) for b, w in zip(GIFTING_PH, (0.6, 0.18, 0.22), strict=True)),
            "Live-gifting abuse complaints in the Philippines growing steadily over 9 days.",
        ),
        EventSpec(
            "shop_refund_spread_th_vn_my", "spread", "payments_refunds",
            (("TH", 96, n(90)), ("VN", 72, n(65)), ("MY", 48, n(42))),
            (),
            "Refund complaints about one shop's cancelled flash-sale orders: Thailand, then Vietnam, "
            "then Malaysia over 4 days.",
        ),
        EventSpec(
            "guaranteed_returns_campaign_in_pk", "campaign", "scam_ads", (("IN", 13, 128), ("PK", 12, 44)),
            ((HINGLISH, 1.0),),
            "The same 'guaranteed returns, WhatsApp me' investment ad posted by 170+ fresh accounts "
            "within 12 hours in India and Pakistan.",
        ),
    ]  # fmt: skip


def _curve(shape: str, hours: int) -> np.ndarray:
    t = np.arange(hours, dtype=float)
    if shape == "spike":  # rises within ~4 hours, then eases off slowly
        return 1.0 / (1.0 + np.exp(-(t - 4.0) / 1.2)) * np.exp(-np.maximum(t - 8.0, 0) / 45.0)
    if shape == "ramp":
        return ((t + 1.0) / hours) ** 1.6
    if shape == "spread":
        return 1.0 / (1.0 + np.exp(-(t - 6.0) / 2.0))
    return t**1.5 * np.exp(-t / 2.5) + 0.05  # campaign burst


def _hour_counts(shape: str, start: datetime, hours: int, n: int, m: Market, rng: np.random.Generator) -> np.ndarray:
    rhythm = local_weights(start, hours, m.offset)
    w = _curve(shape, hours) * (0.35 + rhythm if shape != "campaign" else 1.0)
    return rng.multinomial(n, w / w.sum())


def _campaign_text(rng: random.Random, m: Market) -> str:
    slots = {k: rng.choice(v) for k, v in CAMPAIGN_SLOTS.items()}
    if m.code == "PK":
        slots["cur"], cc, first = "Rs ", "92", "3"
    else:
        slots["cur"], cc, first = "₹", "91", rng.choice("6789")
    digits = first + "".join(rng.choice("0123456789") for _ in range(9))
    slots["phone"] = f"+{cc} {digits[:5]} {digits[5:]}" if rng.random() < 0.6 else f"+{cc}{digits}"
    code = "".join(rng.choice("abcdefghijkmnpqrstuvwxyz23456789") for _ in range(6))
    slots["link"] = rng.choice((f"wa.me/{cc}{digits}", f"https://bit.ly/{code}", f"https://wa.link/{code}", ""))
    text = CAMPAIGN_BASE.format(**slots)
    return " ".join(text.split())


def _fresh_handle(rng: random.Random, i: int) -> str:
    stem = rng.choice(("earn", "invest", "profit", "rich", "money", "trader", "success", "wealth"))
    tail = rng.choice(("daily", "guru", "king", "queen", "tips", "zone", "hub", "pro"))
    return f"{stem}_{tail}{rng.randint(100, 9999)}x{i}"


def plant(
    end: datetime,
    spec: EventSpec,
    rng: random.Random,
    nrng: np.random.Generator,
    pick_author: dict[str, list[str]],
    make_text: Callable[[Bank, str, random.Random, Market, float], str],
) -> list[Draft]:
    """Draw the posts of one event. `make_text(bank, kind, rng, market)` composes a text."""
    out: list[Draft] = []
    fresh_i = 0
    for code, before, n in spec.legs:
        m = BY_CODE[code]
        start = end - timedelta(hours=before)
        counts = _hour_counts(spec.shape, start, before, n, m, nrng)
        if spec.banks:
            bank_list, weights = [b for b, _ in spec.banks], [w for _, w in spec.banks]
        else:
            bank_list = list(REFUND_SPREAD[code])
            weights = [1.0] * len(bank_list)
        for h, c in enumerate(counts):
            for _ in range(int(c)):
                ts = start + timedelta(hours=h, seconds=rng.randrange(3600))
                bank = rng.choices(bank_list, weights=weights)[0]
                if spec.shape == "campaign":
                    fresh_i += 1
                    text, author = _campaign_text(rng, m), _fresh_handle(rng, fresh_i)
                else:
                    text = make_text(bank, spec.category, rng, m, 0.0)
                    author = rng.choice(pick_author[code])
                out.append(Draft(ts, m, bank, text, author, spec.name, spec.category))
    return out
