"""Reference run: USITC gegravity 0.3 ``OneSectorGE`` on its own sample (30 countries, 2006).

1. PPML gravity with exporter and importer fixed effects (pyfixest 0.60 ``fepois``,
   heteroskedasticity-robust errors, IRLS and demeaning tolerances 1e-12) of trade on lndist, contiguity, common_language, pta and
   international, domestic flows included -> ``coefficients.csv`` (var, coeff, se) and
   ``vcov.csv``. (These are the coefficients of gegravity's own documentation example.)
2. gegravity with those coefficients, sigma = 5, reference importer DEU, omr_rescale = 100
   (10 and 1 fail on this sample; 100 converges with the smallest residual in
   ``check_omr_rescale``), default solver settings (hybr, tol 1e-8), for two experiments:

   * ``can_jpn_pta``: pta = 1 for CAN->JPN and JPN->CAN (gegravity's documentation example);
   * ``usa_chn_tariff25``: a 25% tariff on U.S. imports from China *and* on China's imports
     from the U.S. (both directions: a tariff and its mirror retaliation). gegravity has no
     tariff instrument, so the tariff is a cost variable ``ln_one_plus_tariff`` = ln(1 + tau)
     (0 in the baseline, ln 1.25 for the two pairs) with coefficient 1 - sigma = -4: the tariff
     raises the buyer's price by 25%, an iceberg cost with no revenue. econsec reproduces it
     with ``tariff_revenue=False``.

Writes beside this script, per experiment: ``country_<name>.csv`` (gegravity's
``country_results``, ``country_mr_terms`` and ``aggregate_trade_results``, one row per country)
and ``bilateral_<name>.csv`` (``bilateral_trade_results``); and ``meta.json`` (versions,
settings, solver messages and residuals). Run it in the environment that has gegravity,
gme and pyfixest (see benchmarks/gravity/README_ge.md):

    /tmp/refvenv/bin/python tests/reference/gegravity/run_reference.py

``tests/reference/test_gegravity_reference.py`` feeds the same coefficients, sigma and
reference importer to econsec and compares every country result and every pair.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import sys
import warnings
from importlib.metadata import version
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).parent
SIGMA = 5.0
REFERENCE_IMPORTER = "DEU"
OMR_RESCALE = 100.0
VARIABLES = ["lndist", "contiguity", "common_language", "pta", "international"]
TARIFF = 0.25
TARIFF_VAR = "ln_one_plus_tariff"


def sample_path() -> Path:
    data = os.environ.get("ECONSEC_DATA_DIR") or str(HERE.parents[3] / "shared" / "data")
    return Path(data) / "gravity" / "gegravity_sample_2006" / "sample_data_set.dlm"


def estimate(df: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    import pyfixest as pf
    from pyfixest.demeaners import MapDemeaner

    fml = "trade ~ " + " + ".join(VARIABLES) + " | exporter + importer"
    # Tight tolerances: with the defaults (1e-8, 1e-6) repeated runs differ in the 7th digit.
    fit = pf.fepois(fml, data=df, vcov="hetero", iwls_tol=1e-12,
                    demeaner=MapDemeaner(fixef_tol=1e-12))
    coef = pd.DataFrame({"var": fit.coef().index, "coeff": fit.coef().to_numpy(),
                         "se": fit.se().to_numpy()})
    vcov = pd.DataFrame(np.asarray(fit._vcov), index=VARIABLES, columns=VARIABLES)
    return coef, vcov


def simulate(df: pd.DataFrame, coefs: pd.Series, experiment: str) -> dict[str, object]:
    import gegravity as ge

    df = df.assign(**{TARIFF_VAR: 0.0})
    coefs = coefs.copy()
    if experiment == "usa_chn_tariff25":
        coefs[TARIFF_VAR] = 1.0 - SIGMA
    cost = ge.CostCoeffs(estimates=pd.DataFrame({"var": coefs.index, "coeff": coefs.to_numpy()}),
                         identifier_col="var", coeff_col="coeff")
    base = ge.BaselineData(df, imp_var_name="importer", exp_var_name="exporter",
                           year_var_name="year", trade_var_name="trade", expend_var_name="E",
                           output_var_name="Y")
    model = ge.OneSectorGE(base, year="2006", reference_importer=REFERENCE_IMPORTER, sigma=SIGMA,
                           cost_variables=list(coefs.index), cost_coeff_values=cost, quiet=True)
    model.build_baseline(omr_rescale=OMR_RESCALE)
    exp = model.baseline_data.copy()
    if experiment == "can_jpn_pta":
        for a, b in (("CAN", "JPN"), ("JPN", "CAN")):
            exp.loc[(exp.exporter == a) & (exp.importer == b), "pta"] = 1
    else:
        for a, b in (("CHN", "USA"), ("USA", "CHN")):
            exp.loc[(exp.exporter == a) & (exp.importer == b), TARIFF_VAR] = np.log1p(TARIFF)
    model.define_experiment(exp)
    model.simulate()
    country = model.country_results.join(model.country_mr_terms).join(
        model.aggregate_trade_results, rsuffix=" (aggregate)")
    country.index.name = "country"
    diag = {k: {"message": v.message, "nfev": int(v.nfev),
                "max_abs_fun": float(np.max(np.abs(v.fun)))}
            for k, v in model.solver_diagnostics.items()}
    return {"country": country, "bilateral": model.bilateral_trade_results.reset_index(),
            "diagnostics": diag}


def run() -> dict[str, object]:
    df = pd.read_csv(sample_path())
    coef, vcov = estimate(df)
    out: dict[str, object] = {"coefficients": coef, "vcov": vcov}
    with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
        warnings.simplefilter("ignore")  # gegravity warns about pandas idioms; irrelevant here
        for name in ("can_jpn_pta", "usa_chn_tariff25"):
            out[name] = simulate(df, coef.set_index("var")["coeff"], name)
    return out


def write(out: dict[str, object], where: Path = HERE) -> None:
    out["coefficients"].to_csv(where / "coefficients.csv", index=False, float_format="%.17g")  # type: ignore[attr-defined]
    out["vcov"].to_csv(where / "vcov.csv", float_format="%.17g")  # type: ignore[attr-defined]
    meta: dict[str, object] = {
        "gegravity": version("gegravity"), "gme": version("gme"),
        "pyfixest": version("pyfixest"), "pandas": version("pandas"),
        "sigma": SIGMA, "reference_importer": REFERENCE_IMPORTER, "omr_rescale": OMR_RESCALE,
        "tariff": TARIFF, "tariff_cost_coefficient": 1.0 - SIGMA,
        "solver": "scipy.optimize.root hybr, tol 1e-8 (gegravity defaults)", "diagnostics": {}}
    for name in ("can_jpn_pta", "usa_chn_tariff25"):
        res = out[name]
        res["country"].to_csv(where / f"country_{name}.csv", float_format="%.17g")  # type: ignore[index]
        res["bilateral"].to_csv(where / f"bilateral_{name}.csv", index=False,  # type: ignore[index]
                                float_format="%.17g")
        meta["diagnostics"][name] = res["diagnostics"]  # type: ignore[index]
    (where / "meta.json").write_text(json.dumps(meta, indent=2) + "\n")


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE
    write(run(), target)
    sys.stdout.write(f"wrote gegravity reference outputs to {target}\n")
