"""Build a `Brief` from the store: top open signals, their evidence, playbooks and daily trends."""

from __future__ import annotations

import logging
from collections import defaultdict
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from monitio.detect.store import signal_dicts
from monitio.detect.why import MARKET_NAMES
from monitio.errors import Invalid, Unavailable
from monitio.reports.figures import compare
from monitio.reports.gloss import gloss, load_glossary
from monitio.reports.model import Brief, BriefSignal, EvidencePost, TrendPoint
from monitio.reports.period import BriefScope, resolve_scope
from monitio.reports.sections import kind_label
from monitio.reports.summary import executive_summary
from monitio.settings import workspace_file
from monitio.store.repo import stats
from monitio.store.schema import ALL, posts, rollups, signals

log = logging.getLogger(__name__)


def _dt(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def _title(sig: dict, names: dict[str, str]) -> str:
    cats = [names.get(c, c) for c in sig["categories"]] or ["All posts"]
    where = ", ".join(MARKET_NAMES.get(m, m) for m in sig["markets"][:4]) if sig["markets"] else "all markets"
    return f"{kind_label(sig['kind'])}: {' / '.join(cats)} ({where})"


def _scoped_signals(conn, scope: BriefScope, categories: tuple[str, ...], top: int) -> list[int]:
    """Ids of the signals active in the window and in scope, most severe first."""
    rows = conn.execute(
        select(signals.c.id, signals.c.markets, signals.c.categories)
        .where(signals.c.last_seen >= scope.since, signals.c.first_seen < scope.until)
        .order_by(signals.c.severity.desc(), signals.c.score.desc(), signals.c.id)
    ).all()
    keep = []
    for r in rows:
        if scope.markets and not set(r.markets or []) & set(scope.markets):
            continue
        if categories and not set(r.categories or []) & set(categories):
            continue
        keep.append(r.id)
        if len(keep) >= top:
            break
    return keep


def scope_categories(scope: BriefScope, taxonomy) -> tuple[str, ...]:
    """The categories a scope covers: the ones named, narrowed to the owner team's when a team is given."""
    cats = tuple(scope.categories)
    unknown = [c for c in cats if c not in taxonomy.categories]
    if unknown:
        raise Invalid(f"unknown category {unknown[0]!r}", hint="see `monitio taxonomy validate` for the category ids")
    if scope.team:
        team_cats = tuple(cid for cid, c in taxonomy.categories.items() if c.owner_team.lower() == scope.team.lower())
        if not team_cats:
            teams = sorted({c.owner_team for c in taxonomy.categories.values()})
            raise Invalid(f"no category is owned by team {scope.team!r}", hint="teams: " + ", ".join(teams))
        cats = tuple(c for c in cats if c in team_cats) if cats else team_cats
    return cats


def build_brief(ws, top: int = 10, scope: BriefScope | None = None, *, now: datetime | None = None) -> Brief:
    """The brief for a period and scope (default: the 30 days up to the end of the current hour)."""
    from monitio.taxonomy.loader import load_taxonomy

    taxonomy = load_taxonomy(ws.settings.taxonomy)
    now = now or datetime.now(UTC)
    scope = scope or resolve_scope(until=(now.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)))
    cats = taxonomy.categories
    names = {cid: c.name for cid, c in cats.items()}
    categories = scope_categories(scope, taxonomy)
    glossary = load_glossary(workspace_file(ws.settings, "glossary"))
    with ws.engine.connect() as conn:
        ids = _scoped_signals(conn, scope, categories, top)
        comparison = compare(conn, scope, categories)
    order = {sid: i for i, sid in enumerate(ids)}
    with ws.engine.connect() as conn:
        rows = conn.execute(select(signals).where(signals.c.id.in_(ids))).all() if ids else []
        items = sorted(signal_dicts(conn, rows), key=lambda s: order[s["id"]])
    signals_out = []
    for rank, s in enumerate(items, start=1):
        owner_cat = next((cats[c] for c in s["categories"] if c in cats), None)
        signals_out.append(
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
                detected_at=_dt(s["detected_at"]) if s.get("detected_at") else None,
                curve=list(s.get("curve") or []),
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
                        post_id=e.get("post_id"),
                        gloss=gloss(
                            e.get("evidence"), e.get("indicators"), e["lang"], _tone(e["sentiment"]), names, glossary
                        )
                        or None,
                    )
                    for e in s["evidence"]
                ],
                status=s.get("status", "open"),
            )
        )
    translate_evidence(ws, [e for s in signals_out for e in s.evidence])
    trends = _trends(ws, scope, categories)
    totals = stats(ws.engine)
    per_cat: dict[str, int] = defaultdict(int)
    for t in trends:
        per_cat[t.category] += t.count
    brief = Brief(
        title=_brief_title(scope),
        generated_at=now,
        period_start=scope.since,
        period_end=scope.until,
        totals={
            "posts": totals["posts"],
            "open_signals": totals["signals"],
            "quarantined": totals["quarantined"],
            "markets": totals["markets"],
            "languages": totals["languages"],
            "risk_posts_in_period": sum(per_cat.values()),
        },
        signals=signals_out,
        trends=trends,
        category_names=names,
        scope=scope,
        comparison=comparison,
        market_names=dict(MARKET_NAMES),
        partial_after=now if scope.until > now else None,
    )
    brief.summary = executive_summary(brief, base_url=ws.settings.public_url)
    return brief


