"""LNG security: supplier portfolios, separate vs pooled procurement, disruptions
(econsec.services.lng)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from econsec.api.deps import Reader, countries, years
from econsec.api.responses import ApiError, respond, translate
from econsec.services import args, lng

router = APIRouter(prefix="/lng", tags=["LNG"])

Year = Annotated[int, Query(ge=1990, le=2100)]


def _need(value: tuple[str, ...], name: str) -> tuple[str, ...]:
    if not value:
        raise ApiError(422, f"query parameter {name!r}: expected at least one ISO3 code")
    return value


def _limits(value: str | None) -> dict[str, float]:
    out: dict[str, float] = {}
    for item in args.split(value):
        name, sep, share = item.partition("=")
        try:
            out[name.strip().lower()] = float(share)
        except ValueError:
            sep = ""
        if not sep:
            raise ApiError(422, "query parameter 'max_route': expected CHOKEPOINT=SHARE, e.g. "
                                f"malacca=0.4, got {item.strip()!r}")
    return out


@router.get("/portfolio")
def portfolio(store: Reader,
              importers: Annotated[str | None, Query(description="Comma-separated ISO3 importers (default: all).")] = None,
              year: Annotated[str | None, Query(description="Comma-separated years (default: all).")] = None
              ) -> Response:
    """Supplier shares, HHI, Shannon, risk-weighted HHI, Hormuz/Malacca exposure, trend."""
    with translate():
        return respond(lng.portfolio(store, countries(store, importers, "importers"), years(year)))


@router.get("/optimize")
def optimize(store: Reader,
             buyers: Annotated[str, Query(description="Comma-separated ISO3 buyers, e.g. KOR,JPN.")] = "KOR,JPN",
             year: Year = 2023,
             max_share: Annotated[float, Query(gt=0, le=1)] = 0.30,
             max_hormuz: Annotated[float, Query(gt=0, le=1, description="Max share of each buyer's demand through Hormuz.")] = 0.30,
             max_route: Annotated[str | None, Query(description="Further chokepoint limits, CHOKEPOINT=SHARE comma-separated, e.g. malacca=0.4.")] = None,
             risk_penalty: Annotated[float, Query(ge=0, le=100, description="$/MMBtu per unit of GPR weight.")] = 0.5,
             headroom: Annotated[float, Query(ge=0, le=1)] = 0.10) -> Response:
    """Separate vs pooled least-cost procurement LPs, the gain from pooling and swaps."""
    limits = {"hormuz": max_hormuz, **_limits(max_route)}
    with translate():
        return respond(lng.optimize(store, _need(countries(store, buyers, "buyers", distinct=True),
                                                 "buyers"), year,
                                    max_share=max_share, route_limits=limits,
                                    risk_penalty=risk_penalty, headroom=headroom))


@router.get("/disrupt")
def disrupt(store: Reader,
            buyers: Annotated[str, Query(description="Comma-separated ISO3 buyers.")] = "KOR,JPN",
            year: Year = 2023,
            suppliers: Annotated[str | None, Query(description="Comma-separated suppliers that fail.")] = None,
            route: Annotated[str | None, Query(max_length=20, description="A chokepoint that closes: hormuz | malacca | red_sea | panama.")] = None,
            months: Annotated[float, Query(gt=0, le=12)] = 3.0) -> Response:
    """Shortfall per importer when suppliers or the Hormuz route fail, alone and jointly."""
    with translate():
        return respond(lng.disrupt(store, _need(countries(store, buyers, "buyers", distinct=True),
                                                "buyers"), year,
                                   suppliers=countries(store, suppliers, "suppliers"), route=route,
                                   months=months))
