"""`monitio search QUERY`: Boolean search over the workspace's stored posts.

Field filters at the top level of the query (lang, market, source, author, date) narrow the SQL
select; the whole query is then evaluated in Python on the remaining rows, in batches, newest first.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

import typer
from sqlalchemy import Engine, func, select

from monitio.cli.common import JsonOpt, WorkspaceOpt, err, out, print_json, user_errors
from monitio.query import (
    And,
    Budget,
    BudgetExceeded,
    CompiledQuery,
    Field,
    Node,
    QueryError,
    compile_query,
    parse_field,
)
from monitio.records import Doc
from monitio.store.schema import posts

BATCH = 500
COLUMNS = (
    "id",
    "source",
    "source_id",
    "published_at",
    "market",
    "lang",
    "sentiment",
    "risk_score",
    "categories",
    "indicators",
    "text",
    "url",
    "matched",
)


def sql_filters(node: Node) -> list[Any]:
    """SQLAlchemy conditions implied by the query's top-level field filters (a superset of matches)."""
    conjuncts = node.children if isinstance(node, And) else (node,)
    fields = [c for c in conjuncts if isinstance(c, Field)]
    conds: list[Any] = []
    for f in fields:
        spec = parse_field(f.name, f.value)
        if f.name == "lang":
            conds.append(func.lower(func.coalesce(posts.c.lang, posts.c.lang_hint)).in_(spec.values))
        elif f.name == "market":
            conds.append(func.upper(func.coalesce(posts.c.market, posts.c.market_hint)).in_(spec.values))
        elif f.name in ("source", "author") and not any(v.endswith("*") for v in spec.values):
            col = posts.c.source if f.name == "source" else posts.c.author
            values = list(spec.values) + (["@" + v for v in spec.values] if f.name == "author" else [])
            conds.append(func.lower(col).in_(values))
        elif f.name == "date":
            if spec.low is not None:
                conds.append(posts.c.published_at >= spec.low)
            if spec.high is not None:
                conds.append(posts.c.published_at < spec.high)
    return conds


def search_posts(
    engine: Engine, query: CompiledQuery, limit: int | None, budget: Budget | None = None
) -> Iterator[tuple[Doc, list[str]]]:
    """Matching posts, newest first, with the terms that matched. `budget`: the work and time the
    search may spend (it raises `BudgetExceeded` when spent); None: unbounded."""
    from monitio.store.repo import doc_from_row

    stmt = select(posts).where(*sql_filters(query.node)).order_by(posts.c.published_at.desc(), posts.c.id.desc())
    found = 0
    with engine.connect() as conn:
        result = conn.execution_options(stream_results=True, yield_per=BATCH).execute(stmt)
        for rows in result.partitions(BATCH):
            for row in rows:
                doc = doc_from_row(row)
                if query.matches(doc, budget=budget):
                    yield doc, query.explain(doc, budget=budget)
                    found += 1
                    if limit is not None and found >= limit:
                        return


def post_record(doc: Doc, matched: list[str]) -> dict[str, Any]:
    p = doc.post
    return {
        "id": doc.post_id,
        "source": p.source,
        "source_id": p.source_id,
        "published_at": p.published_at.isoformat(),
        "market": doc.market or p.market_hint,
        "lang": doc.lang or p.lang_hint,
        "sentiment": doc.sentiment,
        "risk_score": doc.risk_score,
        "categories": sorted(doc.categories),
        "indicators": doc.indicators,
        "text": p.text,
        "url": p.url,
        "matched": matched,
    }


def write_csv(path: Path, records: list[dict[str, Any]]) -> None:
    """Results as CSV (UTF-8 with BOM for Excel); cells that look like formulas are neutralised."""
    from monitio.reports.safe import safe_cell

    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(COLUMNS)
        for rec in records:
            row = [rec[c] for c in COLUMNS]
            row[COLUMNS.index("categories")] = ", ".join(rec["categories"])
            row[COLUMNS.index("indicators")] = "; ".join(
                f"{kind}: {', '.join(values)}" for kind, values in rec["indicators"].items()
            )
            row[-1] = "; ".join(rec["matched"])
            writer.writerow([safe_cell("" if v is None else v) for v in row])


def _print_table(records: list[dict[str, Any]], query: str) -> None:
    from rich.table import Table

    from monitio.reports.safe import one_line

    table = Table(title=f"{len(records)} posts matching {query}", title_justify="left")
    for name in ("id", "published", "source", "market", "lang", "sent.", "text", "matched"):
        table.add_column(name, overflow="fold")
    for r in records:
        table.add_row(
            str(r["id"]),
            r["published_at"][:16].replace("T", " "),
            r["source"],
            r["market"] or "",
            r["lang"] or "",
            f"{r['sentiment']:+.2f}",
            one_line(r["text"], 140),
            ", ".join(r["matched"]),
        )
    out.print(table, highlight=False, markup=False)


def search(
    query: Annotated[str, typer.Argument(help="Boolean query, e.g. '(scam* OR \"fake refund\") lang:id -giveaway'.")],
    workspace: WorkspaceOpt = None,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, help="Show at most this many posts.")] = 50,
    as_json: JsonOpt = False,
    export: Annotated[
        Path | None, typer.Option("--export", help="Also write the results to this CSV file.", dir_okay=False)
    ] = None,
) -> None:
    """Search stored posts with the Boolean query language (AND OR NOT, "phrases", NEAR/n, fields)."""
    try:
        compiled = compile_query(query)
    except QueryError as exc:
        err.print(f"error: bad query: {exc}", highlight=False, markup=False, soft_wrap=True)
        raise typer.Exit(2) from None
    from monitio.workspace import open_workspace

    with user_errors():
        ws = open_workspace(workspace)
        budget = Budget(ws.settings.search_timeout_seconds)
        try:
            records = [post_record(doc, terms) for doc, terms in search_posts(ws.engine, compiled, limit, budget)]
        except BudgetExceeded as exc:
            err.print(f"error: {exc.one_line()}", highlight=False, markup=False, soft_wrap=True)
            raise typer.Exit(2) from None
        if export is not None:
            write_csv(export, records)
    if as_json:
        print_json(records)
    else:
        _print_table(records, compiled.text)
        if export is not None:
            err.print(f"wrote {len(records)} rows to {export}", highlight=False, markup=False)
