"""LNG services: read the store, build inputs, call the analytics kernels, return LngResults."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from econsec.analytics.lng import contracts as ct
from econsec.analytics.lng import disruption as dr
from econsec.analytics.lng import optimize as op
from econsec.analytics.lng import portfolio as pf
from econsec.analytics.lng.balance import (
    HH_MARKUP,
    LIQUEFACTION_FEE,
    SHIPPING_NE_ASIA,
    delivered_price,
    mt_to_offset,
)
from econsec.analytics.lng.results import LngError, LngResult
from econsec.store import Store
from econsec.store.queries import catalog as provenance
from econsec.store.queries import lng as q

REGIONAL_PRICE = {"JPN": "lng_japan", "KOR": "lng_south_korea", "CHN": "lng_china_mainland"}
# Freight differential vs the importer's average import price, $/MMBtu (econsec assumption:
# shorter hauls from Asia–Pacific plants are cheaper delivered than Atlantic cargoes).
SHIPPING_DIFF = {"pacific": -0.5, "middle_east": 0.0, "atlantic": 0.5}
PACIFIC = frozenset({"AUS", "MYS", "IDN", "BRN", "PNG", "RUS", "PER", "Other Asia Pacific"})
MIDDLE_EAST = frozenset({"QAT", "ARE", "OMN", "YEM"})
DEFAULT_ROUTE_LIMITS: Mapping[str, float] = {"hormuz": 0.30}
NO_REROUTING = ("flows through a closed chokepoint are lost for the whole period (no rerouting): "
                "an upper bound for Malacca (Lombok/Sunda), the Red Sea (Cape) and Panama "
                "(Suez/Cape), exact for Hormuz")


def _vintage(store: Store, sources: tuple[str, ...]) -> str:
    df = provenance.vintages(store, sources)
    return "; ".join(f"{s}: {v}" for s, v in df.itertuples(index=False)) or "not ingested"


def lng_trade(store: Store, years: tuple[int, ...] | None = None) -> pd.DataFrame:
    """Bilateral LNG (bcm) into countries, supplier = ISO3 or the residual group's name."""
    df = q.trade(store)
    if years:
        df = df.loc[df["year"].isin(years)]
    df["supplier"] = pf.supplier_key(df["exporter"], df["exporter_name"])
    return df[["importer", "year", "supplier", "bcm"]]


def gprc_weights(store: Store) -> pd.DataFrame:
    return pf.risk_weights(q.gprc_annual(store))


def _span(years: pd.Series) -> str:
    lo, hi = int(years.min()), int(years.max())
    return str(lo) if lo == hi else f"{lo}–{hi}"


