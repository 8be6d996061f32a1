"""`monitio respond SIGNAL_ID`: a response pack (holding statement, internal note, enforcement list)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from monitio.cli.common import JsonOpt, WorkspaceOpt, out, print_json, user_errors


def respond(
    signal_id: Annotated[int, typer.Argument(help="The signal's id (see `monitio signals`).")],
    workspace: WorkspaceOpt = None,
    lang: Annotated[
        str, typer.Option(help="Holding statement language: en, id, ms, th, vi, tl, zh, ko, ja, hi.")
    ] = "en",
    out_dir: Annotated[
        Path | None, typer.Option("--out", help="Folder for the files (default WORKSPACE/responses).")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Draft a data-backed response to a signal, built only from stored data.

    Writes a holding statement for Comms, an internal note for Policy/Product (what, where, since
    when, how big and fast, with the query behind each figure, the playbook, open questions) and an
    enforcement list (phones, handles, links, domains, wallets, impersonated names, accounts) as CSV
    and XLSX. Each run keeps a new version, attached to the signal's case when it has one.

    Example: monitio respond 12 --lang id
    """
    from monitio.services.responses import draft_response
    from monitio.workspace import open_workspace

    with user_errors():
        rec = draft_response(open_workspace(workspace), signal_id, lang=lang, out_dir=out_dir)
    if as_json:
        print_json(
            {
                "statement": rec.statement,
                "internal_note": rec.internal_note,
                "enforcement": [{"kind": e["kind"], "value": e["value"], "posts": e["posts"]} for e in rec.enforcement],
                "files": rec.files,
                "version": rec.version,
                "case_id": rec.case_id,
            }
        )
        return
    out.print(f"Holding statement ({rec.lang})", style="bold", highlight=False, markup=False)
    out.print(rec.statement + "\n", highlight=False, markup=False)
    out.print("Internal note", style="bold", highlight=False, markup=False)
    out.print(rec.internal_note, highlight=False, markup=False)
    out.print(f"\nEnforcement list: {len(rec.enforcement)} values (version {rec.version})", highlight=False)
    for fmt, path in rec.files.items():
        out.print(f"{fmt:>8}: {path}", highlight=False)
