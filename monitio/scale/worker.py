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
from dataclasses import fields

from monitio.pipeline import Pipeline
from monitio.records import CategoryHit, Doc, Post

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
            for stage in pipeline.stages:
                if stage.name == "dupes":
                    stage.signatures = True  # the writer then only looks them up
            _cache[key] = pipeline
            loads += 1
        return pipeline


def enrich_batch(settings_blob: bytes, token: str, docs: list[Doc]) -> list[Doc]:
    """Run every stage over one batch and return the filled-in docs (nothing is written here)."""
    pipeline = pipeline_for(settings_blob, token)
    with _lock:
        return pipeline.run(docs)


RESULT_FIELDS = tuple(f.name for f in fields(Doc) if f.name not in ("post_id", "post"))
"""The `Doc` fields the stages fill in: what a worker sends back (the driver has the posts already)."""
_CATEGORIES = RESULT_FIELDS.index("categories")
_HIT_FIELDS = tuple(f.name for f in fields(CategoryHit))


def pack_results(docs: list[Doc]) -> list[tuple]:
    """Per doc, its post id and the `RESULT_FIELDS` values as plain tuples (category hits too).

    Pickling plain tuples costs a twentieth of pickling the docs (slotted dataclasses, their posts,
    their hits), on the worker and on the driver, and the posts do not travel back.
    """
    out = []
    for d in docs:
        values = [getattr(d, name) for name in RESULT_FIELDS]
        values[_CATEGORIES] = [(key, *(getattr(h, n) for n in _HIT_FIELDS)) for key, h in d.categories.items()]
        out.append((d.post_id, *values))
    return out


def unpack_results(docs: list[Doc], packed: list[tuple]) -> list[Doc]:
    """Fill the driver's own docs (the batch it submitted, same order) with a worker's `pack_results`.

    >>> from datetime import UTC, datetime
    >>> from monitio.records import Post
    >>> post = Post.create(source="s", source_id="1", text="Investasi pasti untung", published_at=datetime.now(UTC))
    >>> from monitio.settings import Settings
    >>> done = enrich_batch(pack_settings(Settings()), "doctest", [Doc(1, post)])
    >>> back = unpack_results([Doc(1, post)], pack_results(done))[0]
    >>> (back.lang, back.categories == done[0].categories, back.dup_sig == done[0].dup_sig)
    ('id', True, True)
    """
    if len(docs) != len(packed):
        raise ValueError(f"a worker sent {len(packed)} results for a batch of {len(docs)} posts")
    for d, (post_id, *values) in zip(docs, packed, strict=True):
        if d.post_id != post_id:
            raise ValueError(f"a worker's result for post {post_id} came in the place of post {d.post_id}")
        values[_CATEGORIES] = {key: CategoryHit(*hit) for key, *hit in values[_CATEGORIES]}
        for name, value in zip(RESULT_FIELDS, values, strict=True):
            setattr(d, name, value)
    return docs


_POST_FIELDS = tuple(f.name for f in fields(Post))


def pack_docs(docs: list[Doc]) -> bytes:
    """A batch as shipped to a worker: one pickled list of (post id, post field values) tuples.

    One bytes argument, so Dask does not walk every post of the batch looking for nested tasks
    (which cost the driver more than the pickling), and tuples pickle faster than the objects.
    """
    return pickle.dumps([(d.post_id, *(getattr(d.post, n) for n in _POST_FIELDS)) for d in docs], protocol=5)


def unpack_docs(packed: bytes) -> list[Doc]:
    """The batch of `pack_docs`, as fresh docs.

    >>> from datetime import UTC, datetime
    >>> post = Post.create(source="s", source_id="1", text="hi", published_at=datetime(2026, 1, 1, tzinfo=UTC))
    >>> unpack_docs(pack_docs([Doc(7, post)])) == [Doc(7, post)]
    True
    """
    return [Doc(pid, Post(**dict(zip(_POST_FIELDS, values, strict=True)))) for pid, *values in pickle.loads(packed)]


def enrich_packed(settings_blob: bytes, token: str, packed: bytes) -> list[tuple]:
    """`enrich_batch` of a `pack_docs` batch, the results as `pack_results` (see `unpack_results`)."""
    return pack_results(enrich_batch(settings_blob, token, unpack_docs(packed)))


def load_count() -> int:
    """`loads` of this worker process."""
    return loads