def portfolio(store: Store, importers: tuple[str, ...] = (), years: tuple[int, ...] = ()
              ) -> LngResult:
    """Supplier shares, HHI, Shannon, risk-weighted HHI and chokepoint shares by importer-year.

    Importers and years without LNG imports in the EI bilateral table are left out and named in
    ``coverage``; only when none of them has data is it an :class:`LngError` (naming the
    importers and years the table has)."""
    importers = tuple(dict.fromkeys(str(c).strip().upper() for c in importers))
    trade = lng_trade(store)
    if trade.empty:
        raise LngError("no EI bilateral LNG trade in the store: run `econsec ingest ei_review`")
    span = _span(trade["year"])
    gaps = []
    if years:
        no_year = sorted(set(years) - set(trade["year"]))
        trade = trade.loc[trade["year"].isin(years)]
        if trade.empty:
            raise LngError(f"no LNG trade in {', '.join(map(str, sorted(set(years))))}: the EI "
                           f"bilateral LNG table covers {span}")
        if no_year:
            gaps.append(f"no LNG trade in {', '.join(map(str, no_year))} (the EI bilateral LNG "
                        f"table covers {span})")
    if importers:
        everyone = sorted(trade["importer"].unique())
        trade = trade.loc[trade["importer"].isin(importers)]
        unknown = [c for c in importers if c not in set(trade["importer"])]
        when = f" in {', '.join(map(str, sorted(set(years))))}" if years else ""
        if len(unknown) == len(importers):
            raise LngError(f"no LNG imports for {', '.join(unknown)}{when} in the EI bilateral "
                           f"LNG table ({span}); importers with data: {', '.join(everyone)}")
        if unknown:
            gaps.append(f"no LNG imports for {', '.join(unknown)}{when} in the EI bilateral LNG "
                        f"table ({span}): not shown")
    sup = pf.supplier_table(trade, gprc_weights(store))
    ind = pf.portfolio_indicators(sup)
    yrs = tuple(int(y) for y in sorted(ind["year"].unique()))
    return LngResult(
        "LNG supplier portfolio", ind,
        "shares s=m/Σm; HHI=Σs² (Vivoda 2014); Shannon=−Σ s ln s (Yoon 2019); "
        "RW-HHI=Σ s² w, w=GPRC_st/GPRC_s 1985–2019 mean (missing → 1); chokepoint share = Σ s·1[route "
        "passes]: Hormuz = QAT+ARE+OMN, Malacca/Red Sea/Panama from routes.csv (docs/lng.md §1)",
        "ei_review energy_trade; gpr GPRC", _vintage(store, ("ei_review", "gpr")), yrs,
        {"bcm_to_mt": pf.BCM_TO_MT},
        (*gaps,
         "Japan's LNG re-exports are not in the EI bilateral table (no JPN exporter rows)",
         "residual supplier groups ('Other Africa' …) count as one supplier each",
         "suppliers without a GPRC series get weight 1 (see gpr_coverage)",
         "Malacca, Red Sea and Panama routes are given for importers in East Asia only; each "
         "supplier has one usual route (no cargo-level routing)"),
        {"suppliers": sup, "trend": pf.trend(ind), "routes": pf.routes()})


def _contracts_table(store: Store) -> pd.DataFrame:
    df = q.contracts(store, ct.COLUMNS)
    return pd.DataFrame(columns=list(ct.COLUMNS)) if df is None else df


def contracts(store: Store, *, include_shipped: bool = True) -> pd.DataFrame:
    """User contracts from the store plus (by default) the shipped, cited examples."""
    user = _contracts_table(store).assign(origin="user")
    parts = [ct.normalise(user, origin="lng_contracts").assign(origin="user")] if len(user) else []
    if include_shipped:
        parts.append(ct.shipped_contracts().assign(origin="shipped"))
    if not parts:
        return pd.DataFrame(columns=[*ct.COLUMNS, "origin"])
    return pd.concat(parts, ignore_index=True)


def add_contracts(store: Store, path: str | Path) -> int:
    """Append the contracts in a CSV or TOML file (``[[contract]]`` tables) to ``lng_contracts``."""
    p = Path(path)
    if p.suffix.lower() == ".toml":
        import tomllib
        raw = pd.DataFrame(tomllib.loads(p.read_text(encoding="utf-8")).get("contract", []))
    else:
        raw = pd.read_csv(p)
    df = ct.normalise(raw, origin=str(p)).assign(added_at=datetime.now())
    with store.transaction() as con:
        q.append_contracts(con, df, ct.COLUMNS)
    return len(df)


def last_imports_mt(store: Store, importer: str) -> tuple[int, float]:
    t = lng_trade(store)
    t = t.loc[t["importer"] == importer]
    if t.empty:
        raise LngError(f"no LNG imports in energy_trade for {importer}")
    y = int(t["year"].max())
    return y, float(t.loc[t["year"] == y, "bcm"].sum()) * pf.BCM_TO_MT


