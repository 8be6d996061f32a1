"""The `--cluster` option shared by `monitio run` and `monitio reenrich`."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Annotated, Any

import typer

ClusterOpt = Annotated[
    str | None,
    typer.Option(
        "--cluster",
        help="Enrich on Dask: local:N (N worker processes here) or tcp://HOST:8786 (a running scheduler); "
        "default: the cluster setting, else this process.",
    ),
]


@contextlib.contextmanager
def cluster_client(spec: str | None) -> Iterator[Any]:
    """A Dask client for `spec`, or None (and no Dask import) when no cluster is asked for."""
    if not spec:
        yield None
        return
    from monitio.scale.cluster import open_cluster

    with open_cluster(spec) as client:
        yield client
