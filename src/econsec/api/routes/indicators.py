"""Structural indicators: vulnerability, critical items, competitiveness, complementarity,
exposure (econsec.services.indicators)."""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query
from fastapi.responses import Response

from econsec.api.deps import Reader, pair
from econsec.api.deps import countries as list_of
from econsec.api.deps import country as one_of
from econsec.api.responses import NotFound, respond, translate
from econsec.services import args
from econsec.services import indicators as svc

router = APIRouter(prefix="/indicators", tags=["indicators"])

Year = Annotated[int | None, Query(ge=1900, le=2100, description="Year (default: the source's latest).")]
Source = Annotated[str, Query(max_length=64, description="Trade source in the store (comtrade_hs2, baci, …).")]
Country = Annotated[str, Path(min_length=2, max_length=40, description="ISO3 code.")]
MinCoverage = Annotated[float, Query(ge=0, le=1, description=(
    "Rank only economies whose trade in the source is at least this share of an independent total "
    "(IMF DOTS, else WTO; docs/indicators.md); 0 ranks all."))]


@router.get("/vulnerability")
def vulnerability(store: Reader, year: Year = None, source: Source = svc.DEFAULT_SOURCE,
                  min_imports: Annotated[float, Query(ge=0, description="Rank only importers with at least this many USD of imports.")] = 0.0,
                  min_coverage: MinCoverage = svc.DEFAULT_MIN_COVERAGE) -> Response:
    """Importers ranked by import vulnerability, with flagged-import shares; those whose imports
    in the source fall short of an independent total are in the table ``left_out``."""
    with translate():
        r = svc.vulnerability(store, year=svc.year_or_latest(store, source, year), source=source,
                              min_imports_usd=min_imports, min_coverage=min_coverage)
    return respond(r)


@router.get("/critical-items/{country}")
def critical_items(store: Reader, country: Country, year: Year = None,
                   source: Source = svc.DEFAULT_SOURCE,
                   include_residual: Annotated[bool, Query(description="Also screen residual codes (HS 98-99, …).")] = False,
                   min_coverage: MinCoverage = svc.DEFAULT_MIN_COVERAGE) -> Response:
    """Products COUNTRY depends on, by screen (EU, GeoDep, MERICS, Korea), with suppliers."""
    with translate():
        r = svc.critical_items(store, one_of(store, country, "country"),
                               year=svc.year_or_latest(store, source, year), source=source,
                               include_residual=include_residual, min_coverage=min_coverage)
    return respond(r)


@router.get("/competitiveness")
def competitiveness(store: Reader, year: Year = None, source: Source = svc.DEFAULT_SOURCE,
                    country: Annotated[str | None, Query(max_length=40, description="Show this country's products.")] = None,
                    convention: Literal["py-ecomplexity", "stata"] = "py-ecomplexity",
                    min_coverage: MinCoverage = svc.DEFAULT_MIN_COVERAGE) -> Response:
    """Country ranking (RCA, ECI, export power), or one country's products with ``country``."""
    with translate():
        who = one_of(store, country, "country") if country else None
        r = svc.competitiveness(store, year=svc.year_or_latest(store, source, year), source=source,
                                country=who, convention=convention, min_coverage=min_coverage)
    return respond(r)


@router.get("/complementarity/{a}/{b}")
def complementarity(store: Reader, a: Country, b: Country, year: Year = None,
                    source: Source = svc.DEFAULT_SOURCE) -> Response:
    """Where each partner's competitive exports cover the other's risky imports."""
    with translate():
        r = svc.complementarity(store, *pair(store, a, b), year=svc.year_or_latest(store, source, year),
                                source=source)
    return respond(r)


@router.get("/exposure")
def exposure(store: Reader,
             source: Annotated[str, Query(max_length=64, description="Source with bilateral totals (imf_dots, comtrade_hs2, japan_customs, …).")] = "imf_dots",
             countries: Annotated[str | None, Query(description="Comma-separated ISO3 codes (default: all).")] = None,
             base_year: Annotated[int, Query(ge=1900, le=2100)] = 2017, year: Year = None,
             min_coverage: MinCoverage = svc.DEFAULT_MIN_COVERAGE) -> Response:
    """Export and import shares with the U.S. and China by year, and the change since base_year."""
    want = list_of(store, countries, "countries")
    with translate():
        r = svc.exposure(store, source=source, countries=list(want) or None, base_year=base_year,
                         min_coverage=min_coverage)
        if year is not None:
            r = replace(r, frame=r.frame[r.frame["year"] == year].reset_index(drop=True))
        where = repr(source) + (f" in {year}" if year is not None else "")
        seen = [*r.frame["country"], *r.tables.get("left_out", {"country": []})["country"]]
        args.require_rows(want, seen, where=where)
        if r.frame.empty and not len(r.tables.get("left_out", ())):   # left out: 200, notes say why
            raise NotFound(f"exposure: no data in {where}")
    return respond(r)


@router.get("/semiconductors/{a}/{b}")
def semiconductors(store: Reader, a: Country, b: Country,
                   source: Annotated[str, Query(max_length=64, description="Source reporting HS 848620, 903082, 903141 vs World.")] = svc.SME_SOURCE
                   ) -> Response:
    """Semiconductor equipment: A's imports, B's world export share and rank, the share of A's
    imports B's exports could cover, and world supply concentration, by year and product."""
    with translate():
        r = svc.semiconductor_equipment(store, *pair(store, a, b), source=source)
    return respond(r)


@router.get("/vulnerability-series")
def vulnerability_series(store: Reader, source: Source = svc.DEFAULT_SOURCE,
                         countries: Annotated[str, Query(description="Comma-separated ISO3 codes.")] = "KOR,JPN,CHN,USA,DEU",
                         min_coverage: MinCoverage = svc.DEFAULT_MIN_COVERAGE) -> Response:
    """Import vulnerability by year for a few economies over every year the source has (the
    paper's Figure 1; `source=wiod2013` gives 1995–2011 on WIOD goods sectors)."""
    want = list_of(store, countries, "countries")
    with translate():
        r = svc.vulnerability_series(store, countries=list(want), source=source, min_coverage=min_coverage)
        args.require_rows(want, r.frame["country"], where=repr(source))
    return respond(r)
