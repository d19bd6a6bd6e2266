"""JSON responses and error mapping shared by every route.

Every answer is ``{"provenance": {...}, "rows": [...], "tables": {...}}``; every error is
``{"error": message}`` with a status: 404 when a named thing (country, year, source, preset,
alert, route) does not exist, 422 when a parameter has the wrong type or an out-of-range value,
409 when the server is read-only, 400 for any other error econsec raises on purpose.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import pandas as pd
from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from econsec.analytics.scenarios import UnknownPresetError
from econsec.errors import (
    EconsecError,
    NotFoundError,
    OptionError,
    ReadOnlyError,
    SourceNotFoundError,
)
from econsec.services.serialize import clean, document, records


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


def status_of(e: Exception) -> int:
    if isinstance(e, ReadOnlyError):
        return 409
    if isinstance(e, (SourceNotFoundError, UnknownPresetError, NotFoundError)):
        return 404
    if isinstance(e, OptionError):
        return 422
    return 400


@contextmanager
def translate() -> Iterator[None]:
    """Turn what services raise on purpose into :class:`ApiError`.

    ``KeyError`` from a service names a missing label (a country not in the panel, a year the
    source does not have), so it is a 404.
    """
    try:
        yield
    except ApiError:
        raise
    except EconsecError as e:
        raise ApiError(status_of(e), str(e)) from e
    except KeyError as e:
        raise NotFound(str(e.args[0]) if e.args else "not found") from e


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
