"""Root pytest configuration: modules that must not be imported while collecting doctests."""

collect_ignore_glob = ["monitio/store/migrations/*", "benchmarks/*"]
