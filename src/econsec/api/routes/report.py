"""The pair report (econsec.services.report) as JSON, or as the same self-contained HTML page
`econsec report` writes."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query
from fastapi.responses import HTMLResponse, Response

from econsec.api.deps import Reader, pair
from econsec.api.responses import EconsecJSON, translate
from econsec.present.report_html import render_html
from econsec.services import report as svc
from econsec.services.serialize import records

router = APIRouter(prefix="/report", tags=["report"])

Country = Annotated[str, Path(min_length=2, max_length=3, description="ISO3 code.")]
Year = Annotated[int | None, Query(ge=1900, le=2100, description="Product-data year "
                                   "(default: the latest in the source).")]
Draws = Annotated[int, Query(ge=0, le=200, description="Monte Carlo draws for the tariff "
                             "scenarios' bands.")]
Fmt = Annotated[str, Query(pattern="^(json|html)$", description="json | html")]


@router.get("/{a}/{b}")
def report(store: Reader, a: Country, b: Country, year: Year = None, draws: Draws = 0,
           format: Fmt = "json") -> Response:
    """Every analysis for economies A and B: findings, tables, chart data and provenance per
    section (vulnerability, critical items, exposure, complementarity, 2025 tariff scenarios,
    decoupling, early warning, LNG). Sections without data say why."""
    with translate():
        a, b = pair(store, a, b)
        rep = svc.pair_report(store, a, b, year=year, draws=draws)
    if format == "html":
        return HTMLResponse(render_html(rep))
    return EconsecJSON(svc.to_json(rep, records))
