"""How fast the `monitio` command starts: `--help`, `--version`, `signals --help` and `stats --json`.

Each command runs in a fresh interpreter (as a user types it), `--runs` times; the figure is the median
wall time. Beside it, in the same run: the bare interpreter (`python -c pass`, the floor nobody can go
under) and, with `--baseline-path`, the same commands from another checkout (e.g. a copy of the code
before the lazy loading), so the ratio compares like with like on this noisy machine.

    git archive c20f78a monitio | tar -x -C /tmp/monitio-before     # the CLI before this work
    .venv/bin/python benchmarks/cli_startup.py --runs 11 --baseline-path /tmp/monitio-before
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


def imports(argv: list[str], pythonpath: Path) -> tuple[int, float]:
    """How many modules a command imports and their summed import time (one `-X importtime` run)."""
    env = {**os.environ, "PYTHONPATH": str(pythonpath)}
    run = subprocess.run(
        [argv[0], "-X", "importtime", *argv[1:]],
        env=env,
        cwd=tempfile.gettempdir(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        check=False,
    )
    rows = [line.split("|") for line in run.stderr.splitlines() if line.startswith("import time:")]
    selfs = [int(r[0].split(":")[1]) for r in rows if r[0].split(":")[1].strip().isdigit()]
    return len(selfs), sum(selfs) / 1000


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
    head = f"{'command':<16} {'this checkout':>14} {'minus bare':>11} {'modules':>8}"
    print(head + ("  baseline  ratio  modules" if args.baseline_path else ""))
    for name, rest in COMMANDS.items():
        tail = [a.replace("{ws}", str(ws)) for a in rest]
        # as the installed `monitio` script starts each version: entry:main now, main:app before
        argv = [sys.executable, "-c", "from monitio.cli.entry import main; main()", *tail]
        ours = timed(argv, HERE, args.runs)
        line = f"{name:<16} {ours * 1000:>11.0f} ms {(ours - bare) * 1000:>8.0f} ms {imports(argv, HERE)[0]:>8}"
        if args.baseline_path:
            if name == "--version":
                line += "  (no --version before)"
            else:
                old = [sys.executable, "-c", "from monitio.cli.main import app; app()", *tail]
                base = timed(old, args.baseline_path, args.runs)
                line += f"  {base * 1000:>5.0f} ms  {ours / base:.2f}x  {imports(old, args.baseline_path)[0]:>7}"
        print(line)


if __name__ == "__main__":
    main()
