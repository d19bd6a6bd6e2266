"""Request dependencies: a store view per request, parameter parsing shared by routes.

Country codes follow the rule of every interface (:mod:`econsec.services.args`): any case,
normalised to upper case; unknown codes answer 404 naming the code, two identical economies where
a pair is needed 422.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request

from econsec.api.db import Database
from econsec.api.responses import ApiError
from econsec.services import args
from econsec.store import Store


def _read(request: Request) -> Iterator[Store]:
    with request.app.state.db.reader() as s:
        yield s


async def _database(request: Request) -> Database:
    return request.app.state.db


#: A read-only cursor on the store for one request (GET routes).
Reader = Annotated[Store, Depends(_read)]
#: The app's database for write routes (the EWS scan, ack and resolve): an ``async`` route
#: awaits ``db.write(job)``, which runs ``job(store)`` on the single writer thread (no request
#: thread waits; a full queue answers 503). Never take a store in a sync dependency to write.
Writer = Annotated[Database, Depends(_database)]


def codes(value: str | None, name: str) -> tuple[str, ...]:
    """``"kor, JPN"`` → ``("KOR", "JPN")``; each code must be 2–40 letters, digits or spaces."""
    out = tuple(args.normalise(x) for x in args.items(value))
    bad = [x for x in out if not (1 <= len(x) <= 40) or not x.replace(" ", "").replace("-", "").isalnum()]
    if bad:
        raise ApiError(422, f"query parameter {name!r}: expected comma-separated codes, got {bad[0]!r}")
    return out


def countries(store: Store, value: str | None, name: str, *, distinct: bool = False,
              groups: bool = False) -> tuple[str, ...]:
    """Comma-separated country codes checked against the store (404 for an unknown code)."""
    codes(value, name)  # 422 for a malformed code
    return args.countries(store, value, distinct=distinct, groups=groups,
                          option=f"query parameter {name!r}")


def country(store: Store, value: str, name: str) -> str:
    """One country code (a path or query parameter) checked against the store."""
    return args.country(store, value, option=f"parameter {name!r}")


def pair(store: Store, a: str, b: str) -> tuple[str, str]:
    """Path parameters ``a`` and ``b``: two different known economies."""
    return args.pair(store, a, b, options=("path parameter 'a'", "path parameter 'b'"))


def years(value: str | None, name: str = "year") -> tuple[int, ...]:
    """``"2022,2023"`` → ``(2022, 2023)``; 422 for a part that is not a year."""
    return args.years(value, option=f"query parameter {name!r}")
