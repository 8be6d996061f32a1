"""Alerts: rules match signals; an outbox delivers them to Slack, Lark, Teams, webhooks and e-mail."""
