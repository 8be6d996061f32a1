"""Case states, allowed transitions and SLAs.

>>> can_move("new", "triaging"), can_move("new", "resolved"), can_move("new", "closed")
(True, False, False)
>>> sla_hours(9), sla_hours(3)
(4, 168)
"""

from __future__ import annotations

STATUSES = ("new", "triaging", "investigating", "escalated", "mitigating", "resolved", "closed")
OPEN = frozenset(STATUSES[:5])
TRANSITIONS: dict[str, frozenset[str]] = {
    "new": frozenset({"triaging"}),  # a case is triaged before it is dismissed (docs/api.md)
    "triaging": frozenset({"investigating", "escalated", "resolved", "closed"}),
    "investigating": frozenset({"escalated", "mitigating", "resolved"}),
    "escalated": frozenset({"investigating", "mitigating", "resolved"}),
    "mitigating": frozenset({"investigating", "resolved"}),
    "resolved": frozenset({"closed", "triaging"}),
    "closed": frozenset({"triaging"}),
}
TEAMS = ("Policy", "Product", "Ads Ops", "Legal", "Comms", "Trust & Safety", "Payments", "Ads Integrity")
LINK_KINDS = ("post", "signal", "narrative", "alert")


def can_move(current: str, target: str) -> bool:
    return target in TRANSITIONS.get(current, frozenset())


def sla_hours(severity: int) -> int:
    """Hours to resolve, by severity: 9-10 → 4 h, 7-8 → 24 h, 5-6 → 72 h, lower → a week."""
    if severity >= 9:
        return 4
    if severity >= 7:
        return 24
    if severity >= 5:
        return 72
    return 168
