"""Tariff and trade-agreement scenarios (GE, PE) and technology-decoupling scenarios.

Only shipped presets run here: scenario files on the server's disk are a CLI feature, so that
no request can make the server read a path it names.
"""

from __future__ import annotations

from typing import Annotated

import pandas as pd
from fastapi import APIRouter, Path
from fastapi.responses import Response
from pydantic import BaseModel, Field

from econsec.analytics.scenarios import load_preset, preset_catalog
from econsec.api.deps import Reader
from econsec.api.responses import NotFound, frame_response, respond, translate
from econsec.services import args
from econsec.services import decoupling as dsvc
from econsec.services import scenarios as svc
from econsec.services.serialize import ResultView

router = APIRouter(tags=["scenarios"])

Name = Annotated[str, Path(min_length=1, max_length=80, description="Preset name.")]
FOCUS = ("USA", "CHN", "DEU", "JPN", "KOR", "TWN", "IND")


class ScenarioRunBody(BaseModel):
    """Options of a scenario run (defaults keep a request to about a second)."""

    model: svc.Model = Field(
        default="ge", description="ge | pe | both | all (all adds the 35-sector Caliendo–Parro model).")
    # σ > 1 is checked by the run's options (RunOptions), as for every interface: 422 naming it
    sigma: float = Field(default=5.0, description="Elasticity of substitution for goods, σ > 1.")
    draws: int = Field(default=0, ge=0, le=200, description="Monte Carlo draws for 5–95 % bands (0 = none).")
    seed: int = Field(default=2025, description="Seed of the Monte Carlo draws.")
    deficits: svc.Deficits = Field(
        default="fixed", description="fixed (world-GDP units) | removed first (balanced trade, DEK 2008).")
    focus: list[str] = Field(default_factory=lambda: ["KOR", "JPN"], max_length=40,
                             description="Economies reported in table `focus`.")


class DecouplingRunBody(BaseModel):
    barrier: float | None = Field(default=None, ge=0, le=5, description="Ad-valorem equivalent (0.2 = 20 %); default: the preset's.")
    year: int = Field(default=dsvc.DEFAULT_YEAR, ge=1995, le=2011, description="WIOD year.")
    focus: list[str] | None = Field(default=list(FOCUS), description="Economies in the table (null = all).")


@router.get("/scenarios")
def scenarios() -> Response:
    """The shipped tariff and agreement presets (each tariff preset also as NAME-retaliation)."""
    with translate():
        df = preset_catalog()
    return frame_response(df, {"source": "econsec.analytics.scenarios presets (TOML, shipped)",
                               "method": "each preset cites the order or proposal behind every "
                                         "rate; see GET /api/scenarios/{name}"})


@router.get("/scenarios/{name}")
def scenario(name: Name) -> Response:
    """One preset: every measure with the source of its rate, and its TOML."""
    with translate():
        spec = load_preset(name)
    rows = pd.DataFrame([{"name": spec.name, "title": spec.title, "description": spec.describe(),
                          "toml": spec.to_toml()}])
    return frame_response(rows, {"source": "econsec.analytics.scenarios presets (TOML, shipped)",
                                 "scenario": spec.name})


@router.post("/scenarios/{name}/run")
def run_scenario(store: Reader, name: Name, body: ScenarioRunBody | None = None) -> Response:
    """Run a preset: GE real income per economy (with bands), PE in the U.S. market, third
    markets. Reads the store only."""
    body = body or ScenarioRunBody()
    with translate():  # the run's options first (RunOptions: 422 naming one), then the data
        svc.RunOptions(model=body.model, sigma=body.sigma, draws=body.draws, seed=body.seed,
                       deficits=body.deficits)
        who = list(args.countries(store, body.focus, option="body field 'focus'"))
        spec = load_preset(name)
        beta = svc.rta_coefficient(store) if spec.agreements else None
        r = svc.run_scenario(store, name, model=body.model, sigma=body.sigma, draws=body.draws,
                             seed=body.seed, rta_beta=beta, deficits=body.deficits)
        tables = {"focus": r.focus(who)}
        if r.third_markets is not None:
            tables["third_markets"] = r.third_markets
        if r.pe is not None:
            tables["pe_by_supplier"] = r.pe.by_supplier()
    return respond(ResultView(r, r.countries(), tables))


@router.get("/decoupling")
def decoupling() -> Response:
    """The six technology-decoupling presets (hubs × preferential attachment)."""
    return frame_response(dsvc.list_presets(), {"source": "econsec.analytics.decoupling presets",
                                                "method": "IMF WP/21/69 scenario design"})


@router.post("/decoupling/{preset}/run")
def run_decoupling(store: Reader, preset: Name, body: DecouplingRunBody | None = None) -> Response:
    """Solve one preset, or ``all`` six (Caliendo–Parro with input–output links on WIOD):
    real income change per economy per scenario, and each scenario's bloc assignment."""
    body = body or DecouplingRunBody()
    names = list(dsvc.PRESETS) if preset == "all" else [preset]
    if names[0] not in dsvc.PRESETS:
        raise NotFound(f"no decoupling preset {preset!r}; presets: {', '.join(dsvc.PRESETS)}, all")
    with translate():
        who = list(args.countries(store, body.focus, option="body field 'focus'")) or None
        res = dsvc.run_scenarios(store, names, barrier=body.barrier, year=body.year)
        args.require_rows(who or (), res.frame()["country"], where=f"WIOD {body.year}")
        table = res.table(who)
    tables = {f"blocs_{k}": sc.assignment for k, (sc, _) in res.runs.items()}
    return respond(ResultView(res, table.reset_index(), tables))
