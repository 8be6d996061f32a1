"""The impersonation watch list: public figures and brands that scam ads pose as.

The built-in list is `monitio/lexicons/watch_list.yaml`; a workspace adds its own entries with the
`watch_list` setting (same format). An entry matches when one of its aliases is in the text; whether
that counts as impersonation depends on the scam cues around it (see `monitio.enrich.indicators`).

>>> wl = load_watch_list()
>>> wl.find("Jack Ma dan Sri Mulyani bagi-bagi hadiah")
[('Jack Ma', 'person'), ('Sri Mulyani', 'person')]
>>> wl.find("馬雲推薦") , wl.find("scampi")
([('Jack Ma', 'person')], [])
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from monitio.enrich.cues import PhraseSet
from monitio.settings import SettingsError

WATCH_LIST_FILE = Path(__file__).resolve().parents[1] / "lexicons" / "watch_list.yaml"
KINDS = ("person", "brand")


class WatchListError(SettingsError):
    """A watch list file Monitio cannot use; the message names the file and the problem (a settings error,
    so the CLI shows it as one line)."""


@dataclass(frozen=True, slots=True)
class WatchEntry:
    """One public figure or brand, with the aliases that name it."""

    name: str
    kind: str
    aliases: tuple[str, ...]
    markets: tuple[str, ...] = ("*",)


@dataclass
class WatchList:
    """Entries and one compiled regex over all their aliases."""

    entries: list[WatchEntry]
    _by_alias: dict[str, WatchEntry] = field(default_factory=dict, repr=False)
    _phrases: PhraseSet | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        for e in self.entries:
            for a in (e.name, *e.aliases):
                self._by_alias.setdefault(" ".join(a.casefold().split()), e)
        if self._by_alias:
            self._phrases = PhraseSet({"watch": list(self._by_alias)})

    @property
    def aliases(self) -> list[str]:
        """Every alias (and name), case-folded."""
        return list(self._by_alias)

    def find(self, text: str, folded: str | None = None, hits: list[tuple[int, str, str]] | None = None):
        """(name, kind) of the entries named in the text, in order of appearance, without repeats.

        `hits` are results of a `PhraseSet` holding the aliases under the label "watch", when the caller
        has them already.
        """
        if self._phrases is None:
            return []
        if hits is None:
            hits = self._phrases.find(folded if folded is not None else text.casefold())
        out: list[tuple[str, str]] = []
        for _, label, phrase in hits:
            e = self._by_alias.get(phrase) if label == "watch" else None
            if e and (e.name, e.kind) not in out:
                out.append((e.name, e.kind))
        return out


def _entries(path: Path) -> list[WatchEntry]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise WatchListError(f"{path}: cannot read the watch list: {exc}") from exc
    rows = data.get("entries") if isinstance(data, dict) else None
    if not isinstance(rows, list):
        raise WatchListError(f"{path}: expects a top-level 'entries:' list")
    out = []
    for i, row in enumerate(rows, 1):
        if not isinstance(row, dict) or not str(row.get("name") or "").strip():
            raise WatchListError(f"{path}: entry {i} has no name")
        kind = str(row.get("kind") or "person")
        if kind not in KINDS:
            raise WatchListError(f"{path}: entry {i} ({row['name']}): kind must be one of {', '.join(KINDS)}")
        aliases = tuple(str(a) for a in row.get("aliases") or [] if str(a).strip())
        markets = tuple(str(m).upper() for m in row.get("markets") or ["*"])
        out.append(WatchEntry(str(row["name"]).strip(), kind, aliases, markets))
    return out


@lru_cache(maxsize=8)
def load_watch_list(extra: Path | None = None) -> WatchList:
    """The built-in watch list, plus the entries of `extra` (a workspace file) when given."""
    entries = _entries(WATCH_LIST_FILE)
    if extra is not None:
        entries = _entries(Path(extra)) + entries
    return WatchList(entries)


def watch_list_path(settings) -> Path | None:
    """The workspace's extra watch list file (see `workspace_file`); None = none."""
    from monitio.settings import workspace_file

    return workspace_file(settings, "watch_list")
