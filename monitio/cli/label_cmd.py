"""`monitio label ...` (analyst labels, active learning) and `monitio train risk` (per-category models).

Typical loop::

    monitio label suggest --category scam_ads --n 20     # which posts to label next
    monitio label add 123 scam_ads yes                    # or: monitio label import labels.csv
    monitio train risk                                    # fit, cross-validate and save the models
    monitio run                                           # new posts get model probabilities too
"""

from __future__ import annotations

import csv
import getpass
import sys
from pathlib import Path
from typing import Annotated

import typer

from monitio.cli.common import JsonOpt, WorkspaceOpt, err, out, print_json, user_errors
from monitio.errors import Invalid

label_app = typer.Typer(
    rich_markup_mode=None,
    help="Label posts as (not) examples of a risk category; suggest what to label next.",
    no_args_is_help=True,
)
train_app = typer.Typer(
    rich_markup_mode=None,
    help="Train models from your labels: risk classifiers per category (`train risk`), sentiment (`train sentiment`).",
    no_args_is_help=True,
)
ActorOpt = Annotated[str | None, typer.Option(help="Who labels (default: the operating-system user).")]
YES, NO = {"yes", "y", "true", "1", "risk"}, {"no", "n", "false", "0", "other"}


def mount(app: typer.Typer) -> None:
    """Register `label` and `train` on the main app."""
    app.add_typer(label_app, name="label")
    app.add_typer(train_app, name="train")


def parse_value(value: str) -> bool:
    """yes/no (also y/n, true/false, 1/0) to a bool.

    >>> parse_value("Yes"), parse_value("0")
    (True, False)
    """
    v = value.strip().lower()
    if v in YES:
        return True
    if v in NO:
        return False
    raise Invalid(f"label value must be yes or no, got {value!r}")


def _actor(actor: str | None) -> str:
    if actor:
        return actor
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "cli"


@label_app.command("add")
def add(
    post_id: Annotated[int, typer.Argument(help="The post's id (as shown by search, suggest and the API).")],
    category: Annotated[str, typer.Argument(help="Risk category id of the taxonomy.")],
    value: Annotated[str, typer.Argument(help="yes or no.")],
    workspace: WorkspaceOpt = None,
    actor: ActorOpt = None,
) -> None:
    """Label one post. Example: monitio label add 123 scam_ads yes"""
    from monitio.services.labels import add_label
    from monitio.workspace import open_workspace

    with user_errors():
        ws = open_workspace(workspace)
        flag = parse_value(value)
        lid = add_label(ws, None, post_id, category, flag, name=_actor(actor))
    out.print(f"label {lid}: post {post_id} {category} = {'yes' if flag else 'no'}", highlight=False)


def _rows(ws, category: str | None, limit: int | None) -> list[dict]:
    from monitio.services.labels import label_table

    return label_table(ws, category=category, limit=limit)


@label_app.command("list")
def list_(
    workspace: WorkspaceOpt = None,
    category: Annotated[str | None, typer.Option(help="Only this category.")] = None,
    limit: Annotated[int, typer.Option(help="Show at most this many.")] = 200,
    as_json: JsonOpt = False,
) -> None:
    """List labels (oldest first) with who labelled and when."""
    from monitio.workspace import open_workspace

    with user_errors():
        items = _rows(open_workspace(workspace), category, limit)
    if as_json:
        print_json(items)
        return
    if not items:
        out.print("No labels yet. Add some with: monitio label add POST_ID CATEGORY yes|no")
    for r in items:
        out.print(
            f"{r['post_id']:>8} {r['category']:<24} {r['value']:<4} {r['actor']} {r['created_at'][:19]}",
            highlight=False,
            markup=False,
            soft_wrap=True,
        )


