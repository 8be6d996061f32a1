"""Scale-out on Dask: enrichment batches, the detection pass's per-group work and Parquet row groups on
worker processes, results joined and written once by the driver.

Nothing here is imported unless a cluster is asked for (`--cluster` or the `cluster` setting), so a
plain `monitio run` never imports Dask. See docs/scaling.md.
"""
