"""World markets for a few products reported against the World: shares, concentration, and what
one economy's exports could cover of another's imports.

Built for the semiconductor-manufacturing-equipment data (UN Comtrade, HS 848620 machines for
semiconductor devices and ICs, 903082 instruments for checking wafers or devices, 903141
optical inspection of wafers; each reporter's exports and imports *vs World*), where the
bilateral supplier of an import is unknown. For flow f, year t and product k:

* market share s_r = v_r / Σ_r' v_r' over the economies that report (the world total is the sum
  of reports, so non-reporters are missing, not zero; ``n_reporters`` says how many reported);
* supplier concentration HHI = Σ_r s_r² of the export shares (the top exporters behind it);
* cover ratio of B for A = min(X_B, M_A) / M_A: the share of A's imports that B's exports to the
  whole world could replace if redirected. An upper bound on what B can cover (B's exports are
  committed elsewhere; product mixes within the 6-digit code differ), not a bilateral flow.
"""

from __future__ import annotations

import pandas as pd

METHOD = ("share = reporter's value / Σ reporters' values (vs World, per flow × year × product); "
          "HHI = Σ export shares²; cover ratio = min(X_B, M_A) / M_A (upper bound, not bilateral)")


def world_market(flows: pd.DataFrame) -> pd.DataFrame:
    """Per flow × year × product × reporter: value_usd, share, rank (1 = largest).

    ``flows`` has columns reporter, flow ('export' or 'import'), year, product, value_usd; rows
    with the same key are summed.
    """
    keys = ["flow", "year", "product"]
    f = flows.groupby([*keys, "reporter"], as_index=False, observed=True)["value_usd"].sum()
    total = f.groupby(keys, observed=True)["value_usd"].transform("sum")
    f["share"] = (f["value_usd"] / total).where(total > 0, 0.0)
    f["rank"] = f.groupby(keys, observed=True)["value_usd"].rank(ascending=False, method="min").astype(int)
    return f.sort_values([*keys, "rank", "reporter"], ignore_index=True)


def market_summary(market: pd.DataFrame, top: int = 3) -> pd.DataFrame:
    """Per flow × year × product: total_usd, n_reporters, hhi, and the ``top`` reporters with
    their shares as text (``USA 26.4%, JPN 24.4%, …``)."""
    keys = ["flow", "year", "product"]
    g = market.groupby(keys, observed=True)
    out = pd.DataFrame({"total_usd": g["value_usd"].sum(), "n_reporters": g["reporter"].size(),
                        "hhi": g["share"].apply(lambda s: float((s ** 2).sum()))})
    lead = market[market["rank"] <= top].copy()
    lead["txt"] = lead["reporter"] + " " + (100 * lead["share"]).map("{:.1f}%".format)
    out["top"] = lead.groupby(keys, observed=True)["txt"].agg(", ".join)
    return out.reset_index()


def cover(market: pd.DataFrame, a: str, b: str) -> pd.DataFrame:
    """Per year × product: A's imports and world import share, B's exports, world export share
    and rank, the cover ratio min(X_B, M_A)/M_A, and the exporters' HHI and leaders.

    Years or products where A reports no imports have cover ratio NaN; where B reports no
    exports, B's columns are 0.
    """
    keys = ["year", "product"]
    summ = market_summary(market)
    exp = summ[summ["flow"] == "export"].drop(columns="flow").rename(columns={
        "total_usd": "world_exports_usd", "n_reporters": "n_exporters", "hhi": "exporter_hhi",
        "top": "top_exporters"})
    mine = (market["flow"] == "import") & (market["reporter"] == a)
    theirs = (market["flow"] == "export") & (market["reporter"] == b)
    imp_a = market.loc[mine, [*keys, "value_usd", "share"]].rename(
        columns={"value_usd": f"imports_{a}_usd", "share": f"import_share_{a}"})
    exp_b = market.loc[theirs, [*keys, "value_usd", "share", "rank"]].rename(
        columns={"value_usd": f"exports_{b}_usd", "share": f"export_share_{b}",
                 "rank": f"export_rank_{b}"})
    out = exp.merge(imp_a, on=keys, how="outer").merge(exp_b, on=keys, how="left")
    out[[f"exports_{b}_usd", f"export_share_{b}"]] = out[[f"exports_{b}_usd", f"export_share_{b}"]].fillna(0.0)
    ma, xb = out[f"imports_{a}_usd"].astype(float), out[f"exports_{b}_usd"].astype(float)
    out["cover_ratio"] = (pd.concat([ma, xb], axis=1).min(axis=1) / ma).where(ma > 0)
    cols = [*keys, f"imports_{a}_usd", f"import_share_{a}", f"exports_{b}_usd", f"export_share_{b}",
            f"export_rank_{b}", "cover_ratio", "world_exports_usd", "n_exporters", "exporter_hhi",
            "top_exporters"]
    return out[cols].sort_values(keys, ignore_index=True)
