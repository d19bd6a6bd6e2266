"""PPML with three-way fixed effects: econsec against gme 1.3.1 (issue #4).

A generated structural-gravity panel: 20 countries × 20 years, every directed pair including
domestic flows = 8,000 observations, with exporter-year, importer-year and directed pair fixed
effects (400 + 400 + 400 levels) and two time-varying covariates (an RTA dummy and ln(1 + tariff)).
Data-generating process (million USD):

    X_ij,t = exp(π_i,t + χ_j,t + μ_ij + 0.5 RTA_ij,t − 4 ln(1 + τ_ij,t)) · ε_ij,t,

π and χ from log-normal sizes that grow at country-specific rates, μ_ij = −0.9 ln dist_ij +
0.5 contig_ij − 1.5 (i ≠ j) plus pair noise (internal distances for i = j), RTAs signed
symmetrically in random years, tariffs τ with pair-specific levels of 0–30% cut by 60% over the
period with ±50% year-to-year noise, ε log-normal with mean 1 and σ = 0.4 (multiplicative,
heteroskedastic, as Santos Silva & Tenreyro 2006), and about 3% of international flows set to
zero (every pair keeps positive flows, so nothing is separated).

gme builds every fixed effect as a dummy column (an 8,000 × ~1,200 dense matrix, collinear
columns found by QR) and fits statsmodels' GLM; econsec sweeps the fixed effects out by
alternating projections. gme runs in its own environment (``--ref-python``, default
/tmp/refvenv/bin/python) in a subprocess; its time is the ``estimate()`` call measured inside
that process. econsec's time is ``PPML.fit`` (validation, IRLS, clustered covariance, fixed-effect
recovery), best of ``--repeat`` runs in this process. Coefficients must agree to 1e-6.

gme's dense algebra runs with one BLAS thread by default (``--gme-threads``; 0 = BLAS default):
on a shared machine multithreaded BLAS made its time swing between about 20 s and 150 s.

Usage: python benchmarks/gravity/ppml_vs_gme.py [--countries 20] [--years 20] [--repeat 5]
                                                 [--ref-python /tmp/refvenv/bin/python]
                                                 [--gme-threads 1]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from econsec.analytics.models.estimation import PPML

COVARIATES = ["rta", "ln_tariff"]
TRUE_BETA = {"rta": 0.5, "ln_tariff": -4.0}

GME_CHILD = r"""
import contextlib, io, json, sys, time
import gme, pandas as pd
df = pd.read_csv(sys.argv[1])
data = gme.EstimationData(df, imp_var_name="importer", exp_var_name="exporter",
                          year_var_name="year", trade_var_name="trade")
model = gme.EstimationModel(data, lhs_var="trade", rhs_var=["rta", "ln_tariff"],
                            fixed_effects=[["exporter", "year"], ["importer", "year"],
                                           ["exporter", "importer"]])
t0 = time.perf_counter()
with contextlib.redirect_stdout(io.StringIO()):
    fit = model.estimate()["all"]
seconds = time.perf_counter() - t0
print(json.dumps({"seconds": seconds, "coef": {k: float(fit.params[k]) for k in ["rta", "ln_tariff"]},
                  "n_obs": int(fit.nobs), "n_params": int(len(fit.params)),
                  "iterations": int(getattr(fit, "fit_history", {}).get("iteration", -1)),
                  "gme": gme.__version__ if hasattr(gme, "__version__") else "1.3.1"}))
