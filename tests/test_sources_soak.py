"""Soak: a local API keeps producing items and failing 20 % of requests while `monitio run --watch`
is killed with SIGKILL at random moments and restarted. Every item ends up stored exactly once."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import func, select

from monitio.store.schema import posts
from monitio.workspace import init_workspace

SOAK_SECONDS = float(os.environ.get("MONITIO_SOAK_SECONDS", "70"))


class Producer:
    """Item k appears at start + k / rate seconds; /items?cursor=X pages through what exists after X."""

    def __init__(self, rate: float = 25.0, fail_share: float = 0.2, seed: int = 5):
        self.start, self.rate, self.frozen = time.monotonic(), rate, None
        rng = random.Random(seed)
        lock = threading.Lock()
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                with lock:
                    fail = rng.random() < fail_share
                if fail:
                    self.send_response(500)
                    self.end_headers()
                    return
                cursor = parse_qs(urlsplit(self.path).query).get("cursor", [""])[0]
                after = int(cursor) if cursor.isdigit() else 0
                last = owner.produced()
                ids = list(range(after + 1, min(last, after + 50) + 1))
                body = {
                    "items": [
                        {
                            "id": i,
                            "text": f"item {i}: refund never came from shop {i % 7}",
                            "ts": f"2026-11-24T{(i // 3600) % 24:02d}:{(i // 60) % 60:02d}:{i % 60:02d}Z",
                        }
                        for i in ids
                    ],
                    "next": str(ids[-1]) if ids else None,
                }
                data = json.dumps(body).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def produced(self) -> int:
        if self.frozen is not None:
            return self.frozen
        return int((time.monotonic() - self.start) * self.rate)

    def freeze(self) -> int:
        self.frozen = self.produced()
        return self.frozen


@pytest.mark.slow
def test_watcher_killed_at_random_stores_every_item_once(tmp_path):
    producer = Producer()
    ws = init_workspace(tmp_path / "ws")
    toml = ws.path / "monitio.toml"
    toml.write_text(
        toml.read_text()
        + f'''
[[sources]]
name = "soak"
kind = "http_json"
url = "{producer.base}/items?cursor={{cursor}}"
items_path = "items"
next_path = "next"
paging = "cursor"
schedule = "1s"
allow_private = true
fields = {{ id = "id", text = "text", published_at = "ts" }}
'''
    )
    env = {**os.environ, "MONITIO_WORKSPACE": str(ws.path)}
    cmd = [sys.executable, "-m", "monitio.cli.main", "run", "--watch", "--interval", "0.2", "--json"]
    rng = random.Random(11)
    kills = 0
    deadline = time.monotonic() + SOAK_SECONDS
    while time.monotonic() < deadline:
        proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        time.sleep(rng.uniform(1.5, 5.0))
        if proc.poll() is not None:
            pytest.fail("the watcher exited by itself: " + proc.stderr.read().decode()[-1500:])
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        kills += 1
    total = producer.freeze()
    # A last, orderly run drains what is left (the API still fails 20 % of the time: repeat until done).
    for _ in range(30):
        done = subprocess.run(
            [sys.executable, "-m", "monitio.cli.main", "run", "--json"],
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, done.stderr
        with ws.engine.connect() as conn:
            stored = conn.execute(select(func.count()).select_from(posts)).scalar_one()
        if stored >= total:
            break
        time.sleep(1.1)  # the source's schedule is 1 s
    with ws.engine.connect() as conn:
        ids = [int(x) for x in conn.execute(select(posts.c.source_id)).scalars()]
    assert kills >= 5 and total > 200
    assert len(ids) == len(set(ids)) == total
    assert set(ids) == set(range(1, total + 1))


def test_sigterm_finishes_the_batch_and_exits_cleanly(tmp_path):
    ws = init_workspace(tmp_path / "ws")
    env = {**os.environ, "MONITIO_WORKSPACE": str(ws.path)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "monitio.cli.main", "run", "--watch", "--interval", "0.2"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(4)
    proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert "stopped after" in err and "enriched 0 posts" in out
