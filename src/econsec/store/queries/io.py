"""Input-output tables: sector labels (the MRIO itself is built in ``econsec.analytics.io``)."""

from __future__ import annotations

import pandas as pd

from econsec.store.store import Store


def industry_names(store: Store, io_table: str, year: int | None) -> pd.Series:
    """Name of every industry sector of ``io_table`` in ``year``, indexed by sector code (none
    for a table without a year)."""
    df = store.df("SELECT sector, any_value(name) AS name FROM io_sectors WHERE io_table = ? "
                  "AND year = ? AND kind = 'industry' GROUP BY sector", [io_table, year])
    return df.set_index("sector")["name"]
