"""Sending one alert: HTTP POST (Slack, Lark, Teams, signed webhook) or SMTP e-mail.

Every transport passes the one outbound guard, `monitio.net.check_host`: private, loopback,
link-local and reserved addresses are refused unless the host or network is in `allow` (settings
`outbound_allow`), and the connection goes to the address that was checked. Connection failures read
the same whatever the port state ("could not connect to HOST"); the details go to the server log.

>>> blocked_reason("http://127.0.0.1:9/hook", allow=[]) is not None
True
>>> blocked_reason("http://127.0.0.1:9/hook", allow=["127.0.0.1"]) is None
True
"""

from __future__ import annotations

import hashlib
import hmac
import json
import smtplib
import socket
import time
from dataclasses import dataclass
from email.message import EmailMessage

from monitio.net import IP, FetchError, HttpClient, blocked_reason, check_host, could_not_connect, retry_after_seconds

TIMEOUT = 10.0
USER_AGENT = "Monitio-Alerts/1"
__all__ = ["Result", "blocked_reason", "post_json", "send_email", "sign"]


@dataclass
class Result:
    ok: bool
    status_code: int | None = None
    error: str | None = None
    retry_after: float | None = None


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """HMAC-SHA256 over `timestamp.body`, as `sha256=<hex>` (verify with the same secret)."""
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def post_json(
    url: str, payload: dict, *, key: str, allow: list[str], secret: str | None = None, timeout: float | None = None
) -> Result:
    """One POST through the shared client (no retries here: the outbox retries with backoff)."""
    body = json.dumps(payload, ensure_ascii=False).encode()
    headers = {"Content-Type": "application/json", "User-Agent": USER_AGENT, "Idempotency-Key": key}
    if secret:
        ts = str(int(time.time()))
        headers["X-Monitio-Timestamp"] = ts
        headers["X-Monitio-Signature"] = sign(secret, ts, body)
    try:
        response = HttpClient(allow=allow, timeout=timeout or TIMEOUT, retries=0).request(
            "POST", url, headers=headers, content=body
        )
    except FetchError as exc:
        return Result(False, exc.status, str(exc))
    if 200 <= response.status < 300:
        return Result(True, response.status)
    retry_after = retry_after_seconds(response.headers.get("retry-after")) if response.status == 429 else None
    text = response.content[:200].decode("utf-8", "replace")
    return Result(False, response.status, f"HTTP {response.status}: {text}", retry_after)


class _PinnedSMTP(smtplib.SMTP):
    """SMTP that connects to the address the guard checked while keeping the host name (for TLS)."""

    def __init__(self, ip: IP, **kw):
        self._pinned_ip = str(ip)
        super().__init__(**kw)

    def _get_socket(self, host, port, timeout):
        return socket.create_connection((self._pinned_ip, port), timeout, self.source_address)


def send_email(
    config: dict,
    subject: str,
    text: str,
    *,
    key: str,
    allow: list[str],
    timeout: float | None = None,
    html: str | None = None,
    attachments: list[tuple[str, bytes, str]] = (),
) -> Result:
    """E-mail over SMTP (STARTTLS when `starttls` is true; login when `username` is set).

    `config` must have passed `monitio.alerts.config.check_channel` (the outbox does that)."""
    host, port = config.get("host", "127.0.0.1"), int(config.get("port", 25))
    try:
        ip = check_host(host.strip("[]"), port, allow)[0]
    except FetchError as exc:
        return Result(False, None, str(exc))
    msg = EmailMessage()
    msg["From"] = config.get("from", "monitio@localhost")
    msg["To"] = ", ".join(config["to"]) if isinstance(config.get("to"), list) else config.get("to", "")
    msg["Subject"] = subject
    msg["Message-ID"] = f"<{key}@monitio>"
    msg["X-Monitio-Idempotency-Key"] = key
    msg.set_content(text)
    if html:
        msg.add_alternative(html, subtype="html")
    for filename, data, media in attachments:
        maintype, _, subtype = media.partition("/")
        msg.add_attachment(data, maintype=maintype, subtype=subtype or "octet-stream", filename=filename)
    try:
        with _PinnedSMTP(ip, timeout=timeout or TIMEOUT) as smtp:
            smtp.connect(host, port)
            if config.get("starttls"):
                smtp.starttls()
            if config.get("username"):
                smtp.login(config["username"], config.get("password", ""))
            smtp.send_message(msg)
    except smtplib.SMTPAuthenticationError:
        return Result(False, None, f"{host} refused the SMTP login")
    except smtplib.SMTPRecipientsRefused:
        return Result(False, None, f"{host} refused the recipients")
    except smtplib.SMTPResponseException as exc:
        if isinstance(exc, smtplib.SMTPConnectError):
            return Result(False, None, str(could_not_connect(host, exc)))
        return Result(False, exc.smtp_code, f"SMTP {exc.smtp_code} from {host}")
    except (OSError, smtplib.SMTPException) as exc:
        return Result(False, None, str(could_not_connect(host, exc)))
    return Result(True, 250)
