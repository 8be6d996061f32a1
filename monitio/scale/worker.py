"""What runs on a Dask worker: the pure per-batch enrichment, with the pipeline built once per worker.

The pipeline (lexicons, taxonomy, sentiment and risk models) is cached in the worker process under a
key made of the pickled settings and the run's token, so it is loaded once per worker and run, not
once per task; a new run (after a taxonomy edit or `monitio train`) builds it afresh.

>>> from datetime import UTC, datetime
>>> from monitio.records import Doc, Post
>>> from monitio.settings import Settings
>>> blob = pack_settings(Settings())
>>> post = Post.create(source="s", source_id="1", text="Investasi pasti untung", published_at=datetime.now(UTC))
>>> doc = Doc(1, post)
>>> enrich_batch(blob, "doctest", [doc])[0].lang
'id'
"""

from __future__ import annotations

import hashlib
import pickle
import threading

from monitio.pipeline import Pipeline
from monitio.records import Doc

_lock = threading.Lock()
_cache: dict[str, Pipeline] = {}
loads = 0
"""How many times this process built a pipeline (read by tests through `client.run`)."""


def pack_settings(settings) -> bytes:
    """The settings as shipped to workers (the workspace path made absolute)."""
    return pickle.dumps(settings.model_copy(update={"workspace": settings.workspace.expanduser().resolve()}))


def pipeline_for(settings_blob: bytes, token: str) -> Pipeline:
    """The worker's pipeline for these settings and run, built on first use."""
    global loads
    key = hashlib.sha256(settings_blob).hexdigest() + ":" + token
    with _lock:
        pipeline = _cache.get(key)
        if pipeline is None:
            from monitio.pipeline import default_pipeline

            _cache.clear()  # one run at a time per worker: drop the previous run's models
            pipeline = default_pipeline(pickle.loads(settings_blob))  # our own driver's bytes
            _cache[key] = pipeline
            loads += 1
        return pipeline


def enrich_batch(settings_blob: bytes, token: str, docs: list[Doc]) -> list[Doc]:
    """Run every stage over one batch and return the filled-in docs (nothing is written here)."""
    pipeline = pipeline_for(settings_blob, token)
    with _lock:
        return pipeline.run(docs)


def load_count() -> int:
    """`loads` of this worker process."""
    return loads
