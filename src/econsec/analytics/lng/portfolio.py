"""LNG supplier portfolios: shares, concentration, diversity, risk and chokepoint exposure.

For importer c in year t with imports m_cs (bcm) from supplier s:

* shares          s_cs = m_cs / Σ_s m_cs
* HHI             H_c  = Σ_s s_cs²                       (0–1; Vivoda 2014)
* Shannon–Wiener  D_c  = −Σ_s s_cs ln s_cs               (nats; Yoon 2019)
* risk-weighted   RH_c = Σ_s s_cs² w_s,  w_st = GPRC_st / mean_{1985–2019} GPRC_s  (ours; methods.md §8.2)
* chokepoints     E_rc = Σ_s s_cs · 1[the usual route s → c passes chokepoint r], for
                  r ∈ {Hormuz, Malacca, Red Sea (Suez + Bab-el-Mandeb), Panama}

GPRC is the Caldara–Iacoviello country geopolitical-risk index (share of articles, monthly; 44
countries), averaged over the year. A supplier without a GPRC series (e.g. Qatar, UAE, Oman,
Nigeria, Algeria) gets w_s = 1 (risk at its historical norm); the result reports the import share
covered by an observed index (``gpr_coverage``). The source's residual groups ("Other Africa" …)
are kept as one supplier each, which slightly understates concentration.

Route data (``routes.csv``: chokepoint, supplier, importers, route, source; docs/lng.md §1).
Hormuz = Qatar, UAE, Oman for every importer (methods.md §8.3). The other chokepoints are given
for deliveries to East Asia (Japan, Korea, China, Taiwan, Hong Kong, Philippines, Thailand):
Malacca for cargoes loaded west of the strait (Middle East, Africa, Europe); the Red Sea (Suez
Canal and Bab-el-Mandeb, passed together on the way to Asia) for Mediterranean and European
cargoes (Egypt, Algeria, Norway, other Europe); Panama for U.S. and Trinidad cargoes. West
African cargoes sail round the Cape; Asia–Pacific plants (Australia, Malaysia, Indonesia, Brunei,
PNG, Russia's Sakhalin) and Peru pass none of them. Each supplier gets its usual route (0/1);
cargo-level routing (e.g. U.S. cargoes sent round the Cape while Panama was restricted in
2023–24) is not in the data.

Volumes in Mt use 1 bcm of natural gas ≈ 0.735 Mt of LNG (BP Statistical Review 2020, approximate
conversion factors; methods.md §8.1).
"""

from __future__ import annotations

from functools import cache
from importlib import resources

import numpy as np
import pandas as pd

from econsec.analytics.lng.results import LngError
from econsec.errors import choice_error

BCM_TO_MT = 0.735
CHOKEPOINTS: tuple[str, ...] = ("hormuz", "malacca", "red_sea", "panama")
CHOKEPOINT_NAMES = {"hormuz": "Strait of Hormuz", "malacca": "Strait of Malacca",
                    "red_sea": "Red Sea (Suez Canal, Bab-el-Mandeb)", "panama": "Panama Canal"}
ALIASES = {"suez": "red_sea", "bab-el-mandeb": "red_sea", "bab_el_mandeb": "red_sea",
           "red-sea": "red_sea"}


@cache
def routes() -> pd.DataFrame:
    """The shipped route table, one row per chokepoint × supplier × importer ("*" = any)."""
    with resources.files(__package__).joinpath("routes.csv").open(encoding="utf-8") as f:
        r = pd.read_csv(f, dtype=str)
    unknown = sorted(set(r["chokepoint"]) - set(CHOKEPOINTS))
    if unknown:
        raise LngError(f"routes.csv: chokepoint must be one of {', '.join(CHOKEPOINTS)}, "
                       f"got {', '.join(unknown)}")
    r["importer"] = r["importers"].str.split()
    return r.explode("importer", ignore_index=True)[["chokepoint", "supplier", "importer",
                                                     "route", "source"]]


def chokepoint(name: str) -> str:
    """The canonical chokepoint key of ``name`` (case-insensitive; 'suez' → 'red_sea')."""
    key = ALIASES.get(name.strip().lower(), name.strip().lower())
    if key not in CHOKEPOINTS:
        raise choice_error(name, (*CHOKEPOINTS, "suez", "bab-el-mandeb"), option="route")
    return key


def route_flags(supplier: pd.Series, importer: pd.Series) -> pd.DataFrame:
    """One boolean column per chokepoint: does the route supplier → importer pass it?"""
    r = routes()
    pairs = pd.MultiIndex.from_arrays([supplier.astype(str), importer.astype(str)])
    out = {}
    for cp in CHOKEPOINTS:                      # four chokepoints; each test is vectorised
        rc = r.loc[r["chokepoint"] == cp]
        anywhere = supplier.isin(rc.loc[rc["importer"] == "*", "supplier"]).to_numpy()
        named = rc.loc[rc["importer"] != "*", ["supplier", "importer"]]
        out[cp] = anywhere | pairs.isin(pd.MultiIndex.from_frame(named))
    return pd.DataFrame(out, index=supplier.index)


