"""The bureau's web app at ``/``: the files Vite built into ``web/dist``, with the app's own page for any
client route (``/enterprises/12`` is a route of the app, not a file), or a page saying how to build it."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import HTMLResponse
from starlette.exceptions import HTTPException
from starlette.responses import FileResponse, Response
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

# Paths the server answers itself: a miss under them is the API's 404, never the app's page.
SERVER_PREFIXES = ("api/", "static/", "docs", "redoc", "openapi.json", "healthz", "readyz", "metrics")

NOT_BUILT = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>Seedbed</title></head>
<body style="font-family: sans-serif; max-width: 40rem; margin: 3rem auto; line-height: 1.6">
<h1>Seedbed</h1>
<p>网页端尚未构建。The web app has not been built on this server.</p>
<p>Install Node.js 20 or newer with npm, then run <code>make run</code> (it builds the app), or build it
yourself: <code>cd web &amp;&amp; npm ci &amp;&amp; npm run build</code>, and restart the server.</p>
<p>The API is running: <a href="/docs">/docs</a> · <a href="/api/v1/auth/me">/api/v1</a></p>
</body></html>
"""


class SinglePageApp(StaticFiles):
    """Static files, falling back to ``index.html`` for paths that look like client routes."""

    async def get_response(self, path: str, scope: Scope) -> Response:
        try:
            response = await super().get_response(path, scope)
        except HTTPException as exc:
            if exc.status_code != 404 or not _is_client_route(path):
                raise
            response = FileResponse(Path(str(self.directory)) / "index.html")
        # Vite names built assets by their content, so they never change under their name.
        if path.startswith("assets/"):
            response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
        else:
            response.headers["Cache-Control"] = "no-cache"
        return response


def _is_client_route(path: str) -> bool:
    path = path.lstrip("/")
    if path.startswith(SERVER_PREFIXES):
        return False
    return "." not in path.rsplit("/", 1)[-1]


def mount_web_app(app: FastAPI, dist: Path) -> None:
    """Serve the built app at ``/``; mounted last, so every API route is matched first."""
    if (dist / "index.html").is_file():
        app.mount("/", SinglePageApp(directory=dist, html=True), name="web")
        return

    @app.get("/", include_in_schema=False)
    def web_app_not_built() -> HTMLResponse:
        return HTMLResponse(NOT_BUILT)
