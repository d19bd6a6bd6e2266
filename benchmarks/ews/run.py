"""Benchmark: scan 4,000 items × 200 partners × 120 months (generated data).

Times (1) a live scan (score of the latest month for every item, ``last=1``) and (2) the full
history (every month, as in the backtest). Usage: ``python benchmarks/ews/run.py [--threads 2] [--full] [--value-signal value_drop]``.
"""

from __future__ import annotations

import argparse
import os
import time


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--items", type=int, default=4000)
    ap.add_argument("--partners", type=int, default=200)
    ap.add_argument("--months", type=int, default=120)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--full", action="store_true", help="also score every month (backtest mode)")
    ap.add_argument("--value-signal", default="stl_drop", choices=("stl_drop", "value_drop"),
                    help="value signal scored (default: stl_drop, econsec's default)")
    a = ap.parse_args()
    for v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[v] = str(a.threads)

    import numpy as np
    import pandas as pd

    from econsec.analytics.ews.panel import MonthlyPanel, evaluate
    from econsec.analytics.ews.scoring import ScoringRules

    rng = np.random.default_rng(0)
    months = pd.date_range("2010-01-01", periods=a.months, freq="MS")
    season = 1 + 0.1 * np.sin(2 * np.pi * np.arange(a.months) / 12)
    base = rng.lognormal(0, 2, (a.items, a.partners, 1)) * (rng.random((a.items, a.partners, 1)) < 0.3)
    flows = base * season * rng.lognormal(0, 0.1, (a.items, a.partners, a.months))
    items = pd.DataFrame({"importer": "AAA", "classification": "HS6",
                          "product": [f"{i:06d}" for i in range(a.items)]})
    partners = tuple(f"P{p:03d}" for p in range(a.partners))
    panel = MonthlyPanel(items, partners, months, flows, flows.sum(axis=1), "generated", "bench")
    gprc = pd.DataFrame({"country": np.repeat(partners, a.months), "period": np.tile(months, a.partners),
                         "value": rng.lognormal(4, 0.3, a.partners * a.months)})
    rules = ScoringRules().with_value_signal(a.value_signal)
    print(f"value signal: {a.value_signal}")
    t = time.perf_counter()
    _, s, lv = evaluate(panel, rules, gprc=gprc, last=1)
    scan = time.perf_counter() - t
    print(f"scan (latest month): {a.items} items × {a.partners} partners × {a.months} months: "
          f"{scan:.2f} s; {int((lv[:, -1] > 0).sum())} items above normal")
    if a.full:
        t = time.perf_counter()
        evaluate(panel, rules, gprc=gprc)
        print(f"full history (every month): {time.perf_counter() - t:.2f} s")


if __name__ == "__main__":
    main()
