"""A per-post risk score in [0, 1] from the categories matched, how negative the post is, and its scam indicators.

For each matched category c with severity sev_c (the taxonomy's `default_severity`, 1-10) and n_c
distinct matched terms (across the category's matching rules):

    s_c   = sev_c / 10 * min(1, 0.6 + 0.2 * n_c)     # one term: 80 % sure, two or more: 100 %
    base  = 1 - prod_c (1 - s_c)                      # several categories add up, never past 1
    neg   = (1 - sentiment) / 2                       # sentiment in [-1, 1]: 0 positive ... 1 negative
    score = base * (0.7 + 0.3 * neg)

Scam indicators (`doc.indicators`, see `monitio.enrich.indicators`) are an independent factor, the
scam-signature score `sig` of `scam_signature_score`, combined the same way:

    score = 1 - (1 - score) * (1 - sig)

A post without a category or indicators scores 0. The score grows with severity, with the number of
matched terms and categories, with negativity, and with scam signatures: a post with no category but a
promise of returns and a messaging contact scores 0.7 (scam ads sound positive, so sentiment does not
lower the signature part).

>>> from datetime import datetime, UTC
>>> from monitio.records import CategoryHit, Post
>>> d = Doc(1, Post.create(source="s", source_id="1", text="x", published_at=datetime.now(UTC)))
>>> d.categories = {"scam_ads": CategoryHit("scam_ads", "r", ["scam", "fake ad"], 2.0)}
>>> d.sentiment = -1.0
>>> RiskScoreStage({"scam_ads": 8}).process([d]); d.risk_score
0.8
>>> risk_score({"scam_ads": 1}, {"scam_ads": 8}, sentiment=1.0)
0.448
>>> risk_score({}, {}, indicators={"returns": ["dijamin untung"], "messaging": ["whatsapp:+6281234567890"]})
0.7
"""

from __future__ import annotations

from collections.abc import Mapping

from monitio.records import Doc

DEFAULT_SEVERITY = 5
"""Severity assumed for a category the severities table does not know."""


SIGNATURES: tuple[tuple[str, float], ...] = (
    ("returns + contact", 0.70),
    ("returns", 0.35),
    ("lookalike_link", 0.55),
    ("wallet", 0.50),
    ("impersonation + money", 0.60),
    ("impersonation", 0.40),
    ("urgency + contact", 0.30),
    ("urgency + returns", 0.30),
    ("short_link + pitch", 0.25),
    ("lure + contact", 0.55),
    ("lures", 0.40),
    ("lure + money", 0.35),
    ("contact", 0.35),
)
"""Scam signatures and their weights; see `scam_signature_score`."""


def lure_weight(lures) -> int:
    """Strength of the spam lures found: a phrase ("you have won", "check out my") or a term of a script
    written without spaces ("中奖", "รางวัล") counts 2, a single word ("prize", "hadiah", "trúng") 1.

    >>> lure_weight(["check out my"]), lure_weight(["prize", "trúng"]), lure_weight(["中奖"]), lure_weight(["इनाम"])
    (2, 2, 2, 1)
    """
    from monitio.query.text import UNSPACED_RE

    return sum(2 if (" " in w or UNSPACED_RE.search(w)) else 1 for w in lures)


def scam_signature_score(indicators: Mapping[str, list[str]] | None) -> float:
    """How much a post's indicators look like a scam, in [0, 1].

    Each signature present adds its weight w as an independent factor, 1 - prod(1 - w):

    - returns + contact (phone or messaging): 0.70, the core of investment and job scams;
      returns without a contact: 0.35 instead;
    - lookalike_link: 0.55 (a domain posing as a brand is rarely innocent);
    - wallet: 0.50 (a crypto address in a public post asks for payment);
    - impersonation + money, returns or wallet: 0.60; impersonation with other cues: 0.40;
    - urgency + contact: 0.30; urgency + returns: 0.30 (pressure added to a pitch);
    - short_link + a pitch (returns, urgency or impersonation): 0.25;
    - a spam lure ("you have won", "selamat anda", "subscribe to my") + a contact or link: 0.55; lures of
      weight 2 or more (see `lure_weight`): 0.40; a lure + money: 0.35 (prize, phishing, loan and comment spam).

    - a phone number or messaging contact posted in the open: 0.35 (an invitation to move the talk
      off the platform, the first step of most scams).

    Links, money or urgency alone weigh nothing: complaints and ordinary ads have them too.

    >>> scam_signature_score({"returns": ["x"], "phone": ["+6281234567890"]})
    0.7
    >>> scam_signature_score({"link": ["example.com"], "money": ["IDR 50000"]}), scam_signature_score({})
    (0.0, 0.0)
    >>> scam_signature_score({"wallet": ["btc:1..."], "impersonation": ["Elon Musk"], "urgency": ["now"]})
    0.8
    """
    if not indicators:
        return 0.0
    has = {k for k, v in indicators.items() if v}
    contact = bool(has & {"phone", "messaging"})
    returns = "returns" in has
    present = {
        "returns + contact": returns and contact,
        "returns": returns and not contact,
        "lookalike_link": "lookalike_link" in has,
        "wallet": "wallet" in has,
        "impersonation + money": "impersonation" in has and bool(has & {"money", "returns", "wallet"}),
        "impersonation": "impersonation" in has and not has & {"money", "returns", "wallet"},
        "urgency + contact": "urgency" in has and contact,
        "urgency + returns": "urgency" in has and returns,
        "short_link + pitch": "short_link" in has and bool(has & {"returns", "urgency", "impersonation"}),
        "lure + contact": "lure" in has and bool(has & {"phone", "messaging", "link"}),
        "lures": lure_weight(indicators.get("lure") or ()) >= 2,
        "lure + money": "lure" in has and "money" in has,
        "contact": contact and not (returns or "lure" in has),
    }
    keep = 1.0
    for name, weight in SIGNATURES:
        if present[name]:
            keep *= 1.0 - weight
    return round(1.0 - keep, 4)


def risk_score(
    term_counts: Mapping[str, int],
    severities: Mapping[str, int],
    sentiment: float = 0.0,
    indicators: Mapping[str, list[str]] | None = None,
) -> float:
    """The score for matched categories (category -> distinct matched terms), a sentiment and indicators."""
    sig = scam_signature_score(indicators)
    if not term_counts:
        return sig
    keep = 1.0
    for cat, n_terms in term_counts.items():
        sev = min(10, max(1, severities.get(cat, DEFAULT_SEVERITY)))
        keep *= 1.0 - sev / 10 * min(1.0, 0.6 + 0.2 * max(1, n_terms))
    negativity = (1.0 - min(1.0, max(-1.0, sentiment))) / 2
    base = (1.0 - keep) * (0.7 + 0.3 * negativity)
    return round(1.0 - (1.0 - base) * (1.0 - sig), 4)


class RiskScoreStage:
    """Sets `doc.risk_score` (see the module docstring for the formula)."""

    name = "risk"

    def __init__(self, severities: Mapping[str, int] | None = None):
        if severities is None:
            from monitio.taxonomy.loader import load_taxonomy

            severities = load_taxonomy().severities
        self.severities = dict(severities)

    def process(self, docs: list[Doc]) -> None:
        for d in docs:
            counts = {cat: len(hit.terms) for cat, hit in d.categories.items()}
            d.risk_score = risk_score(counts, self.severities, d.sentiment, d.indicators)
