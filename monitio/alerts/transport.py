"""Sending one alert: HTTP POST (Slack, Lark, Teams, signed webhook) or SMTP e-mail.

Outbound HTTP refuses private, loopback, link-local and reserved addresses unless the host or
network is in `allow` (settings `outbound_allow`), checked on every resolved address of the host.

>>> blocked_reason("http://127.0.0.1:9/hook", allow=[]) is not None
True
>>> blocked_reason("http://127.0.0.1:9/hook", allow=["127.0.0.1"]) is None
True
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import smtplib
import socket
import time
from dataclasses import dataclass
from email.message import EmailMessage
from urllib.parse import urlsplit

import httpx

TIMEOUT = 10.0
USER_AGENT = "Monitio-Alerts/1"


@dataclass
class Result:
    ok: bool
    status_code: int | None = None
    error: str | None = None
    retry_after: float | None = None


def _allowed(ip: ipaddress._BaseAddress, host: str, allow: list[str]) -> bool:
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
    if parts.scheme not in ("http", "https"):
        return f"only http and https URLs are allowed, not {parts.scheme or 'none'}"
    host = parts.hostname
    if not host:
        return "the URL has no host"
    try:
        infos = socket.getaddrinfo(
            host, parts.port or (443 if parts.scheme == "https" else 80), type=socket.SOCK_STREAM
        )
    except socket.gaierror as exc:
        return f"cannot resolve {host}: {exc}"
    for info in infos:
        ip = ipaddress.ip_address(info[4][0].split("%")[0])
        if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
            ip = ip.ipv4_mapped
        if (
            ip.is_private
            or ip.is_loopback
            or ip.is_link_local
            or ip.is_reserved
            or ip.is_multicast
            or ip.is_unspecified
        ) and not _allowed(ip, host, allow):
            return f"{host} resolves to {ip}, a private or local address; allow it in settings (outbound_allow)"
    return None


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """HMAC-SHA256 over `timestamp.body`, as `sha256=<hex>` (verify with the same secret)."""
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def post_json(
    url: str,
    payload: dict,
    *,
    key: str,
    allow: list[str],
    secret: str | None = None,
    timeout: float = TIMEOUT,
) -> Result:
    reason = blocked_reason(url, allow)
    if reason:
        return Result(False, None, f"refused: {reason}")
    body = json.dumps(payload, ensure_ascii=False).encode()
    headers = {"Content-Type": "application/json", "User-Agent": USER_AGENT, "Idempotency-Key": key}
    if secret:
        ts = str(int(time.time()))
        headers["X-Monitio-Timestamp"] = ts
        headers["X-Monitio-Signature"] = sign(secret, ts, body)
    try:
        with httpx.Client(timeout=timeout, follow_redirects=False, trust_env=False) as client:
            response = client.post(url, content=body, headers=headers)
    except httpx.HTTPError as exc:
        return Result(False, None, f"{type(exc).__name__}: {exc}")
    if 200 <= response.status_code < 300:
        return Result(True, response.status_code)
    retry_after = None
    if response.status_code == 429:
        try:
            retry_after = min(3600.0, float(response.headers.get("retry-after", "")))
        except ValueError:
            retry_after = None
    return Result(False, response.status_code, f"HTTP {response.status_code}: {response.text[:200]}", retry_after)


def send_email(config: dict, subject: str, text: str, *, key: str, timeout: float = TIMEOUT) -> Result:
    """E-mail over SMTP (STARTTLS when `starttls` is true; login when `username` is set)."""
    msg = EmailMessage()
    msg["From"] = config.get("from", "monitio@localhost")
    msg["To"] = ", ".join(config["to"]) if isinstance(config.get("to"), list) else config.get("to", "")
    msg["Subject"] = subject
    msg["Message-ID"] = f"<{key}@monitio>"
    msg["X-Monitio-Idempotency-Key"] = key
    msg.set_content(text)
    try:
        with smtplib.SMTP(config.get("host", "127.0.0.1"), int(config.get("port", 25)), timeout=timeout) as smtp:
            if config.get("starttls"):
                smtp.starttls()
            if config.get("username"):
                smtp.login(config["username"], config.get("password", ""))
            smtp.send_message(msg)
    except (OSError, smtplib.SMTPException) as exc:
        return Result(False, None, f"{type(exc).__name__}: {exc}")
    return Result(True, 250)
