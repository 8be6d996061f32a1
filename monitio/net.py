"""The one outbound HTTP client: timeouts, a size limit, a user agent, proxies, retries, and a guard
that refuses private, loopback, link-local, multicast and reserved addresses unless they are allowed.

Every hop of a redirect is checked again, every address a host name resolves to is checked (IPv4,
IPv6, and IPv4 addresses embedded in IPv6: mapped, 6to4, Teredo, NAT64), and without a proxy the
connection goes to the address that was checked, so a DNS answer that changes between the check and
the connection cannot slip through.

>>> blocked_reason("http://127.0.0.1:9/x", allow=[]) is not None
True
>>> blocked_reason("http://127.0.0.1:9/x", allow=["127.0.0.1"]) is None
True
>>> blocked_reason("http://[::ffff:10.0.0.1]/x", allow=[]) is not None
True
>>> origin("https://Example.org/a") == origin("https://example.org:443/b"), origin("http://a:80/") == origin("http://a:81/")
(True, False)
>>> retry_after_seconds("120"), retry_after_seconds("nonsense"), retry_after_seconds("99999", cap=60)
(120.0, None, 60.0)
"""

from __future__ import annotations

import ipaddress
import json
import logging
import random
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urljoin, urlsplit, urlunsplit

import httpx

from monitio.errors import Unavailable

log = logging.getLogger(__name__)

USER_AGENT = "Monitio/0.1 (monetization-risk monitoring; +https://github.com/monitio)"
MAX_BYTES = 20 * 1024 * 1024
MAX_REDIRECTS = 5
IP = ipaddress.IPv4Address | ipaddress.IPv6Address
NAT64 = ipaddress.ip_network("64:ff9b::/96")
CROSS_ORIGIN_SAFE = frozenset(
    {"user-agent", "accept", "accept-language", "accept-encoding", "content-type", "idempotency-key"}
)
"""The only request headers that follow a redirect to another origin; everything else may be a credential."""


class FetchError(Unavailable, RuntimeError):
    """A request failed for good (refused address, too large, too many redirects, retries exhausted)."""

    def __init__(self, message: str, status: int | None = None, retry_after: float | None = None):
        super().__init__(message)
        self.status = status
        self.retry_after = retry_after


def _embedded_v4(ip: IP) -> ipaddress.IPv4Address | None:
    if not isinstance(ip, ipaddress.IPv6Address):
        return None
    if ip.ipv4_mapped:
        return ip.ipv4_mapped
    if ip.sixtofour:
        return ip.sixtofour
    if ip.teredo:
        return ip.teredo[1]
    if ip in NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def is_public(ip: IP) -> bool:
    """True for a globally routable unicast address (and any IPv4 address embedded in it).

    >>> [is_public(ipaddress.ip_address(a)) for a in ("8.8.8.8", "10.1.2.3", "169.254.169.254", "::1", "fe80::1")]
    [True, False, False, False, False]
    """
    inner = _embedded_v4(ip)
    if inner is not None and not is_public(inner):
        return False
    return ip.is_global and not ip.is_multicast and not ip.is_unspecified


def _allowed(ip: IP, host: str, allow: list[str]) -> bool:
    for entry in allow:
        if entry.strip().lower() == host.lower():
            return True
        try:
            if ip in ipaddress.ip_network(entry.strip(), strict=False):
                return True
        except ValueError:
            continue
    return False


def check_host(host: str, port: int, allow: list[str]) -> list[IP]:
    """The addresses `host` resolves to, all of them permitted; raises FetchError otherwise.

    The one outbound guard for every transport (HTTP here, SMTP in `monitio.alerts.transport`):
    connect to one of the returned addresses, never to the name again.
    """
    if not host:
        raise FetchError("refused: no host given")
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError, OSError, ValueError) as exc:
        raise FetchError(f"refused: cannot resolve {host}: {exc}") from None
    ips: list[IP] = []
    for info in infos:
        ip = ipaddress.ip_address(str(info[4][0]).split("%")[0])
        if not is_public(ip) and not _allowed(ip, host, allow):
            raise FetchError(
                f"refused: {host} resolves to {ip}, a private or local (non-public) address; "
                "allow it (allow_private / outbound_allow) to call it"
            )
        if ip not in ips:
            ips.append(ip)
    if not ips:
        raise FetchError(f"refused: {host} has no address")
    return ips


def could_not_connect(host: str, exc: BaseException) -> FetchError:
    """One message for refused, timed out, reset and unreachable alike (no port-scan oracle); the
    details go to the server log only."""
    log.warning("outbound connection to %s failed: %s: %s", host, type(exc).__name__, exc)
    return FetchError(f"could not connect to {host}")


def resolve_checked(url: str, allow: list[str]) -> list[IP]:
    """The addresses `url`'s host resolves to, all of them permitted; raises FetchError otherwise."""
    parts = urlsplit(url)
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise FetchError("refused: the URL has an invalid port") from None
    if parts.scheme not in ("http", "https"):
        raise FetchError(f"refused: only http and https URLs are allowed, not {parts.scheme or 'none'}")
    host = parts.hostname
    if not host:
        raise FetchError("refused: the URL has no host")
    return check_host(host, port, allow)


def blocked_reason(url: str, allow: list[str]) -> str | None:
    """Why this URL may not be called, or None when it may."""
    try:
        resolve_checked(url, allow)
    except FetchError as exc:
        return str(exc).removeprefix("refused: ")
    return None


