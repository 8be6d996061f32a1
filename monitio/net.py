"""The one outbound HTTP client: timeouts, a size limit, a user agent, proxies, retries, and a guard
that refuses private, loopback, link-local and reserved addresses unless they are allowed.

Every hop of a redirect is checked again, and every address a host name resolves to is checked.

>>> blocked_reason("http://127.0.0.1:9/x", allow=[]) is not None
True
>>> blocked_reason("http://127.0.0.1:9/x", allow=["127.0.0.1"]) is None
True
>>> retry_after_seconds("120"), retry_after_seconds("nonsense")
(120.0, None)
"""

from __future__ import annotations

import ipaddress
import random
import socket
import time
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit

import httpx

USER_AGENT = "Monitio/0.1 (+https://github.com/monitio)"
MAX_BYTES = 20 * 1024 * 1024
MAX_REDIRECTS = 5


class FetchError(RuntimeError):
    """A request failed for good (refused address, too large, 4xx, retries exhausted)."""

    def __init__(self, message: str, status: int | None = None):
        super().__init__(message)
        self.status = status


def _allowed(ip, host: str, allow: list[str]) -> bool:
    for entry in allow:
        if entry == host:
            return True
        try:
            if ip in ipaddress.ip_network(entry, strict=False):
                return True
        except ValueError:
            continue
    return False


def blocked_reason(url: str, allow: list[str]) -> str | None:
    """Why this URL may not be called, or None when it may."""
    parts = urlsplit(url)
    try:
        parts.port  # noqa: B018 - raises ValueError for a malformed port
    except ValueError:
        return "the URL has an invalid port"
    if parts.scheme not in ("http", "https"):
        return f"only http and https URLs are allowed, not {parts.scheme or 'none'}"
    host = parts.hostname
    if not host:
        return "the URL has no host"
    try:
        infos = socket.getaddrinfo(
            host, parts.port or (443 if parts.scheme == "https" else 80), type=socket.SOCK_STREAM
        )
    except (socket.gaierror, UnicodeError) as exc:
        return f"cannot resolve {host}: {exc}"
    for info in infos:
        ip = ipaddress.ip_address(info[4][0].split("%")[0])
        if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
            ip = ip.ipv4_mapped
        local = ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_reserved or ip.is_multicast
        if (local or ip.is_unspecified) and not _allowed(ip, host, allow):
            return f"{host} resolves to {ip}, a private or local address; allow it in settings to call it"
    return None


def retry_after_seconds(value: str | None, cap: float = 3600.0) -> float | None:
    """Seconds from a Retry-After header (seconds or an HTTP date), capped."""
    if not value:
        return None
    try:
        return min(cap, max(0.0, float(value)))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return min(cap, max(0.0, when.timestamp() - time.time()))


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    content: bytes
    url: str

    def json(self):
        import json

        return json.loads(self.content)


@dataclass
class HttpClient:
    """GET/POST with the guard, retries (5xx, 429, connection errors) and exponential backoff with jitter."""

    allow: list[str] = field(default_factory=list)
    timeout: float = 20.0
    max_bytes: int = MAX_BYTES
    retries: int = 4
    backoff: float = 1.0
    max_wait: float = 60.0
    proxy: str | None = None
    sleep: object = time.sleep

    def request(self, method: str, url: str, *, headers: dict | None = None, content: bytes | None = None) -> Response:
        hdrs = {"User-Agent": USER_AGENT, **(headers or {})}
        attempt = 0
        while True:
            try:
                response = self._once(method, url, hdrs, content)
            except httpx.HTTPError as exc:
                if attempt >= self.retries:
                    raise FetchError(f"{type(exc).__name__}: {exc}") from None
                wait = None
            else:
                if response.status < 400 or (400 <= response.status < 500 and response.status != 429):
                    return response
                if attempt >= self.retries:
                    raise FetchError(f"HTTP {response.status} from {url}", response.status)
                wait = retry_after_seconds(response.headers.get("retry-after")) if response.status == 429 else None
            attempt += 1
            delay = wait if wait is not None else random.uniform(0, min(self.max_wait, self.backoff * 2**attempt))
            self.sleep(min(self.max_wait, delay))

    def get(self, url: str, headers: dict | None = None) -> Response:
        return self.request("GET", url, headers=headers)

    def _once(self, method: str, url: str, headers: dict, content: bytes | None) -> Response:
        with httpx.Client(timeout=self.timeout, follow_redirects=False, trust_env=False, proxy=self.proxy) as client:
            for _ in range(MAX_REDIRECTS + 1):
                reason = blocked_reason(url, self.allow)
                if reason:
                    raise FetchError(f"refused: {reason}")
                with client.stream(method, url, headers=headers, content=content) as r:
                    if r.status_code in (301, 302, 303, 307, 308) and "location" in r.headers:
                        url = urljoin(url, r.headers["location"])
                        if r.status_code == 303:
                            method, content = "GET", None
                        continue
                    body = bytearray()
                    for chunk in r.iter_bytes():
                        body += chunk
                        if len(body) > self.max_bytes:
                            raise FetchError(f"response from {url} is over {self.max_bytes} bytes")
                    return Response(r.status_code, {k.lower(): v for k, v in r.headers.items()}, bytes(body), url)
        raise FetchError(f"more than {MAX_REDIRECTS} redirects from {url}")
