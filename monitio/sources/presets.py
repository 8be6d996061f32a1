"""Saved import mappings: `[[imports]]` in `monitio.toml`, used by `monitio ingest --preset NAME`
and by `monitio watch` for the files of one folder.

```toml
[[imports]]
name = "listening-tool"
date_format = "%d/%m/%Y %H:%M"   # or: dayfirst = true  (monthfirst = true)
timezone = "Asia/Bangkok"        # for dates that carry no zone (a zone in the header or value wins)
source = "listening-tool"        # the source name of its posts (default: the file name)
platform_column = "Platform"     # a per-row network: posts get the source "listening-tool:tiktok"
skip_rows = 0                    # rows above the column row (default: found automatically)
format = "csv"                   # csv | tsv | jsonl | xlsx (default: from the extension)
folder = "listening-tool"        # `monitio watch DIR`: files in DIR/listening-tool/ use this preset
[imports.columns]                # FIELD = "Column name"; fields not named are found as usual
text = "Mention Content"
published_at = "Date (GMT+7)"
id = "Mention ID"
author = "Author Handle"
views = "Reach"
```

>>> p = ImportPreset.from_dict({"name": "t", "columns": {"date": "Created"}, "dayfirst": True})
>>> p.columns, p.order
({'published_at': 'Created'}, 'dmy')
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from monitio.sources.mapping import MappingError, field_name

KEYS = {
    "name",
    "columns",
    "date_format",
    "dayfirst",
    "monthfirst",
    "timezone",
    "source",
    "platform_column",
    "skip_rows",
    "format",
    "folder",
    "sheet",
}


class PresetError(MappingError):
    """An `[[imports]]` entry is malformed or a named preset does not exist."""


@dataclass(frozen=True)
class ImportPreset:
    """One saved mapping: columns per field and how to read the file's dates."""

    name: str
    columns: dict[str, str] = field(default_factory=dict)
    date_format: str | None = None
    order: str | None = None
    timezone: str | None = None
    source: str | None = None
    skip_rows: int | None = None
    format: str | None = None
    folder: str | None = None
    sheet: str | None = None

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ImportPreset:
        name = data.get("name")
        if not isinstance(name, str) or not name.strip():
            raise PresetError('[[imports]] entry without a name; add name = "..."')
        where = f"[[imports]] {name!r}"
        if unknown := set(data) - KEYS:
            raise PresetError(f"{where}: unknown keys {', '.join(sorted(unknown))}; keys are {', '.join(sorted(KEYS))}")
        columns_in = data.get("columns") or {}
        if not isinstance(columns_in, dict) or not all(isinstance(v, str) for v in columns_in.values()):
            raise PresetError(f'{where}: columns must be a table of FIELD = "Column name"')
        try:
            columns = {field_name(k): v for k, v in columns_in.items()}
        except MappingError as exc:
            raise PresetError(f"{where}: {exc}") from None
        if isinstance(data.get("platform_column"), str):
            columns["platform"] = data["platform_column"]
        if data.get("dayfirst") and data.get("monthfirst"):
            raise PresetError(f"{where}: set dayfirst or monthfirst, not both")
        order = "dmy" if data.get("dayfirst") else "mdy" if data.get("monthfirst") else None
        skip = data.get("skip_rows")
        if skip is not None and (not isinstance(skip, int) or isinstance(skip, bool) or not 0 <= skip <= 1000):
            raise PresetError(f"{where}: skip_rows must be a whole number from 0 to 1000")
        if data.get("timezone") is not None:
            from monitio.settings import SettingsError, check_zone

            try:
                check_zone(str(data["timezone"]))
            except SettingsError as exc:
                raise PresetError(f"{where}: {exc}") from None
        text = {k: (str(data[k]) if data.get(k) is not None else None) for k in ("date_format", "timezone", "source")}
        return cls(
            name=name.strip(),
            columns=columns,
            date_format=text["date_format"],
            order=order,
            timezone=text["timezone"],
            source=text["source"],
            skip_rows=skip,
            format=str(data["format"]) if data.get("format") else None,
            folder=str(data["folder"]) if data.get("folder") else None,
            sheet=str(data["sheet"]) if data.get("sheet") else None,
        )


def load_presets(workspace: Path) -> dict[str, ImportPreset]:
    """The `[[imports]]` of the workspace's `monitio.toml`, by name (empty when there are none)."""
    path = Path(workspace) / "monitio.toml"
    if not path.exists():
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise PresetError(f"{path} is not valid TOML: {exc}") from None
    entries = data.get("imports") or []
    if not isinstance(entries, list):
        raise PresetError(f"{path}: write imports as [[imports]] tables")
    presets: dict[str, ImportPreset] = {}
    for entry in entries:
        preset = ImportPreset.from_dict(entry if isinstance(entry, dict) else {})
        if preset.name in presets:
            raise PresetError(f"{path}: two [[imports]] named {preset.name!r}")
        presets[preset.name] = preset
    return presets


def get_preset(workspace: Path, name: str) -> ImportPreset:
    """The preset called `name`, or `PresetError` listing the ones there are."""
    presets = load_presets(workspace)
    if name not in presets:
        known = ", ".join(sorted(presets)) or "none yet"
        raise PresetError(f"no import preset {name!r} in monitio.toml (presets: {known}); add an [[imports]] entry")
    return presets[name]


def preset_for_folder(presets: dict[str, ImportPreset], folder: str) -> ImportPreset | None:
    """The preset a watched subfolder uses: the one whose `folder` (or, failing that, `name`) it is."""
    for preset in presets.values():
        if preset.folder == folder:
            return preset
    return presets.get(folder)
