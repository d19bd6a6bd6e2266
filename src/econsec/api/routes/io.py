"""Input–output analytics on a WIOD year (econsec.services.io)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response
from pydantic import BaseModel, Field

from econsec.analytics.io import IOResult
from econsec.api.deps import Reader, country
from econsec.api.responses import respond, translate
from econsec.services import io as svc
from econsec.services.serialize import ResultView, flat

router = APIRouter(prefix="/io", tags=["input-output"])

Year = Annotated[int, Query(ge=1995, le=2011, description="WIOD year (1995–2011).")]


class ShockBody(BaseModel):
    country: str = Field(..., min_length=2, max_length=8, description="Region code, e.g. CHN.")
    sector: str = Field(..., min_length=1, max_length=8, description="WIOD industry code, e.g. c14.")
    cut: float = Field(default=0.1, gt=0, le=1, description="Fraction of supply cut (0.1 = 10 %).")
    model: Literal["ghosh", "leontief"] = "ghosh"
    year: int = Field(default=svc.DEFAULT_YEAR, ge=1995, le=2011)


class DemandShockBody(BaseModel):
    country: str = Field(..., min_length=2, max_length=8, description="Region code, e.g. USA.")
    sector: str = Field(..., min_length=1, max_length=8, description="WIOD industry code, e.g. c14.")
    change: float | None = Field(default=None, description="Change in final demand for the sector's "
                                 "output, in the table's unit (WIOD: million USD).")
    share: float | None = Field(default=None, ge=-1, description="Change as a fraction of the sector's "
                                "final demand (-0.1 = -10 %); instead of change.")
    year: int = Field(default=svc.DEFAULT_YEAR, ge=1995, le=2011)
    gross_output: Literal["row-sums", "published"] = Field(
        default="row-sums", description="Gross output x: row sums Z·1 + Y·1 or WIOD's published GO.")


def _view(r: IOResult) -> ResultView:
    return ResultView(r, flat(r.frame), {k: flat(r.table(k)) for k in r.table_names})


@router.get("/multipliers")
def multipliers(store: Reader, year: Year = svc.DEFAULT_YEAR) -> Response:
    """Output, value-added and forward (Ghosh) multipliers per country-sector."""
    with translate():
        return respond(_view(svc.multipliers(store, year)))


@router.get("/va-trade")
def va_trade(store: Reader, year: Year = svc.DEFAULT_YEAR) -> Response:
    """Value added in trade (DVA, FVA, VAX) and GVC participation per region."""
    with translate():
        return respond(_view(svc.va_trade(store, year)))


@router.post("/shock")
def shock(store: Reader, body: ShockBody) -> Response:
    """Cut one country-sector's supply and propagate it (reads the store only)."""
    with translate():
        r = svc.shock(store, country=country(store, body.country, "country"), sector=body.sector, cut=body.cut,
                      model=body.model, year=body.year)
        return respond(_view(r))


@router.post("/demand-shock")
def demand_shock(store: Reader, body: DemandShockBody) -> Response:
    """Change final demand for one country-sector's output and propagate it, Δx = L Δf (reads
    the store only). Give ``change`` or ``share``."""
    with translate():
        r = svc.demand_shock(store, country=country(store, body.country, "country"),
                             sector=body.sector, change=body.change, share=body.share,
                             year=body.year, output=body.gross_output)
        return respond(_view(r))
