"""Concurrent analysts against a real `monitio serve`: p50/p95 per endpoint, errors, requests/s.

    .venv/bin/python benchmarks/api_load.py --workspace COPY-OF-A-WORKSPACE [--clients 20] [--duration 60]
        [--workers 1,2] [--search/--no-search] [--think 0]

It writes (a user, a token, ~9 % case writes): point it at a copy, never at a shared workspace. Every
serving model in `--workers` runs in turn (the first is the baseline, the others print their ratio
against it, measured in the same process), each as a `monitio serve` subprocess on 127.0.0.1 with
bounded clients and duration. The server's CPU time per request (all its processes, from /proc) is
printed too: unlike latency it does not depend on how busy the rest of the machine is; so are the
clients' own CPU per request (they share the machine's cores with the server) and the load average. Clients are
threads with their own keep-alive connection, each looping over a fixed, seeded mix of reads
(signals, a signal, narratives, posts with filters, series, rollups, cases, taxonomy, health,
optionally search) and writes (new case, case update, comment); with `--think S` each pauses a
random time of mean S seconds between requests (an analyst reading the page), by default none.
"""

from __future__ import annotations

import argparse
import os
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import httpx

READS = [
    ("signals", "GET", "/api/v1/signals?limit=20", 10),
    ("signal", "GET", "/api/v1/signals/{signal}", 8),
    ("narratives", "GET", "/api/v1/narratives?limit=20", 8),
    ("posts", "GET", "/api/v1/posts?limit=50", 10),
    ("posts_market", "GET", "/api/v1/posts?limit=50&market={market}", 10),
    ("series", "GET", "/api/v1/series?category=scam_ads&market={market}", 10),
    ("rollups", "GET", "/api/v1/rollups", 8),
    ("cases", "GET", "/api/v1/cases", 8),
    ("taxonomy", "GET", "/api/v1/taxonomy", 5),
    ("health", "GET", "/api/v1/health", 5),
]
SEARCH = [("search", "GET", "/api/v1/posts?q={word}&limit=50", 9)]
WRITES = [
    ("case_create", "POST", "/api/v1/cases", 3),
    ("case_update", "PATCH", "/api/v1/cases/{case}", 3),
    ("comment", "POST", "/api/v1/cases/{case}/comments", 3),
]
MARKETS = ["ID", "MY", "TH", "VN", "PH", "IN", "PK", "JP", "KR"]
WORDS = ["refund", "scam", "iklan", "deepfake", "gift"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare(workspace: Path) -> tuple[str, list[int]]:
    """An analyst's token and the open signal ids (written into the workspace copy)."""
    from monitio.auth.users import add_user, create_token, get_user
    from monitio.detect.store import list_open_signals
    from monitio.workspace import open_workspace

    ws = open_workspace(workspace)
    with ws.engine.begin() as conn:
        user = get_user(conn, email="load@example.org") or add_user(
            conn, "load@example.org", "analyst", "load test password", team="Policy", actor="bench"
        )
        token, _ = create_token(conn, user, "load", days=1, actor="bench")
    ids = [s["id"] for s in list_open_signals(ws.engine, limit=500)]
    ws.engine.dispose()
    return token, ids


def serve(workspace: Path, workers: int) -> tuple[subprocess.Popen, str]:
    port = free_port()
    cmd = [sys.executable, "-m", "monitio.cli.main", "serve", "--port", str(port), "--insecure-cookies"]
    if workers > 1:
        cmd += ["--workers", str(workers)]
    proc = subprocess.Popen(
        cmd, env={**os.environ, "MONITIO_WORKSPACE": str(workspace)}, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            if httpx.get(base + "/api/v1/health", timeout=5).status_code == 200:
                return proc, base
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("monitio serve did not start: " + proc.stderr.read().decode()[-2000:])


def run(
    base: str, token: str, signals: list[int], clients: int, duration: float, search: bool, seed: int, think: float
) -> dict:
    mix = READS + (SEARCH if search else []) + WRITES
    names = [m for m in mix for _ in range(m[3])]
    latencies: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, int] = defaultdict(int)
    cases: list[int] = []
    lock = threading.Lock()
    stop = time.monotonic() + duration

    def client(i: int) -> None:
        rng = random.Random(seed * 1000 + i)
        headers = {"Authorization": f"Bearer {token}"}
        with httpx.Client(base_url=base, headers=headers, timeout=60) as http:
            while time.monotonic() < stop:
                name, method, path, _ = rng.choice(names)
                if "{case}" in path and not cases:
                    name, method, path = "case_create", "POST", "/api/v1/cases"
                url = path.format(
                    signal=rng.choice(signals) if signals else 1,
                    market=rng.choice(MARKETS),
                    word=rng.choice(WORDS),
                    case=rng.choice(cases) if cases else 1,
                )
                body = None
                if name == "case_create":
                    body = {"title": f"load test case {i}", "severity": rng.randint(3, 9), "owner_team": "Policy"}
                elif name == "case_update":
                    body = {"severity": rng.randint(3, 9)}
                elif name == "comment":
                    body = {"body": f"comment from client {i}"}
                started = time.perf_counter()
                try:
                    r = http.request(method, url, json=body)
                    ok = r.status_code < 400
                except httpx.HTTPError:
                    r, ok = None, False
                took = time.perf_counter() - started
                with lock:
                    latencies[name].append(took)
                    if not ok:
                        errors[name] += 1
                    elif name == "case_create":
                        cases.append(r.json()["id"])
                if think:
                    time.sleep(max(0.0, min(rng.expovariate(1 / think), stop - time.monotonic(), 10 * think)))

    started = time.monotonic()
    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - started
    total = sum(len(v) for v in latencies.values())
    return {"latencies": latencies, "errors": dict(errors), "requests": total, "rps": total / elapsed}


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process and all its descendants (Linux /proc), in seconds."""
    tick = os.sysconf("SC_CLK_TCK")
    children: dict[int, list[int]] = defaultdict(list)
    times: dict[int, float] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children[int(fields[1])].append(int(entry.name))
        times[int(entry.name)] = (int(fields[11]) + int(fields[12])) / tick
    total, todo = 0.0, [pid]
    while todo:
        p = todo.pop()
        total += times.get(p, 0.0)
        todo += children.get(p, [])
    return total


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def report(label: str, result: dict, baseline: dict | None) -> None:
    lat = result["latencies"]
    reads = [x for k, v in lat.items() if k not in {w[0] for w in WRITES} for x in v]
    writes = [x for k, v in lat.items() if k in {w[0] for w in WRITES} for x in v]
    errors = sum(result["errors"].values())
    print(f"\n== {label}: {result['requests']} requests, {result['rps']:.1f} req/s, errors {errors}")
    head = f"{'endpoint':14s} {'n':>6s} {'p50 ms':>9s} {'p95 ms':>9s} {'errors':>7s}"
    print(head + ("  p95 vs base" if baseline else ""))
    for name in sorted(lat, key=lambda k: -statistics.median(lat[k])):
        p95 = pct(lat[name], 0.95)
        n, p50, errs = len(lat[name]), pct(lat[name], 0.5), result["errors"].get(name, 0)
        line = f"{name:14s} {n:6d} {p50:9.1f} {p95:9.1f} {errs:7d}"
        if baseline and name in baseline["latencies"]:
            line += f"  {p95 / pct(baseline['latencies'][name], 0.95):10.2f}x"
        print(line)
    for label2, group in (("all reads", reads), ("all writes", writes)):
        if group:
            print(f"{label2:14s} {len(group):6d} {pct(group, 0.5):9.1f} {pct(group, 0.95):9.1f}")
    cpu = result["cpu_ms"]
    print(f"server CPU per request: {cpu:.1f} ms (so about {1000 / cpu:.0f} req/s per free core)")
    # the clients run on the same machine: their CPU is taken from the cores the server could use
    print(f"client CPU per request: {result['client_cpu_ms']:.1f} ms (this benchmark's own threads)")
    print("load average after the run: " + " ".join(f"{x:.2f}" for x in result["load"]))
    if baseline:
        print(f"req/s vs baseline: {result['rps'] / baseline['rps']:.2f}x")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--workspace", type=Path, required=True, help="a COPY of a workspace (the run writes to it)")
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--duration", type=float, default=60.0, help="seconds per serving model (max 300)")
    ap.add_argument("--workers", default="1", help="comma-separated uvicorn worker counts to compare, e.g. 1,2")
    ap.add_argument("--search", action=argparse.BooleanOptionalAction, default=True, help="include ?q= searches")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument(
        "--think", type=float, default=0.0, help="mean seconds an analyst reads before the next request (0: none)"
    )
    args = ap.parse_args()
    token, signals = prepare(args.workspace)
    baseline = None
    for workers in [int(w) for w in args.workers.split(",")]:
        proc, base = serve(args.workspace, workers)
        try:
            cpu_before, client_before = cpu_seconds(proc.pid), time.process_time()
            result = run(
                base, token, signals, min(args.clients, 64), min(args.duration, 300), args.search, args.seed, args.think
            )
            served = max(1, result["requests"])
            result["cpu_ms"] = (cpu_seconds(proc.pid) - cpu_before) * 1000 / served
            result["client_cpu_ms"] = (time.process_time() - client_before) * 1000 / served
            result["load"] = os.getloadavg()
        finally:
            proc.terminate()
            proc.wait(timeout=30)
        thinking = f", think {args.think:g} s" if args.think else ""
        report(f"{workers} worker(s), {args.clients} clients{thinking}, {args.duration:.0f} s", result, baseline)
        baseline = baseline or result


if __name__ == "__main__":
    main()
