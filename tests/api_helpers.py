"""Helpers for API tests: people of every role, tokens, and a stored signal to work on."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient
from sqlalchemy import insert

from monitio.api.app import create_app
from monitio.auth.users import add_user, create_token
from monitio.records import Post
from monitio.store.repo import insert_posts
from monitio.store.schema import signals

PASSWORD = "a long enough password"
ROLES = {
    "admin": ("admin@example.org", "admin", None),
    "analyst": ("ana@example.org", "analyst", "Policy"),
    "stakeholder": ("sam@example.org", "stakeholder", "Policy"),
    "other_stakeholder": ("pat@example.org", "stakeholder", "Product"),
    "service": ("svc@example.org", "service", None),
}


class Api:
    """A TestClient with a bearer token per role."""

    def __init__(self, ws):
        self.ws = ws
        self.app = create_app(ws, cookie_secure=False)
        self.client = TestClient(self.app)
        self.tokens: dict[str, str] = {}
        self.users = {}
        with ws.engine.begin() as conn:
            for key, (email, role, team) in ROLES.items():
                user = add_user(conn, email, role, PASSWORD if role != "service" else None, team=team, actor="test")
                self.users[key] = user
                self.tokens[key], _ = create_token(conn, user, "test", actor="test")

    def headers(self, role: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[role]}"}

    def call(self, role: str | None, method: str, path: str, **kw):
        headers = kw.pop("headers", {})
        if role:
            headers = {**self.headers(role), **headers}
        return self.client.request(method, path, headers=headers, **kw)


def seed_signal(ws, *, categories=("scam_ads",), markets=("ID",), severity=8) -> int:
    """A stored open signal with two evidence posts."""
    now = datetime.now(UTC).replace(microsecond=0)
    with ws.engine.begin() as conn:
        insert_posts(
            conn,
            [
                Post.create(
                    source="t",
                    source_id=f"ev{i}",
                    text=f"iklan penipuan {i}",
                    published_at=now - timedelta(hours=i),
                    author=f"acct{i}",
                )
                for i in range(2)
            ],
        )
        ids = [r[0] for r in conn.exec_driver_sql("SELECT id FROM posts ORDER BY id").all()]
        return conn.execute(
            insert(signals)
            .values(
                key=f"spike:cat={categories[0]}:{now.timestamp()}",
                kind="spike",
                status="open",
                severity=severity,
                score=0.9,
                confidence=0.99,
                window_start=now - timedelta(hours=6),
                window_end=now,
                observed=120,
                expected=20,
                markets=list(markets),
                categories=list(categories),
                langs=["id"],
                why="Scam ads in Indonesia: 120 posts in 6 h",
                details={},
                evidence=ids,
                first_seen=now - timedelta(hours=6),
                last_seen=now,
                persistence_hours=6,
                created_at=now,
                updated_at=now,
            )
            .returning(signals.c.id)
        ).scalar_one()
