"""`monitio taxonomy test|validate`: try a taxonomy on a CSV of posts before saving it; check a file.

Mounted by `monitio.cli.main` as `monitio taxonomy`.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from monitio.cli.common import JsonOpt, out, print_json, user_errors

app = typer.Typer(
    rich_markup_mode=None, help="Test taxonomy rules on a CSV of posts; validate a taxonomy file.", no_args_is_help=True
)
TaxonomyOpt = Annotated[
    Path | None, typer.Option("--taxonomy", help="Taxonomy YAML file (default: the built-in taxonomy).")
]
EXAMPLE_CHARS = 160


def snippet(text: str, limit: int = EXAMPLE_CHARS) -> str:
    """One line of text: control characters escaped, whitespace collapsed, cut at `limit` characters.

    >>> snippet("first line\\nsecond\\x07 line", 40), snippet("abcdef", 4)
    ('first line second\\\\x07 line', 'abc…')
    """
    flat = " ".join(text.split())
    flat = "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii") for ch in flat)
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def read_texts(
    path: Path, column: str | None = None, *, fmt: str | None = None, preset_columns: dict[str, str] | None = None
) -> list[tuple[str, str | None]]:
    """(text, language hint from a language column if any) for each non-empty row of a CSV, TSV, JSONL or
    XLSX file. The text column is `column`, else the preset's, else the first known alias (`text`,
    `Mention Content`, `Full Text`, `Message`, ...), exactly as `monitio ingest` finds it."""
    from monitio.sources.files import TableInfo, read_rows
    from monitio.sources.mapping import MappingError, find_column

    preset_columns = preset_columns or {}
    wanted = column or preset_columns.get("text")
    info = TableInfo()
    rows: list[tuple[str, str | None]] = []
    text_col = lang_col = None

    def is_header(cells: list[str]) -> bool:
        return find_column(cells, "text", wanted) is not None

    for row in read_rows(path, fmt, is_header=is_header, info=info):
        if row.data is None:
            continue
        if text_col is None:
            headers = list(row.data)
            text_col = find_column(headers, "text", wanted)
            if text_col is None:
                raise MappingError(
                    f"{path.name} has no column {wanted!r} (columns: {', '.join(headers)})"
                    if wanted
                    else f"{path.name} has no text column (columns: {', '.join(headers)}); use --text-column NAME"
                )
            lang_col = find_column(headers, "lang", preset_columns.get("lang"))
        text = row.data.get(text_col)
        lang = row.data.get(lang_col) if lang_col else None
        rows.append(("" if text is None else str(text), (str(lang).strip() or None) if lang is not None else None))
    return [(t, lang) for t, lang in rows if t.strip()]


def taxonomy_report(
    rows: list[tuple[str, str | None]], taxonomy_path: Path | None, category: str | None, examples: int
) -> dict:
    """Per category: matching posts, share, top terms, examples and per-rule counts."""
    from monitio.enrich.language import LanguageIdentifier
    from monitio.records import Doc, Post
    from monitio.taxonomy.loader import load_taxonomy
    from monitio.taxonomy.matcher import RuleMatcher

    tax = load_taxonomy(taxonomy_path)
    if category is not None and category not in tax.categories:
        raise typer.BadParameter(f"no category {category!r} in {tax.source}", param_hint="--category")
    matcher = RuleMatcher(tax)
    detected = LanguageIdentifier().detect_many([t for t, _ in rows]) if rows else []
    when = datetime.now(UTC)
    stats = {cid: {"posts": 0, "terms": Counter(), "examples": [], "rules": Counter()} for cid in tax.categories}
    langs: Counter[str] = Counter()
    matched = 0
    for i, ((text, hint), det) in enumerate(zip(rows, detected, strict=True)):
        post = Post.create(source="taxonomy-test", source_id=str(i + 1), text=text, published_at=when)
        doc = Doc(post_id=i + 1, post=post, lang=hint or det.lang)
        langs[doc.lang or "und"] += 1
        found = matcher.ruleset.match(doc)
        hits = matcher.hits(found)
        matched += bool(hits)
        for rid in found:
            stats[matcher.rules[rid].category]["rules"][rid] += 1
        for cid, hit in hits.items():
            s = stats[cid]
            s["posts"] += 1
            s["terms"].update(hit.terms)
            if len(s["examples"]) < examples:
                s["examples"].append({"row": i + 1, "lang": doc.lang, "text": snippet(text)})
    n = len(rows)
    cats = []
    for cid, cat in tax.categories.items():
        if category is not None and cid != category:
            continue
        s = stats[cid]
        cats.append(
            {
                "id": cid,
                "name": cat.name,
                "posts": s["posts"],
                "share": round(s["posts"] / n, 4) if n else 0.0,
                "top_terms": s["terms"].most_common(10),
                "examples": s["examples"],
                "rules": {r.id: s["rules"][r.id] for r in cat.rules},
            }
        )
    return {
        "taxonomy": tax.source,
        "posts": n,
        "matched": matched,
        "languages": dict(langs.most_common()),
        "categories": cats,
    }


def _show(report: dict) -> None:
    out.print(
        f"[bold]{report['posts']}[/] posts, {report['matched']} in at least one category "
        f"(taxonomy: {escape(report['taxonomy'])})",
        highlight=False,
    )
    table = Table("category", "posts", "share", "top terms", title="Matches per category")
    for c in report["categories"]:
        terms = ", ".join(f"{t} ({k})" for t, k in c["top_terms"][:5])
        table.add_row(c["id"], str(c["posts"]), f"{c['share']:.1%}", escape(terms))
    out.print(table)
    for c in report["categories"]:
        if not c["posts"]:
            continue
        rules = Table("rule", "posts", title=f"{c['id']}: rules", title_justify="left")
        for rid, k in c["rules"].items():
            if k:
                rules.add_row(rid, str(k))
        out.print(rules)
        for ex in c["examples"]:
            out.print(f"  row {ex['row']} \\[{ex['lang']}]: {escape(ex['text'])}", highlight=False)


@app.command("test")
def run_test(
    file: Annotated[
        Path, typer.Argument(help="CSV, TSV, JSONL or XLSX of posts, with a text column (and optionally `lang`).")
    ],
    taxonomy: TaxonomyOpt = None,
    text_column: Annotated[
        str | None,
        typer.Option("--text-column", help="The column holding the post text (default: found as `ingest` does)."),
    ] = None,
    preset: Annotated[
        str | None, typer.Option(help="Read the file with an [[imports]] preset's columns and format.")
    ] = None,
    fmt: Annotated[
        str | None, typer.Option("--format", help="csv, tsv, jsonl or xlsx (default: from extension).")
    ] = None,
    workspace: Annotated[
        Path | None, typer.Option("--workspace", "-w", envvar="MONITIO_WORKSPACE", help="Workspace (for --preset).")
    ] = None,
    category: Annotated[str | None, typer.Option("--category", help="Show only this category.")] = None,
    examples: Annotated[int, typer.Option("--examples", min=0, help="Example posts per category.")] = 3,
    json_out: JsonOpt = False,
) -> None:
    """Run language detection and the taxonomy on a CSV: matches, share, top terms, examples per category."""
    with user_errors():
        columns: dict[str, str] = {}
        if preset:
            from monitio.sources.presets import get_preset

            chosen = get_preset(workspace or Path.cwd(), preset)
            columns, fmt = chosen.columns, fmt or chosen.format
        report = taxonomy_report(
            read_texts(file, text_column, fmt=fmt, preset_columns=columns), taxonomy, category, examples
        )
    if json_out:
        print_json(report)
    else:
        _show(report)


@app.command("validate")
def validate_cmd(
    file: Annotated[Path, typer.Argument(help="Taxonomy YAML file to check.")], json_out: JsonOpt = False
) -> None:
    """Check a taxonomy file; print its errors, or `ok: N categories, M rules`."""
    from monitio.query import QueryError, compile_many
    from monitio.taxonomy.loader import TaxonomyError, load_taxonomy

    try:
        tax = load_taxonomy(file)
        compile_many({r.id: r.query for r in tax.rules})
    except (TaxonomyError, QueryError) as exc:
        if json_out:
            print_json({"ok": False, "error": str(exc)})
        else:
            out.print(f"[bold red]error:[/] {escape(str(exc))}", highlight=False, soft_wrap=True)
        raise typer.Exit(1) from None
    n_cats, n_rules = len(tax.categories), len(tax.rules)
    if json_out:
        print_json({"ok": True, "version": tax.version, "categories": n_cats, "rules": n_rules})
    else:
        out.print(f"ok: {n_cats} categories, {n_rules} rules", highlight=False)
