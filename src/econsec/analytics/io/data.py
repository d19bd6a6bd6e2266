"""Loading an MRIO from the store: the SQL behind :meth:`MRIO.from_store`.

The store keeps a table as long rows: ``io_sectors`` (one row per country-sector with its
published gross output, unit and source; one per final-demand category) and ``io_flows`` (one
row per cell: row country-sector × column country-sector, or × column country and final-demand
category). :func:`load_mrio` finds each cell's integer position in DuckDB (``list_position``),
scatters the values into Z and Y with numpy, and records the source and its ingest vintage;
:class:`~econsec.analytics.io.mrio.MRIO` then holds the table and runs the analyses.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from econsec.analytics.io.mrio import MRIO, MRIOError, OutputBasis
from econsec.errors import check_choice
from econsec.store import Store

_FLOWS = """
SELECT coalesce(list_position($1, row_country), 0) - 1 AS rr,
       coalesce(list_position($2, row_sector), 0) - 1 AS rs,
       coalesce(list_position($1, col_country), 0) - 1 AS cr,
       coalesce(list_position($2, col_sector), 0) - 1 AS cs,
       coalesce(list_position($3, col_sector), 0) - 1 AS ck,
       value
FROM io_flows WHERE io_table = $4 AND year = $5
"""
_BAD_FLOW = """
SELECT row_country, row_sector, col_country, col_sector FROM io_flows
WHERE io_table = $4 AND year = $5 AND (list_position($1, row_country) IS NULL
   OR list_position($2, row_sector) IS NULL OR list_position($1, col_country) IS NULL
   OR (list_position($2, col_sector) IS NULL AND list_position($3, col_sector) IS NULL))
LIMIT 1
"""


def load_mrio(store: Store, year: int, io_table: str = "WIOD2013", *,
              output: OutputBasis = "row-sums") -> MRIO:
    """The table ``io_table`` for ``year`` from the store's ``io_flows`` and ``io_sectors``.

    ``output="published"`` takes gross output x from the table's published gross-output
    column (WIOD's GO) instead of the row sums Z·1 + Y·1 (see :mod:`econsec.analytics.io.mrio`).

    Regions, sectors and final-demand categories come in the order the source lists them
    (WIOD: country-major AUS … USA, ROW; c1 … c35; CONS_h, CONS_np, CONS_g, GFCF, INVEN).
    For WIOD 2013 value added is derived (x − Zᵀ1): the table's value-added rows (taxes
    less subsidies, international transport margins, value added at basic prices) are not
    in the store, so va is all primary inputs together.
    """
    check_choice(output, OutputBasis, option="output")
    sec = store.df("SELECT country, sector, gross_output, unit, source FROM io_sectors "
                   "WHERE io_table = ? AND year = ? AND kind = 'industry' ORDER BY rowid",
                   [io_table, year])
    if sec.empty:
        have = store.df("SELECT DISTINCT io_table, year FROM io_sectors WHERE kind = 'industry' "
                        "ORDER BY ALL")
        raise MRIOError(f"no {io_table} table for {year} in the store; it has "
                        f"{[tuple(r) for r in have.itertuples(index=False)][:20]}")
    fd = store.df("SELECT sector FROM io_sectors WHERE io_table = ? AND kind = 'final_demand' "
                  "AND (year = ? OR year IS NULL) ORDER BY rowid", [io_table, year])
    regions = pd.Index(sec["country"].unique())
    sectors = pd.Index(sec["sector"].unique())
    categories = pd.Index(fd["sector"].unique())
    R, N, K = len(regions), len(sectors), len(categories)
    n = R * N
    units = set(sec["unit"].dropna().unique()) | set(store.df(
        "SELECT DISTINCT unit FROM io_flows WHERE io_table = ? AND year = ?",
        [io_table, year])["unit"])
    if len(units) > 1:
        raise MRIOError(f"{io_table} {year} mixes units {sorted(units)}")
    # Integer positions are found in DuckDB (list_position is 1-based, 0 when absent).
    f = store.df(_FLOWS, [list(regions), list(sectors), list(categories), io_table, year])
    rr, rs, cr, cs, ck = (f[c].to_numpy(np.int64) for c in ("rr", "rs", "cr", "cs", "ck"))
    bad = (rr < 0) | (rs < 0) | (cr < 0) | ((cs < 0) & (ck < 0))
    if bad.any():
        cell = store.df(_BAD_FLOW, [list(regions), list(sectors), list(categories), io_table,
                                    year]).iloc[0].to_dict()
        raise MRIOError(f"io_flows {io_table} {year}: a cell outside the table's country-sectors"
                        f" and final-demand categories: {cell}")
    value = f["value"].to_numpy()
    inter = cs >= 0
    row = rr * N + rs
    Z = np.zeros((n, n))
    np.add.at(Z, (row[inter], cr[inter] * N + cs[inter]), value[inter])
    Y = np.zeros((n, R * K))
    np.add.at(Y, (row[~inter], cr[~inter] * K + ck[~inter]), value[~inter])
    go = np.zeros(n)
    go[regions.get_indexer(sec["country"]) * N + sectors.get_indexer(sec["sector"])] = \
        sec["gross_output"].fillna(0.0).to_numpy()
    if output == "published" and sec["gross_output"].isna().any():
        r = sec[sec["gross_output"].isna()].iloc[0]
        raise MRIOError(f"{io_table} {year} publishes no gross output for {r['country']}/"
                        f"{r['sector']}: use the row sums (output='row-sums')")
    source = str(sec["source"].iloc[0])
    vint = store.df("SELECT DISTINCT vintage FROM ingest_log WHERE source = ? "
                    "AND superseded_by IS NULL", [source])["vintage"].tolist()
    return MRIO.from_arrays(Z, Y, regions=tuple(regions), sectors=tuple(sectors),
                            categories=tuple(categories), io_table=io_table, year=int(year),
                            unit=units.pop() if units else "", source=source,
                            vintage="; ".join(vint), reported_output=go,
                            x=go if output == "published" else None)
