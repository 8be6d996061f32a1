"""Use cases: the one core under the CLI, the REST API and the dashboard.

One function per use case, typed in and out, each owning its transaction and raising the
:mod:`monitio.errors` hierarchy. The faces (``monitio.cli``, ``monitio.api``, ``monitio.web``) parse
input, call a function here and render the result; they never import SQLAlchemy or the tables.
"""