def origin(url: str) -> tuple[str, str, int | None]:
    """(scheme, host, port) of a URL, the port made explicit: what "the same origin" compares."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    try:
        port = parts.port or {"http": 80, "https": 443}.get(scheme)
    except ValueError:
        port = None
    return scheme, (parts.hostname or "").lower(), port


def retry_after_seconds(value: str | None, cap: float = 3600.0) -> float | None:
    """Seconds from a Retry-After header (seconds or an HTTP date), capped at `cap`."""
    if not value:
        return None
    try:
        return float(min(cap, max(0.0, float(value))))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:  # HTTP dates are GMT
        when = when.replace(tzinfo=UTC)
    return float(min(cap, max(0.0, when.timestamp() - time.time())))


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    content: bytes
    url: str

    def json(self) -> Any:
        return json.loads(self.content)

    def text(self) -> str:
        return self.content.decode("utf-8", "replace")


def _pinned(url: str, ip: IP) -> tuple[str, str, str]:
    """The URL with its host replaced by the checked address, plus the Host header and TLS name."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    addr = f"[{ip}]" if ip.version == 6 else str(ip)
    netloc = addr if parts.port is None else f"{addr}:{parts.port}"
    shown = f"[{host}]" if ":" in host else host
    host_header = shown if parts.port is None else f"{shown}:{parts.port}"
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, "")), host_header, host


@dataclass
class HttpClient:
    """GET/POST with the guard, retries (5xx, 429, connection errors) and exponential backoff with jitter.

    `allow` lists hosts or networks (CIDR) that may be called although private or local. `sleep` is
    injectable so tests do not wait.
    """

    allow: list[str] = field(default_factory=list)
    timeout: float = 20.0
    max_bytes: int = MAX_BYTES
    retries: int = 4
    backoff: float = 1.0
    max_wait: float = 60.0
    proxy: str | None = None
    user_agent: str = USER_AGENT
    sleep: Callable[[float], Any] = time.sleep

    @classmethod
    def from_settings(cls, settings: Any, allow: list[str] | None = None, **kw: Any) -> HttpClient:
        """A client with the workspace's `outbound_allow` (plus `allow`) and `http_proxy`."""
        extra = list(getattr(settings, "outbound_allow", None) or [])
        return cls(allow=extra + list(allow or []), proxy=getattr(settings, "http_proxy", None), **kw)

    def request(
        self, method: str, url: str, *, headers: dict[str, str] | None = None, content: bytes | None = None
    ) -> Response:
        """One request with retries; returns any final answer below 500 (except 429), else raises FetchError."""
        hdrs = {"User-Agent": self.user_agent, **(headers or {})}
        attempt = 0
        while True:
            try:
                response = self._once(method, url, hdrs, content)
            except httpx.HTTPError as exc:
                if attempt >= self.retries:
                    raise could_not_connect(urlsplit(url).hostname or url, exc) from None
                wait = None
            else:
                if response.status < 500 and response.status != 429:
                    return response
                retry_after = response.headers.get("retry-after")
                wait = retry_after_seconds(retry_after, cap=self.max_wait) if response.status in (429, 503) else None
                if attempt >= self.retries:
                    raise FetchError(f"HTTP {response.status} from {url}", response.status, wait)
            attempt += 1
            delay = wait if wait is not None else random.uniform(0, min(self.max_wait, self.backoff * 2**attempt))
            self.sleep(min(self.max_wait, delay))

    def get(self, url: str, headers: dict[str, str] | None = None) -> Response:
        return self.request("GET", url, headers=headers)

    def post(self, url: str, content: bytes, headers: dict[str, str] | None = None) -> Response:
        return self.request("POST", url, headers=headers, content=content)

    def _once(self, method: str, url: str, headers: dict[str, str], content: bytes | None) -> Response:
        with httpx.Client(timeout=self.timeout, follow_redirects=False, trust_env=False, proxy=self.proxy) as client:
            for _ in range(MAX_REDIRECTS + 1):
                ips = resolve_checked(url, self.allow)
                target, hdrs, ext = url, dict(headers), {}
                if not self.proxy:  # connect to the address that was checked
                    target, hdrs["Host"], sni = _pinned(url, ips[0])
                    if url.startswith("https:"):
                        ext["sni_hostname"] = sni
                request = client.build_request(method, target, headers=hdrs, content=content, extensions=ext)
                r = client.send(request, stream=True)
                try:
                    if r.status_code in (301, 302, 303, 307, 308) and "location" in r.headers:
                        target_url = urljoin(url, r.headers["location"])
                        if origin(target_url) != origin(url):  # credentials stay with their origin
                            headers = {k: v for k, v in headers.items() if k.lower() in CROSS_ORIGIN_SAFE}
                        url = target_url
                        if r.status_code == 303 or (r.status_code in (301, 302) and method == "POST"):
                            method, content = "GET", None
                        continue
                    declared = r.headers.get("content-length", "")
                    if declared.isdigit() and int(declared) > self.max_bytes:
                        raise FetchError(f"response from {url} is {declared} bytes, over {self.max_bytes}")
                    body = bytearray()
                    for chunk in r.iter_bytes():
                        body += chunk
                        if len(body) > self.max_bytes:
                            raise FetchError(f"response from {url} is over {self.max_bytes} bytes")
                    return Response(r.status_code, {k.lower(): v for k, v in r.headers.items()}, bytes(body), url)
                finally:
                    r.close()
        raise FetchError(f"more than {MAX_REDIRECTS} redirects from {url}")
