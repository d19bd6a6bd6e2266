"""The structural-gravity panel (``gravity_panel``): inputs of scenarios and models."""

from __future__ import annotations

import pandas as pd

from econsec.store.store import Store


def rta_pairs(store: Store, dataset: str, year: int) -> pd.DataFrame:
    """RTA membership of every exporter × importer pair of ``dataset`` in ``year`` (1 if any
    row says so): exporter, importer, rta."""
    return store.df("SELECT exporter, importer, max(rta) AS rta FROM gravity_panel WHERE "
                    "dataset = ? AND year = ? GROUP BY ALL", [dataset, year])
