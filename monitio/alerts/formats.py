"""What each channel receives: the same alert, shaped for Slack, Lark, Teams, webhooks and e-mail.

Alerts carry readable names (categories, markets, the signal's kind), the why, up to three evidence
posts and a dashboard link (with `public_url`). Scheduled briefs carry the executive summary and a link
(chat), or the summary inline in HTML with the files attached (e-mail). Post text is hostile: chat
markup characters are neutralised and every HTML string is escaped.

>>> alert = {"title": "Spike: Scam ads (Indonesia)", "severity": 8, "why": "Scam ads in Indonesia: 412 posts",
...          "url": None, "markets": ["ID"], "categories": ["scam_ads"], "signal_id": 3}
>>> slack(alert)["text"]
'[sev 8] Spike: Scam ads (Indonesia)'
"""

from __future__ import annotations

import html as _html

KINDS = ("slack", "lark", "teams", "webhook", "email")


def _headline(alert: dict) -> str:
    return f"[sev {alert['severity']}] {alert['title']}"


def _plain(text: str) -> str:
    """Chat services render markup: neutralise the characters they treat specially."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _evidence_lines(alert: dict) -> list[str]:
    out = []
    for e in alert.get("evidence") or []:
        where = " · ".join(str(x) for x in (e.get("market"), e.get("lang")) if x)
        text = " ".join(str(e.get("text") or "").split())[:200]
        out.append(f"> {text}" + (f" ({where})" if where else ""))
    return out


def slack(alert: dict) -> dict:
    lines = [f"*{_plain(_headline(alert))}*", _plain(alert["why"]), *(_plain(x) for x in _evidence_lines(alert))]
    if alert.get("url"):
        lines.append(f"<{alert['url']}|Open in Monitio>")
    return {
        "text": _headline(alert),
        "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "\n".join(lines)}}],
    }


def lark(alert: dict) -> dict:
    text = f"{_headline(alert)}\n{alert['why']}" + (f"\n{alert['url']}" if alert.get("url") else "")
    return {"msg_type": "text", "content": {"text": text}}


def teams(alert: dict) -> dict:
    body = [
        {"type": "TextBlock", "text": _headline(alert), "weight": "Bolder", "wrap": True},
        {"type": "TextBlock", "text": alert["why"], "wrap": True},
    ]
    actions = [{"type": "Action.OpenUrl", "title": "Open in Monitio", "url": alert["url"]}] if alert.get("url") else []
    card = {
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "type": "AdaptiveCard",
        "version": "1.4",
        "body": body,
        "actions": actions,
    }
    return {
        "type": "message",
        "attachments": [{"contentType": "application/vnd.microsoft.card.adaptive", "content": card}],
    }


def webhook(alert: dict) -> dict:
    return {"event": "signal", "alert": alert}


def email(alert: dict) -> tuple[str, str, str]:
    """(subject, plain text, HTML) for an alert e-mail."""
    markets = ", ".join(alert.get("market_names") or alert["markets"]) or "-"
    cats = ", ".join(alert.get("category_names") or alert["categories"]) or "-"
    evidence = _evidence_lines(alert)
    text = f"{_headline(alert)}\n\n{alert['why']}\n\nMarkets: {markets}\nCategories: {cats}\n"
    if evidence:
        text += "\nTop evidence:\n" + "\n".join(evidence) + "\n"
    if alert.get("url"):
        text += f"\nOpen in Monitio: {alert['url']}\n"
    e = _html.escape
    body = [
        f"<h2>{e(_headline(alert))}</h2>",
        f"<p>{e(alert['why'])}</p>",
        f"<p><strong>Markets:</strong> {e(markets)}<br><strong>Categories:</strong> {e(cats)}</p>",
    ]
    if evidence:
        body.append("<p><strong>Top evidence</strong></p>")
        body += [f'<blockquote dir="auto">{e(line[2:])}</blockquote>' for line in evidence]
    if alert.get("url"):
        body.append(f'<p><a href="{e(alert["url"])}">Open in Monitio</a></p>')
    return _headline(alert)[:200], text, _page("".join(body))


def _page(body: str) -> str:
    return (
        '<!doctype html><html><head><meta charset="utf-8"></head>'
        '<body style="font:14px/1.5 sans-serif;color:#1d2430;max-width:720px">' + body + "</body></html>"
    )


MEDIA = {
    "md": "text/markdown",
    "html": "text/html",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


def _brief_head(brief: dict) -> str:
    return f"{brief['title']} ({brief['since'][:10]} to {brief['until'][:10]})"


def brief_email(brief: dict) -> tuple[str, str, str]:
    """(subject, plain text, HTML) for a scheduled brief: the summary inline; the files go as attachments."""
    lines = brief.get("summary") or []
    text = _brief_head(brief) + "\n\n" + "\n".join(f"- {x}" for x in lines) + "\n"
    files = ", ".join(sorted(brief.get("files") or {}))
    text += f"\nAttached: {files}.\n"
    if brief.get("url"):
        text += f"All briefs: {brief['url']}\n"
    e = _html.escape
    body = [f"<h2>{e(_brief_head(brief))}</h2>", "<ul>", *(f"<li>{e(x)}</li>" for x in lines), "</ul>"]
    body.append(f"<p>Attached: {e(files)}.</p>")
    if brief.get("url"):
        body.append(f'<p><a href="{e(brief["url"])}">All briefs in Monitio</a></p>')
    return _brief_head(brief)[:200], text, _page("".join(body))


def _brief_text(brief: dict) -> str:
    lines = [_brief_head(brief), *(f"• {x}" for x in brief.get("summary") or [])]
    if brief.get("url"):
        lines.append(f"Open: {brief['url']}")
    return "\n".join(lines)


def brief_slack(brief: dict) -> dict:
    return {
        "text": _brief_head(brief),
        "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": _plain(_brief_text(brief))}}],
    }


def brief_lark(brief: dict) -> dict:
    return {"msg_type": "text", "content": {"text": _brief_text(brief)}}


def brief_teams(brief: dict) -> dict:
    body = [{"type": "TextBlock", "text": _brief_head(brief), "weight": "Bolder", "wrap": True}]
    body += [{"type": "TextBlock", "text": f"• {x}", "wrap": True} for x in brief.get("summary") or []]
    actions = [{"type": "Action.OpenUrl", "title": "Open in Monitio", "url": brief["url"]}] if brief.get("url") else []
    card = {"$schema": "http://adaptivecards.io/schemas/adaptive-card.json", "type": "AdaptiveCard",
            "version": "1.4", "body": body, "actions": actions}  # fmt: skip
    return {
        "type": "message",
        "attachments": [{"contentType": "application/vnd.microsoft.card.adaptive", "content": card}],
    }


def brief_webhook(brief: dict) -> dict:
    return {"event": "brief", "brief": {k: v for k, v in brief.items() if k != "files"}}


FORMATTERS = {"slack": slack, "lark": lark, "teams": teams, "webhook": webhook}
BRIEF_FORMATTERS = {"slack": brief_slack, "lark": brief_lark, "teams": brief_teams, "webhook": brief_webhook}
