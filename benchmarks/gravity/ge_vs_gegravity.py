"""One-sector structural-gravity GE: econsec against USITC gegravity 0.3 (issue #4).

For N = 30, 60, 100 countries a generated square world (every directed pair with domestic
flows, million USD): coordinates on a 10,000 km square give distances (internal distance for
i = i), contiguity below 1,500 km, a common language within random language groups, random
symmetric PTAs; flows X_ij = exp(a_i + b_j − 0.39 ln dist + 0.89 contig + 0.03 lang
+ 0.47 pta − 3.41 intl) × log-normal noise; Y_i and E_j are the row and column sums. Both models
get the same coefficients (gegravity's sample PPML estimates, tests/reference/gegravity), σ = 5,
reference importer C000 and the same shock: a PTA between C001 and C002 (both ways) and a 25%
tariff between C000 and C003 (both ways, as gegravity's cost variable ln(1 + τ) with coefficient
1 − σ; econsec ``tariff_revenue=False``), solved with econsec's ``full_ge="gegravity"``.

Timing: gegravity's is build → baseline → experiment → simulate (``OneSectorGE`` to
``simulate()``), measured inside its own process (``--ref-python``, default
/tmp/refvenv/bin/python); it tries omr_rescale 1, 10, 100, 0.1, 1000, 0.01 in that order and
reports the first that converges (only that attempt is timed). econsec's is building the spec
and ``solve()`` (baseline MRs, conditional and full GE), best and median of ``--repeat``
(speed-ups are quoted on the median). Results must
agree: every country percent change gegravity reports and every pair's within 1e-5.

Usage: python benchmarks/gravity/ge_vs_gegravity.py [--sizes 30 60 100] [--repeat 20]
                                                     [--ref-python /tmp/refvenv/bin/python]
"""

from __future__ import annotations

import argparse
import json
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from econsec.analytics.models.gravity import Counterfactual, OneSectorGE, gravity_data_from_frame

HERE = Path(__file__).resolve().parent
COEF_CSV = HERE.parents[1] / "tests" / "reference" / "gegravity" / "coefficients.csv"
VARIABLES = ["lndist", "contiguity", "common_language", "pta", "international"]
SIGMA, TARIFF = 5.0, 0.25
PCT = json.loads((COEF_CSV.parent / "columns.json").read_text())  # shared with the reference test

GEGRAVITY_CHILD = r"""
import contextlib, io, json, sys, time, warnings
import numpy as np, pandas as pd
import gegravity as ge
df = pd.read_csv(sys.argv[1])
coef = pd.read_csv(sys.argv[2]).set_index("var")["coeff"]
coef["ln_one_plus_tariff"] = 1.0 - {sigma}
df["ln_one_plus_tariff"] = 0.0
pta, tariff = {pta}, {tariff}
cost = ge.CostCoeffs(estimates=pd.DataFrame({{"var": coef.index, "coeff": coef.values}}),
                     identifier_col="var", coeff_col="coeff")
messages = []
for rescale in (1, 10, 100, 0.1, 1000, 0.01):
    try:
        with warnings.catch_warnings(record=True) as w, contextlib.redirect_stdout(io.StringIO()):
            warnings.simplefilter("always")
            t0 = time.perf_counter()
            base = ge.BaselineData(df, imp_var_name="importer", exp_var_name="exporter",
                                   year_var_name="year", trade_var_name="trade",
                                   expend_var_name="E", output_var_name="Y")
            m = ge.OneSectorGE(base, year="2020", reference_importer="C000", sigma={sigma},
                               cost_variables=list(coef.index), cost_coeff_values=cost, quiet=True)
            m.build_baseline(omr_rescale=rescale)
            exp = m.baseline_data.copy()
            for a, b in pta:
                exp.loc[(exp.exporter == a) & (exp.importer == b), "pta"] = 1
            for a, b in tariff:
                exp.loc[(exp.exporter == a) & (exp.importer == b), "ln_one_plus_tariff"] = np.log1p({tau})
            m.define_experiment(exp)
            m.simulate()
            seconds = time.perf_counter() - t0
        ok = all(d.message == "The solution converged." for d in m.solver_diagnostics.values())
        messages.append((rescale, [d.message for d in m.solver_diagnostics.values()]))
        if ok:
            break
    except Exception as e:
        messages.append((rescale, repr(e)[:200]))
else:
    print(json.dumps({{"failed": messages}}))
    sys.exit(1)
m.country_results.join(m.aggregate_trade_results, rsuffix=" (aggregate)").to_csv(sys.argv[3])
m.bilateral_trade_results.reset_index().to_csv(sys.argv[4], index=False)
print(json.dumps({{"seconds": seconds, "omr_rescale": rescale, "attempts": len(messages),
                  "nfev": {{k: int(d.nfev) for k, d in m.solver_diagnostics.items()}}}}))
"""


