"""The brief as Markdown, readable by a policy partner who has never seen Monitio."""

from __future__ import annotations

from monitio.reports.fmt import pct, size_text, when
from monitio.reports.model import Brief
from monitio.reports.safe import md_escape, safe_url


def render_markdown(brief: Brief, evidence_per_signal: int = 5) -> str:
    lines = [
        f"# {md_escape(brief.title)}",
        "",
        f"Period: {when(brief.period_start)} to {when(brief.period_end)} · generated {when(brief.generated_at)}",
        "",
    ]
    t = brief.totals
    lines += [
        f"**{t.get('open_signals', 0)} open signals** · {t.get('posts', 0):,} posts in the workspace · "
        f"{t.get('risk_posts_in_period', 0):,} risk-category posts in the period · "
        f"{t.get('markets', 0)} markets · {t.get('languages', 0)} languages · "
        f"{t.get('quarantined', 0)} rows quarantined",
        "",
    ]
    if not brief.signals:
        lines += ["No open signals: nothing is above its normal level right now.", ""]
    for s in brief.signals:
        lines += [
            f"## {s.rank}. {md_escape(s.title)}",
            "",
            f"- **Severity:** {s.severity}/10 · kind: {s.kind} · score {s.score:.2f}",
            f"- **Where:** {', '.join(s.markets) or 'all markets'} · languages: {', '.join(s.langs) or '-'}",
            f"- **Categories:** {', '.join(s.categories) or '-'}",
            f"- **When:** first seen {when(s.first_seen)}, last seen {when(s.last_seen)}",
            f"- **Size:** {size_text(s.observed, s.expected)}"
            + (f" · {pct(s.negative_share)} negative" if s.negative_share is not None else ""),
            f"- **Owner:** {md_escape(s.owner_team)}",
            "",
            f"**Why:** {md_escape(s.why)}",
            "",
            "**Recommended response:**",
            "",
        ]
        lines += [f"{i}. {md_escape(step)}" for i, step in enumerate(s.playbook, start=1)]
        if s.evidence:
            lines += ["", "**Evidence:**", ""]
            for e in s.evidence[:evidence_per_signal]:
                link = safe_url(e.url)
                src = f"{md_escape(e.source)} / {md_escape(e.source_id)}"
                lines.append(
                    f'- "{md_escape(e.text, 280)}" — {e.market or "?"}, {e.lang or "?"}, '
                    f"{when(e.published_at)}, {src}" + (f", <{link}>" if link else "")
                )
        lines.append("")
    lines += [
        "---",
        "",
        "*How to read this brief:* each signal is a series (a risk category, in one or more markets) "
        "whose post count rose well above what is normal for those hours of the week, or a copy-paste "
        "campaign by many accounts. Severity (1-10) combines how far above normal it is, how sure the "
        "detector is, its volume and the category's default severity. Times are UTC. Post texts are "
        "quoted as written (escaped) and may be offensive or fraudulent: do not call numbers or open links "
        "in them outside a safe environment.",
        "",
    ]
    return "\n".join(lines)
