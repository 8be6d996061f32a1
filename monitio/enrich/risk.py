"""A per-post risk score in [0, 1].

score = 1 - prod_c (1 - s_c), with s_c = severity_c / 10 * min(1, 0.6 + 0.2 * terms_c) for each
matched category c (more distinct matched terms = surer), then scaled by how negative the post is:
x (0.75 + 0.25 * negativity), negativity = max(0, -sentiment). Posts without a category score 0.

>>> from datetime import datetime, UTC
>>> from monitio.records import CategoryHit, Post
>>> d = Doc(1, Post.create(source="s", source_id="1", text="x", published_at=datetime.now(UTC)))
>>> d.categories = {"scam_ads": CategoryHit("scam_ads", "r", ["scam", "fake ad"], 2.0)}
>>> d.sentiment = -1.0
>>> RiskScoreStage({"scam_ads": 8}).process([d]); round(d.risk_score, 2)
0.8
"""

from __future__ import annotations

from monitio.records import Doc


class RiskScoreStage:
    name = "risk"

    def __init__(self, severities: dict[str, int] | None = None):
        if severities is None:
            from monitio.taxonomy.loader import load_taxonomy

            severities = {k: c.default_severity for k, c in load_taxonomy().categories.items()}
        self.severities = severities

    def process(self, docs: list[Doc]) -> None:
        for d in docs:
            if not d.categories:
                d.risk_score = 0.0
                continue
            keep = 1.0
            for cat, hit in d.categories.items():
                s = self.severities.get(cat, 5) / 10 * min(1.0, 0.6 + 0.2 * len(hit.terms))
                keep *= 1.0 - s
            negativity = max(0.0, -d.sentiment)
            d.risk_score = round((1.0 - keep) * (0.75 + 0.25 * negativity), 4)
