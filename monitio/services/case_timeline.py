"""A case's timeline written for people: each audit entry becomes one sentence.

The audit log keeps the raw values before and after each change (`monitio/cases/service.py` writes
`case.create`, `case.update`, `case.link`, `case.comment`, `case.decide`, `case.merge`;
`monitio/services/responses.py` writes `response.draft`). `sentence` turns one entry into text a
person reads: user ids become e-mails, statuses and fields readable words, no dictionaries.

>>> ctx = Context(emails={7: "lee@example.org"})
>>> sentence({"actor": "ana@example.org", "action": "case.update",
...           "before": {"status": "triaging"}, "after": {"status": "investigating"}}, ctx)
'ana@example.org moved the case from triage to investigating'
>>> sentence({"actor": "ana@example.org", "action": "case.update",
...           "before": {"assignee_id": None}, "after": {"assignee_id": 7}}, ctx)
'ana@example.org assigned the case to lee@example.org'
>>> when_text("2026-12-06T08:30:12.5+00:00")
'2026-12-06 08:30 UTC'
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from monitio.names import stamp

STATUS_WORDS = {
    "new": "new",
    "triaging": "triage",
    "investigating": "investigating",
    "escalated": "escalated",
    "mitigating": "mitigating",
    "resolved": "resolved",
    "closed": "closed",
}
LINK_WORDS = {"post": "evidence post", "signal": "signal", "narrative": "narrative", "alert": "alert"}
QUOTE_CHARS = 160


@dataclass(frozen=True)
class Context:
    """What a sentence may need besides its entry: e-mails by user id, comment bodies by id, and how
    the case was made (origin, query, the signal or narrative it came from)."""

    emails: Mapping[int, str] = field(default_factory=dict)
    comments: Mapping[int, str] = field(default_factory=dict)
    origin: str | None = None
    query: str | None = None
    source_link: str | None = None
    """The first `signal:ID` or `narrative:ID` link of the case."""


def when_text(value: str | datetime | None) -> str:
    """One timestamp format for people: `2026-12-06 08:30 UTC` (`monitio.names.stamp`).

    >>> from datetime import UTC
    >>> when_text(None), when_text(datetime(2026, 12, 31, 8, 30, 59, 999, tzinfo=UTC))
    ('', '2026-12-31 08:30 UTC')
    """
    return stamp(value)


def _status(s: Any) -> str:
    return STATUS_WORDS.get(str(s), str(s))


def _quote(text: Any) -> str:
    """Text in quotes, on one line, cut to `QUOTE_CHARS`.

    >>> _quote("a  b\\nc")
    '“a b c”'
    """
    flat = " ".join(str(text or "").split())
    return f"“{flat[:QUOTE_CHARS]}…”" if len(flat) > QUOTE_CHARS else f"“{flat}”"


def _who(user_id: Any, ctx: Context) -> str:
    if user_id is None:
        return "nobody"
    return ctx.emails.get(int(user_id), "a removed user") if str(user_id).isdigit() else "a removed user"


def _link(ref: str) -> str:
    """`post:12` as words: `evidence post 12`."""
    kind, _, ref_id = ref.partition(":")
    return f"{LINK_WORDS.get(kind, kind)} {ref_id}".strip()


def _changes(before: dict, after: dict, ctx: Context) -> list[str]:
    """One phrase per changed field, in a fixed order (status first)."""
    out: list[str] = []
    if "status" in after:
        out.append(f"moved the case from {_status(before.get('status'))} to {_status(after['status'])}")
    if "assignee_id" in after:
        if after["assignee_id"] is None:
            out.append(f"unassigned the case (it was with {_who(before.get('assignee_id'), ctx)})")
        else:
            out.append(f"assigned the case to {_who(after['assignee_id'], ctx)}")
    if "severity" in after:
        old, new = before.get("severity"), after["severity"]
        verb = "raised" if old is not None and new > old else "lowered" if old is not None else "set"
        out.append(f"{verb} the severity from {old} to {new}" if old is not None else f"set the severity to {new}")
    if "sla_due_at" in after and "severity" not in after:
        out.append(f"moved the SLA deadline to {when_text(after['sla_due_at'])}")
    if "owner_team" in after:
        out.append(f"handed the case from {before.get('owner_team')} to {after['owner_team']}")
    if "title" in after:
        out.append(f"renamed the case to {_quote(after['title'])}")
    if "description" in after:
        out.append("edited the description")
    if "merged_into" in after and after["merged_into"] is not None:
        out.append(f"merged this case into case #{after['merged_into']}")
    return out


def _created(ctx: Context) -> str:
    if ctx.origin == "search" and ctx.query:
        return f"created the case from the search {_quote(ctx.query)}"
    if ctx.source_link and ctx.origin in ("signal", "narrative"):
        return f"created the case from {_link(ctx.source_link)}"
    return "created the case"


def _joined(parts: list[str]) -> str:
    """Phrases as one clause.

    >>> _joined(["a", "b", "c"])
    'a, b and c'
    """
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def describe(entry: Mapping[str, Any], ctx: Context | None = None) -> str:
    """What the entry's actor did, without the actor (`moved the case from new to triage`).

    >>> describe({"action": "case.decide", "after": {"decision": {"what": "Pull the ads", "why": "scam"}}})
    'recorded a decision: “Pull the ads” because “scam”'
    >>> describe({"action": "case.link", "after": {"link": "signal:12"}})
    'linked signal 12'
    >>> describe({"action": "case.comment", "after": {"comment_id": 3}}, Context(comments={3: "Checked."}))
    'commented: “Checked.”'
    >>> describe({"action": "case.merge", "before": {"status": "triaging", "merged_into": None},
    ...           "after": {"status": "closed", "merged_into": 4}})
    'merged this case into case #4 (closed it)'
    >>> describe({"action": "case.create", "after": {}}, Context(origin="signal", source_link="signal:12"))
    'created the case from signal 12'
    >>> describe({"action": "response.draft", "after": {"signal_id": 5, "response_version": 2, "lang": "id"}})
    'drafted version 2 of the response pack for signal 5 (id)'
    """
    ctx = ctx or Context()
    action = str(entry.get("action") or "")
    before = entry.get("before") or {}
    after = entry.get("after") or {}
    if action == "case.create":
        text = _created(ctx)
        if after.get("assignee_id") is not None:
            text += f", assigned to {_who(after['assignee_id'], ctx)}"
        return text
    if action == "case.update":
        parts = _changes(before, after, ctx)
        return _joined(parts) if parts else "saved the case without changes"
    if action == "case.link":
        return f"linked {_link(str(after.get('link', '')))}"
    if action == "case.comment":
        body = ctx.comments.get(after.get("comment_id"))
        return f"commented: {_quote(body)}" if body else "commented"
    if action == "case.decide":
        d = after.get("decision") or {}
        return f"recorded a decision: {_quote(d.get('what'))} because {_quote(d.get('why'))}"
    if action == "case.merge":
        return f"merged this case into case #{after.get('merged_into')} (closed it)"
    if action == "case.merged_in":
        return f"merged case #{entry.get('entity_id')} into this case"
    if action == "response.draft":
        lang = f" ({after['lang']})" if after.get("lang") else ""
        return (
            f"drafted version {after.get('response_version')} of the response pack for signal "
            f"{after.get('signal_id')}{lang}"
        )
    verb = action.split(".")[-1].replace("_", " ") or "changed"
    return f"{verb} the case"


def actor_text(actor: str | None) -> str:
    """Who did it, as people read it (`cli` is the local command line)."""
    return "Someone at the command line" if actor in (None, "", "cli") else str(actor)


def sentence(entry: Mapping[str, Any], ctx: Context | None = None) -> str:
    """The actor and what they did, as one sentence."""
    return f"{actor_text(entry.get('actor'))} {describe(entry, ctx)}"


def _post_link(entry: Mapping[str, Any]) -> bool:
    return entry.get("action") == "case.link" and str((entry.get("after") or {}).get("link", "")).startswith("post:")


def summarize(entries: list[dict], ctx: Context | None = None, *, group: bool = True) -> list[dict]:
    """Timeline items for people: each entry with `summary` and `when`; with `group`, a run of
    evidence-post links by one person becomes one item (`linked 12 evidence posts`).

    >>> items = summarize([{"actor": "a@x.org", "action": "case.link", "after": {"link": f"post:{i}"},
    ...                     "at": "2026-12-01T10:00:00+00:00"} for i in range(3)])
    >>> [(i["summary"], i["when"], i["count"]) for i in items]
    [('a@x.org linked 3 evidence posts', '2026-12-01 10:00 UTC', 3)]
    >>> made = [{"actor": "a@x.org", "action": "case.create", "after": {}},
    ...         {"actor": "a@x.org", "action": "case.link", "after": {"link": "signal:4"}}]
    >>> [i["summary"] for i in summarize(made, Context(origin="signal", source_link="signal:4"))]
    ['a@x.org created the case from signal 4']
    """
    out: list[dict] = []
    source = (ctx or Context()).source_link
    for e in entries:
        prev = out[-1] if out else None
        if (
            group
            and prev is not None
            and prev["action"] == "case.create"
            and e.get("action") == "case.link"
            and source is not None
            and (e.get("after") or {}).get("link") == source
        ):
            continue  # "created the case from signal 12" already says it
        if group and prev is not None and _post_link(e) and prev["_posts"] and prev["actor"] == e.get("actor"):
            prev["count"] += 1
            prev["summary"] = f"{actor_text(e.get('actor'))} linked {prev['count']} evidence posts"
            continue
        out.append(
            {**e, "summary": sentence(e, ctx), "when": when_text(e.get("at")), "count": 1, "_posts": _post_link(e)}
        )
    for item in out:
        item.pop("_posts")
    return out