def ladder(store: Store, buyer: str, *, years: tuple[int, ...] = tuple(range(2023, 2031)),
           demand_mt: dict[int, float] | None = None) -> LngResult:
    """Expiry ladder and the uncontracted gap of ``buyer`` against a demand path."""
    c = contracts(store)
    c = c.loc[c["buyer_country"] == buyer]
    y0, last = last_imports_mt(store, buyer)
    dem = ct.flat_demand(buyer, last, np.array(years))
    if demand_mt:
        dem["demand_mt"] = [demand_mt.get(int(y), d) for y, d in zip(dem["year"], dem["demand_mt"],
                                                                      strict=True)]
    frame = ct.uncontracted_gap(ct.expiry_ladder(c, np.array(years)), dem)
    return LngResult(f"LNG contract expiry ladder, {buyer}", frame,
                     "C_t = Σ_k q_k·1[start_k ≤ t ≤ end_k]; gap = D_t − C_t",
                     "lng_contracts + shipped contracts_public.csv; ei_review energy_trade",
                     _vintage(store, ("ei_review",)), tuple(years),
                     {"demand": "user path" if demand_mt else f"{y0} imports held flat "
                                                               f"({last:.2f} Mt)"},
                     ("only contracts in the store or shipped are counted",), {"contracts": c})


def _limits(route_limits: Mapping[str, float] | None) -> np.ndarray:
    """β_r for every chokepoint in pf.CHOKEPOINTS (1 = no limit) from {name: share}."""
    given = {pf.chokepoint(k): float(v)
             for k, v in (DEFAULT_ROUTE_LIMITS if route_limits is None else route_limits).items()}
    return np.array([given.get(cp, 1.0) for cp in pf.CHOKEPOINTS])


def procurement_spec(store: Store, buyers: tuple[str, ...], year: int, *,
                     max_share: float = 0.30, route_limits: Mapping[str, float] | None = None,
                     risk_penalty: float = 0.5, headroom: float = 0.10,
                     use_contracts: bool = True) -> tuple[op.ProcurementSpec, dict[str, Any]]:
    """LP inputs from the store: demand = imports in ``year``; capacity K_s = x0_s + φ(E_s − x0_s).

    ``route_limits``: maximum share of each buyer's demand through a chokepoint, e.g.
    {"hormuz": 0.3, "malacca": 0.4} (default Hormuz 0.30; chokepoints not named are unlimited).
    """
    beta = _limits(route_limits)
    t = lng_trade(store, (year,))
    t = t.loc[t["bcm"].fillna(0) > 0]
    sup = tuple(sorted(t["supplier"].unique()))
    x0 = (t.loc[t["importer"].isin(buyers)].pivot_table(index="importer", columns="supplier",
                                                       values="bcm", aggfunc="sum")
          .reindex(index=list(buyers), columns=list(sup)).fillna(0.0).to_numpy() * pf.BCM_TO_MT)
    if (x0.sum(axis=1) == 0).any():
        raise LngError(f"no LNG imports in {year} for one of {', '.join(buyers)}")
    exports = t.groupby("supplier")["bcm"].sum().reindex(list(sup)).to_numpy() * pf.BCM_TO_MT
    x0s = x0.sum(axis=0)
    cap = x0s + headroom * np.maximum(exports - x0s, 0.0)
    demand = x0.sum(axis=1)
    w_share = np.where(x0s > 0, x0 / np.where(x0s > 0, x0s, 1), demand[:, None] / demand.sum())
    allot = cap[None, :] * w_share
    pr = q.annual_prices(store, year)
    pmap = dict(zip(pr["series"], pr["value"], strict=True))
    base = np.array([pmap.get(REGIONAL_PRICE.get(b, ""), np.nan) for b in buyers])
    if np.isnan(base).any():
        raise LngError(f"no EI regional LNG price for {year} for one of {', '.join(buyers)}")
    basin = np.array(["pacific" if s in PACIFIC else "middle_east" if s in MIDDLE_EAST
                      else "atlantic" for s in sup])
    diff = np.array([SHIPPING_DIFF[b] for b in basin])
    w = gprc_weights(store)
    wmap = dict(zip(w.loc[w["year"] == year, "country"], w.loc[w["year"] == year, "w"],
                    strict=True))
    risk = np.array([wmap.get(s, 1.0) for s in sup])
    mins = np.zeros_like(x0)
    if use_contracts:
        c = contracts(store)
        for i, b in enumerate(buyers):
            m = ct.contracts_by_seller(c, b, year)
            mins[i] = m.reindex(list(sup)).fillna(0.0).to_numpy()
    bb, ss = np.meshgrid(np.array(buyers), np.array(sup), indexing="ij")
    flags = pf.route_flags(pd.Series(ss.ravel()), pd.Series(bb.ravel()))
    passes = flags[list(pf.CHOKEPOINTS)].to_numpy().T.reshape(len(pf.CHOKEPOINTS), *bb.shape)
    spec = op.ProcurementSpec(tuple(buyers), sup, base[:, None] + diff[None, :], risk, demand,
                              allot, mins, pf.CHOKEPOINTS, passes, beta, max_share, risk_penalty)
    limits = {cp: float(b) for cp, b in zip(pf.CHOKEPOINTS, beta, strict=True) if b < 1}
    params = {"year": year, "max_share (per buyer)": max_share,
              "max_route_share (per buyer)": limits,
              "risk_penalty_usd_mmbtu": risk_penalty, "capacity_headroom": headroom,
              "shipping_diff_usd_mmbtu": SHIPPING_DIFF, "mmbtu_per_t": op.MMBTU_PER_TONNE,
              "prices": {b: REGIONAL_PRICE[b] for b in buyers}}
    return spec, params


