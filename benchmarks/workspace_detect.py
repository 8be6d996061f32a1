"""One detection pass on an existing workspace: how long it takes and what it opens.

    .venv/bin/python benchmarks/workspace_detect.py --workspace /path/to/copy [--fresh] [--top 25]

`--fresh` deletes the workspace's signals first (so the pass opens everything it finds): run it on a
*copy* of a workspace, never on one in use. Prints the pass time, the `DetectReport`, the open signals by
kind and by severity (above 3 / at most 3; campaigns with no risk and no sign of coordination are capped
at 3), and the top signals. Used for the 300,000-post demo check in docs/evaluation.md.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import delete, func, select

from monitio.detect.signals import detect_signals
from monitio.store.schema import posts, signals
from monitio.workspace import open_workspace


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--workspace", type=Path, required=True)
    ap.add_argument("--fresh", action="store_true", help="delete the signals first (a copy only)")
    ap.add_argument("--top", type=int, default=25)
    args = ap.parse_args()
    ws = open_workspace(args.workspace)
    with ws.engine.begin() as conn:
        n_posts = conn.execute(select(func.count()).select_from(posts)).scalar_one()
        if args.fresh:
            conn.execute(delete(signals))
    t0 = time.perf_counter()
    report = detect_signals(ws)
    seconds = time.perf_counter() - t0
    with ws.engine.connect() as conn:
        order = (signals.c.severity.desc(), signals.c.score.desc())
        rows = conn.execute(select(signals).where(signals.c.status == "open").order_by(*order)).all()
    print(f"{n_posts} posts; detection pass {seconds:.1f} s; {json.dumps(report.as_json())}")
    print("open by kind:", dict(Counter(r.kind for r in rows)))
    benign = [r for r in rows if r.kind == "campaign" and not (r.details.get("risk") or r.details.get("coordinated"))]
    print(
        f"above severity 3: {sum(r.severity > 3 for r in rows)}, at most 3: {sum(r.severity <= 3 for r in rows)}; "
        f"benign campaigns: {len(benign)}, the highest at severity {max((r.severity for r in benign), default=0)}"
    )
    for r in rows[: args.top]:
        why = r.why[:90].replace("\n", " ")
        print(f"{r.severity:>2} {r.kind:<12} {','.join(r.markets):<14} {','.join(r.categories):<40} {why}")


if __name__ == "__main__":
    main()