HORMUZ = frozenset(routes().query("chokepoint == 'hormuz'")["supplier"])


def supplier_key(exporter: pd.Series, exporter_name: pd.Series) -> pd.Series:
    """ISO3 code, or the source's name for residual groups that have no code."""
    return exporter.where(exporter.notna(), exporter_name).astype(str)


def shares(volume: pd.Series, group: list[pd.Series]) -> pd.Series:
    """s_cs = m_cs / Σ_s m_cs within each group (NaN where the group total is 0)."""
    tot = volume.groupby(group).transform("sum")
    return volume / tot.where(tot > 0)


def hhi(s: np.ndarray) -> float:
    """Herfindahl–Hirschman index Σ s², shares as fractions (0–1)."""
    return float(np.sum(np.asarray(s, dtype=float) ** 2))


def shannon(s: np.ndarray) -> float:
    """Shannon–Wiener index −Σ s ln s (0·ln 0 := 0)."""
    s = np.asarray(s, dtype=float)
    s = s[s > 0]
    return float(-np.sum(s * np.log(s)))


def passes_malacca(supplier: pd.Series, importer: pd.Series) -> pd.Series:
    """True where the route supplier → importer passes the Strait of Malacca (route data)."""
    return route_flags(supplier, importer)["malacca"]


def risk_weights(gprc: pd.DataFrame, base: tuple[int, int] = (1985, 2019)) -> pd.DataFrame:
    """w_st = GPRC_st / mean_{τ ∈ base} GPRC_sτ from annual means (columns country, year, gprc).

    Each country is measured against its own 1985–2019 average, the base period of the GPR
    indices: GPRC levels are not comparable across countries (the United States appears in far
    more articles than any other country), changes against a country's own history are.
    """
    in_base = gprc["year"].between(*base)
    ref = gprc.loc[in_base].groupby("country")["gprc"].mean()
    w = gprc["gprc"] / gprc["country"].map(ref)
    return gprc.assign(w=w)[["country", "year", "w"]]


def supplier_table(trade: pd.DataFrame, weights: pd.DataFrame) -> pd.DataFrame:
    """Per importer × year × supplier: bcm, Mt, share, risk weight and chokepoint flags.

    ``trade`` has importer, year, supplier, bcm (supplier rows only, no totals).
    """
    t = trade.loc[trade["bcm"].fillna(0) > 0].copy()
    t["mt"] = t["bcm"] * BCM_TO_MT
    t["share"] = shares(t["bcm"], [t["importer"], t["year"]])
    t = t.merge(weights.rename(columns={"country": "supplier"}), on=["supplier", "year"],
                how="left")
    t["gpr_observed"] = t["w"].notna()
    t["risk_weight"] = t["w"].fillna(1.0)
    t = t.join(route_flags(t["supplier"], t["importer"]))
    cols = ["importer", "year", "supplier", "bcm", "mt", "share", "risk_weight", "gpr_observed",
            *CHOKEPOINTS]
    return t[cols].sort_values(["importer", "year", "share"], ascending=[True, True, False],
                               ignore_index=True)


def portfolio_indicators(sup: pd.DataFrame) -> pd.DataFrame:
    """Importer × year indicators from :func:`supplier_table` output (vectorised by groupby)."""
    s = sup["share"]
    x = sup.assign(s2=s ** 2, slns=-s * np.log(s), rs2=s ** 2 * sup["risk_weight"],
                   gs=s * sup["gpr_observed"],
                   **{f"{cp}_share": s * sup[cp] for cp in CHOKEPOINTS})
    g = x.groupby(["importer", "year"], sort=True)
    out = g.agg(total_bcm=("bcm", "sum"), total_mt=("mt", "sum"), n_suppliers=("supplier", "size"),
                hhi=("s2", "sum"), shannon=("slns", "sum"), rw_hhi=("rs2", "sum"),
                gpr_coverage=("gs", "sum"),
                **{f"{cp}_share": (f"{cp}_share", "sum") for cp in CHOKEPOINTS}).reset_index()
    top = sup.loc[g["share"].idxmax(), ["importer", "year", "supplier", "share"]]
    top = top.rename(columns={"supplier": "top_supplier", "share": "top_share"})
    return out.merge(top, on=["importer", "year"])


def trend(ind: pd.DataFrame, columns: tuple[str, ...] = ("total_mt", "hhi", "hormuz_share")
          ) -> pd.DataFrame:
    """OLS slope per year of each indicator by importer, with first and last values."""
    rows = []
    for col in columns:
        g = ind.sort_values("year").groupby("importer")
        yr = ind["year"] - g["year"].transform("mean")
        yv = ind[col] - g[col].transform("mean")
        slope = (yr * yv).groupby(ind["importer"]).sum() / (yr ** 2).groupby(ind["importer"]).sum()
        rows.append(pd.DataFrame({"importer": slope.index, "indicator": col,
                                  "first": g[col].first().to_numpy(),
                                  "last": g[col].last().to_numpy(),
                                  "slope_per_year": slope.to_numpy()}))
    return pd.concat(rows, ignore_index=True)
