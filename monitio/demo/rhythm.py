"""Daily and weekly rhythm of posting, in each market's local time."""

from __future__ import annotations

from datetime import datetime

import numpy as np

# Relative activity by local hour: night low around 3-5 am, lunch bump, evening peak around 8-10 pm.
HOURLY = np.array(
    [0.34, 0.20, 0.12, 0.08, 0.07, 0.10, 0.22, 0.42, 0.58, 0.66, 0.70, 0.76,
     0.88, 0.82, 0.74, 0.72, 0.78, 0.88, 0.98, 1.10, 1.22, 1.26, 1.08, 0.66],
)  # fmt: skip
# Weekend (Sat, Sun): later mornings, busier afternoons and late nights.
WEEKEND = np.array(
    [1.35, 1.45, 1.4, 1.2, 1.0, 0.8, 0.6, 0.6, 0.7, 0.85, 1.05, 1.2,
     1.25, 1.25, 1.25, 1.25, 1.2, 1.15, 1.05, 1.0, 1.0, 1.05, 1.15, 1.3],
)  # fmt: skip
DAY = np.array([0.97, 0.98, 0.99, 1.0, 1.04, 1.1, 1.06])  # Mon..Sun


def local_weights(start: datetime, hours: int, offset: float) -> np.ndarray:
    """Activity weight of each UTC hour `start + i` for a market at UTC+`offset` hours."""
    base = start.timestamp() / 3600.0 + offset
    local = np.floor(base + np.arange(hours)).astype(np.int64)
    hour = local % 24
    # 1970-01-01 was a Thursday (weekday 3).
    weekday = ((local // 24) + 3) % 7
    w = HOURLY[hour] * DAY[weekday]
    weekend = weekday >= 5
    w[weekend] *= WEEKEND[hour[weekend]]
    return w
