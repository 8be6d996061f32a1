"""How fast the `monitio` command starts: `--help`, `--version`, `signals --help` and `stats --json`.

Each command runs in a fresh interpreter (as a user types it), `--runs` times; the figure is the median
wall time. Beside it, in the same run: the bare interpreter (`python -c pass`, the floor nobody can go
under) and, with `--baseline-path`, the same commands from another checkout (e.g. the main branch
before the lazy loading), so the ratio compares like with like on this noisy machine.

    .venv/bin/python benchmarks/cli_startup.py --runs 15 --baseline-path /work/main
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parents[1]
COMMANDS = {
    "--help": ["--help"],
    "--version": ["--version"],
    "signals --help": ["signals", "--help"],
    "stats --json": ["stats", "--json", "--workspace", "{ws}"],
}


def timed(argv: list[str], pythonpath: Path, runs: int) -> float:
    env = {**os.environ, "PYTHONPATH": str(pythonpath)}
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        # cwd elsewhere: `python -m` puts the current folder first on sys.path, before PYTHONPATH
        subprocess.run(
            argv, env=env, cwd=tempfile.gettempdir(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False
        )
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=11)
    ap.add_argument("--baseline-path", type=Path, help="another checkout to compare with (same venv)")
    args = ap.parse_args()
    ws = Path(tempfile.mkdtemp()) / "ws"
    subprocess.run([sys.executable, "-m", "monitio.cli.main", "init", "--workspace", str(ws)], check=True,
                   env={**os.environ, "PYTHONPATH": str(HERE)}, stdout=subprocess.DEVNULL)  # fmt: skip
    bare = timed([sys.executable, "-c", "pass"], HERE, args.runs)
    print(f"bare interpreter: {bare * 1000:.0f} ms (median of {args.runs})")
    print(
        f"{'command':<16} {'this checkout':>14} {'minus bare':>11}"
        + ("  baseline  ratio" if args.baseline_path else "")
    )
    for name, rest in COMMANDS.items():
        tail = [a.replace("{ws}", str(ws)) for a in rest]
        ours = timed([sys.executable, "-m", "monitio.cli.main", *tail], HERE, args.runs)
        line = f"{name:<16} {ours * 1000:>11.0f} ms {(ours - bare) * 1000:>8.0f} ms"
        if args.baseline_path:
            if name == "--version":
                line += "  (no --version before)"
            else:
                base = timed([sys.executable, "-m", "monitio.cli.main", *tail], args.baseline_path, args.runs)
                line += f"  {base * 1000:>5.0f} ms  {ours / base:.2f}x"
        print(line)


if __name__ == "__main__":
    main()
