"""Indicator benchmarks (issue #3).

1. Full sweep — concentration, the four screens, import vulnerability and export power, RCA,
   and complementarity for all pairs (Michaely, Finger–Kreinin, strategic coverage) — on a
   generated BACI-sized year (11 M rows, ~200 × 200 × 5,000 sparse) ingested into a store.
   Timed as a whole child process (interpreter start included). Goal: < 10 s on 2 cores.
2. RCA + ECI + PCI (+ density, COI, COG) against py-ecomplexity 0.5.3 on 130 locations ×
   1,200 products × 3 years, both on the same long frame, results checked equal (rtol 1e-8).
   Goal: econsec ≥ 20× faster.

Usage: python benchmarks/indicators/run.py [--rows 11000000] [--skip-sweep] [--skip-complexity]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from econsec.analytics.indicators.complexity import complexity_long
from econsec.settings import Config
from econsec.sources.baci import Baci
from econsec.store import Store, ingest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
from generate import baci_year  # noqa: E402


def sweep(rows: int) -> dict:
    work = Path(tempfile.mkdtemp(prefix="econsec-bench-ind-"))
    try:
        codes_csv = Config.resolve().data_dir / "classifications/baci_codes_v202201/country_codes.csv"
        d = work / "baci"
        d.mkdir()
        shutil.copy(codes_csv, d / "country_codes_V202201.csv")
        codes = pd.read_csv(codes_csv, encoding="utf-8-sig")["country_code"].to_numpy()
        baci_year(d / "BACI_HS17_Y2021_V209901.csv", rows, codes)
        db = work / "s.duckdb"
        with Store(db) as s:
            ingest(s, [(Baci(), sorted(d.glob("*.csv")))])
        t0 = time.perf_counter()
        out = subprocess.run([sys.executable, str(HERE / "sweep.py"), str(db), "baci", "2021"],
                             capture_output=True, text=True, check=True)
        wall = time.perf_counter() - t0
        res = json.loads(out.stdout)
        return {"benchmark": "indicators/sweep", "wall_s": round(wall, 2),
                "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024),
                **res}
    finally:
        shutil.rmtree(work, ignore_errors=True)


def complexity_vs_peer(n_loc: int = 130, n_prod: int = 1200, years: int = 3, seed: int = 7) -> dict:
    from ecomplexity import ecomplexity

    rng = np.random.default_rng(seed)
    frames = []
    size = rng.lognormal(0, 1.5, n_loc)[:, None] * rng.lognormal(0, 1.5, n_prod)[None, :]
    for y in range(2019, 2019 + years):
        v = size * rng.lognormal(0, 1, (n_loc, n_prod)) * (rng.random((n_loc, n_prod)) < 0.6) * 1e6
        li, pi = np.nonzero(v)
        frames.append(pd.DataFrame({"year": y, "loc": [f"L{i:03d}" for i in li],
                                    "prod": [f"P{j:04d}" for j in pi], "val": v[li, pi]}))
    df = pd.concat(frames, ignore_index=True)
    cols = {"time": "year", "loc": "loc", "prod": "prod", "val": "val"}

    def peer(**kw: object) -> tuple[pd.DataFrame, float]:
        t0 = time.perf_counter()
        with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
            warnings.simplefilter("ignore")
            out = ecomplexity(df, cols, verbose=False, **kw)
        return out, time.perf_counter() - t0

    def ours(**kw: object) -> tuple[pd.DataFrame, float]:
        t0 = time.perf_counter()
        out = complexity_long(df, loc="loc", prod="prod", val="val", **kw)  # type: ignore[arg-type]
        return out, time.perf_counter() - t0

    ref, t_ref_default = peer()
    _, t_ref_fast = peer(check_logsupermodularity=False)
    full, t_full = ours()
    _, t_core = ours(outlook=False)
    m = full.merge(ref, on=["year", "loc", "prod"], suffixes=("", "_ref"))
    maxdiff = {c: float(np.nanmax(np.abs(m[c] - m[f"{c}_ref"]) / np.maximum(1, np.abs(m[f"{c}_ref"]))))
               for c in ("rca", "eci", "pci", "density", "cog")}
    return {"benchmark": "indicators/complexity_vs_py-ecomplexity", "rows": len(df),
            "shape": f"{n_loc} x {n_prod} x {years}",
            "py_ecomplexity_default_s": round(t_ref_default, 3),
            "py_ecomplexity_no_logsupermodularity_s": round(t_ref_fast, 3),
            "econsec_same_outputs_s": round(t_full, 3),
            "econsec_rca_eci_pci_s": round(t_core, 3),
            "speedup_same_outputs_vs_fastest_peer": round(t_ref_fast / t_full, 1),
            "speedup_rca_eci_pci_vs_fastest_peer": round(t_ref_fast / t_core, 1),
            "max_rel_diff": maxdiff}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=11_000_000)
    ap.add_argument("--skip-sweep", action="store_true")
    ap.add_argument("--skip-complexity", action="store_true")
    a = ap.parse_args()
    if not a.skip_sweep:
        print(json.dumps(sweep(a.rows)))
    if not a.skip_complexity:
        print(json.dumps(complexity_vs_peer()))


if __name__ == "__main__":
    main()
