"""Reference run: py-ecomplexity 0.5.3 on its own test sample (10 countries × 30 HS92 products ×
1995–96, shipped in ../shared/data/reference/ecomplexity_fixtures/trade_data_sample.csv).

Writes ``py_ecomplexity_0.5.3_sample.csv`` beside this script: year, origin, hs92, rca, mcp, eci,
pci, density, coi, cog. Run it with py-ecomplexity installed (``pip install ecomplexity==0.5.3``):

    python tests/reference/ecomplexity/run_reference.py

The test ``tests/reference/test_complexity_reference.py`` compares econsec's kernel with this
committed output (rtol 1e-8) and, where py-ecomplexity is installed, re-runs it to detect drift.
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
import warnings
from pathlib import Path

import pandas as pd

HERE = Path(__file__).parent
OUTPUT = HERE / "py_ecomplexity_0.5.3_sample.csv"
COLUMNS = ["year", "origin", "hs92", "rca", "mcp", "eci", "pci", "density", "coi", "cog"]


def sample_path() -> Path:
    data = os.environ.get("ECONSEC_DATA_DIR") or str(HERE.parents[3] / "shared" / "data")
    return Path(data) / "reference" / "ecomplexity_fixtures" / "trade_data_sample.csv"


def run() -> pd.DataFrame:
    from ecomplexity import ecomplexity

    data = pd.read_csv(sample_path())
    with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
        warnings.simplefilter("ignore")  # py-ecomplexity warns and prints; neither matters here
        out = ecomplexity(data, {"time": "year", "loc": "origin", "prod": "hs92", "val": "export_val"},
                          verbose=False)
    return out[COLUMNS].sort_values(["year", "origin", "hs92"], ignore_index=True)


if __name__ == "__main__":
    df = run()
    df.to_csv(OUTPUT, index=False, float_format="%.17g")
    sys.stdout.write(f"wrote {OUTPUT} ({len(df)} rows)\n")
