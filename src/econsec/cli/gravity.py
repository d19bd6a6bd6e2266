"""`econsec gravity estimate|simulate`: structural gravity on a user's data or a store dataset."""

from __future__ import annotations

from typing import Annotated

import typer

from econsec.analytics.models.gravity.model import FullGE
from econsec.analytics.models.gravity.results import StageName
from econsec.cli.options import split
from econsec.cli.render import emit, out
from econsec.cli.render import fail as _fail
from econsec.errors import EconsecError

app = typer.Typer(no_args_is_help=True, help="Gravity estimation (PPML, HDFE) and GE simulation.")



def _pairs(spec: str) -> dict[tuple[str, str], float]:
    """'CAN-JPN,JPN-CAN=1' or 'USA-CHN=0.25' → {(exp, imp): value}."""
    try:
        pairs, value = spec.rsplit("=", 1)
        return {tuple(p.strip().split("-", 1)): float(value) for p in pairs.split(",")}  # type: ignore[misc]
    except ValueError as e:
        raise typer.BadParameter(f"expected EXP-IMP[,EXP-IMP…]=VALUE, got {spec!r}") from e


def _coef(spec: str) -> tuple[str, str]:
    """'lndist=-0.39' → ('lndist', '-0.39') (the value is checked by the service)."""
    name, sep, value = spec.rpartition("=")
    if not sep or not name.strip():
        raise typer.BadParameter(f"--coef expects NAME=VALUE, got {spec!r}")
    return name.strip(), value.strip()


ESTIMATE_COVARIATES = ("lndist", "contig", "common_lang", "colony", "rta", "international")
SIMULATE_COVARIATES = ("rta", "contig", "common_lang", "lndist", "international")
EstimateCovariates = Annotated[list[str] | None, typer.Option("--covariates", callback=split, help="Cost variables, comma-separated or repeated (default: " + ",".join(ESTIMATE_COVARIATES) + ").")]
SimulateCovariates = Annotated[list[str] | None, typer.Option("--covariates", callback=split, help="Cost variables, comma-separated or repeated (default: " + ",".join(SIMULATE_COVARIATES) + ").")]
DataOpt = Annotated[str | None, typer.Option("--data", help="CSV or Parquet file (exporter, importer, year, trade, covariates; Y and E optional).")]


@app.command()
def estimate(ctx: typer.Context, covariates: EstimateCovariates = None,
             data: DataOpt = None,
             dataset: Annotated[str, typer.Option("--dataset", help="gravity_panel dataset in the store.")] = "agtpa_yotov2016",
             years: Annotated[list[str] | None, typer.Option("--years", callback=split, help="Years, comma-separated or repeated (default: all).")] = None,
             fe: Annotated[str, typer.Option("--fe", help="exporter-importer | exporter-importer-pair | none.")] = "exporter-importer",
             vcov: Annotated[str, typer.Option("--vcov", help="cluster-pair | cluster-directed-pair | robust | iid.")] = "cluster-pair") -> None:
    """PPML with exporter(-year), importer(-year) and optional pair fixed effects."""
    from econsec.services import args
    from econsec.services import gravity as svc
    from econsec.store import Store

    covariates = covariates or list(ESTIMATE_COVARIATES)
    try:
        yrs = list(args.years(years, option="--years")) or None
        if data:
            res = svc.estimate(None, covariates=covariates, data=data, years=yrs,
                               fixed_effects=fe, vcov=vcov)
        else:
            with Store(ctx.obj.config.db, read_only=True) as s:
                res = svc.estimate(s, covariates=covariates, dataset=dataset, years=yrs,
                                   fixed_effects=fe, vcov=vcov)
    except (EconsecError, ValueError) as e:
        raise _fail(e) from e
    if not ctx.obj.json:
        out.print(res.summary(), highlight=False)
    else:
        emit(res.to_frame().reset_index(), as_json=True)


