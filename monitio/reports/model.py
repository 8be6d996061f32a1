"""The `Brief`: one object holding everything a risk brief says, rendered to Markdown and XLSX.

Builders (`monitio.reports.build`) fill it from the store; renderers only format it, so every
output format says the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from monitio.reports.figures import Comparison
    from monitio.reports.period import BriefScope


@dataclass(slots=True)
class EvidencePost:
    """A post shown as evidence for a signal."""

    source: str
    source_id: str
    text: str
    published_at: datetime
    url: str | None
    author: str | None
    market: str | None
    lang: str | None
    sentiment: float | None
    engagement: int
    post_id: int | None = None
    #: An English gloss of what matched (categories, terms with their meaning, indicators, tone).
    gloss: str | None = None
    #: A machine translation into English (marked as such wherever it is shown), when a service is set up.
    translation: str | None = None
    translated_by: str | None = None


@dataclass(slots=True)
class BriefSignal:
    """One ranked signal, with what a reader needs to act on it."""

    rank: int
    signal_id: int
    kind: str
    title: str
    severity: int
    score: float
    why: str
    markets: list[str]
    categories: list[str]
    langs: list[str]
    first_seen: datetime
    last_seen: datetime
    observed: float
    expected: float
    negative_share: float | None
    owner_team: str
    playbook: list[str]
    evidence: list[EvidencePost] = field(default_factory=list)
    status: str = "open"
    detected_at: datetime | None = None
    """When the signal was raised (`first_seen` is when the anomaly began)."""
    curve: list[dict] = field(default_factory=list)
    """Series signals: hourly `{"t", "observed", "expected", "low", "high"[, "partial"]}`."""
    complaint_share: float | None = None
    """Share of the signal's posts that are complaints (unmet expectations); None where not measured."""


@dataclass(slots=True)
class TrendPoint:
    """Daily post counts of one category (the Trends sheet and chart)."""

    day: datetime
    category: str
    count: int
    negative: int


@dataclass(slots=True)
class Brief:
    """A whole brief. All datetimes are aware UTC; renderers print them with their zone."""

    title: str
    generated_at: datetime
    period_start: datetime
    period_end: datetime
    totals: dict[str, int]
    signals: list[BriefSignal]
    trends: list[TrendPoint]
    category_names: dict[str, str] = field(default_factory=dict)
    scope: BriefScope | None = None
    comparison: Comparison | None = None
    summary: list[SummaryLine] = field(default_factory=list)
    market_names: dict[str, str] = field(default_factory=dict)
    #: Data after this instant is incomplete (the period reaches into the current day): drawn as partial.
    partial_after: datetime | None = None

    def category_name(self, cid: str) -> str:
        return self.category_names.get(cid, cid.replace("_", " "))

    def market_name(self, code: str) -> str:
        return self.market_names.get(code, code)


@dataclass(slots=True)
class SummaryLine:
    """One sentence of the executive summary, with the number it rests on and a link to its evidence."""

    text: str
    link: str | None = None
