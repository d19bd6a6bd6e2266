"""Gravity estimation and GE simulation on a user's own data or a gravity dataset in the store.

``estimate`` fits PPML with high-dimensional fixed effects; ``simulate`` estimates the cost
coefficients on the chosen year (exporter and importer fixed effects, as gegravity does), builds
the one-sector structural-gravity GE and applies the user's counterfactual: new values of cost
variables for named pairs (e.g. ``pta = 1`` for CAN–JPN) and/or bilateral tariffs.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import pandas as pd

from econsec.analytics.models.estimation import PPML, PPMLResults
from econsec.analytics.models.estimation import from_store as panel_from_store
from econsec.analytics.models.gravity import Counterfactual, OneSectorGE
from econsec.analytics.models.gravity.data import (
    GravityInputError,
    gravity_data_from_frame,
    gravity_data_from_store,
)
from econsec.analytics.models.gravity.results import GEResults
from econsec.errors import InputError
from econsec.store import Store

Pairs = Mapping[tuple[str, str], float]


def read_frame(path: str | Path) -> pd.DataFrame:
    """A user's gravity file: CSV (any extension but .parquet) or Parquet, with exporter, importer,
    year, trade and covariate columns."""
    p = Path(path)
    if not p.is_file():
        raise InputError(p, "an existing CSV or Parquet file")
    df = pd.read_parquet(p) if p.suffix == ".parquet" else pd.read_csv(p)
    missing = [c for c in ("exporter", "importer", "trade") if c not in df.columns]
    if missing:
        raise InputError(p, "columns exporter, importer, trade (and year, covariates)", field=missing[0],
                         got=f"columns {list(df.columns)}")
    return df


def estimate(store: Store | None, *, covariates: Sequence[str], data: str | None = None,
             dataset: str = "agtpa_yotov2016", years: Sequence[int] | None = None,
             fixed_effects: str = "exporter-importer", vcov: str = "cluster-pair") -> PPMLResults:
    """PPML on ``data`` (a file) or on ``dataset`` from the store (``years`` selects years)."""
    spec = PPML(tuple(covariates), fixed_effects=fixed_effects, vcov=vcov)  # type: ignore[arg-type]
    if data is not None:
        df = read_frame(data)
        if years is not None and "year" in df:
            df = df[df["year"].isin(list(years))]
        return spec.fit(df, source=str(data), vintage="user file")
    if store is None:
        raise GravityInputError("estimate needs a file or a store")
    return spec.fit(panel_from_store(store, dataset, years=years))


def simulate(store: Store | None, *, covariates: Sequence[str], year: int, sigma: float,
             reference_importer: str, data: str | None = None,
             dataset: str = "gegravity_sample_2006", set_values: Mapping[str, Pairs] | None = None,
             tariffs: Pairs | None = None, full_ge: str = "endowment",
             tariff_revenue: bool = True) -> tuple[PPMLResults, GEResults]:
    """Estimate the cost coefficients for ``year`` and run the counterfactual."""
    if data is not None:
        df = read_frame(data)
        df = df[df["year"] == year] if "year" in df else df
        has_ye = {"Y", "E"} <= set(df.columns)
        gd = gravity_data_from_frame(df, variables=covariates, year=year, source=str(data),
                                     output="Y" if has_ye else None,
                                     expenditure="E" if has_ye else None)
        est = PPML(tuple(covariates)).fit(df, source=str(data), vintage="user file")
    else:
        if store is None:
            raise GravityInputError("simulate needs a file or a store")
        gd = gravity_data_from_store(store, dataset=dataset, year=year, variables=covariates)
        est = PPML(tuple(covariates)).fit(panel_from_store(store, dataset, years=[year]))
    model = OneSectorGE(gd, {k: float(est.coef[k]) for k in covariates if k in est.coef},
                        sigma=sigma, reference_importer=reference_importer)
    cf = Counterfactual(variables={k: dict(v) for k, v in (set_values or {}).items()},
                        tariff=dict(tariffs) if tariffs else None, name="user counterfactual")
    return est, model.solve(cf, full_ge=full_ge, tariff_revenue=tariff_revenue)  # type: ignore[arg-type]
