"""Reference run: pymrio 0.7.0 ``calc_all(include_ghosh=True)`` on (a) its own test MRIO and
(b) the WIOD 2013 release table for 2011, and ``calc_gross_trade`` on both.

Run it in its own virtual environment (econsec is not imported here; pymrio 0.7.0 lists
``country_converter`` only as a development extra, so it is not needed). The committed outputs
come from pymrio 0.7.0 with pandas 2.3.3; a check with pandas 3.1.1 gave the same numbers.

    python3 -m venv /tmp/pymriovenv
    /tmp/pymriovenv/bin/pip install pymrio==0.7.0 "pandas<3"
    /tmp/pymriovenv/bin/python tests/reference/pymrio/run_reference.py

(``ECONSEC_DATA_DIR`` points to the shared data, default ``../shared/data`` of the checkout.)
Outputs, beside this script:

* ``testmrio/``: the test MRIO's inputs (Z, Y, the two extensions' F and F_Y) and pymrio's full
  results: x, A, L, B, G; for each extension S, M, M_down and the accounts D_cba, D_pba, D_imp,
  D_exp and their regional sums; gross trade (bilateral flows, totals). Wide CSV, labels
  ``region/sector`` (or ``region/category``).
* ``wiod2011/``: WIOD 2011 (41 regions × 35 industries, million USD) with value added
  va = x − Zᵀ1 as the one factor input: ``summary.csv`` (sum, sum of squares, trace, min, max of
  A, L, B, G), ``sectors.csv`` (per country-industry: x, L's column and row sums, G's row sums,
  S, M, M_down, D_pba, D_exp, gross exports and imports), ``consumers.csv`` (D_cba, D_imp per
  consuming region × sector), ``regions.csv`` (the regional accounts) and ``cells.csv`` (A, L, B,
  G at the diagonal and 2,000 cells drawn with seed 20111).

The test ``tests/reference/test_pymrio_reference.py`` compares econsec with these files.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pymrio

HERE = Path(__file__).parent
FMT = "%.17g"
FD = ["CONS_h", "CONS_np", "CONS_g", "GFCF", "INVEN"]


def flat(index: pd.Index) -> list[str]:
    return ["/".join(map(str, t)) if isinstance(t, tuple) else str(t) for t in index]


def save(df: pd.DataFrame | pd.Series, path: Path) -> None:
    df = df.to_frame() if isinstance(df, pd.Series) else df.copy()
    df.index = flat(df.index)
    df.columns = flat(df.columns)
    df.to_csv(path, float_format=FMT, index_label="label")


def testmrio(out: Path = HERE / "testmrio") -> None:
    out.mkdir(exist_ok=True)
    io = pymrio.load_test()
    save(io.Z, out / "input_Z.csv")
    save(io.Y, out / "input_Y.csv")
    for name in ("factor_inputs", "emissions"):
        ext = getattr(io, name)
        save(ext.F, out / f"input_{name}_F.csv")
        if ext.F_Y is not None:
            save(ext.F_Y, out / f"input_{name}_F_Y.csv")
    io.calc_all(include_ghosh=True)
    save(io.x, out / "x.csv")
    for m in ("A", "L", "B", "G"):
        save(getattr(io, m), out / f"{m}.csv")
    for name in ("factor_inputs", "emissions"):
        ext = getattr(io, name)
        for acc in ("S", "M", "M_down", "D_cba", "D_pba", "D_imp", "D_exp",
                    "D_cba_reg", "D_pba_reg", "D_imp_reg", "D_exp_reg"):
            save(getattr(ext, acc), out / f"{name}_{acc}.csv")
    trade = pymrio.calc_gross_trade(io.Z, io.Y)
    save(trade.bilat_flows, out / "gross_trade_bilat.csv")
    save(trade.totals, out / "gross_trade_totals.csv")


def wiod_tables(year: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    data = Path(os.environ.get("ECONSEC_DATA_DIR") or HERE.parents[3] / "shared" / "data")
    tbl = pq.read_table(data / "io" / "wiod_2013" / f"wiot_{year}.parquet").to_pandas()
    idx = pd.MultiIndex.from_arrays([tbl["country"], tbl["industry"]], names=["region", "sector"])
    regions = tbl["country"].unique()
    zcols = [f"{c}_{s}" for c, s in idx]
    ycols = [f"{c}_{f}" for c in regions for f in FD]
    Z = pd.DataFrame(tbl[zcols].to_numpy(np.float64), index=idx, columns=idx)
    Y = pd.DataFrame(tbl[ycols].to_numpy(np.float64), index=idx,
                     columns=pd.MultiIndex.from_product([regions, FD], names=["region", "category"]))
    return Z, Y


def wiod(year: int = 2011, out: Path | None = None) -> None:
    out = out or HERE / f"wiod{year}"
    out.mkdir(exist_ok=True)
    Z, Y = wiod_tables(year)
    x = Z.sum(axis=1) + Y.sum(axis=1)
    va = pd.DataFrame([x.to_numpy() - Z.sum(axis=0).to_numpy()], columns=Z.columns,
                      index=pd.Index(["value added"], name="inputtype"))
    io = pymrio.IOSystem(Z=Z, Y=Y, name=f"WIOD {year}")
    io.factor_inputs = pymrio.Extension(name="factor_inputs", F=va)
    io.calc_all(include_ghosh=True)
    ext = io.factor_inputs
    rows = []
    for m in ("A", "L", "B", "G"):
        a = getattr(io, m).to_numpy()
        rows.append({"matrix": m, "sum": a.sum(), "sum_sq": (a * a).sum(), "trace": np.trace(a),
                     "min": a.min(), "max": a.max()})
    pd.DataFrame(rows).to_csv(out / "summary.csv", index=False, float_format=FMT)
    trade = pymrio.calc_gross_trade(io.Z, io.Y)
    sectors = pd.DataFrame({
        "x": io.x["indout"], "L_colsum": io.L.sum(axis=0), "L_rowsum": io.L.sum(axis=1),
        "G_rowsum": io.G.sum(axis=1), "S": ext.S.iloc[0], "M": ext.M.iloc[0],
        "M_down": ext.M_down.iloc[0], "D_pba": ext.D_pba.iloc[0], "D_exp": ext.D_exp.iloc[0],
        "exports": trade.totals["exports"], "imports": trade.totals["imports"]})
    save(sectors, out / "sectors.csv")
    save(pd.DataFrame({"D_cba": ext.D_cba.iloc[0], "D_imp": ext.D_imp.iloc[0]}),
         out / "consumers.csv")
    save(pd.DataFrame({a: getattr(ext, f"D_{a}_reg").iloc[0] for a in ("cba", "pba", "imp", "exp")}),
         out / "regions.csv")
    n = len(io.x)
    rng = np.random.default_rng(20111)
    i = np.r_[np.arange(n), rng.integers(0, n, 2000)]
    j = np.r_[np.arange(n), rng.integers(0, n, 2000)]
    labels = np.array(flat(io.Z.index))
    cells = pd.DataFrame({"row": labels[i], "col": labels[j]})
    for m in ("A", "L", "B", "G"):
        cells[m] = getattr(io, m).to_numpy()[i, j]
    cells.to_csv(out / "cells.csv", index=False, float_format=FMT)


if __name__ == "__main__":
    testmrio()
    wiod()
    sys.stdout.write(f"pymrio {pymrio.__version__}, pandas {pd.__version__}: wrote {HERE}\n")