@label_app.command("export")
def export(
    workspace: WorkspaceOpt = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="CSV file (default: standard output).")] = None,
    category: Annotated[str | None, typer.Option(help="Only this category.")] = None,
) -> None:
    """Write all labels as CSV: post_id, uid, category, value, actor, created_at (re-importable)."""
    from monitio.workspace import open_workspace

    with user_errors():
        items = _rows(open_workspace(workspace), category, None)
    cols = ["post_id", "uid", "category", "value", "actor", "created_at"]
    fh = open(output, "w", encoding="utf-8", newline="") if output else sys.stdout
    try:
        writer = csv.DictWriter(fh, fieldnames=cols, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(items)
    finally:
        if output:
            fh.close()
    if output:
        err.print(f"{len(items)} labels written to {output}", highlight=False)


@label_app.command("import")
def import_(
    file: Annotated[Path, typer.Argument(help="CSV with post_id (or uid), category and value (yes/no) columns.")],
    workspace: WorkspaceOpt = None,
    actor: ActorOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Import labels from a CSV file; a row's `actor` column, when present, wins over --actor."""
    from monitio.services.labels import LabelRow, import_labels
    from monitio.workspace import open_workspace

    with user_errors():
        ws = open_workspace(workspace)
        with open(file, encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            fields = set(reader.fieldnames or [])
            if not {"category", "value"} <= fields or not fields & {"post_id", "uid"}:
                raise Invalid(f"{file.name} needs columns post_id (or uid), category and value; has {sorted(fields)}")
            rows = list(reader)
        parsed, numbers, errors = [], [], []
        for n, row in enumerate(rows, start=2):
            try:
                pid = (row.get("post_id") or "").strip()
                if pid and not pid.isdigit():
                    raise Invalid(f"post_id must be a number, got {pid!r}")
                parsed.append(
                    LabelRow(
                        category=(row.get("category") or "").strip(),
                        value=parse_value(row.get("value") or ""),
                        post_id=int(pid) if pid else None,
                        uid=(row.get("uid") or "").strip() or None,
                        actor=(row.get("actor") or "").strip() or None,
                    )
                )
                numbers.append(n)
            except Invalid as exc:
                errors.append({"row": n, "error": str(exc)})
        added, refused = import_labels(ws, parsed, default_actor=_actor(actor))
        errors = sorted(errors + [{"row": numbers[i], "error": why} for i, why in refused], key=lambda e: e["row"])
    result = {"read": len(rows), "added": added, "errors": errors}
    if as_json:
        print_json(result)
        return
    out.print(f"read {len(rows)}, added {added}, refused {len(errors)}", highlight=False)
    for e in errors[:20]:
        out.print(f"  row {e['row']}: {e['error']}", highlight=False, markup=False, soft_wrap=True)


@label_app.command("suggest")
def suggest(
    category: Annotated[str, typer.Option(help="Risk category to find labelling candidates for.")],
    workspace: WorkspaceOpt = None,
    n: Annotated[int, typer.Option("--n", help="How many posts.")] = 20,
    as_json: JsonOpt = False,
) -> None:
    """Posts worth labelling next: uncertain (probability near 0.5), unlabelled, not near-duplicates."""
    from monitio.training import suggest as pick
    from monitio.workspace import open_workspace

    with user_errors():
        items = pick(open_workspace(workspace), category, n)
    if as_json:
        print_json(items)
        return
    if not items:
        out.print("No unlabelled posts to suggest.")
    for s in items:
        text = " ".join(s["text"].split())
        out.print(
            f"{s['post_id']:>8}  p={s['probability']:.2f} ({s['basis']})  {text[:100]}", highlight=False, markup=False
        )
    if items:
        out.print(
            f"Label with: monitio label add POST_ID {category} yes|no", highlight=False, markup=False, soft_wrap=True
        )


@train_app.command("risk")
def train_risk(
    workspace: WorkspaceOpt = None,
    category: Annotated[str | None, typer.Option(help="Only this category (default: every labelled one).")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Fit a calibrated classifier per category with enough labels; report cross-validated P/R/F1; save it."""
    from monitio.training import train_risk as train
    from monitio.workspace import open_workspace

    with user_errors():
        ws = open_workspace(workspace)
        results = train(ws, category)
    if as_json:
        print_json(results)
        return
    if not results:
        out.print("No labels yet. Add some with: monitio label add POST_ID CATEGORY yes|no")
    for r in results:
        if r["status"] == "skipped":
            out.print(f"{r['category']}: skipped ({r['reason']})", highlight=False, markup=False, soft_wrap=True)
            continue
        m = r["metrics"]
        out.print(
            f"{r['category']}: trained on {r['yes']} yes / {r['no']} no; {m['folds']}-fold CV precision "
            f"{m['precision']:.3f} recall {m['recall']:.3f} F1 {m['f1']:.3f} macro-F1 {m['macro_f1']:.3f} "
            f"-> {r['path']}",
            highlight=False,
            markup=False,
            soft_wrap=True,
        )
