"""Reading trade panels from the store for the indicator kernels.

:func:`load_panel` turns one source's ``trade_flows`` for one year into a :class:`TradePanel`:

* product codes are cut to ``level`` digits (HS chapters at 2, headings at 4, subheadings at 6)
  and summed; all-goods rows (classification ``TOTAL``) and monthly rows are left out;
* aggregates (World, EU, areas n.e.s.) are not suppliers or importers; a reporter's ``WLD``
  export row is its exports to the world;
* imports are the importer's own reports where the source has them, else *mirror* data: the
  partners' reported exports (Comtrade and IMF files here hold exports only);
* BACI's reconciled flows are used as they are.

Set work (filtering, cutting codes, summing) runs in DuckDB; the panel is built from the result.
"""

from __future__ import annotations

import pandas as pd

from econsec.analytics.indicators.panel import TradePanel, panel_from_frame
from econsec.store import Store

_SQL = """
WITH f AS (
    SELECT t.exporter, t.importer, t.flow, left(t.product, ?) AS product, t.value_usd,
           t.classification
    FROM trade_flows t
    WHERE t.source = ? AND t.year = ? AND t.month IS NULL AND t.classification <> 'TOTAL'
      AND t.value_usd IS NOT NULL AND t.value_usd > 0
      AND t.exporter IS NOT NULL AND t.importer IS NOT NULL
)
SELECT f.exporter, f.importer, f.flow, f.product, sum(f.value_usd) AS value,
       string_agg(DISTINCT f.classification, '/') AS classification
FROM f
JOIN countries ce ON ce.iso3 = f.exporter
JOIN countries ci ON ci.iso3 = f.importer
WHERE ce.kind <> 'aggregate' AND (ci.kind <> 'aggregate' OR f.importer = 'WLD')
GROUP BY ALL
"""


def source_years(store: Store, source: str) -> list[int]:
    """Years with annual product-level flows in ``source``."""
    df = store.df("SELECT DISTINCT year FROM trade_flows WHERE source = ? AND month IS NULL "
                  "AND classification <> 'TOTAL' ORDER BY year", [source])
    return [int(y) for y in df["year"]]


def vintage(store: Store, source: str) -> str:
    df = store.df("SELECT DISTINCT vintage FROM ingest_log WHERE source = ? AND superseded_by IS NULL",
                  [source])
    return "; ".join(df["vintage"]) if len(df) else "not ingested"


def load_panel(store: Store, source: str, year: int, *, level: int | None = None) -> TradePanel:
    """One year of ``source`` as a panel at ``level`` product digits (default: the source's own)."""
    if level is None:
        lv = store.df("SELECT max(length(product)) n FROM trade_flows WHERE source = ? AND year = ? "
                      "AND classification <> 'TOTAL'", [source, year])["n"].iloc[0]
        if pd.isna(lv):
            years = source_years(store, source)
            raise KeyError(f"source {source!r} has no product-level flows in {year}; years: {years}")
        level = int(lv)
    df = store.df(_SQL, [level, source, year])
    if df.empty:
        raise KeyError(f"source {source!r} has no product-level flows in {year}; "
                       f"years: {source_years(store, source)}")
    classes = "/".join(sorted(set("/".join(df["classification"]).split("/"))))
    world = df[(df["importer"] == "WLD") & (df["flow"] == "export")]
    bil = df[df["importer"] != "WLD"]
    notes: list[str] = []
    reported_imp = bil[bil["flow"] == "import"]
    exp_rows = bil[bil["flow"].isin(["export", "reconciled"])]
    if len(reported_imp):
        reporters = set(reported_imp["importer"])
        mirrored = exp_rows[~exp_rows["importer"].isin(reporters)]
        flows = pd.concat([reported_imp, mirrored])
        mirror = len(mirrored) > 0
        notes.append(f"imports reported by {len(reporters)} economies; mirror data for the others")
        world = pd.concat([world, exp_rows.assign(importer="WLD")])
    else:
        flows = exp_rows
        mirror = bool((exp_rows["flow"] == "export").any())
        if mirror:
            notes.append(f"imports are mirror data: exports reported by "
                         f"{exp_rows['exporter'].nunique()} economies to their partners")
    return panel_from_frame(flows, year=year, world=world, source=source,
                            classification=f"{classes} at {level} digits",
                            vintage=vintage(store, source), mirror=mirror, notes=tuple(notes))
