"""Use cases: the one core under the CLI, the API and the dashboard."""
