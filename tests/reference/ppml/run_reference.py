"""Reference PPML estimates from gme 1.3.1 (USITC; statsmodels GLM with dummy fixed effects) on
gegravity's sample data (30 countries, 2006), as gegravity's documentation estimates it.

Run with the reference environment (gme 1.3.1, statsmodels, pandas):

    /tmp/refvenv/bin/python tests/reference/ppml/run_reference.py ../shared/data

Writes ``gme_1.3.1_gegravity_sample.csv`` next to this script: one row per coefficient
(variable, coef, se_hc1, se_hc0) and the fitted flows ``gme_1.3.1_gegravity_sample_fitted.csv``.
gme's default standard errors are statsmodels' HC1 (n/(n−k) with k counting every dummy); HC0
is also written, because Stata's robust PPML uses n/(n−1)·HC0.
"""

from __future__ import annotations

import contextlib
import io
import sys
from pathlib import Path

import gme
import numpy as np
import pandas as pd

HERE = Path(__file__).parent
COVARIATES = ["lndist", "contiguity", "common_language", "pta", "international"]


def main(data_dir: Path) -> None:
    df = pd.read_csv(data_dir / "gravity" / "gegravity_sample_2006" / "sample_data_set.dlm")
    data = gme.EstimationData(df, imp_var_name="importer", exp_var_name="exporter",
                              year_var_name="year", trade_var_name="trade")
    model = gme.EstimationModel(data, lhs_var="trade", rhs_var=COVARIATES,
                                fixed_effects=["exporter", "importer"], std_errors="HC1")
    with contextlib.redirect_stdout(io.StringIO()):  # gme prints progress
        fit = model.estimate()["all"]
    hc0 = fit.model.fit(cov_type="HC0", maxiter=1000)
    out = pd.DataFrame({"variable": COVARIATES, "coef": fit.params[COVARIATES].to_numpy(),
                        "se_hc1": fit.bse[COVARIATES].to_numpy(),
                        "se_hc0": hc0.bse[COVARIATES].to_numpy()})
    out.to_csv(HERE / "gme_1.3.1_gegravity_sample.csv", index=False, float_format="%.12g")
    used = model.modified_data["all"]  # the rows gme estimated on, in its order
    fitted = used[["exporter", "importer", "year", "trade"]].assign(fitted=np.asarray(fit.mu))
    fitted.to_csv(HERE / "gme_1.3.1_gegravity_sample_fitted.csv", index=False, float_format="%.12g")
    print(out.to_string(index=False))


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE.parents[2] / ".." / "shared" / "data")