def _summary(spec: op.ProcurementSpec, x: np.ndarray, mode: str, pooled: bool) -> pd.DataFrame:
    share = x / x.sum(axis=1, keepdims=True)
    pool_share = x.sum(axis=0) / x.sum()
    kappa = spec.mmbtu_per_t / 1000.0
    cost = kappa * (spec.price * x).sum(axis=1)
    wc = dr.worst_case(x, dr.buyer_slack(x, spec.allotment, pooled=pooled))
    col = "shortfall_joint" if pooled else "shortfall_alone"
    # chokepoint shares: Σ_s π_rbs x_bs / D_b per buyer, and for the pair
    through = (spec.passes * x[None, :, :]).sum(axis=2)           # chokepoint × buyer, Mt
    routes = {f"{cp}_share": through[r] / x.sum(axis=1) for r, cp in enumerate(spec.chokepoints)}
    rows = pd.DataFrame({"mode": mode, "buyer": list(spec.buyers), "demand_mt": x.sum(axis=1),
                         "cost_bn_usd": cost, "avg_price_usd_mmbtu": cost / kappa / x.sum(axis=1),
                         "hhi": (share ** 2).sum(axis=1), "max_supplier_share": share.max(axis=1),
                         **routes, "worst_shortfall_mt": np.nan, "worst_supplier": ""})
    i = int(np.argmax(wc[col].to_numpy()))
    tot = pd.DataFrame({"mode": [mode], "buyer": ["+".join(spec.buyers)],
                        "demand_mt": [x.sum()], "cost_bn_usd": [cost.sum()],
                        "avg_price_usd_mmbtu": [cost.sum() / kappa / x.sum()],
                        "hhi": [(pool_share ** 2).sum()],
                        "max_supplier_share": [pool_share.max()],
                        **{k: [through[r].sum() / x.sum()] for r, k in enumerate(routes)},
                        "worst_shortfall_mt": [wc[col].iloc[i]],
                        "worst_supplier": [spec.suppliers[i]]})
    return pd.concat([rows, tot], ignore_index=True)