@app.command()
def simulate(ctx: typer.Context, covariates: SimulateCovariates = None,
             data: DataOpt = None,
             dataset: Annotated[str, typer.Option("--dataset", help="gravity_panel dataset in the store.")] = "gegravity_sample_2006",
             year: Annotated[int, typer.Option("--year", help="Year of the panel to simulate.")] = 2006,
             sigma: Annotated[float, typer.Option("--sigma", help="Elasticity of substitution σ (trade elasticity σ − 1).")] = 5.0,
             reference: Annotated[str, typer.Option("--reference", help="Reference importer (its inward resistance is 1).")] = "DEU",
             set_: Annotated[list[str] | None, typer.Option("--set", help="VAR:EXP-IMP[,EXP-IMP…]=VALUE, e.g. rta:CAN-JPN,JPN-CAN=1 (repeatable).")] = None,
             tariff: Annotated[list[str] | None, typer.Option("--tariff", help="EXP-IMP[,…]=RATE, e.g. CHN-USA=0.25 (importer USA taxes CHN).")] = None,
             closure: Annotated[FullGE, typer.Option("--closure", help="Full-GE closure: endowment (markets clear) or gegravity (gegravity 0.3's step).")] = "endowment",
             stage: Annotated[StageName, typer.Option("--stage", help="GE stage to show.")] = "full",
             coef: Annotated[list[str] | None, typer.Option("--coef", callback=split, help="Given cost coefficient NAME=VALUE, comma-separated or repeated (e.g. lndist=-0.39,pta=0.47); 'constant' is an intercept. With --coef or --coef-file nothing is estimated.")] = None,
             coef_file: Annotated[str | None, typer.Option("--coef-file", help="CSV or JSON of given coefficients (name and value columns, e.g. var,coeff; or econsec --json gravity estimate output); --coef adds to or overrides it.")] = None) -> None:
    """Solve the baseline and a counterfactual (conditional and full GE) with given cost
    coefficients (--coef, --coef-file) or coefficients estimated by PPML on the same year."""
    from econsec.services import gravity as svc
    from econsec.store import Store

    given: dict[str, float] | None = None
    if coef or coef_file:
        given = {}
        try:
            if coef_file:
                given.update(svc.read_coefficients(coef_file))
            if coef:
                given.update(svc.normalise_coefficients(dict(_coef(c) for c in coef)))
        except EconsecError as e:
            raise _fail(e) from e

    sets: dict[str, dict[tuple[str, str], float]] = {}
    for s in set_ or []:
        var, _, rest = s.partition(":")
        if not rest:
            raise typer.BadParameter(f"--set expects VAR:EXP-IMP=VALUE, got {s!r}")
        sets.setdefault(var, {}).update(_pairs(rest))
    taxes: dict[tuple[str, str], float] = {}
    for t in tariff or []:
        taxes.update(_pairs(t))
    try:
        kw = dict(covariates=covariates or (None if given else list(SIMULATE_COVARIATES)), year=year,
                  sigma=sigma, reference_importer=reference, set_values=sets, tariffs=taxes or None,
                  full_ge=closure, tariff_revenue=closure != "gegravity", coefficients=given)
        if data:
            est, res = svc.simulate(None, data=data, **kw)  # type: ignore[arg-type]
        else:
            with Store(ctx.obj.config.db, read_only=True) as st:
                est, res = svc.simulate(st, dataset=dataset, **kw)  # type: ignore[arg-type]
    except (EconsecError, ValueError) as e:
        raise _fail(e) from e
    frame = res.to_frame(stage)
    if ctx.obj.json:
        emit(frame, as_json=True)
        return
    if est is not None:
        out.print(est.summary(), highlight=False)
    else:
        out.print("Cost coefficients given (not estimated): "
                  + ", ".join(f"{k} = {v:.6g}" for k, v in (given or {}).items()), highlight=False)
    out.print(res.summary(), highlight=False)
    cols = ["country", "exports_pct", "imports_pct", "real_gdp_pct", "welfare_pct", "factory_gate_price_pct"]
    emit(frame[[c for c in cols if c in frame.columns]].sort_values("welfare_pct"), as_json=False,
         title=f"{stage} GE, percent changes")
