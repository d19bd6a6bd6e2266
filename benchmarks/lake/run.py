"""Lake benchmark: one generated BACI-format year (~11 M rows) through the Spark engine
(`econsec ingest baci DIR --engine spark --master local[2]`: Spark parse into the Parquet lake,
then registration in the store) against the DuckDB adapter (`econsec ingest baci DIR`).

Each engine runs as a whole CLI process (interpreter and, for Spark, JVM start included) on a
fresh store. Peak memory is the peak of the summed RSS of the process tree (the Python driver
and, for Spark, the JVM that holds the driver and, in local mode, the executors), sampled every
0.1 s with psutil. The Spark run also reports its two steps' seconds (lake write, registration).

Usage: python benchmarks/lake/run.py [--rows 11000000] [--master local[2]] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

from econsec.settings import Config

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from generate import baci_year_dir


def run(cmd: list[str]) -> tuple[float, float, list[dict]]:
    """Wall seconds, peak process-tree RSS (MB) and the JSON output of one CLI run."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    root, peak = psutil.Process(proc.pid), 0
    while proc.poll() is None:
        try:
            tree = [root, *root.children(recursive=True)]
            peak = max(peak, sum(p.memory_info().rss for p in tree if p.is_running()))
        except psutil.Error:
            pass
        time.sleep(0.1)
    out, errtext = proc.communicate()
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        raise SystemExit(errtext[-3000:])
    return wall, peak / 1e6, json.loads(out)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=11_000_000)
    ap.add_argument("--master", default="local[2]")
    ap.add_argument("--keep", type=Path, default=None, help="work directory to keep")
    args = ap.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="econsec-bench-lake-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        f = baci_year_dir(work, args.rows, Config.resolve().data_dir, reuse=True)
        year_dir = f.parent
        cli = [sys.executable, "-m", "econsec.cli.main", "--json"]
        for p in (work / "duck.duckdb", work / "spark.duckdb"):
            p.unlink(missing_ok=True)
        shutil.rmtree(work / "lake", ignore_errors=True)
        d_wall, d_rss, d_out = run([*cli, "--db", str(work / "duck.duckdb"), "ingest", "baci", str(year_dir)])
        s_wall, s_rss, s_out = run([*cli, "--db", str(work / "spark.duckdb"), "ingest", "baci", str(year_dir),
                                    "--engine", "spark", "--lake", str(work / "lake"), "--master", args.master])
        lake_mb = sum(p.stat().st_size for p in (work / "lake").rglob("*.parquet")) / 1e6
        result = {
            "benchmark": "lake/baci", "rows": args.rows, "file_mb": round(f.stat().st_size / 1e6, 1),
            "cpus": os.cpu_count(), "master": args.master,
            "duckdb": {"wall_s": round(d_wall, 2), "rows_per_s": round(args.rows / d_wall),
                       "peak_rss_mb": round(d_rss, 1)},
            "spark": {"wall_s": round(s_wall, 2), "rows_per_s": round(args.rows / s_wall),
                      "peak_rss_mb": round(s_rss, 1), "lake_step_s": s_out[0]["seconds"],
                      "register_step_s": s_out[1]["seconds"], "lake_parquet_mb": round(lake_mb, 1)},
            "spark_over_duckdb_wall": round(s_wall / d_wall, 2),
            "rows_written": {"duckdb": d_out[0]["rows_written"], "spark_lake": s_out[0]["rows_written"],
                             "spark_store": s_out[1]["rows_written"]},
        }
        print(json.dumps(result))
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
