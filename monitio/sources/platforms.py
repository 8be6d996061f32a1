"""Shared plumbing for platform connectors: the client, credentials from the environment, paging."""

from __future__ import annotations

import os
from typing import Any
from urllib.parse import urlencode

from monitio.net import HttpClient


class PlatformBase:
    """A connector for one platform API; subclasses set `base_url` and implement fetch/map_item."""

    base_url = ""
    credential_env: str | None = None

    def __init__(
        self,
        name: str,
        *,
        client: HttpClient | None = None,
        base_url: str | None = None,
        market: str | None = None,
        lang: str | None = None,
        **options: Any,
    ):
        self.name, self.market, self.lang = name, market, lang
        self.client = client or HttpClient()
        self.base_url = (base_url or self.base_url).rstrip("/")
        self.options = options

    def credential(self, required: bool = False) -> str | None:
        env = self.options.get("credential_env") or self.credential_env
        value = os.environ.get(env) if env else None
        if required and not value:
            raise RuntimeError(f"{self.name}: set the credential in the environment variable {env}")
        return value

    def get_json(self, path: str, params: dict[str, Any], headers: dict[str, str] | None = None) -> Any:
        query = urlencode({k: v for k, v in params.items() if v not in (None, "")})
        response = self.client.get(f"{self.base_url}{path}?{query}", headers=headers or {})
        if response.status >= 400:
            raise RuntimeError(f"HTTP {response.status} from {self.name}: {response.content[:200]!r}")
        return response.json()
