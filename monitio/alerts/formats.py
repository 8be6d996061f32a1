"""What each channel receives: the same alert, shaped for Slack, Lark, Teams, webhooks and e-mail.

>>> alert = {"title": "Spike: Scam ads (ID)", "severity": 8, "why": "Scam ads in Indonesia: 412 posts",
...          "url": None, "markets": ["ID"], "categories": ["scam_ads"], "signal_id": 3}
>>> slack(alert)["text"]
'[sev 8] Spike: Scam ads (ID)'
"""

from __future__ import annotations

KINDS = ("slack", "lark", "teams", "webhook", "email")


def _headline(alert: dict) -> str:
    return f"[sev {alert['severity']}] {alert['title']}"


def _plain(text: str) -> str:
    """Chat services render markup: neutralise the characters they treat specially."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def slack(alert: dict) -> dict:
    lines = [f"*{_plain(_headline(alert))}*", _plain(alert["why"])]
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


def email(alert: dict) -> tuple[str, str]:
    text = (
        f"{_headline(alert)}\n\n{alert['why']}\n\nMarkets: {', '.join(alert['markets']) or '-'}\n"
        f"Categories: {', '.join(alert['categories']) or '-'}\n"
    )
    if alert.get("url"):
        text += f"\nOpen in Monitio: {alert['url']}\n"
    return _headline(alert)[:200], text


FORMATTERS = {"slack": slack, "lark": lark, "teams": teams, "webhook": webhook}
