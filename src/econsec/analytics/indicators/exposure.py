"""Exposure to the United States and China (methods.md §11): each country's export and
import shares with both, by year, and the change since a base year (2017 by default).

share_exports_c,k = X_c→k / X_c and share_imports_c,k = M_c←k / M_c for k ∈ {USA, CHN}. Totals
are the reporter's own World row where the source has one (``*_reported_total``), else the sum
over the partners in the source, which undercounts wherever partners are missing (see
:mod:`~econsec.analytics.indicators.coverage`). Where a source reports exports only, imports are mirror data (the partners' reported
exports), flagged. Where a source has all-goods (``TOTAL``) rows for a year they are used, else
product rows are summed. Shares are computed in the source's own currency (so Japan's yen series
gives shares even for years without a USD rate); totals are reported in USD where converted.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from econsec.analytics.indicators import coverage as cv
from econsec.analytics.indicators import data
from econsec.errors import NotFoundError
from econsec.store import Store


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
    out["reported_total"] = out.index.isin(df[df[partner] == "WLD"].groupby(["year", country]).size().index)
    return out.fillna({k: 0.0 for k in partners}).reset_index().rename(columns={country: "country"})


def exposure(store: Store, source: str, *, partners: Sequence[str] = ("USA", "CHN"),
             base_year: int = 2017) -> pd.DataFrame:
    """Per country × year: total exports and imports, shares with each partner, change since base."""
    df = data.exposure_flows(store, source)
    if df.empty:
        raise NotFoundError(f"source {source!r} has no annual flows with both partners identified")
    df.attrs["aggregates"] = data.aggregate_codes(store)
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
    # whether each total is the economy's own World row (else a sum over partners)
    res["exports_reported_total"] = out["reported_total_exports"].fillna(False).astype(bool)
    res["imports_reported_total"] = out["reported_total_imports"].fillna(False).astype(bool)
    res = res[~res["country"].isin(df.attrs["aggregates"])].sort_values(["country", "year"])
    return changes_since(res.reset_index(drop=True), base_year, partners)


def changes_since(res: pd.DataFrame, base_year: int, partners: Sequence[str] = ("USA", "CHN")
                  ) -> pd.DataFrame:
    """(Re)compute ``{side}_share_{k}_change_since_{base_year}`` = share − the country's share in
    ``base_year`` (NaN where either is missing)."""
    out = res.copy()
    base = out[out["year"] == base_year].set_index("country")
    for k in partners:
        for side in ("export", "import"):
            col = f"{side}_share_{k}"
            base_share = out["country"].map(base[col]).astype("float64")   # float even when empty
            out[f"{col}_change_since_{base_year}"] = out[col].astype("float64") - base_share
    return out


def apply_coverage(res: pd.DataFrame, benchmarks: pd.DataFrame, rule: cv.CoverageRule,
                   base_year: int = 2017) -> tuple[pd.DataFrame, pd.DataFrame, list[str]]:
    """Check each side of :func:`exposure`'s frame against independent totals.

    Adds ``export_coverage``/``import_coverage`` (and ``*_benchmark``, the total's source); a
    side that fails ``rule`` (see :mod:`~econsec.analytics.indicators.coverage`; a World total in
    the source always passes) has its shares left empty and the changes since ``base_year``
    recomputed; economy-years where both sides fail are returned apart with the reason.

    Returns
    -------
    frame, left_out, notes (how many were blanked or left out, and why).
    """
    df = res.rename(columns={"exports_reported_total": "export_complete",
                             "imports_reported_total": "import_complete"})
    keys = ("year", "country")
    out = cv.measure(cv.measure(df, "exports", benchmarks, keys), "imports", benchmarks, keys)
    notes: list[str] = []
    keep, why = {}, {}
    for side in cv.SIDES:
        p = cv.PREFIX[side]
        s = cv.screen(out, side, rule, what="economy-years", action=f"with {p} shares left empty")
        keep[side], why[side] = s.keep, s.reasons
        shares = [c for c in out.columns if c.startswith(f"{p}_share_") and "_change_since_" not in c]
        out.loc[~s.keep, shares] = np.nan
        notes += s.notes
    both = ~keep["exports"] & ~keep["imports"]
    if rule.active and both.any():
        notes.append(f"{int(both.sum())} of {len(out)} economy-years left out: neither side passes "
                     f"(coverage ≥ {cv.pct(rule.min_coverage)} or a World total in the source)")
    cols = ["year", "country", "exports_usd", "export_coverage", "export_benchmark", "imports_usd",
            "import_coverage", "import_benchmark"]
    left = out.loc[both, cols].reset_index(drop=True).assign(
        reason=(why["imports"] + "; " + why["exports"])[both])
    partners = [c.removeprefix("export_share_") for c in out.columns
                if c.startswith("export_share_") and "_change_since_" not in c]
    out = changes_since(out[~both].reset_index(drop=True), base_year, partners)
    extra = ["export_complete", "import_complete", "export_benchmark_usd", "import_benchmark_usd",
             "export_coverage", "import_coverage", "export_benchmark", "import_benchmark"]
    order = [c for c in out.columns if c not in extra]
    at = order.index("imports_usd") + 1
    order[at:at] = ["export_coverage", "import_coverage"]
    return out[[*order, "export_benchmark", "import_benchmark"]], left, notes
