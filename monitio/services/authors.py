"""The author view: one author's posts (paged, through the search service) and what they touch:
first and last seen, markets and languages, near-duplicate groups, narratives, indicators posted.

>>> from monitio.workspace import init_workspace
>>> import tempfile
>>> author_profile(init_workspace(tempfile.mkdtemp()).engine, "nobody")
Traceback (most recent call last):
...
monitio.errors.NotFound: no posts by 'nobody'
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, func, select

from monitio.errors import NotFound
from monitio.services import search as svc
from monitio.store.schema import UNKNOWN, posts
from monitio.store.schema_dupes import dup_groups
from monitio.store.schema_intel import narratives, post_narratives

INDICATOR_SAMPLE = 5000
"""Indicators are collected from the author's newest this many posts."""


@dataclass(slots=True)
class AuthorProfile:
    author: str
    posts: int
    first_seen: datetime
    last_seen: datetime
    markets: dict[str, int]
    langs: dict[str, int]
    dup_groups: list[dict[str, Any]] = field(default_factory=list)
    narratives: list[dict[str, Any]] = field(default_factory=list)
    indicators: dict[str, list[str]] = field(default_factory=dict)
    page: svc.SearchPage | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "author": self.author,
            "posts": self.posts,
            "first_seen": self.first_seen.isoformat(),
            "last_seen": self.last_seen.isoformat(),
            "markets": self.markets,
            "langs": self.langs,
            "dup_groups": self.dup_groups,
            "narratives": self.narratives,
            "indicators": self.indicators,
            "items": [svc.item_json(h) for h in self.page.items] if self.page else [],
            "next_cursor": self.page.next_cursor if self.page else None,
        }


def author_profile(engine: Engine, author: str, *, limit: int = 50, cursor: str | None = None) -> AuthorProfile:
    """Everything about `author` (exactly as stored); `NotFound` when they have no posts."""
    mine = posts.c.author == author
    with engine.connect() as conn:
        n, first, last = conn.execute(
            select(func.count(), func.min(posts.c.published_at), func.max(posts.c.published_at)).where(mine)
        ).one()
        if not n:
            raise NotFound(f"no posts by {author!r}", hint="check the spelling; authors are matched exactly")
        market = func.coalesce(posts.c.market, posts.c.market_hint, UNKNOWN)
        lang = func.coalesce(posts.c.lang, posts.c.lang_hint, UNKNOWN)
        markets = dict(conn.execute(select(market, func.count()).where(mine).group_by(market)).all())
        langs = dict(conn.execute(select(lang, func.count()).where(mine).group_by(lang)).all())
        groups = conn.execute(
            select(dup_groups.c.id, dup_groups.c.size, dup_groups.c.authors, dup_groups.c.rep_text, func.count())
            .select_from(posts.join(dup_groups, dup_groups.c.id == posts.c.dup_group))
            .where(mine)
            .group_by(dup_groups.c.id, dup_groups.c.size, dup_groups.c.authors, dup_groups.c.rep_text)
            .order_by(func.count().desc())
            .limit(50)
        ).all()
        narr = conn.execute(
            select(post_narratives.c.narrative_id, func.count())
            .select_from(posts.join(post_narratives, post_narratives.c.post_id == posts.c.id))
            .where(mine)
            .group_by(post_narratives.c.narrative_id)
            .order_by(func.count().desc())
            .limit(50)
        ).all()
        terms = dict(
            conn.execute(
                select(narratives.c.id, narratives.c.terms).where(narratives.c.id.in_([i for i, _ in narr]))
            ).all()
        )
        found: dict[str, Counter[str]] = {}
        for (ind,) in conn.execute(
            select(posts.c.indicators)
            .where(mine, posts.c.indicators.is_not(None))
            .order_by(posts.c.published_at.desc())
            .limit(INDICATOR_SAMPLE)
        ):
            for kind, values in (ind or {}).items():
                found.setdefault(kind, Counter()).update(values or [])
    page = svc.search(engine, None, filters=svc.Filters(author=author), limit=limit, cursor=cursor, facets=False)
    return AuthorProfile(
        author=author,
        posts=int(n),
        first_seen=first,
        last_seen=last,
        markets=_desc(markets),
        langs=_desc(langs),
        dup_groups=[
            {"id": g, "size": int(size), "authors": int(na), "text": text, "posts_by_author": int(k)}
            for g, size, na, text, k in groups
        ],
        narratives=[{"id": i, "terms": list(terms.get(i) or [])[:8], "posts_by_author": int(k)} for i, k in narr],
        indicators={kind: [v for v, _ in c.most_common(20)] for kind, c in sorted(found.items())},
        page=page,
    )


def _desc(counts: dict) -> dict[str, int]:
    return {str(k): int(v) for k, v in sorted(counts.items(), key=lambda kv: (-kv[1], str(kv[0])))}
