"""The full indicator sweep on one year of a store, as a whole run (timed by run.py).

Usage: python benchmarks/indicators/sweep.py DB SOURCE YEAR  -> prints JSON timings.
"""

from __future__ import annotations

import json
import sys
import time

from econsec.analytics.indicators import complementarity as cm
from econsec.analytics.indicators import concentration as cc
from econsec.analytics.indicators import screens as sc
from econsec.analytics.indicators import vulnerability as vu
from econsec.analytics.indicators.complexity import rca_matrix
from econsec.analytics.indicators.data import load_panel
from econsec.store import Store


def main(db: str, source: str, year: int) -> None:
    t = {}
    t0 = last = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal last
        now = time.perf_counter()
        t[name] = round(now - last, 3)
        last = now

    with Store(db, read_only=True) as store:
        panel = load_panel(store, source, year)
    lap("load_panel")
    conc = cc.concentration(panel)
    hw = cc.world_export_hhi(panel.world_exports)
    lap("concentration")
    flags = {n: sc.screen(n, conc, panel.world_exports, hw) for n in sc.SCREENS}
    lap("screens")
    vu.import_vulnerability(panel, conc, flags)
    vu.export_power(panel.world_exports, panel.countries)
    lap("vulnerability")
    rca_matrix(panel.world_exports)
    lap("rca")
    cm.michaely_matrix(panel.imports(), panel.world_exports)
    cm.similarity_matrix(panel.world_exports)
    cm.strategic_scores_all(panel, conc, flags=flags["eu"])
    lap("complementarity_all_pairs")
    t["total"] = round(time.perf_counter() - t0, 3)
    sys.stdout.write(json.dumps({"rows": int(len(panel.value)), "countries": panel.n_countries,
                                 "products": panel.n_products, "seconds": t}) + "\n")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]))
