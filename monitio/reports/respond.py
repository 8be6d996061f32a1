"""Response packs for a signal: a holding statement, an internal note and an enforcement list.

Everything is built from stored data only: the signal's figures (`SignalFigures`, read from the
store by `monitio.services.responses`), the indicators extracted from its posts, the category's
playbook, and the templates in `monitio/taxonomy/responses.yaml` (teams may replace the file with
the `responses` setting). Texts are plain; renderers escape them; exports go through `safe_cell`.

>>> from monitio.reports.respond import enforcement_list
>>> rows = enforcement_list([(1, "alice", {"phone": ["+6281"], "link": ["bit.ly/x"]}),
...                          (2, "bob", {"phone": ["+6281"]})])
>>> [(r.kind, r.value, r.posts, r.example_posts) for r in rows][:3]
[('phone', '+6281', 2, [1, 2]), ('link', 'bit.ly/x', 1, [1]), ('domain', 'bit.ly', 1, [1])]
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from pathlib import Path

import yaml

from monitio.errors import Invalid
from monitio.reports.safe import csv_safe_row

DEFAULT_TEMPLATES = Path(__file__).resolve().parent.parent / "taxonomy" / "responses.yaml"
#: Indicator kinds that a takedown or blocking request can act on, in the order of the list.
ENFORCEABLE = ("phone", "messaging", "link", "domain", "short_link", "lookalike_link", "wallet", "impersonation")
LANGS = ("en", "id", "ms", "th", "vi", "tl", "zh", "ko", "ja", "hi")
EXAMPLES = 5
HOURLY_KINDS = frozenset({"spike", "build-up", "level-shift", "sentiment_shift", "term_burst"})
PLURALS = {"messaging": "messaging handles", "impersonation": "impersonated names", "author": "accounts"}


@dataclass(slots=True)
class SignalFigures:
    """What the store says about one signal: every number a draft prints comes from here."""

    signal_id: int
    kind: str
    title: str
    why: str
    severity: int
    markets: list[str]
    market_names: list[str]
    langs: list[str]
    categories: list[str]
    category_names: list[str]
    first_seen: datetime
    detected_at: datetime | None
    window_start: datetime
    window_end: datetime
    observed: int
    expected: float
    posts: int
    authors: int
    negative_share: float | None
    query: str
    playbook: list[str]
    owner_team: str
    case_id: int | None = None

    @property
    def hours(self) -> float:
        """Hours the window covers; hourly series windows end at the start of their last hour."""
        span = (self.window_end - self.window_start).total_seconds() / 3600
        return max(span + (1 if self.kind in HOURLY_KINDS else 0), 1.0)


@dataclass(slots=True)
class EnforcementRow:
    """One value to block or take down, how many posts carry it, and example post ids."""

    kind: str
    value: str
    posts: int
    example_posts: list[int] = field(default_factory=list)


@dataclass(slots=True)
class ResponsePack:
    statement: str
    internal_note: str
    enforcement: list[EnforcementRow]
    lang: str
    figures: SignalFigures


def _host(link: str) -> str:
    host = link.split("://", 1)[-1].split("/", 1)[0].split("?", 1)[0].lower()
    return host.rsplit("@", 1)[-1].split(":", 1)[0]


def enforcement_list(posts: list[tuple[int, str | None, dict]]) -> list[EnforcementRow]:
    """Every enforceable indicator and author in `(post_id, author, indicators)`, most posts first."""
    seen: dict[tuple[str, str], list[int]] = defaultdict(list)
    order: list[tuple[str, str]] = []

    def add(kind: str, value: str, post_id: int) -> None:
        key = (kind, value)
        if key not in seen:
            order.append(key)
        if post_id not in seen[key]:
            seen[key].append(post_id)

    for post_id, author, indicators in posts:
        for kind in ENFORCEABLE:
            if kind == "domain":
                for link in (indicators or {}).get("link", []):
                    if _host(link):
                        add("domain", _host(link), post_id)
                continue
            for value in (indicators or {}).get(kind, []):
                add(kind, str(value), post_id)
        if author:
            add("author", author, post_id)
    rank = {k: i for i, k in enumerate((*ENFORCEABLE, "author"))}
    keys = sorted(order, key=lambda k: (rank[k[0]], -len(seen[k]), order.index(k)))
    return [
        EnforcementRow(kind, value, len(seen[(kind, value)]), sorted(seen[(kind, value)])[:EXAMPLES])
        for kind, value in keys
    ]


@cache
def _load(path: str) -> dict:
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise Invalid(f"cannot read the response templates {path}: {exc}") from None
    for key in ("topics", "advice", "statements"):
        if not isinstance(data.get(key), dict):
            raise Invalid(f"{path}: missing the `{key}` section")
    return data


def templates(path: Path | None = None) -> dict:
    return _load(str(path or DEFAULT_TEMPLATES))


def _pick(table: dict, lang: str) -> str:
    return str(table.get(lang) or table.get("en") or "")


def statement(fig: SignalFigures, lang: str = "en", path: Path | None = None) -> str:
    """The holding statement for Comms in `lang`: public wording, no figures, no people named."""
    t = templates(path)
    if lang not in t["statements"]:
        raise Invalid(
            f"no holding-statement template for language {lang!r}", hint="languages: " + ", ".join(t["statements"])
        )
    cat = fig.categories[0] if fig.categories else None
    topic = _pick(t["topics"].get(cat, {}), lang) if cat else ""
    if not topic:
        topic = {"en": "these posts"}.get(lang, _pick(t["topics"].get("scam_ads", {}), lang))
    family = (t.get("advice_family") or {}).get(cat, "policy")
    advice = _pick(t["advice"].get(family, {}), lang)
    markets = ", ".join(fig.market_names) or _pick(t.get("several_markets") or {"en": "several markets"}, lang)
    return (
        _pick(t["statements"], lang)
        .format(topic=topic, markets=markets, since=f"{fig.first_seen:%Y-%m-%d}", advice=advice)
        .strip()
    )


def _num(x: float) -> str:
    return f"{x:,.0f}" if float(x).is_integer() else f"{x:,.1f}"


def internal_note(fig: SignalFigures, enforcement: list[EnforcementRow]) -> str:
    """The note for Policy/Product (English): what, where, since when, how big and fast, who, what to do."""
    counts: dict[str, int] = defaultdict(int)
    for row in enforcement:
        counts[row.kind] += 1
    rate = fig.observed / fig.hours
    ratio = f" ({fig.observed / fig.expected:.1f}x the ~{_num(fig.expected)} expected)" if fig.expected >= 0.5 else ""
    delay = (
        f"; raised {((fig.detected_at - fig.first_seen).total_seconds() / 3600):.0f} h after it began"
        if fig.detected_at and fig.detected_at >= fig.first_seen
        else ""
    )
    lines = [
        f"Signal {fig.signal_id}: {fig.title} (severity {fig.severity}/10).",
        "",
        f"What is happening: {fig.why}",
        f"Where: {', '.join(fig.market_names) or 'all markets'}; languages: {', '.join(fig.langs) or '-'}.",
        f"Since when: first seen {fig.first_seen:%Y-%m-%d %H:%M} UTC{delay}.",
        f"How big: {fig.observed:,} posts in {fig.hours:.0f} h{ratio}, about {rate:.1f} posts per hour; "
        f"{fig.posts:,} posts in the signal's window and scope from {fig.authors:,} accounts.",
    ]
    if fig.negative_share is not None:
        lines.append(f"Tone: {fig.negative_share:.0%} of the posts are negative.")
    lines.append(f"Query behind these figures: {fig.query}")
    found = ", ".join(
        f"{n} {PLURALS.get(kind, kind.replace('_', ' ') + 's') if n != 1 else kind.replace('_', ' ')}"
        for kind, n in counts.items()
    )
    lines += [
        f"Who is affected: users in {', '.join(fig.market_names) or 'the markets above'}; "
        f"enforcement list: {found or 'no contact points or links found'}.",
        f"Owner team: {fig.owner_team}" + (f"; case {fig.case_id}." if fig.case_id else "; no case yet."),
        "",
        "What the playbook recommends:",
        *(f"{i}. {step}" for i, step in enumerate(fig.playbook, start=1)),
        "",
        "Open questions:",
        "- Are the accounts and contact points in the enforcement list already actioned elsewhere?",
        "- Is this reaching paid placements (ads) or only organic posts?",
        "- Which other markets or languages carry the same contact points or text?",
    ]
    return "\n".join(lines)


def build_pack(
    fig: SignalFigures, posts: list[tuple[int, str | None, dict]], lang: str = "en", path: Path | None = None
) -> ResponsePack:
    rows = enforcement_list(posts)
    return ResponsePack(
        statement=statement(fig, lang, path),
        internal_note=internal_note(fig, rows),
        enforcement=rows,
        lang=lang,
        figures=fig,
    )


def enforcement_csv(rows: list[EnforcementRow]) -> str:
    """The enforcement list as CSV text, every cell safe from formula injection."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["kind", "value", "posts", "example post ids"])
    for r in rows:
        w.writerow(csv_safe_row([r.kind, r.value, r.posts, " ".join(str(i) for i in r.example_posts)]))
    return buf.getvalue()