def optimize(store: Store, buyers: tuple[str, ...], year: int, **kw: Any) -> LngResult:
    """Separate vs pooled procurement LPs, the gain from pooling and swaps if a supplier fails."""
    spec, params = procurement_spec(store, buyers, year, **kw)
    sep = op.solve(spec, "separate")
    pool = op.solve(spec, "pooled")
    xs, xp = op.stack(spec, sep), op.stack(spec, pool)
    summ = pd.concat([_summary(spec, xs, "separate", False), _summary(spec, xp, "pooled", True)],
                     ignore_index=True)
    tot = summ.loc[summ["buyer"] == "+".join(buyers)].set_index("mode")
    gain = pd.DataFrame({"measure": ["cost_bn_usd", "hhi", "hormuz_share", "worst_shortfall_mt"]})
    gain["separate"] = [tot.loc["separate", m] for m in gain["measure"]]
    gain["pooled"] = [tot.loc["pooled", m] for m in gain["measure"]]
    gain["gain"] = gain["separate"] - gain["pooled"]
    worst = spec.suppliers.index(str(tot.loc["pooled", "worst_supplier"]))
    swaps = dr.disrupt(xp, dr.buyer_slack(xp, spec.allotment, pooled=True),
                       np.arange(len(spec.suppliers)) == worst, 12)
    swaps.insert(0, "buyer", list(buyers))
    swaps.insert(1, "failed_supplier", spec.suppliers[worst])
    alloc = pd.concat([op.allocation_frame(spec, xs, "separate"),
                       op.allocation_frame(spec, xp, "pooled")], ignore_index=True)
    moved = op.transfers(spec, xp)
    allocs = sep + pool
    diag = {"solver": "HiGHS (scipy.optimize.linprog)", "converged": all(a.status == 0 for a in allocs),
            "iterations": sum(a.iterations for a in allocs),
            "max_residual": max(a.residual for a in allocs)}
    return LngResult(f"LNG procurement {'+'.join(buyers)} {year}: separate vs pooled", summ,
                     "LP min Σ κ(p+λw)x s.t. each buyer's demand, max share per supplier, "
                     "max chokepoint shares and contract minimums; capacity per buyer "
                     "(separate) or shared by the pool (pooled) (docs/lng.md §3)",
                     "ei_review energy_trade and prices; gpr GPRC; contracts",
                     _vintage(store, ("ei_review", "gpr")), (year,), params,
                     ("delivered prices = EI regional average import price + basin freight "
                      "differential (assumption)",
                      "share and chokepoint limits hold for each buyer in both modes; pooling "
                      "shares capacity (transfers = cargoes from the partner's allotment)"),
                     {"gain": gain, "allocation": alloc, "transfers": moved, "swaps": swaps}, diag)


def disrupt(store: Store, buyers: tuple[str, ...], year: int, *, suppliers: tuple[str, ...] = (),
            route: str | None = None, months: float = 3.0, **kw: Any) -> LngResult:
    """Loss of suppliers or of a chokepoint (hormuz, malacca, red_sea, panama) for ``months``:
    shortfall before and after a response, alone and jointly.

    With neither ``suppliers`` nor ``route``, the buyers' largest supplier together in ``year``
    fails (the worst single-supplier case; the result names it and says it was the default)."""
    if not 0 < months <= 12:
        raise LngError(f"months must be in (0, 12], got {months}")
    suppliers = tuple(dict.fromkeys(str(c).strip().upper() for c in suppliers))
    spec, params = procurement_spec(store, buyers, year, use_contracts=False, **kw)
    x0 = _observed(store, spec, year)
    chosen = []
    if not suppliers and route is None:  # default: the largest supplier of the buyers together
        tot = x0.sum(axis=0)
        k = int(np.argmax(tot))
        suppliers = (spec.suppliers[k],)
        chosen.append(f"no supplier or route named: the buyers' largest supplier together in "
                      f"{year} fails, {spec.suppliers[k]} ({tot[k]:.2f} of {tot.sum():.2f} Mt)")
    failed = np.broadcast_to(np.isin(np.array(spec.suppliers), list(suppliers)),
                             (len(buyers), len(spec.suppliers))).copy()
    if route is not None:
        failed |= spec.route(pf.chokepoint(route))
    if not (failed & (x0 > 0)).any():
        what = " or ".join(filter(None, [", ".join(suppliers),
                                         route and f"suppliers whose cargoes pass the "
                                         f"{pf.CHOKEPOINT_NAMES[pf.chokepoint(route)]}"]))
        had = [s for s, v in zip(spec.suppliers, x0.sum(axis=0).tolist(), strict=True) if v > 0]
        raise LngError(f"{', '.join(buyers)} imported no LNG from {what} in {year}; their "
                       f"suppliers were {', '.join(had)}")
    frame = dr.disrupt(x0, dr.buyer_slack(x0, spec.allotment, pooled=False), failed, months)
    frame.insert(0, "buyer", list(buyers))
    hit = np.asarray((failed & (x0 > 0)).any(axis=0), dtype=bool)
    lost = [s for s, f in zip(spec.suppliers, hit.tolist(), strict=True) if f]
    what = (f"{pf.CHOKEPOINT_NAMES[pf.chokepoint(route)]} ({', '.join(lost)})" if route
            else ', '.join(lost))
    return LngResult(f"LNG disruption: {what} for {months:g} months", frame,
                     "lost L=f·Σ F_bs x_bs; alone A=max(0,L−R); joint: own spare first, partners' "
                     "leftover spare to the buyers still short ∝ A, S_b = A_b·max(0,ΣL−ΣR)/ΣA (swaps)",
                     "ei_review energy_trade; routes.csv", _vintage(store, ("ei_review",)), (year,),
                     {**params, "months": months, "route": route and pf.chokepoint(route),
                      "failed": lost},
                     (*chosen, "baseline = observed imports; spare = capacity headroom φ of other "
                      "buyers' volumes, pro rata over the months", NO_REROUTING))