def _tone(sentiment: float | None) -> str | None:
    if sentiment is None:
        return None
    return "negative" if sentiment <= -0.05 else "positive" if sentiment >= 0.05 else "neutral"


def translate_evidence(ws, evidence: list[EvidencePost]) -> None:
    """Add English machine translations to evidence posts when a service is set up (restricted posts never)."""
    from monitio.translate import is_restricted, translate_cached, translator_from_settings

    translator = translator_from_settings(ws.settings)
    if translator is None or not evidence:
        return
    ids = [e.post_id for e in evidence if e.post_id is not None]
    with ws.engine.connect() as conn:
        raws = dict(conn.execute(select(posts.c.id, posts.c.raw).where(posts.c.id.in_(ids))).all()) if ids else {}
    allowed = [e for e in evidence if not is_restricted(ws.settings, e.source, raws.get(e.post_id))]
    try:
        english = translate_cached(ws.engine, translator, [(e.text, e.lang) for e in allowed])
    except Unavailable as exc:  # a brief without translations beats no brief: the glosses still stand
        log.warning("no machine translations in this brief: %s", exc)
        return
    for e, text in zip(allowed, english, strict=True):
        if text:
            e.translation, e.translated_by = text, translator.name


def _brief_title(scope: BriefScope) -> str:
    head = {"day": "Daily", "week": "Weekly", "month": "Monthly"}.get(scope.period, "Monetization-risk")
    return f"{head} risk brief" if scope.period != "custom" else "Monetization-risk brief"


def _trends(ws, scope: BriefScope, categories: tuple[str, ...]) -> list[TrendPoint]:
    """Daily counts per category over the period (UTC days), restricted to the scope."""
    with ws.engine.connect() as conn:
        day = (
            func.date(rollups.c.bucket)
            if ws.engine.dialect.name == "sqlite"
            else func.date_trunc("day", rollups.c.bucket)
        )
        where = [rollups.c.bucket >= scope.since, rollups.c.bucket < scope.until, rollups.c.category != ALL]
        if scope.markets:
            where.append(rollups.c.market.in_(scope.markets))
        if categories:
            where.append(rollups.c.category.in_(categories))
        rows = conn.execute(
            select(day, rollups.c.category, func.sum(rollups.c.count), func.sum(rollups.c.negative))
            .where(*where)
            .group_by(day, rollups.c.category)
        ).all()
    trends = []
    for d, category, count, negative in rows:
        if isinstance(d, str):
            d = datetime.fromisoformat(d)
        d = d.replace(tzinfo=UTC) if d.tzinfo is None else d.astimezone(UTC)
        trends.append(TrendPoint(day=d, category=category, count=int(count), negative=int(negative)))
    trends.sort(key=lambda t: (t.day, t.category))
    return trends
