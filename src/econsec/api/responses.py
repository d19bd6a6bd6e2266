"""JSON responses and error mapping shared by every route.

Every answer is ``{"provenance": {...}, "rows": [...], "tables": {...}}``; every error is
``{"error": message}`` with a status chosen by the error's type (:func:`status_of`): 404 when a
named thing (country, year, source, preset, alert, route) does not exist
(:class:`~econsec.errors.NotFoundError`), 422 when a parameter has the wrong type or an
out-of-range value (:class:`~econsec.errors.OptionError`, request validation), 409 when the
state forbids the request (:class:`~econsec.errors.ConflictError`: a read-only server, an alert
move the lifecycle does not allow), 400 for any other error econsec raises on purpose. Anything
else is a bug: it is logged with its traceback and answered 500 with a JSON body.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import pandas as pd
from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from econsec.errors import ConflictError, EconsecError, NotFoundError, OptionError
from econsec.services.serialize import clean, document, records

log = logging.getLogger("econsec.api")


class ApiError(Exception):
    """An error the API answers with ``status`` and ``{"error": message}``."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


class NotFound(ApiError):
    def __init__(self, message: str) -> None:
        super().__init__(404, message)


def _dumps(content: Any) -> bytes:
    return json.dumps(clean(content), default=str, ensure_ascii=False, allow_nan=False).encode()


class EconsecJSON(JSONResponse):
    """JSON with NumPy scalars, NaN, timestamps and other non-JSON values made plain."""

    def render(self, content: Any) -> bytes:
        return _dumps(content)


def respond(result: Any, tables: Mapping[str, pd.DataFrame] | None = None) -> Response:
    """A result object (``frame``, ``tables``, ``provenance()``) as the API's JSON document."""
    return EconsecJSON(document(result, tables))


def frame_response(frame: pd.DataFrame, provenance: Mapping[str, Any],
                   tables: Mapping[str, pd.DataFrame] | None = None) -> Response:
    """A bare DataFrame with a provenance written by the route."""
    return EconsecJSON({"provenance": dict(provenance), "rows": records(frame),
                        "tables": {k: records(v) for k, v in (tables or {}).items()}})


def error(status: int, message: str) -> Response:
    return EconsecJSON({"error": message}, status_code=status)


#: HTTP status of each error type econsec raises on purpose (the first that matches).
STATUS: tuple[tuple[type[EconsecError], int], ...] = (
    (NotFoundError, 404), (OptionError, 422), (ConflictError, 409))


def status_of(e: EconsecError) -> int:
    """The HTTP status of an error econsec raised on purpose (:data:`STATUS`, else 400)."""
    return next((status for kind, status in STATUS if isinstance(e, kind)), 400)


@contextmanager
def translate() -> Iterator[None]:
    """Turn what services raise on purpose (:class:`~econsec.errors.EconsecError`) into
    :class:`ApiError` with the status of its type. Anything else passes through to the 500
    handler: a ``KeyError`` is a bug, not a missing country."""
    try:
        yield
    except ApiError:
        raise
    except EconsecError as e:
        raise ApiError(status_of(e), str(e)) from e


def _where(loc: tuple[Any, ...]) -> str:
    kind = {"query": "query parameter", "path": "path parameter", "body": "body field"}
    if not loc:
        return "request"
    head = kind.get(str(loc[0]), str(loc[0]))
    rest = ".".join(str(x) for x in loc[1:])
    return f"{head} {rest!r}" if rest else head


def install_handlers(app: Any) -> None:
    """Register the error handlers on a FastAPI app."""

    @app.exception_handler(ApiError)
    async def _api_error(request: Request, e: ApiError) -> Response:
        return error(e.status, e.message)

    @app.exception_handler(EconsecError)
    async def _econsec_error(request: Request, e: EconsecError) -> Response:
        return error(status_of(e), str(e))

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, e: RequestValidationError) -> Response:
        parts = []
        for err in e.errors():
            got = err.get("input")
            shown = "" if got is None or isinstance(got, dict) else f", got {str(got)[:60]!r}"
            parts.append(f"{_where(tuple(err.get('loc', ())))}: {err.get('msg', 'invalid')}{shown}")
        return error(422, "; ".join(parts))

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, e: StarletteHTTPException) -> Response:
        if e.status_code == 404:
            return error(404, f"no route {request.method} {request.url.path}")
        return error(e.status_code, str(e.detail))

    @app.exception_handler(Exception)
    async def _bug(request: Request, e: Exception) -> Response:
        log.error("%s %s failed", request.method, request.url.path, exc_info=e)
        return error(500, f"internal error: {type(e).__name__}; see the server log")