def _observed(store: Store, spec: op.ProcurementSpec, year: int) -> np.ndarray:
    t = lng_trade(store, (year,))
    return (t.pivot_table(index="importer", columns="supplier", values="bcm", aggfunc="sum")
            .reindex(index=list(spec.buyers), columns=list(spec.suppliers)).fillna(0.0)
            .to_numpy() * pf.BCM_TO_MT)


def goods_balance_bn(store: Store, country: str, year: int) -> float:
    """U.S. goods balance with ``country`` (bn USD; negative = U.S. deficit), Census annual."""
    df = q.us_goods_trade_bn(store, country, year)
    v = dict(zip(df["flow"], df["v"], strict=True))
    if set(v) != {"export", "import"}:
        raise LngError(f"no annual Census goods trade with {country} in {year}")
    return float(v["export"] - v["import"])


def henry_hub(store: Store, year: int) -> tuple[float, str]:
    """Henry Hub $/MMBtu in ``year``: EI annual, else mean of World Bank Pink Sheet NGAS_US."""
    a = q.annual_price(store, "gas_us_henry_hub", year)
    if len(a):
        return float(a["value"].iloc[0]), "EI gas_us_henry_hub (annual)"
    m = q.monthly_mean(store, "NGAS_US", year)
    if not m["n"].iloc[0]:
        raise LngError(f"no Henry Hub price for {year}")
    return float(m["v"].iloc[0]), f"Pink Sheet NGAS_US mean of {int(m['n'].iloc[0])} months"


def us_balance(store: Store, country: str, *, year: int = 2024, surplus_bn: float | None = None,
               markup: float = HH_MARKUP, liquefaction: float = LIQUEFACTION_FEE,
               shipping: float = SHIPPING_NE_ASIA, hh: float | None = None) -> LngResult:
    """Mt/yr of U.S. LNG that would offset ``surplus_bn`` (default: the Census surplus)."""
    bal = goods_balance_bn(store, country, year)
    v = -bal if surplus_bn is None else surplus_bn
    hh_src = "user"
    if hh is None:
        hh, hh_src = henry_hub(store, year)
    p = float(delivered_price(hh, markup=markup, liquefaction=liquefaction, shipping=shipping))
    q = float(mt_to_offset(v, p))
    y0, last = last_imports_mt(store, country)
    frame = pd.DataFrame({"country": [country], "year": [year], "us_goods_balance_bn": [bal],
                          "surplus_to_offset_bn": [v], "henry_hub": [hh],
                          "delivered_price_usd_mmbtu": [p], "fob_price_usd_mmbtu": [p - shipping],
                          "mt_per_year": [q], f"lng_imports_{y0}_mt": [last],
                          "share_of_imports": [q / last]})
    return LngResult(f"U.S. LNG to offset {country}'s goods surplus", frame,
                     "p = μ·HH + φ + τ; Q = V·1e9 / (p·e·1e6)",
                     "census_partner trade_flows; ei_review/pinksheet prices",
                     _vintage(store, ("census_partner", "ei_review", "pinksheet")), (year,),
                     {"markup": markup, "liquefaction_fee": liquefaction, "shipping": shipping,
                      "henry_hub_source": hh_src, "mmbtu_per_t": op.MMBTU_PER_TONNE})
