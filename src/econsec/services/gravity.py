"""Gravity estimation and GE simulation on a user's own data or a gravity dataset in the store.

``estimate`` fits PPML with high-dimensional fixed effects; ``simulate`` takes the cost
coefficients as given (``coefficients``, e.g. from a paper or :func:`read_coefficients`) or
estimates them on the chosen year (exporter and importer fixed effects, as gegravity does),
builds the one-sector structural-gravity GE and applies the user's counterfactual: new values of
cost variables for named pairs (e.g. ``pta = 1`` for CAN–JPN) and/or bilateral tariffs. A given
coefficient named ``constant`` (or ``_cons``, ``const``, ``intercept``) is the intercept.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from econsec.analytics.models.estimation import PPML, PPMLResults
from econsec.analytics.models.estimation import from_store as panel_from_store
from econsec.analytics.models.gravity import Counterfactual, OneSectorGE
from econsec.analytics.models.gravity.data import (
    CONSTANT,
    GravityInputError,
    gravity_data_from_frame,
    gravity_data_from_store,
)
from econsec.analytics.models.gravity.results import GEResults
from econsec.errors import InputError, OptionError
from econsec.store import Store

Pairs = Mapping[tuple[str, str], float]
#: Names an intercept goes by in coefficient tables (Stata, statsmodels, R): all mean CONSTANT.
INTERCEPT_NAMES = frozenset({CONSTANT, "_cons", "const", "cons", "intercept", "(intercept)"})
#: Column names read as the variable and the value in a coefficient file (first match wins).
_NAME_COLUMNS = ("var", "variable", "name", "term", "index")
_VALUE_COLUMNS = ("coeff", "coef", "coefficient", "estimate", "value")


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


def normalise_coefficients(coefficients: Mapping[str, object]) -> dict[str, float]:
    """Given coefficients as {cost variable: β}: names stripped, an intercept's name (any of
    :data:`INTERCEPT_NAMES`, any case) read as ``constant``; OptionError if a value is not a
    finite number or a name comes twice."""
    out: dict[str, float] = {}
    for name, value in coefficients.items():
        key = str(name).strip()
        key = CONSTANT if key.lower() in INTERCEPT_NAMES else key
        try:
            beta = float(value)  # type: ignore[arg-type]  # str, int, numpy scalar, …
        except (TypeError, ValueError):
            raise OptionError(f"coefficient {key!r} must be a number, got {value!r}") from None
        if not np.isfinite(beta):
            raise OptionError(f"coefficient {key!r} must be a finite number, got {value!r}")
        if not key or key in out:
            raise OptionError(f"coefficient names must be unique and non-empty, got {key!r} twice"
                              if key else "a coefficient has no name")
        out[key] = beta
    if not out:
        raise OptionError("no coefficients given")
    return out


def read_coefficients(path: str | Path) -> dict[str, float]:
    """Cost coefficients from a file: CSV (two columns, a name — ``var``, ``variable``, ``name``,
    ``term`` or ``index`` — and a value — ``coeff``, ``coef``, ``coefficient``, ``estimate`` or
    ``value``; gegravity's and pyfixest's tables) or JSON (such rows, e.g. ``econsec --json gravity
    estimate``, or one object {name: value})."""
    p = Path(path)
    if not p.is_file():
        raise InputError(p, "an existing CSV or JSON file of coefficients")
    if p.suffix.lower() == ".json":
        try:
            doc = json.loads(p.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as e:
            raise InputError(p, "JSON: a list of {name, value} rows or one {name: value} object",
                             got=str(e)) from None
        if isinstance(doc, dict):
            return normalise_coefficients(doc)
        df = pd.DataFrame(doc if isinstance(doc, list) else [])
    else:
        try:
            df = pd.read_csv(p)
        except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as e:
            raise InputError(p, "CSV with a name and a value column", got=str(e)) from None
    cols = {str(c).strip().lower(): c for c in df.columns}
    name = next((cols[c] for c in _NAME_COLUMNS if c in cols), None)
    value = next((cols[c] for c in _VALUE_COLUMNS if c in cols), None)
    if name is None or value is None:
        raise InputError(p, f"a name column ({', '.join(_NAME_COLUMNS)}) and a value column "
                            f"({', '.join(_VALUE_COLUMNS)})", got=f"columns {list(df.columns)}")
    bad = pd.to_numeric(df[value], errors="coerce").isna()
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise InputError(p, "a number", row=i + 2, field=str(value), got=df[value].iloc[i])
    return normalise_coefficients(dict(zip(df[name].astype(str), df[value], strict=True)))


def simulate(store: Store | None, *, covariates: Sequence[str] | None = None, year: int,
             sigma: float, reference_importer: str, data: str | None = None,
             dataset: str = "gegravity_sample_2006", set_values: Mapping[str, Pairs] | None = None,
             tariffs: Pairs | None = None, full_ge: str = "endowment",
             tariff_revenue: bool = True, coefficients: Mapping[str, float] | None = None
             ) -> tuple[PPMLResults | None, GEResults]:
    """Run the counterfactual on ``year`` of ``data`` (a file) or ``dataset`` (the store).

    With ``coefficients`` ({cost variable: β}; ``constant`` for an intercept) the cost
    coefficients are taken as given and nothing is estimated (the first element returned is
    None); ``covariates``, if also given, must name the same variables. Without them, PPML with
    exporter and importer fixed effects on ``covariates`` estimates them.
    """
    given = normalise_coefficients(coefficients) if coefficients is not None else None
    if given is not None:
        names = [k for k in given if k != CONSTANT]
        if covariates is not None and set(covariates) != set(names):
            raise OptionError(f"covariates {sorted(covariates)} differ from the given coefficients' "
                              f"variables {sorted(names)}: give one or make them agree")
        covariates = names
    elif not covariates:
        raise OptionError("simulate needs covariates to estimate, or given coefficients")
    if data is not None:
        df = read_frame(data)
        df = df[df["year"] == year] if "year" in df else df
        has_ye = {"Y", "E"} <= set(df.columns)
        gd = gravity_data_from_frame(df, variables=covariates, year=year, source=str(data),
                                     output="Y" if has_ye else None,
                                     expenditure="E" if has_ye else None)
        est = (None if given is not None else
               PPML(tuple(covariates)).fit(df, source=str(data), vintage="user file"))
    else:
        if store is None:
            raise GravityInputError("simulate needs a file or a store")
        gd = gravity_data_from_store(store, dataset=dataset, year=year, variables=covariates)
        est = (None if given is not None else
               PPML(tuple(covariates)).fit(panel_from_store(store, dataset, years=[year])))
    coefs = given if given is not None else {k: float(est.coef[k]) for k in covariates
                                               if est is not None and k in est.coef}
    model = OneSectorGE(gd, coefs, sigma=sigma, reference_importer=reference_importer)
    cf = Counterfactual(variables={k: dict(v) for k, v in (set_values or {}).items()},
                        tariff=dict(tariffs) if tariffs else None, name="user counterfactual")
    return est, model.solve(cf, full_ge=full_ge, tariff_revenue=tariff_revenue)  # type: ignore[arg-type]
