"""The ASGI application of `netrawat serve`."""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from netrawat import __version__
from netrawat.web import api, pages, pages_work, session
from netrawat.web.guard import SecretGuard
from netrawat.web.services import Services
from netrawat.web.settings import WebSettings

HERE = Path(__file__).parent


def create_app(settings: WebSettings, services: Services | None = None) -> FastAPI:
    """The console and the API on ``settings`` (the recap store opens here)."""
    opened = services or Services.open(settings)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        # fold the recap's history into the latest-state cache before the first page asks
        threading.Thread(target=opened.latest.refresh, name="latest-state", daemon=True).start()
        yield
        opened.close()

    app = FastAPI(
        title="netrawat API",
        version=__version__,
        description=(
            "The fleet, its configs (sanitized), runs and requests of netrawat. "
            "Get a token with POST /api/v1/auth/token, then send Authorization: Bearer TOKEN."
        ),
        openapi_url="/api/v1/openapi.json",
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.services = opened
    app.include_router(api.router)
    app.include_router(pages.router)
    app.include_router(pages_work.router)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    session.install_handlers(app)

    @app.exception_handler(StarletteHTTPException)
    async def _problem(request: Request, exc: StarletteHTTPException) -> Response:
        """Every API error has the documented shape {"detail": {"error", "hint"}}."""
        detail: Any = exc.detail
        if request.url.path.startswith("/api/") and not isinstance(detail, dict):
            detail = {"error": str(detail)}
        return JSONResponse({"detail": detail}, exc.status_code, headers=exc.headers)

    app.add_middleware(SecretGuard, secrets=lambda: opened.secrets)
    return app
