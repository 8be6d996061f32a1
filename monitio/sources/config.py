"""`[[sources]]` in `monitio.toml`: what to collect, how often, and with which connector.

```toml
[[sources]]
name = "scam-news"
kind = "rss"                      # rss | http_json
url = "https://news.example.org/scams.rss"
schedule = "15m"                  # how often `monitio run` / `monitio run --watch` collects it
markets = ["ID"]                  # optional market hint for its posts
enabled = true
allow_private = false             # allow private/loopback addresses (tests, intranet feeds)

[[sources]]
name = "partner-api"
kind = "http_json"
url = "https://api.example.org/posts?cursor={cursor}&limit={size}"
items_path = "data"
next_path = "meta.next"
paging = "cursor"                 # cursor | page | offset | none
fields = { id = "id", text = "body", published_at = "created", author = "user.name" }
auth_header = "Authorization"
auth_env = "PARTNER_API_TOKEN"    # the header's value is read from this environment variable
```

>>> parse_schedule("15m"), parse_schedule("2h"), parse_schedule("1d")
(900, 7200, 86400)
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

KINDS = ("rss", "http_json", "reddit", "youtube", "gdelt", "bluesky", "mastodon")
PLATFORM_OPTIONS = ("query", "subreddit", "video_id", "hashtag", "base_url", "credential_env", "since")
KNOWN = {
    "name",
    "kind",
    "url",
    "schedule",
    "markets",
    "enabled",
    "allow_private",
    "lang",
    "items_path",
    "next_path",
    "paging",
    "fields",
    "auth_header",
    "auth_env",
    "page_size",
    "max_pages",
    "full_text",
    *PLATFORM_OPTIONS,
}


class SourceConfigError(ValueError):
    """A `[[sources]]` entry is invalid; the message names the source and the field."""


PLATFORMS = {
    "reddit": ("reddit", "RedditConnector"),
    "youtube": ("youtube", "YouTubeConnector"),
    "gdelt": ("gdelt", "GdeltConnector"),
    "bluesky": ("bluesky", "BlueskyConnector"),
    "mastodon": ("mastodon", "MastodonConnector"),
}


def parse_schedule(text: str) -> int:
    m = re.fullmatch(r"\s*(\d+)\s*([smhd])\s*", str(text))
    if not m:
        raise SourceConfigError(f"schedule {text!r}: use a number and s, m, h or d, e.g. '15m'")
    return int(m.group(1)) * {"s": 1, "m": 60, "h": 3600, "d": 86400}[m.group(2)]


@dataclass
class SourceConfig:
    name: str
    kind: str
    url: str
    schedule_seconds: int = 900
    markets: list[str] = field(default_factory=list)
    enabled: bool = True
    allow_private: bool = False
    options: dict[str, Any] = field(default_factory=dict)

    def connector(self, outbound_allow: list[str] | None = None, proxy: str | None = None):
        from monitio.net import HttpClient

        allow = list(outbound_allow or [])
        if self.allow_private:
            allow += ["0.0.0.0/0", "::/0"]
        client = HttpClient(allow=allow, proxy=proxy)
        market = self.markets[0] if len(self.markets) == 1 else None
        if self.kind == "rss":
            from monitio.sources.rss import RssConnector

            return RssConnector(
                self.name,
                self.url,
                client=client,
                market=market,
                lang=self.options.get("lang"),
                full_text=bool(self.options.get("full_text")),
            )
        if self.kind in PLATFORMS:
            module, cls = PLATFORMS[self.kind]
            connector = getattr(__import__(f"monitio.sources.{module}", fromlist=[cls]), cls)
            opts = {k: v for k, v in self.options.items() if k in PLATFORM_OPTIONS}
            if self.url and "base_url" not in opts:
                opts["base_url"] = self.url
            return connector(self.name, client=client, market=market, lang=self.options.get("lang"), **opts)
        from monitio.sources.http_json import HttpJsonConnector

        opts = {
            k: v
            for k, v in self.options.items()
            if k in ("items_path", "next_path", "paging", "fields", "auth_header", "auth_env", "page_size")
        }
        return HttpJsonConnector(self.name, self.url, client=client, **opts)


def parse_sources(data: dict, origin: str = "monitio.toml") -> list[SourceConfig]:
    entries = data.get("sources", [])
    if not isinstance(entries, list):
        raise SourceConfigError(f"{origin}: 'sources' must be an array of tables ([[sources]])")
    out, names = [], set()
    for i, e in enumerate(entries, start=1):
        where = f"{origin}: source {e.get('name', i)!r}" if isinstance(e, dict) else f"{origin}: source {i}"
        if not isinstance(e, dict):
            raise SourceConfigError(f"{where}: expected a table")
        if extra := set(e) - KNOWN:
            raise SourceConfigError(f"{where}: unknown field(s) {', '.join(sorted(extra))}")
        for req in ("name", "kind"):
            if not e.get(req):
                raise SourceConfigError(f"{where}: missing '{req}'")
        if e.get("kind") in ("rss", "http_json") and not e.get("url"):
            raise SourceConfigError(f"{where}: missing 'url'")
        needs = {
            "reddit": ("query", "subreddit"),
            "youtube": ("video_id", "query"),
            "gdelt": ("query",),
            "bluesky": ("query",),
            "mastodon": ("hashtag",),
        }.get(e.get("kind"), ())
        if needs and not any(e.get(k) for k in needs):
            raise SourceConfigError(f"{where}: {e['kind']} needs {' or '.join(repr(k) for k in needs)}")
        if e["kind"] not in KINDS:
            raise SourceConfigError(f"{where}: kind must be one of {', '.join(KINDS)}")
        if e["name"] in names:
            raise SourceConfigError(f"{where}: duplicate name")
        if e["kind"] in ("rss", "http_json") and not str(e["url"]).startswith(("http://", "https://")):
            raise SourceConfigError(f"{where}: url must be http(s)")
        if e["kind"] == "http_json" and not isinstance(e.get("fields"), dict):
            raise SourceConfigError(f"{where}: http_json needs 'fields' (at least text and published_at paths)")
        names.add(e["name"])
        options = {
            k: v
            for k, v in e.items()
            if k not in ("name", "kind", "url", "schedule", "markets", "enabled", "allow_private")
        }
        out.append(
            SourceConfig(
                name=e["name"],
                kind=e["kind"],
                url=e.get("url", ""),
                schedule_seconds=parse_schedule(e.get("schedule", "15m")),
                markets=[str(m).upper() for m in e.get("markets", [])],
                enabled=bool(e.get("enabled", True)),
                allow_private=bool(e.get("allow_private", False)),
                options=options,
            )
        )
    return out


def load_sources(workspace: Path) -> list[SourceConfig]:
    path = workspace / "monitio.toml"
    if not path.exists():
        return []
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise SourceConfigError(f"{path} is not valid TOML: {exc}") from None
    return parse_sources(data, str(path))


def _toml_value(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int | float):
        return str(v)
    if isinstance(v, list):
        return "[" + ", ".join(_toml_value(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{ " + ", ".join(f"{k} = {_toml_value(x)}" for k, x in v.items()) + " }"
    return '"' + str(v).replace("\\", "\\\\").replace('"', '\\"') + '"'


def append_source(workspace: Path, entry: dict[str, Any]) -> None:
    """Validate and append a `[[sources]]` table to monitio.toml (comments and other text are kept)."""
    path = workspace / "monitio.toml"
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    existing = tomllib.loads(text) if text else {}
    parse_sources({"sources": [*existing.get("sources", []), entry]}, str(path))
    block = "\n[[sources]]\n" + "".join(f"{k} = {_toml_value(v)}\n" for k, v in entry.items())
    path.write_text(text.rstrip("\n") + "\n" + block, encoding="utf-8")


def set_enabled(workspace: Path, name: str, enabled: bool) -> None:
    """Set `enabled` of one source in monitio.toml, editing only that table."""
    path = workspace / "monitio.toml"
    text = path.read_text(encoding="utf-8")
    blocks = re.split(r"(?m)^(?=\[\[sources\]\])", text)
    for i, block in enumerate(blocks):
        if block.startswith("[[sources]]") and re.search(rf'(?m)^name\s*=\s*"{re.escape(name)}"\s*$', block):
            if re.search(r"(?m)^enabled\s*=", block):
                block = re.sub(r"(?m)^enabled\s*=.*$", f"enabled = {_toml_value(enabled)}", block)
            else:
                block = block.replace("[[sources]]\n", f"[[sources]]\nenabled = {_toml_value(enabled)}\n", 1)
            blocks[i] = block
            path.write_text("".join(blocks), encoding="utf-8")
            return
    raise SourceConfigError(f"no source named {name!r} in {path}")
