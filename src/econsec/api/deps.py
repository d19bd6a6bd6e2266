"""Request dependencies: a store view per request, parameter parsing shared by routes."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request

from econsec.api.responses import ApiError
from econsec.store import Store


def _read(request: Request) -> Iterator[Store]:
    with request.app.state.db.reader() as s:
        yield s


def _write(request: Request) -> Iterator[Store]:
    with request.app.state.db.writer() as s:
        yield s


#: A read-only cursor on the store for one request (GET routes).
Reader = Annotated[Store, Depends(_read)]
#: A writable cursor; writers are serialised (the EWS scan, ack and resolve routes).
Writer = Annotated[Store, Depends(_write)]


def codes(value: str | None, name: str) -> tuple[str, ...]:
    """``"kor, JPN"`` → ``("KOR", "JPN")``; each code must be 2–40 letters, digits or spaces."""
    if not value:
        return ()
    out = tuple(x.strip().upper() for x in value.split(",") if x.strip())
    bad = [x for x in out if not (1 <= len(x) <= 40) or not x.replace(" ", "").replace("-", "").isalnum()]
    if bad:
        raise ApiError(422, f"query parameter {name!r}: expected comma-separated codes, got {bad[0]!r}")
    return out


def years(value: str | None, name: str = "year") -> tuple[int, ...]:
    """``"2022,2023"`` → ``(2022, 2023)``."""
    if not value:
        return ()
    try:
        return tuple(int(x) for x in value.split(",") if x.strip())
    except ValueError as e:
        raise ApiError(422, f"query parameter {name!r}: expected comma-separated years, "
                       f"got {value!r}") from e
