"""Benchmark: the six decoupling presets on WIOD 2011 (41 × 35), whole run including building
the store table, calibration and the six Caliendo–Parro solves. Goal: < 10 s in total.

    .venv/bin/python benchmarks/decoupling/run.py [--data-dir ../shared/data]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from econsec.analytics.decoupling import PRESETS, preset, run
from econsec.analytics.models.multisector import load_wiod
from econsec.settings import Config
from econsec.sources.registry import get
from econsec.store import Store, ingest


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data-dir", type=Path, default=Config.resolve().data_dir)
    data_dir = ap.parse_args().data_dir
    with tempfile.TemporaryDirectory() as d, Store(Path(d) / "bench.duckdb") as store:
        files = [f for f in get("wiod2013").discover(data_dir) if "wiot_" not in f.name or "2011" in f.name]
        t0 = time.perf_counter()
        ingest(store, [(get("wiod2013"), files)])
        t1 = time.perf_counter()
        cal = load_wiod(store, 2011)
        t2 = time.perf_counter()
        res = run(cal, [preset(n) for n in PRESETS])
        t3 = time.perf_counter()
    print(f"ingest WIOD 2011      {t1 - t0:7.3f} s")
    print(f"calibration           {t2 - t1:7.3f} s")
    print(f"six presets (solve)   {t3 - t2:7.3f} s   converged={res.converged}")
    for name, (_, r) in res.runs.items():
        print(f"  {name:<20} {r.iterations:4d} iterations  {r.diagnostics['seconds']:.3f} s  "
              f"residual {r.residual:.1e}")
    print(f"calibration + solves  {t3 - t1:7.3f} s")
    print(f"total (incl. ingest)  {t3 - t0:7.3f} s")


if __name__ == "__main__":
    main()
