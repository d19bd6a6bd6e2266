"""`econsec serve`: the REST API and web dashboard (uvicorn, one process)."""

from __future__ import annotations

from typing import Annotated

import typer

from econsec.cli.render import err, fail
from econsec.errors import EconsecError

#: Seconds requests in flight get to finish after SIGTERM before they are cancelled.
GRACE = 3


def register(app: typer.Typer) -> None:
    @app.command()
    def serve(ctx: typer.Context,
              host: Annotated[str, typer.Option("--host", help="Interface to listen on.")] = "127.0.0.1",
              port: Annotated[int, typer.Option("--port", help="TCP port.")] = 8000,
              read_only: Annotated[bool, typer.Option("--read-only", help="Open the store read-only: other processes may read it meanwhile; early-warning writes answer 409.")] = False) -> None:
        """Serve the REST API (/api, docs at /api/docs) and the dashboard (/) over the store."""
        import uvicorn

        from econsec.api import create_app
        from econsec.api.db import Database

        config = ctx.obj.config
        try:   # fail here, with one line, rather than inside the server's startup
            Database(config.db, read_only=read_only).close()
        except EconsecError as e:
            raise fail(e) from e
        err.print(f"econsec: serving {config.db} on http://{host}:{port}/ (API docs at /api/docs)",
                  highlight=False)
        # On SIGTERM/Ctrl-C: stop accepting, give requests in flight GRACE s, then cancel the
        # rest (queued writes are dropped, the running one finishes) and close the store.
        uvicorn.run(create_app(config, read_only=read_only), host=host, port=port, log_level="info",
                    timeout_graceful_shutdown=GRACE)
