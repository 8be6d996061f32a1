"""API docs at `/api/docs`: Swagger UI 5 (OpenAPI 3.1) from the files of the installed package
`fastapi-offline` (used for its assets only): no CDN and no inline script, so the page works under the
app's own Content-Security-Policy (`script-src 'self'`).

The page is plain HTML; `docs-init.js` (a file of this package) starts Swagger UI on `/openapi.json`.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import FileResponse, HTMLResponse
from fastapi.staticfiles import StaticFiles

HERE = Path(__file__).parent / "docs_assets"
DOCS_URL = "/api/docs"
ASSETS = "/api/docs/assets"
PAGE = f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Monitio API</title>
<link rel="stylesheet" href="{ASSETS}/swagger-ui.css">
</head>
<body>
<div id="swagger-ui" data-openapi="/openapi.json"></div>
<script src="{ASSETS}/swagger-ui-bundle.js"></script>
<script src="{DOCS_URL}/docs-init.js"></script>
</body>
</html>
"""


def swagger_ui_dir() -> Path | None:
    """The folder holding `swagger-ui-bundle.js` and `swagger-ui.css` (package `fastapi-offline`), or None."""
    try:
        import fastapi_offline
    except ImportError:
        return None
    return Path(fastapi_offline.__file__).parent / "static"


def mount_docs(app: FastAPI) -> bool:
    """Serve the docs page and its assets; False (and no page) when the package is missing."""
    assets = swagger_ui_dir()
    if assets is None:
        return False
    app.mount(ASSETS, StaticFiles(directory=str(assets)), name="api-docs-assets")

    @app.get(DOCS_URL, include_in_schema=False)
    def docs() -> HTMLResponse:
        return HTMLResponse(PAGE)

    @app.get(f"{DOCS_URL}/docs-init.js", include_in_schema=False)
    def docs_init() -> FileResponse:
        return FileResponse(HERE / "docs-init.js", media_type="text/javascript")

    return True
