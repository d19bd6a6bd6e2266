"""Long-term LNG contracts: the expiry ladder and the uncontracted gap (methods.md §8.4).

A contract k (buyer country b, seller s, annual contract quantity q_k in Mtpa) is in force in
year t when start_k ≤ t ≤ end_k (a missing start means "in force before the analysis starts";
the end year is the last delivery year). The expiry ladder is

    C_bt = Σ_k q_k · 1[start_k ≤ t ≤ end_k]                  (Mt/yr)

and the uncontracted gap against a demand path D_bt (Mt/yr) is G_bt = D_bt − C_bt (negative =
over-contracted). The default demand path holds the last observed imports flat.

The shipped examples (``contracts_public.csv``) are publicly reported contracts with their
citation; users keep their own in the store table ``lng_contracts`` (migration 0005).
"""

from __future__ import annotations

from importlib import resources

import numpy as np
import pandas as pd

from econsec.analytics.lng.results import LngError

COLUMNS = ("buyer", "buyer_country", "seller", "seller_country", "mtpa", "start_year",
           "end_year", "destination_flexible", "price_index", "source", "citation")
REQUIRED = ("buyer", "buyer_country", "seller", "seller_country", "mtpa", "end_year")


def shipped_contracts() -> pd.DataFrame:
    """The publicly reported contracts econsec ships, with citations."""
    with resources.files(__package__).joinpath("contracts_public.csv").open(encoding="utf-8") as f:
        return normalise(pd.read_csv(f), origin="contracts_public.csv")


def normalise(df: pd.DataFrame, *, origin: str) -> pd.DataFrame:
    """Check and type a contracts table (columns :data:`COLUMNS`; extra columns dropped)."""
    missing = [c for c in REQUIRED if c not in df.columns]
    if missing:
        raise LngError(f"{origin}: contracts need columns {', '.join(REQUIRED)}; "
                       f"missing {', '.join(missing)}")
    out = df.reindex(columns=list(COLUMNS)).copy()
    for c in ("mtpa",):
        out[c] = pd.to_numeric(out[c], errors="coerce")
    for c in ("start_year", "end_year"):
        out[c] = pd.to_numeric(out[c], errors="coerce").astype("Int64")
    bad = out["mtpa"].isna() | (out["mtpa"] < 0) | out["end_year"].isna()
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise LngError(f"{origin}: row {i + 1}: mtpa must be a number ≥ 0 and end_year a year, "
                       f"got mtpa={df.iloc[i].get('mtpa')!r}, end_year={df.iloc[i].get('end_year')!r}")
    late = out["start_year"].notna() & (out["start_year"] > out["end_year"])
    if late.any():
        i = int(np.flatnonzero(late.to_numpy())[0])
        raise LngError(f"{origin}: row {i + 1}: start_year after end_year")
    flex = out["destination_flexible"].astype(str).str.lower().isin(["true", "1", "yes"])
    out["destination_flexible"] = flex
    for c in ("buyer_country", "seller_country"):
        out[c] = out[c].astype(str).str.upper()
    return out


def expiry_ladder(contracts: pd.DataFrame, years: np.ndarray) -> pd.DataFrame:
    """C_bt: contracted Mt/yr by buyer country and year, plus the volume expiring in t.

    Returns columns buyer_country, year, contracted_mt, expiring_mt.
    """
    years = np.asarray(years, dtype=int)
    start = contracts["start_year"].astype("float").fillna(-np.inf).to_numpy()[:, None]
    end = contracts["end_year"].astype("float").to_numpy()[:, None]
    q = contracts["mtpa"].to_numpy(dtype=float)[:, None]
    active = (start <= years[None, :]) & (years[None, :] <= end)
    expiring = years[None, :] == end
    cont = pd.DataFrame(q * active, columns=years)
    exp = pd.DataFrame(q * expiring, columns=years)
    key = contracts["buyer_country"].to_numpy()
    c = cont.groupby(key).sum().stack().rename("contracted_mt")
    e = exp.groupby(key).sum().stack().rename("expiring_mt")
    out = pd.concat([c, e], axis=1).reset_index()
    out.columns = ["buyer_country", "year", "contracted_mt", "expiring_mt"]
    return out


def uncontracted_gap(ladder: pd.DataFrame, demand: pd.DataFrame) -> pd.DataFrame:
    """G_bt = D_bt − C_bt; ``demand`` has buyer_country, year, demand_mt.

    Buyers or years without contracts count C = 0.
    """
    out = demand.merge(ladder, on=["buyer_country", "year"], how="left")
    out[["contracted_mt", "expiring_mt"]] = out[["contracted_mt", "expiring_mt"]].fillna(0.0)
    out["gap_mt"] = out["demand_mt"] - out["contracted_mt"]
    out["contracted_share"] = out["contracted_mt"] / out["demand_mt"]
    return out


def flat_demand(buyer_country: str, last_mt: float, years: np.ndarray) -> pd.DataFrame:
    """Demand path holding the last observed imports flat."""
    years = np.asarray(years, dtype=int)
    return pd.DataFrame({"buyer_country": buyer_country, "year": years,
                         "demand_mt": np.full(len(years), float(last_mt))})


def contracts_by_seller(contracts: pd.DataFrame, buyer_country: str, year: int) -> pd.Series:
    """Mt/yr in force for ``buyer_country`` in ``year`` by seller country (contract minimums)."""
    c = contracts.loc[contracts["buyer_country"] == buyer_country]
    start = c["start_year"].astype("float").fillna(-np.inf)
    on = (start <= year) & (c["end_year"].astype("float") >= year)
    return c.loc[on].groupby("seller_country")["mtpa"].sum()
