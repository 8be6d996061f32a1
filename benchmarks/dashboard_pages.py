"""Server time per dashboard page over HTTP against a real `monitio serve`, p50 and p95 per page.

    python benchmarks/dashboard_pages.py --workspace /path/to/copy-of-ws300k --rounds 20

The workspace gets a benchmark admin user (use a copy of a demo workspace, e.g. one made with
`monitio demo --posts 300000 --days 60`). One client asks for each page `--rounds` times in turn
(round-robin, so caches see the same mix as a person clicking around), on loopback; the first
round (a fresh server process: cold caches, the first view after new data) is reported apart as
"cold". The baseline, measured in the same run, is a static file
(`/static/app.css`): the cost of a request that does no work. Prints one row per page and the ratio of
its p95 to the baseline's.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import re
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

PASSWORD = "benchmark password 2026"
EMAIL = "bench-admin@example.org"


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _ensure_user(ws_path: Path) -> None:
    from monitio.auth.users import add_user, get_user
    from monitio.workspace import open_workspace

    ws = open_workspace(ws_path)
    with ws.engine.begin() as conn:
        if get_user(conn, email=EMAIL) is None:
            add_user(conn, EMAIL, "admin", PASSWORD, team="Ads Integrity", actor="benchmark")
    ws.engine.dispose()


def _first_ids(ws_path: Path) -> dict[str, int]:
    from sqlalchemy import func, select

    from monitio.store.schema import signals
    from monitio.store.schema_collab import cases
    from monitio.store.schema_intel import narratives
    from monitio.workspace import open_workspace

    ws = open_workspace(ws_path)
    with ws.engine.connect() as conn:
        found = {
            "signal": conn.execute(select(func.min(signals.c.id))).scalar(),
            "narrative": conn.execute(
                select(narratives.c.id).where(narratives.c.merged_into.is_(None)).order_by(narratives.c.size.desc())
            ).scalar(),
            "case": conn.execute(select(func.min(cases.c.id))).scalar(),
        }
    ws.engine.dispose()
    return {k: v for k, v in found.items() if v is not None}


def pages(ids: dict[str, int]) -> list[str]:
    out = [
        "/",
        "/?range=24h",
        "/?range=30d",
        "/?range=7d&market=ID&market=PH&lang=id",
        "/signals",
        "/signals?range=all&status=all&sort=size",
        "/narratives",
        "/narratives?sort=size&market=ID",
        "/narratives?page=2",
        "/search?q=refund",
        "/search?range=7d&market=TH&category=scam_ads",
        "/cases",
        "/settings",
        "/briefs",
    ]
    if "signal" in ids:
        out.append(f"/signals/{ids['signal']}")
    if "narrative" in ids:
        out.append(f"/narratives/{ids['narrative']}")
    if "case" in ids:
        out.append(f"/cases/{ids['case']}")
    return out


def _login(opener, base: str) -> None:
    html = opener.open(base + "/login", timeout=30).read().decode()
    token = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
    data = urllib.parse.urlencode({"email": EMAIL, "password": PASSWORD, "csrf_token": token}).encode()
    opener.open(base + "/login", data=data, timeout=30).read()


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--workspace", required=True, type=Path)
    ap.add_argument("--rounds", type=int, default=20)
    args = ap.parse_args()
    _ensure_user(args.workspace)
    ids = _first_ids(args.workspace)
    port = _port()
    base = f"http://127.0.0.1:{port}"
    serve = ["serve", "--insecure-cookies", "--no-scheduler", "--port", str(port)]
    proc = subprocess.Popen(
        [sys.executable, "-m", "monitio.cli.main", *serve],
        env={**os.environ, "MONITIO_WORKSPACE": str(args.workspace)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(base + "/api/v1/health", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        _login(opener, base)
        paths = ["/static/app.css", *pages(ids)]
        times: dict[str, list[float]] = {p: [] for p in paths}
        cold: dict[str, float] = {}
        for round_no in range(args.rounds + 1):
            for path in paths:
                t0 = time.perf_counter()
                with opener.open(base + path, timeout=120) as res:
                    res.read()
                    assert res.status == 200, (path, res.status)
                if round_no:  # the first round warms caches and is reported apart ("cold")
                    times[path].append(time.perf_counter() - t0)
                else:
                    cold[path] = time.perf_counter() - t0
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    baseline = _pct(times["/static/app.css"], 0.95)
    print(f"{'page':52} {'cold ms':>8} {'p50 ms':>8} {'p95 ms':>8} {'p95/base':>9}")
    for path in paths:
        p50, p95 = statistics.median(times[path]) * 1000, _pct(times[path], 0.95) * 1000
        print(f"{path:52} {cold[path] * 1000:8.0f} {p50:8.0f} {p95:8.0f} {p95 / 1000 / baseline:8.0f}x")
    worst = max(_pct(times[p], 0.95) for p in paths[1:]) * 1000
    print(f"slowest page p95: {worst:.0f} ms over {args.rounds} rounds; load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
