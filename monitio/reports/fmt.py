"""Formatting helpers shared by the renderers.

>>> from datetime import datetime, UTC
>>> when(datetime(2026, 11, 20, 14, 5, tzinfo=UTC))
'2026-11-20 14:05 UTC'
>>> size_text(412, 78.0)
'412 posts vs ~78 expected (5.3x)'
"""

from __future__ import annotations

from datetime import UTC, datetime


def when(dt: datetime | None) -> str:
    return "" if dt is None else dt.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def size_text(observed: float, expected: float) -> str:
    if expected >= 0.5:
        return f"{observed:.0f} posts vs ~{expected:.0f} expected ({observed / expected:.1f}x)"
    return f"{observed:.0f} posts"


def pct(share: float | None) -> str:
    return "" if share is None else f"{share:.0%}"
