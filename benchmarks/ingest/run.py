"""Ingest benchmark: a generated BACI-format year (~11 M rows) through `econsec ingest baci`.

Goal (issue #2): >= 1 million rows/s on 2 cores; peak memory well under 3x the file size.
The file is generated in a temporary directory (never committed) with the real BACI V202201
country-code table beside it, then ingested by the CLI in a child process so that wall time
and peak RSS are those of a whole run (interpreter start, parse, DuckDB write, commit).

Usage: python benchmarks/ingest/run.py [--rows 11000000] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv

from econsec.settings import Config


def generate(path: Path, rows: int, codes: np.ndarray, seed: int = 2021) -> None:
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


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=11_000_000)
    ap.add_argument("--keep", type=Path, default=None, help="work directory to keep")
    args = ap.parse_args()
    data_dir = Config.resolve().data_dir
    codes_csv = data_dir / "classifications" / "baci_codes_v202201" / "country_codes.csv"
    work = args.keep or Path(tempfile.mkdtemp(prefix="econsec-bench-ingest-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        year_dir = work / "baci"
        year_dir.mkdir(exist_ok=True)
        shutil.copy(codes_csv, year_dir / "country_codes_V202201.csv")
        import pandas as pd
        codes = pd.read_csv(codes_csv, encoding="utf-8-sig")["country_code"].to_numpy()
        f = year_dir / "BACI_HS17_Y2021_V209901.csv"
        t0 = time.perf_counter()
        generate(f, args.rows, codes)
        gen_s = time.perf_counter() - t0
        db = work / "bench.duckdb"
        db.unlink(missing_ok=True)
        exe = [sys.executable, "-m", "econsec.cli.main", "--db", str(db), "--json", "ingest", "baci", str(year_dir)]
        t0 = time.perf_counter()
        out = subprocess.run(exe, capture_output=True, text=True, check=False)
        wall = time.perf_counter() - t0
        if out.returncode != 0:
            raise SystemExit(out.stderr)
        peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        size = f.stat().st_size
        result = {
            "benchmark": "ingest/baci", "rows": args.rows, "file_mb": round(size / 1e6, 1),
            "generate_s": round(gen_s, 1), "ingest_wall_s": round(wall, 2),
            "rows_per_s": round(args.rows / wall), "peak_rss_mb": round(peak_kib / 1024, 1),
            "peak_rss_over_file": round(peak_kib * 1024 / size, 2),
            "cpus": os.cpu_count(), "econsec": json.loads(out.stdout)[0],
        }
        print(json.dumps(result))
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
