"""Every CLI command is in docs/cli.md and every API route in docs/api.md."""

import re
from pathlib import Path

import typer

from monitio.cli.main import app

DOCS = Path(__file__).resolve().parents[1] / "docs"


def _commands(group, prefix=()):
    ctx = typer.Context(group)
    for name in group.list_commands(ctx):
        cmd = group.get_command(ctx, name)
        path = (*prefix, name)
        if hasattr(cmd, "list_commands"):
            yield from _commands(cmd, path)
        else:
            yield " ".join(path)


def test_every_cli_command_is_documented():
    text = (DOCS / "cli.md").read_text(encoding="utf-8")
    commands = sorted(_commands(typer.main.get_command(app)))
    assert {"signals", "signal", "cases from-narrative", "detect series", "label add"} <= set(commands)
    missing = [c for c in commands if not re.search(rf"monitio {re.escape(c)}(?![\w-])", text)]
    assert not missing, f"add these commands to docs/cli.md: {missing}"


def _norm(path: str) -> str:
    """Path parameters as `{}`; a documented choice of formats (`.md\\|html\\|xlsx`) is one too."""
    path = re.sub(r"\.\w+(?:\\\|\w+)+$", ".{}", path.split("?")[0])
    return re.sub(r"\{[^}]*\}", "{}", path)


def _documented_routes(text: str) -> set[tuple[str, str]]:
    found = set()
    for span in re.findall(r"`([^`]+)`", text):
        for entry in span.split(", "):
            m = re.fullmatch(
                r"((?:GET|POST|PATCH|PUT|DELETE)(?:/(?:GET|POST|PATCH|PUT|DELETE))*) (/\S+)", entry.strip()
            )
            if m:
                found |= {(method, _norm(m.group(2))) for method in m.group(1).split("/")}
    return found


def test_every_api_route_is_documented(ws):
    from monitio.api.app import API, create_app

    schema = create_app(ws).openapi()["paths"]
    routes = {(m.upper(), _norm(p[len(API) :])) for p, ops in schema.items() if p.startswith(API) for m in ops}
    assert ("POST", "/narratives/{}/case") in routes
    documented = _documented_routes((DOCS / "api.md").read_text(encoding="utf-8"))
    missing = sorted(routes - documented)
    assert not missing, f"add these routes to docs/api.md: {missing}"


def test_the_route_reader_understands_the_table_forms():
    text = (
        "| `GET/POST /cases/{id}/comments`, `PATCH /signals/{id}` | x |\n| `GET /posts?q=&market=` | y |\n"
        "| `GET /briefs/{id}.md\\|html\\|pdf` | z |"
    )
    assert _documented_routes(text) == {
        ("GET", "/cases/{}/comments"),
        ("POST", "/cases/{}/comments"),
        ("PATCH", "/signals/{}"),
        ("GET", "/posts"),
        ("GET", "/briefs/{}.{}"),
    }
