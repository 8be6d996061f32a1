"""A per-post risk score in [0, 1] from the categories matched and how negative the post is.

For each matched category c with severity sev_c (the taxonomy's `default_severity`, 1-10) and n_c
distinct matched terms (across the category's matching rules):

    s_c   = sev_c / 10 * min(1, 0.6 + 0.2 * n_c)     # one term: 80 % sure, two or more: 100 %
    base  = 1 - prod_c (1 - s_c)                      # several categories add up, never past 1
    neg   = (1 - sentiment) / 2                       # sentiment in [-1, 1]: 0 positive ... 1 negative
    score = base * (0.7 + 0.3 * neg)

A post without a category scores 0. The score grows with severity, with the number of matched terms
and categories, and with negativity.

>>> from datetime import datetime, UTC
>>> from monitio.records import CategoryHit, Post
>>> d = Doc(1, Post.create(source="s", source_id="1", text="x", published_at=datetime.now(UTC)))
>>> d.categories = {"scam_ads": CategoryHit("scam_ads", "r", ["scam", "fake ad"], 2.0)}
>>> d.sentiment = -1.0
>>> RiskScoreStage({"scam_ads": 8}).process([d]); d.risk_score
0.8
>>> risk_score({"scam_ads": 1}, {"scam_ads": 8}, sentiment=1.0)
0.448
"""

from __future__ import annotations

from collections.abc import Mapping

from monitio.records import Doc

DEFAULT_SEVERITY = 5
"""Severity assumed for a category the severities table does not know."""


def risk_score(term_counts: Mapping[str, int], severities: Mapping[str, int], sentiment: float = 0.0) -> float:
    """The score for matched categories (category -> distinct matched terms) and a sentiment."""
    if not term_counts:
        return 0.0
    keep = 1.0
    for cat, n_terms in term_counts.items():
        sev = min(10, max(1, severities.get(cat, DEFAULT_SEVERITY)))
        keep *= 1.0 - sev / 10 * min(1.0, 0.6 + 0.2 * max(1, n_terms))
    negativity = (1.0 - min(1.0, max(-1.0, sentiment))) / 2
    return round((1.0 - keep) * (0.7 + 0.3 * negativity), 4)


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
            d.risk_score = risk_score(counts, self.severities, d.sentiment)
