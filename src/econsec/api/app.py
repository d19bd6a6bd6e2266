"""The FastAPI application: routers under ``/api``, the dashboard at ``/``, one store.

The store is opened when the app starts (lifespan) and closed when it stops (queued writes
refused, the running one finished); see :mod:`econsec.api.db` for how requests share it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import resources

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles

from econsec import __version__
from econsec.api.db import Database, WriterBusy
from econsec.api.responses import error, install_handlers
from econsec.api.routes import catalog, ews, indicators, io, lng, report, scenarios
from econsec.settings import Config

STATIC = resources.files("econsec.api").joinpath("static")


def create_app(config: Config, *, read_only: bool = False) -> FastAPI:
    """The REST API and dashboard over the store at ``config.db``.

    ``read_only=True`` opens the store read-only (other processes may read it meanwhile; the
    early-warning write endpoints answer 409).
    """

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.db = Database(config.db, read_only=read_only)
        try:
            yield
        finally:
            app.state.db.close()

    app = FastAPI(title="econsec", version=__version__, lifespan=lifespan,
                  description="Economic-security analytics on real trade data. Every answer is "
                              "`{provenance, rows, tables}`; errors are `{error}`.",
                  docs_url="/api/docs", redoc_url=None, openapi_url="/api/openapi.json")
    app.state.config = config
    install_handlers(app)

    @app.exception_handler(WriterBusy)
    async def _busy(request: Request, e: WriterBusy) -> Response:
        r = error(503, str(e))
        r.headers["Retry-After"] = str(e.retry_after)
        return r

    for module in (catalog, indicators, scenarios, io, ews, lng, report):
        app.include_router(module.router, prefix="/api")
    app.mount("/static", StaticFiles(directory=str(STATIC)), name="static")

    @app.get("/", include_in_schema=False)
    def dashboard() -> HTMLResponse:
        return HTMLResponse(STATIC.joinpath("index.html").read_text(encoding="utf-8"))

    return app
