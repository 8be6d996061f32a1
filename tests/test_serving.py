"""Serving: `monitio serve --workers N` answers from several processes; cheap per-request work."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st

from monitio.detect.narratives import label_terms, term_document_frequencies
from tests.browser_support import free_port as _free_port

terms = st.dictionaries(
    st.integers(1, 30), st.dictionaries(st.sampled_from(list("abcdefghijklmnop")), st.integers(1, 9), max_size=8)
)


@given(terms, st.integers(1, 30))
def test_label_terms_with_shared_frequencies_equal_the_slow_path(all_terms, nid):
    df = term_document_frequencies(all_terms)
    assert label_terms(all_terms, nid, 5, df=df) == label_terms(all_terms, nid, 5)


def test_serve_with_two_workers_answers_and_counts_posts(tmp_path):
    from monitio.records import Post
    from monitio.store.repo import insert_posts
    from monitio.workspace import init_workspace

    ws = init_workspace(tmp_path / "ws")
    with ws.engine.begin() as conn:
        insert_posts(
            conn,
            [
                Post.create(source="t", source_id=str(i), text=f"post {i}", published_at=datetime.now(UTC))
                for i in range(3)
            ],
        )
    ws.engine.dispose()
    port = _free_port()
    env = {**os.environ, "MONITIO_WORKSPACE": str(tmp_path / "ws")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "monitio.cli.main", "serve", "--port", str(port), "--workers", "2"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        body = None
        for _ in range(300):
            try:
                body = urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/health", timeout=2).read()
                break
            except OSError:
                time.sleep(0.2)
        assert body == b'{"status":"ok","posts":3}', proc.stderr.read1().decode() if body is None else body
        seen = {urllib.request.urlopen(f"http://127.0.0.1:{port}/openapi.json").status for _ in range(6)}
        assert seen == {200}
    finally:
        proc.terminate()
        proc.wait(timeout=30)
