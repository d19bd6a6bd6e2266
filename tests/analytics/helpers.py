"""Small hand-made trade panels for indicator tests."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import strategies as st

from econsec.analytics.indicators import panel_from_frame


def frame(rows: list[tuple[str, str, str, float]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["exporter", "importer", "product", "value"])


def random_flows(seed: int, n_countries: int = 6, n_products: int = 5, density: float = 0.6) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    names = [f"C{i:02d}" for i in range(n_countries)]
    e, i, p = np.meshgrid(range(n_countries), range(n_countries), range(n_products), indexing="ij")
    keep = (e != i) & (rng.random(e.shape) < density)
    v = rng.lognormal(3, 2, e.shape)[keep]
    return pd.DataFrame({"exporter": np.array(names)[e[keep]], "importer": np.array(names)[i[keep]],
                         "product": np.char.add("P", p[keep].astype(str)), "value": v})


seeds = st.integers(min_value=0, max_value=10_000)


def panel(rows, **kw):  # type: ignore[no-untyped-def]
    df = rows if isinstance(rows, pd.DataFrame) else frame(rows)
    return panel_from_frame(df, year=kw.pop("year", 2020), **kw)
