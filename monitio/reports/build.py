"""Build a `Brief` from the store: top open signals, their evidence, playbooks and daily trends."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from monitio.detect.store import list_open_signals
from monitio.reports.model import Brief, BriefSignal, EvidencePost, TrendPoint
from monitio.store.repo import stats
from monitio.store.schema import ALL, rollups

TREND_DAYS = 30


def _dt(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def _title(sig: dict, names: dict[str, str]) -> str:
    cats = [names.get(c, c) for c in sig["categories"]] or ["All posts"]
    where = ", ".join(sig["markets"][:4]) if sig["markets"] else "all markets"
    label = {
        "campaign": "Copy-paste campaign",
        "build-up": "Build-up",
        "level-shift": "New level",
        "emerging_narrative": "Emerging narrative",
        "term_burst": "Term burst",
        "sentiment_shift": "Sentiment shift",
    }.get(sig["kind"], "Spike")
    return f"{label}: {' / '.join(cats)} ({where})"


def build_brief(ws, top: int = 10) -> Brief:
    """The brief for the workspace as it is now."""
    from monitio.taxonomy.loader import load_taxonomy

    taxonomy = load_taxonomy(ws.settings.taxonomy)
    cats = taxonomy.categories
    names = {cid: c.name for cid, c in cats.items()}
    items = list_open_signals(ws.engine, limit=top)
    signals = []
    for rank, s in enumerate(items, start=1):
        owner_cat = next((cats[c] for c in s["categories"] if c in cats), None)
        signals.append(
            BriefSignal(
                rank=rank,
                signal_id=s["id"],
                kind=s["kind"],
                title=_title(s, names),
                severity=s["severity"],
                score=s["score"],
                why=s["why"],
                markets=s["markets"],
                categories=s["categories"],
                langs=s["langs"],
                first_seen=_dt(s["first_seen"]),
                last_seen=_dt(s["last_seen"]),
                observed=s["observed"],
                expected=s["expected"],
                negative_share=(s["details"] or {}).get("negative_share"),
                complaint_share=(s["details"] or {}).get("complaint_share"),
                owner_team=owner_cat.owner_team if owner_cat else "Ads Integrity",
                playbook=list(owner_cat.playbook)
                if owner_cat
                else ["Review the evidence posts and decide whether this needs a case."],
                evidence=[
                    EvidencePost(
                        source=e["source"],
                        source_id=e["source_id"],
                        text=e["text"],
                        published_at=_dt(e["published_at"]),
                        url=e["url"],
                        author=e["author"],
                        market=e["market"],
                        lang=e["lang"],
                        sentiment=e["sentiment"],
                        engagement=e["engagement"],
                    )
                    for e in s["evidence"]
                ],
            )
        )
    with ws.engine.connect() as conn:
        newest = conn.execute(select(func.max(rollups.c.bucket))).scalar() or datetime.now(UTC)
        end = newest.replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=1)
        start = end - timedelta(days=TREND_DAYS)
        day = (
            func.date(rollups.c.bucket)
            if ws.engine.dialect.name == "sqlite"
            else func.date_trunc("day", rollups.c.bucket)
        )
        rows = conn.execute(
            select(day, rollups.c.category, func.sum(rollups.c.count), func.sum(rollups.c.negative))
            .where(rollups.c.bucket >= start, rollups.c.category != ALL)
            .group_by(day, rollups.c.category)
        ).all()
    trends = []
    for d, category, count, negative in rows:
        if isinstance(d, str):
            d = datetime.fromisoformat(d)
        d = d.replace(tzinfo=UTC) if d.tzinfo is None else d.astimezone(UTC)
        trends.append(TrendPoint(day=d, category=category, count=int(count), negative=int(negative)))
    trends.sort(key=lambda t: (t.day, t.category))
    totals = stats(ws.engine)
    per_cat: dict[str, int] = defaultdict(int)
    for t in trends:
        per_cat[t.category] += t.count
    return Brief(
        title="Monetization-risk brief",
        generated_at=datetime.now(UTC),
        period_start=start,
        period_end=end,
        totals={
            "posts": totals["posts"],
            "open_signals": totals["signals"],
            "quarantined": totals["quarantined"],
            "markets": totals["markets"],
            "languages": totals["languages"],
            "risk_posts_in_period": sum(per_cat.values()),
        },
        signals=signals,
        trends=trends,
        category_names=names,
    )
