"""`[[sources]]` in `monitio.toml`: what to collect, how often, and with which connector.

```toml
[[sources]]
name = "scam-news"
kind = "rss"                      # rss | http_json | reddit | youtube | gdelt | bluesky | mastodon
url = "https://news.example.org/scams.rss"
schedule = "15m"                  # how often `monitio run` / `monitio run --watch` collects it
markets = ["ID"]                  # optional market hint for its posts
enabled = true
allow_private = false             # or true (any address), or ["10.2.0.0/16", "feeds.intra"] (these only)

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
auth_prefix = "Bearer "
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

from monitio.errors import Invalid

KINDS = ("rss", "http_json", "reddit", "youtube", "gdelt", "bluesky", "mastodon")
PLATFORM_OPTIONS = (
    "query",
    "subreddit",
    "video_id",
    "hashtag",
    "base_url",
    "credential_env",
    "since",
    "timespan",
    "min_interval",
)
HTTP_JSON_OPTIONS = (
    "items_path",
    "next_path",
    "paging",
    "fields",
    "auth_header",
    "auth_env",
    "auth_prefix",
    "page_size",
)
COMMON = ("name", "kind", "url", "schedule", "markets", "enabled", "allow_private", "lang", "max_pages", "full_text")
KNOWN = {*COMMON, *HTTP_JSON_OPTIONS, *PLATFORM_OPTIONS}
FIELD_NAMES = ("id", "text", "published_at", "url", "author", "lang", "market", "likes", "shares", "comments", "views")
TYPES: dict[str, tuple[type, ...]] = {
    "markets": (list,),
    "enabled": (bool,),
    "allow_private": (bool, list),
    "max_pages": (int,),
    "full_text": (bool,),
    "fields": (dict,),
    "page_size": (int,),
    "min_interval": (int, float),
}
TYPE_NAMES = {
    "str": "a string",
    "list": "a list",
    "dict": "a table",
    "bool": "true or false",
    "int": "a whole number",
    "float": "a number",
}
NEEDS = {
    "reddit": ("query", "subreddit"),
    "youtube": ("video_id", "query"),
    "gdelt": ("query",),
    "bluesky": ("query",),
    "mastodon": ("hashtag",),
}
PLATFORMS = {
    "reddit": ("reddit", "RedditConnector"),
    "youtube": ("youtube", "YouTubeConnector"),
    "gdelt": ("gdelt", "GdeltConnector"),
    "bluesky": ("bluesky", "BlueskyConnector"),
    "mastodon": ("mastodon", "MastodonConnector"),
}


class SourceConfigError(Invalid):
    """A `[[sources]]` entry is invalid; the message names the source and the field."""


def parse_schedule(text: str) -> int:
    m = re.fullmatch(r"\s*(\d+)\s*([smhd])\s*", str(text))
    if not m or int(m.group(1)) == 0:
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
    allow_private: bool | list[str] = False
    options: dict[str, Any] = field(default_factory=dict)

    @property
    def max_pages(self) -> int:
        return int(self.options.get("max_pages") or 50)

    def connector(self, outbound_allow: list[str] | None = None, proxy: str | None = None, client: Any = None):
        """The connector for this source, with a client allowed what the settings and `allow_private` allow."""
        from monitio.net import HttpClient

        allow = list(outbound_allow or [])
        if self.allow_private is True:
            allow += ["0.0.0.0/0", "::/0"]
        elif isinstance(self.allow_private, list):
            allow += [str(a) for a in self.allow_private]
        client = client or HttpClient(allow=allow, proxy=proxy)
        market = self.markets[0] if len(self.markets) == 1 else None
        lang = self.options.get("lang")
        if self.kind == "rss":
            from monitio.sources.rss import RssConnector

            full_text = bool(self.options.get("full_text"))
            return RssConnector(self.name, self.url, client=client, market=market, lang=lang, full_text=full_text)
        if self.kind in PLATFORMS:
            module, cls = PLATFORMS[self.kind]
            connector = getattr(__import__(f"monitio.sources.{module}", fromlist=[cls]), cls)
            opts = {k: v for k, v in self.options.items() if k in PLATFORM_OPTIONS}
            if self.url and "base_url" not in opts:
                opts["base_url"] = self.url
            return connector(self.name, client=client, market=market, lang=lang, **opts)
        from monitio.sources.http_json import HttpJsonConnector

        opts = {k: v for k, v in self.options.items() if k in HTTP_JSON_OPTIONS}
        return HttpJsonConnector(self.name, self.url, client=client, market=market, lang=lang, **opts)


def _check_types(e: dict[str, Any], where: str) -> None:
    for key, value in e.items():
        want = TYPES.get(key, (str,))
        if not isinstance(value, want) or (isinstance(value, bool) and bool not in want):
            names = " or ".join(TYPE_NAMES[t.__name__] for t in want)
            raise SourceConfigError(f"{where}: '{key}' must be {names}, not {value!r}")
    for key in ("markets", "allow_private"):
        if isinstance(e.get(key), list) and not all(isinstance(x, str) and x.strip() for x in e[key]):
            raise SourceConfigError(f"{where}: '{key}' must list strings")


def _check_http_json(e: dict[str, Any], where: str) -> None:
    paging = e.get("paging", "cursor")
    if paging not in ("cursor", "page", "offset", "none"):
        raise SourceConfigError(f"{where}: 'paging' must be cursor, page, offset or none, not {paging!r}")
    if e.get("kind") != "http_json":
        return
    fields = e.get("fields")
    if not isinstance(fields, dict):
        raise SourceConfigError(f"{where}: http_json needs 'fields' (at least id, text and published_at paths)")
    if bad := [k for k, v in fields.items() if not isinstance(v, str) or not v]:
        raise SourceConfigError(f"{where}: 'fields' entries must be dotted paths (strings): {', '.join(bad)}")
    if missing := [k for k in ("id", "text", "published_at") if k not in fields]:
        raise SourceConfigError(f"{where}: 'fields' needs {', '.join(missing)}")
    if unknown := set(fields) - set(FIELD_NAMES):
        raise SourceConfigError(f"{where}: 'fields' has unknown keys {', '.join(sorted(unknown))}")
    if paging == "cursor" and "{cursor}" in e["url"] and not e.get("next_path"):
        raise SourceConfigError(f"{where}: cursor paging needs 'next_path' (where the next cursor is)")
    try:
        e["url"].format(cursor="", page=1, offset=0, size=1)
    except (KeyError, IndexError, ValueError) as exc:
        raise SourceConfigError(f"{where}: 'url' template: unknown placeholder {exc}") from None


def _check(e: Any, i: int, names: set[str], origin: str) -> None:
    where = f"{origin}: source {e.get('name', i)!r}" if isinstance(e, dict) else f"{origin}: source {i}"
    if not isinstance(e, dict):
        raise SourceConfigError(f"{where}: expected a table")
    if extra := set(e) - KNOWN:
        raise SourceConfigError(f"{where}: unknown field(s) {', '.join(sorted(extra))}")
    for req in ("name", "kind"):
        if not e.get(req):
            raise SourceConfigError(f"{where}: missing '{req}'")
    _check_types(e, where)
    if e["kind"] not in KINDS:
        raise SourceConfigError(f"{where}: kind must be one of {', '.join(KINDS)}")
    if e["kind"] in ("rss", "http_json") and not e.get("url"):
        raise SourceConfigError(f"{where}: missing 'url'")
    if e.get("url") and not e["url"].startswith(("http://", "https://")):
        raise SourceConfigError(f"{where}: url must be http(s)")
    if (needs := NEEDS.get(e["kind"], ())) and not any(e.get(k) for k in needs):
        raise SourceConfigError(f"{where}: {e['kind']} needs {' or '.join(repr(k) for k in needs)}")
    if e["name"] in names:
        raise SourceConfigError(f"{where}: duplicate name")
    for key in ("page_size", "max_pages"):
        if key in e and not 1 <= e[key] <= 10_000:
            raise SourceConfigError(f"{where}: '{key}' must be between 1 and 10000")
    _schedule(e.get("schedule", "15m"), where)
    _check_http_json(e, where)


def _schedule(value: str, where: str) -> int:
    try:
        return parse_schedule(value)
    except SourceConfigError as exc:
        raise SourceConfigError(f"{where}: {exc}") from None


def parse_sources(data: dict, origin: str = "monitio.toml") -> list[SourceConfig]:
    """Validated sources from parsed TOML; the first problem raises SourceConfigError."""
    entries = data.get("sources", [])
    if not isinstance(entries, list):
        raise SourceConfigError(f"{origin}: 'sources' must be an array of tables ([[sources]])")
    out, names = [], set()
    for i, e in enumerate(entries, start=1):
        _check(e, i, names, origin)
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
                schedule_seconds=parse_schedule(e.get("schedule", "15m")),  # checked above
                markets=[m.upper() for m in e.get("markets", [])],
                enabled=e.get("enabled", True),
                allow_private=e.get("allow_private", False),
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
        return "{ " + ", ".join(f'"{k}" = {_toml_value(x)}' for k, x in v.items()) + " }"
    escaped = str(v).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")
    return f'"{escaped}"'


def _write(path: Path, text: str) -> None:
    """Write monitio.toml only if the result still parses, through a temporary file."""
    parse_sources(tomllib.loads(text), str(path))
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


def append_source(workspace: Path, entry: dict[str, Any]) -> None:
    """Validate and append a `[[sources]]` table to monitio.toml (comments and other text are kept)."""
    path = workspace / "monitio.toml"
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    try:
        existing = tomllib.loads(text) if text else {}
    except tomllib.TOMLDecodeError as exc:
        raise SourceConfigError(f"{path} is not valid TOML: {exc}") from None
    parse_sources({"sources": [*existing.get("sources", []), entry]}, str(path))
    block = "\n[[sources]]\n" + "".join(f"{k} = {_toml_value(v)}\n" for k, v in entry.items())
    _write(path, text.rstrip("\n") + "\n" + block)


def set_enabled(workspace: Path, name: str, enabled: bool) -> None:
    """Set `enabled` of one source in monitio.toml, editing only that table's lines."""
    path = workspace / "monitio.toml"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True) if path.exists() else []
    starts = [i for i, line in enumerate(lines) if line.strip() == "[[sources]]"]
    name_re = re.compile(rf"""^\s*name\s*=\s*(["']){re.escape(name)}\1\s*(#.*)?$""")
    for start in starts:
        end = next((j for j in range(start + 1, len(lines)) if lines[j].lstrip().startswith("[")), len(lines))
        if not any(name_re.match(lines[j]) for j in range(start + 1, end)):
            continue
        new = f"enabled = {_toml_value(enabled)}\n"
        found = next((j for j in range(start + 1, end) if re.match(r"^\s*enabled\s*=", lines[j])), None)
        if found is None:
            lines.insert(start + 1, new)
        else:
            lines[found] = new
        _write(path, "".join(lines))
        return
    raise SourceConfigError(f"no source named {name!r} in {path}")
