"""Exposure to the United States and China (the paper's Section II): each country's export and
import shares with both, by year, and the change since a base year (2017 by default).

share_exports_c,k = X_c→k / X_c and share_imports_c,k = M_c←k / M_c for k ∈ {USA, CHN}. Totals
are the reporter's own World row where the source has one, else the sum over the partners in
the source. Where a source reports exports only, imports are mirror data (the partners' reported
exports), flagged. Where a source has all-goods (``TOTAL``) rows for a year they are used, else
product rows are summed. Shares are computed in the source's own currency (so Japan's yen series
gives shares even for years without a USD rate); totals are reported in USD where converted.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from econsec.store import Store

_SQL = """
WITH f AS (
    SELECT year, flow, exporter, importer, classification = 'TOTAL' AS is_total, value_usd, value
    FROM trade_flows
    WHERE source = ? AND month IS NULL AND value IS NOT NULL
      AND exporter IS NOT NULL AND importer IS NOT NULL AND exporter <> importer
),
pick AS (  -- per year: TOTAL rows if the source has them, else product rows
    SELECT year, bool_or(is_total) AS has_total FROM f GROUP BY year
)
SELECT f.year, f.flow, f.exporter, f.importer, sum(f.value) AS value, sum(f.value_usd) AS value_usd
FROM f JOIN pick USING (year)
WHERE f.is_total = pick.has_total
GROUP BY ALL
"""


def _side(df: pd.DataFrame, country: str, partner: str, partners: Sequence[str]) -> pd.DataFrame:
    """Totals and partner values from one side's perspective (country = reporter column)."""
    agg = set(df.attrs.get("aggregates", ()))
    bil = df[~df[partner].isin(agg) & (df[partner] != "WLD")]
    out = pd.DataFrame()
    for col, name in (("value", "total"), ("value_usd", "total_usd")):
        world = df[df[partner] == "WLD"].groupby(["year", country])[col].sum(min_count=1)
        summed = bil.groupby(["year", country])[col].sum(min_count=1)
        out[name] = world.combine_first(summed)
    for k in partners:
        out[k] = bil[bil[partner] == k].groupby(["year", country])["value"].sum()
    return out.fillna({k: 0.0 for k in partners}).reset_index().rename(columns={country: "country"})


def exposure(store: Store, source: str, *, partners: Sequence[str] = ("USA", "CHN"),
             base_year: int = 2017) -> pd.DataFrame:
    """Per country × year: total exports and imports, shares with each partner, change since base."""
    df = store.df(_SQL, [source])
    if df.empty:
        raise KeyError(f"source {source!r} has no annual flows with both partners identified")
    aggs = store.df("SELECT iso3 FROM countries WHERE kind = 'aggregate'")["iso3"]
    df.attrs["aggregates"] = tuple(aggs)
    exp_rows = df[df["flow"].isin(["export", "reconciled"])]
    imp_rows = df[df["flow"].isin(["import", "reconciled"])]
    mirror = imp_rows.empty
    if mirror:
        imp_rows = exp_rows[exp_rows["importer"] != "WLD"]
    exp = _side(exp_rows, "exporter", "importer", partners)
    imp = _side(imp_rows, "importer", "exporter", partners)
    out = exp.merge(imp, on=["year", "country"], how="outer", suffixes=("_exports", "_imports"))
    res = out[["year", "country"]].copy()
    res["exports_usd"] = out["total_usd_exports"]
    res["imports_usd"] = out["total_usd_imports"]
    for k in partners:
        with np.errstate(divide="ignore", invalid="ignore"):
            self_ = res["country"] == k
            res[f"export_share_{k}"] = (out[f"{k}_exports"] / out["total_exports"]).mask(self_)
            res[f"import_share_{k}"] = (out[f"{k}_imports"] / out["total_imports"]).mask(self_)
    res["imports_mirror"] = mirror
    res = res[~res["country"].isin(df.attrs["aggregates"])].sort_values(["country", "year"])
    base = res[res["year"] == base_year].set_index("country")
    for k in partners:
        for side in ("export", "import"):
            col = f"{side}_share_{k}"
            res[f"{col}_change_since_{base_year}"] = res[col] - res["country"].map(base[col])
    return res.reset_index(drop=True)
