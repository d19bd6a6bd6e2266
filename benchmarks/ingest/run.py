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

from econsec.settings import Config

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from generate import baci_year_dir


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=11_000_000)
    ap.add_argument("--keep", type=Path, default=None, help="work directory to keep")
    args = ap.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="econsec-bench-ingest-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        t0 = time.perf_counter()
        f = baci_year_dir(work, args.rows, Config.resolve().data_dir)
        year_dir = f.parent
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