def world(n: int, coef: pd.Series, seed: int = 4) -> pd.DataFrame:
    """The generated square world of the module docstring (long frame, gegravity's layout)."""
    rng = np.random.default_rng(seed + n)
    names = np.array([f"C{i:03d}" for i in range(n)])
    xy = rng.uniform(0, 10_000, (n, 2))
    dist = np.hypot(*(xy[:, None, :] - xy[None, :, :]).transpose(2, 0, 1))
    eye = np.eye(n, dtype=bool)
    dist[eye] = rng.uniform(50, 400, n)
    contig = (dist < 1_500) & ~eye
    lang_group = rng.integers(0, max(2, n // 6), n)
    lang = (lang_group[:, None] == lang_group[None, :]) & ~eye
    pta = rng.random((n, n)) < 0.15
    pta = (pta | pta.T) & ~eye
    pta[1, 2] = pta[2, 1] = False  # the shock signs this one
    x = {"lndist": np.log(dist), "contiguity": contig, "common_language": lang, "pta": pta,
         "international": ~eye}
    size = rng.normal(0, 1.2, n)
    eta = (size[:, None] + 0.9 * size[None, :] + 10.0
           + sum(coef[k] * np.asarray(v, dtype=float) for k, v in x.items()))
    trade = np.round(np.exp(eta) * rng.lognormal(-0.08, 0.4, (n, n)) + 1.0)
    i, j = np.meshgrid(np.arange(n), np.arange(n), indexing="ij")
    df = pd.DataFrame({"exporter": names[i.ravel()], "importer": names[j.ravel()], "year": 2020,
                       "trade": trade.ravel()})
    for k, v in x.items():
        df[k] = np.asarray(v, dtype=float).ravel()
    df["Y"] = np.repeat(trade.sum(axis=1), n)
    df["E"] = np.tile(trade.sum(axis=0), n)
    return df


PTA = [("C001", "C002"), ("C002", "C001")]
TARIFF_PAIRS = [("C003", "C000"), ("C000", "C003")]


def run_gegravity(df: pd.DataFrame, ref_python: str, tmp: Path) -> tuple[dict, pd.DataFrame,
                                                                         pd.DataFrame]:
    data, country, pairs = tmp / "world.csv", tmp / "country.csv", tmp / "pairs.csv"
    df.to_csv(data, index=False, float_format="%.17g")
    code = GEGRAVITY_CHILD.format(sigma=SIGMA, pta=PTA, tariff=TARIFF_PAIRS, tau=TARIFF)
    out = subprocess.run([ref_python, "-c", code, str(data), str(COEF_CSV), str(country),
                          str(pairs)], capture_output=True, text=True)
    if out.returncode:
        raise RuntimeError(f"gegravity run failed:\n{out.stdout[-2000:]}{out.stderr[-2000:]}")
    return (json.loads(out.stdout.strip().splitlines()[-1]),
            pd.read_csv(country).set_index("country"), pd.read_csv(pairs))


def run_econsec(df: pd.DataFrame, coef: pd.Series, repeat: int) -> dict:
    data = gravity_data_from_frame(df, variables=VARIABLES, year=2020)
    cf = Counterfactual(variables={"pta": dict.fromkeys(PTA, 1.0)},
                        tariff=dict.fromkeys(TARIFF_PAIRS, TARIFF))
    times: dict[str, list[float]] = {"gegravity": [], "endowment": []}
    res = {}
    for _ in range(repeat):
        for mode in times:
            t0 = time.perf_counter()
            model = OneSectorGE(data, coef.to_dict(), sigma=SIGMA, reference_importer="C000")
            res[mode] = model.solve(cf, full_ge=mode, tariff_revenue=False)  # type: ignore[arg-type]
            times[mode].append(time.perf_counter() - t0)
    return {"results": res, "seconds": {k: min(v) for k, v in times.items()},
            "median": {k: float(np.median(v)) for k, v in times.items()}}


def compare(res, country: pd.DataFrame, pairs: pd.DataFrame) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    f = res.to_frame().set_index("country").loc[country.index]
    diffs = [float(np.max(np.abs(f[e] - country[g]))) for g, e in PCT.items()]
    diffs.append(float(np.max(np.abs(f["welfare_pct"] - 100 * (1 / country["welfare statistic"] - 1)))))
    m = res.pairs().merge(pairs, on=["exporter", "importer"], validate="1:1")
    return max(diffs), float(np.max(np.abs(m["trade_pct"] - m["trade change (percent)"])))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[30, 60, 100])
    ap.add_argument("--repeat", type=int, default=20)
    ap.add_argument("--ref-python", default=sys.executable)
    a = ap.parse_args()
    coef = pd.read_csv(COEF_CSV).set_index("var")["coeff"]
    rows, ok = [], True
    for n in a.sizes:
        df = world(n, coef)
        with tempfile.TemporaryDirectory(prefix="econsec-bench-ge-") as d:
            theirs, country, pairs = run_gegravity(df, a.ref_python, Path(d))
        ours = run_econsec(df, coef, a.repeat)
        d_country, d_pairs = compare(ours["results"]["gegravity"], country, pairs)
        agree = max(d_country, d_pairs) < 1e-5
        ok &= agree
        t, med = ours["seconds"], ours["median"]
        rows.append({
            "benchmark": "gravity/ge_vs_gegravity", "countries": n,
            "gegravity_s": round(theirs["seconds"], 3), "omr_rescale": theirs["omr_rescale"],
            "econsec_best_s": round(t["gegravity"], 5),
            "econsec_median_s": round(med["gegravity"], 5),
            "speedup_median": round(theirs["seconds"] / med["gegravity"]),
            "speedup_best": round(theirs["seconds"] / t["gegravity"]),
            "econsec_endowment_median_s": round(med["endowment"], 5),
            "max_abs_diff_country_pct": float(f"{d_country:.3g}"),
            "max_abs_diff_pair_pct": float(f"{d_pairs:.3g}"), "agree_1e-5": agree,
            "econsec_iterations": ours["results"]["gegravity"].iterations,
            "gegravity_nfev": theirs["nfev"]})
        print(json.dumps(rows[-1]), flush=True)
    print(json.dumps({"benchmark": "gravity/ge_vs_gegravity", "summary": {
        r["countries"]: r["speedup_median"] for r in rows}, "all_agree": ok,
        "machine": f"{platform.machine()}, Python {platform.python_version()}"}))
    if not ok:
        sys.exit(1)


if __name__ == "__main__":
    main()
