"""Generators of benchmark inputs (never committed)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv


def baci_year(path: Path, rows: int, codes: np.ndarray, seed: int = 2021) -> None:
    """~200 exporters x 200 importers x 5,000 HS6 products, sparse, BACI's t,i,j,k,v,q."""
    rng = np.random.default_rng(seed)
    exporters = rng.choice(codes, 200, replace=False)
    importers = rng.choice(codes, 200, replace=False)
    products = np.sort(rng.choice(np.arange(10100, 970000), 5000, replace=False))
    chunk = 2_000_000
    with pacsv.CSVWriter(path, pa.schema([("t", pa.int16()), ("i", pa.int32()), ("j", pa.int32()),
                                          ("k", pa.string()), ("v", pa.float64()), ("q", pa.string())]),
                         write_options=pacsv.WriteOptions(quoting_style="none")) as w:
        for start in range(0, rows, chunk):
            n = min(chunk, rows - start)
            k = rng.choice(products, n)
            q = np.char.mod("%12.3f", rng.lognormal(2, 2, n))
            q[rng.random(n) < 0.05] = "          NA"
            w.write_table(pa.table({
                "t": np.full(n, 2021, np.int16), "i": rng.choice(exporters, n).astype(np.int32),
                "j": rng.choice(importers, n).astype(np.int32),
                "k": pa.array(np.char.zfill(k.astype(str), 6)),
                "v": np.round(rng.lognormal(3, 2.5, n), 3), "q": pa.array(q)}))


def baci_year_dir(work: Path, rows: int, data_dir: Path, *, reuse: bool = False) -> Path:
    """``work/baci`` holding a generated BACI-format year of ``rows`` rows
    (``BACI_HS17_Y2021_V209901.csv``) and the real V202201 country-code table beside it, as a
    BACI download is laid out. With ``reuse`` an existing file is kept. Returns the data file."""
    import shutil

    import pandas as pd

    codes_csv = data_dir / "classifications" / "baci_codes_v202201" / "country_codes.csv"
    year_dir = work / "baci"
    year_dir.mkdir(parents=True, exist_ok=True)
    shutil.copy(codes_csv, year_dir / "country_codes_V202201.csv")
    f = year_dir / "BACI_HS17_Y2021_V209901.csv"
    if not (reuse and f.exists()):
        baci_year(f, rows, pd.read_csv(codes_csv, encoding="utf-8-sig")["country_code"].to_numpy())
    return f