def write_files(pack: ResponsePack, folder: Path, stem: str) -> dict[str, Path]:
    """`<stem>.md` (statement + note), `<stem>-enforcement.csv` and `<stem>-enforcement.xlsx`."""
    import xlsxwriter

    from monitio.reports.xlsx import OPTIONS, print_setup, put

    folder.mkdir(parents=True, exist_ok=True)
    md = folder / f"{stem}.md"
    md.write_text(
        f"# Response pack: signal {pack.figures.signal_id}\n\n## Holding statement ({pack.lang})\n\n"
        f"{pack.statement}\n\n## Internal note\n\n{pack.internal_note}\n",
        encoding="utf-8",
    )
    csv_path = folder / f"{stem}-enforcement.csv"
    csv_path.write_text(enforcement_csv(pack.enforcement), encoding="utf-8")
    xlsx_path = folder / f"{stem}-enforcement.xlsx"
    wb = xlsxwriter.Workbook(str(xlsx_path), OPTIONS)
    head = wb.add_format({"bold": True, "bg_color": "#DDE4EE", "border": 1})
    ws = wb.add_worksheet("Enforcement")
    for j, (name, width) in enumerate((("kind", 16), ("value", 48), ("posts", 8), ("example post ids", 30))):
        ws.write_string(0, j, name, head)
        ws.set_column(j, j, width)
    for i, r in enumerate(pack.enforcement, start=1):
        put(ws, i, 0, r.kind)
        put(ws, i, 1, r.value)
        put(ws, i, 2, r.posts)
        put(ws, i, 3, " ".join(str(x) for x in r.example_posts))
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, max(len(pack.enforcement), 1), 3)
    print_setup(ws)
    wb.close()
    return {"md": md, "csv": csv_path, "xlsx": xlsx_path}