"""


def panel(countries: int = 20, years: int = 20, seed: int = 2016) -> pd.DataFrame:
    """The generated three-way panel described in the module docstring (vectorised)."""
    rng = np.random.default_rng(seed)
    n, t = countries, years
    names = np.array([f"C{i:02d}" for i in range(n)])
    xy = rng.uniform(0, 10_000, (n, 2))
    dist = np.hypot(*(xy[:, None, :] - xy[None, :, :]).transpose(2, 0, 1))
    dist[np.arange(n), np.arange(n)] = rng.uniform(50, 400, n)  # internal distance
    contig = (dist < 2_500) & ~np.eye(n, dtype=bool)
    pair_noise = rng.normal(0, 0.5, (n, n))
    mu_ij = -0.9 * np.log(dist) + 0.5 * contig - 1.5 * ~np.eye(n, dtype=bool) + pair_noise
    size = rng.normal(0, 1.2, n)[:, None] + rng.normal(0.03, 0.02, n)[:, None] * np.arange(t)
    pi = size + rng.normal(0, 0.1, (n, t)) + 12.5  # million USD: median ~40 abroad, ~3,000 at home
    chi = 0.8 * size + rng.normal(0, 0.1, (n, t))
    # RTAs: symmetric, signed in a random year (or never), in force afterwards.
    start = rng.integers(0, 3 * t, (n, n))
    start = np.minimum(start, start.T)
    rta = (np.arange(t)[None, None, :] >= start[:, :, None]) & ~np.eye(n, dtype=bool)[:, :, None]
    # MFN-style tariffs: pair-specific levels cut over time with year-to-year noise.
    tariff = (rng.uniform(0.0, 0.30, (n, n))[:, :, None] * np.linspace(1.0, 0.4, t)[None, None, :]
              * rng.uniform(0.5, 1.5, (n, n, t)))
    tariff[np.arange(n), np.arange(n), :] = 0.0
    ln_tariff = np.log1p(tariff)
    eta = (pi[:, None, :] + chi[None, :, :] + mu_ij[:, :, None]
           + TRUE_BETA["rta"] * rta + TRUE_BETA["ln_tariff"] * ln_tariff)
    eps = rng.lognormal(-0.5 * 0.4**2, 0.4, eta.shape)
    trade = np.exp(eta) * eps
    zero = (rng.random(eta.shape) < 0.03) & ~np.eye(n, dtype=bool)[:, :, None]
    zero[:, :, 0] = False  # every pair keeps positive flows
    trade[zero] = 0.0
    i, j, k = np.meshgrid(np.arange(n), np.arange(n), np.arange(t), indexing="ij")
    return pd.DataFrame({"exporter": names[i.ravel()], "importer": names[j.ravel()],
                         "year": 2000 + k.ravel(), "trade": trade.ravel(),
                         "rta": rta.ravel().astype(float), "ln_tariff": ln_tariff.ravel()})


def run_gme(df: pd.DataFrame, ref_python: str, threads: int) -> dict:
    env = dict(os.environ)
    if threads > 0:  # BLAS threads for gme's dense algebra; 0 = the machine's default
        env.update({v: str(threads) for v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS",
                                              "MKL_NUM_THREADS")})
    with tempfile.TemporaryDirectory(prefix="econsec-bench-ppml-") as d:
        path = Path(d) / "panel.csv"
        df.to_csv(path, index=False, float_format="%.17g")  # exact round trip
        out = subprocess.run([ref_python, "-c", GME_CHILD, str(path)], capture_output=True,
                             text=True, env=env)
    if out.returncode:
        raise RuntimeError(f"gme run failed:\n{out.stderr[-2000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def run_econsec(df: pd.DataFrame, repeat: int) -> tuple[dict, float]:
    spec = PPML(tuple(COVARIATES), fixed_effects="exporter-importer-pair")
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        res = spec.fit(df)
        times.append(time.perf_counter() - t0)
    return {"coef": res.coef.to_dict(), "n_obs": res.n_obs, "iterations": res.iterations,
            "score_residual": res.diagnostics.score_residual}, min(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--countries", type=int, default=20)
    ap.add_argument("--years", type=int, default=20)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--ref-python", default=sys.executable)
    ap.add_argument("--gme-threads", type=int, default=1,
                    help="BLAS threads for gme (default 1: stable timings on a shared machine; "
                         "0 = BLAS default)")
    a = ap.parse_args()
    df = panel(a.countries, a.years)
    ours, t_ours = run_econsec(df, a.repeat)
    theirs = run_gme(df, a.ref_python, a.gme_threads)
    diff = max(abs(ours["coef"][k] - theirs["coef"][k]) for k in COVARIATES)
    print(json.dumps({
        "benchmark": "gravity/ppml_vs_gme", "n_obs": len(df),
        "fixed_effects": "exporter-year + importer-year + directed pair",
        "zeros": int((df["trade"] == 0).sum()),
        "econsec_s": round(t_ours, 4), "gme_s": round(theirs["seconds"], 3),
        "speedup": round(theirs["seconds"] / t_ours, 1),
        "max_abs_coef_diff": float(f"{diff:.3g}"), "agree_1e-6": diff < 1e-6,
        "coef_econsec": ours["coef"], "coef_gme": theirs["coef"], "true_beta": TRUE_BETA,
        "econsec_iterations": ours["iterations"], "gme_iterations": theirs["iterations"],
        "gme_params": theirs["n_params"], "gme_blas_threads": a.gme_threads or "default",
        "machine": f"{platform.machine()}, {platform.python_version()}",
    }))
    if diff >= 1e-6:
        sys.exit(1)


if __name__ == "__main__":
    main()
