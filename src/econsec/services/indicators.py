"""Indicator operations for the interfaces: load the panel, run the kernels, package the result.

Each function returns an :class:`IndicatorResult` (frame + provenance). Defaults use the
product-level source with the widest country coverage in the shared data (UN Comtrade HS2,
2019–2020, mirror imports); pass ``source="baci"`` after ingesting full BACI years.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from econsec.analytics.indicators import competitiveness as cp
from econsec.analytics.indicators import complementarity as cm
from econsec.analytics.indicators import concentration as cc
from econsec.analytics.indicators import equipment as eqp
from econsec.analytics.indicators import screens as sc
from econsec.analytics.indicators import semiconductors as semi
from econsec.analytics.indicators import vulnerability as vu
from econsec.analytics.indicators.complexity import Convention, complexity
from econsec.analytics.indicators.data import load_panel, partial_years, source_years
from econsec.analytics.indicators.exposure import exposure as exposure_kernel
from econsec.analytics.indicators.panel import TradePanel
from econsec.analytics.indicators.results import IndicatorResult
from econsec.store import Store

DEFAULT_SOURCE = "comtrade_hs2"
DEFAULT_THRESHOLDS = sc.Thresholds()
IV_METHOD = ("IV_c = Σ_{s,p} m_csp · (x_sp / X_wp) / M_c: import-weighted world market share of "
             "c's suppliers (econsec's definition, methods.md §2, after SNU's Supply Chain "
             "Dominance Index); iv_hhi = Σ_p (M_cp/M_c)·HHI_cp; share_flagged_* = share of imports "
             "in products each screen flags (methods.md §1)")


def _screens(panel: TradePanel, conc: cc.Concentration, t: sc.Thresholds,
             history: Sequence[TradePanel] = ()) -> dict[str, np.ndarray]:
    hw = cc.world_export_hhi(panel.world_exports)
    flags: dict[str, np.ndarray] = {n: sc.screen(n, conc, panel.world_exports, hw, t)
                                     for n in sc.SCREENS}
    if history:  # GeoDep persistence: k of n consecutive years
        yearly = [flags["geodep"]]
        for h in history:
            aligned = _align(h, panel)
            hc = cc.concentration(aligned)
            yearly.append(sc.screen("geodep", hc, aligned.world_exports,
                                    cc.world_export_hhi(aligned.world_exports), t))
        flags["geodep"] = sc.persistent(yearly, t.persistence_k)
    return flags


def _align(other: TradePanel, like: TradePanel) -> TradePanel:
    """Re-code ``other`` onto ``like``'s countries and products (rows outside them dropped)."""
    ci = pd.Index(like.countries).get_indexer(other.countries)
    pi = pd.Index(like.products).get_indexer(other.products)
    e, i, k = ci[other.exporter], ci[other.importer], pi[other.product]
    ok = (e >= 0) & (i >= 0) & (k >= 0)
    xw = np.zeros_like(like.world_exports)
    rows, cols = ci >= 0, pi >= 0
    xw[np.ix_(ci[rows], pi[cols])] = other.world_exports[np.ix_(rows, cols)]
    return TradePanel(year=other.year, countries=like.countries, products=like.products,
                      exporter=e[ok].astype(np.int32), importer=i[ok].astype(np.int32),
                      product=k[ok].astype(np.int32), value=other.value[ok], world_exports=xw,
                      source=other.source, classification=other.classification,
                      vintage=other.vintage, mirror=other.mirror, notes=other.notes)


def _history(store: Store, source: str, year: int, n: int) -> list[TradePanel]:
    years = [y for y in source_years(store, source) if year - n < y < year]
    return [load_panel(store, source, y) for y in sorted(years, reverse=True)]


def year_or_latest(store: Store, source: str, year: int | None) -> int:
    """``year``, or the latest complete year with product-level trade in ``source`` (a year the
    source publishes only in part is skipped; KeyError if there is none)."""
    if year is not None:
        return year
    part = partial_years(store, source)
    years = [y for y in source_years(store, source) if y not in part]
    if not years:
        raise KeyError(f"source {source!r} has no complete year of product-level trade in the store")
    return years[-1]


def describe_products(store: Store, frame: pd.DataFrame, column: str = "product") -> pd.DataFrame:
    """Add a ``description`` column from the HS2017 (else HS1992, HS2022) descriptions in the store."""
    if column not in frame or frame.empty:
        return frame
    d = store.df("""SELECT code, first(description ORDER BY CASE classification WHEN 'HS2017' THEN 0
                        WHEN 'HS1992' THEN 1 ELSE 2 END) AS description
                    FROM products WHERE classification IN ('HS2017', 'HS1992', 'HS2022') GROUP BY code""")
    desc = pd.Series(d["description"].to_numpy(), index=d["code"].to_numpy())
    out = frame.copy()
    pos = out.columns.get_loc(column) + 1
    out.insert(pos, "description", out[column].astype(str).map(desc))
    return out


def _coverage(panel: TradePanel, extra: Sequence[str] = ()) -> tuple[str, ...]:
    return (panel.describe(), *panel.notes, *extra)


def vulnerability(store: Store, *, year: int, source: str = DEFAULT_SOURCE,
                  min_imports_usd: float = 0.0, thresholds: sc.Thresholds = DEFAULT_THRESHOLDS
                  ) -> IndicatorResult:
    """Import vulnerability of every importer in ``source`` for ``year``, ranked."""
    panel = load_panel(store, source, year)
    conc = cc.concentration(panel)
    hist = _history(store, source, year, thresholds.persistence_n)
    flags = _screens(panel, conc, thresholds, hist)
    df = vu.import_vulnerability(panel, conc, flags)
    extra = []
    if min_imports_usd > 0:
        df = df[df["imports_usd"] >= min_imports_usd].reset_index(drop=True)
        df["rank"] = df["iv"].rank(ascending=False, method="min").astype(int)
        extra.append(f"ranked among importers with imports ≥ {min_imports_usd:,.0f} USD")
    if len(hist) + 1 < thresholds.persistence_n:
        extra.append(f"GeoDep persistence uses {len(hist) + 1} of {thresholds.persistence_n} years")
    ep = vu.export_power(panel.world_exports, panel.countries)
    return IndicatorResult("import vulnerability", df, IV_METHOD, source, panel.vintage,
                           panel.classification, (year,), _coverage(panel, extra),
                           {"export_power": ep})


def vulnerability_series(store: Store, *, countries: Sequence[str] = ("KOR", "JPN", "CHN", "USA", "DEU"),
                         source: str = DEFAULT_SOURCE) -> IndicatorResult:
    """IV by year for a few countries (the paper's Figure 1) over every year the source has;
    ``rank`` is among the ``n_ranked`` importers of that year."""
    frames, cov, vint, cls = [], [], "", ""
    years = source_years(store, source)
    if not years:
        raise KeyError(f"source {source!r} has no product-level trade in the store")
    for y in years:
        panel = load_panel(store, source, y)
        conc = cc.concentration(panel)
        df = vu.import_vulnerability(panel, conc)
        frames.append(df[df["country"].isin(countries)].assign(year=y, n_ranked=len(df)))
        cov.append(panel.describe())
        vint, cls = panel.vintage, panel.classification
    out = pd.concat(frames)[["year", "country", "iv", "iv_hhi", "rank", "n_ranked", "imports_usd"]]
    return IndicatorResult("import vulnerability over time", out.reset_index(drop=True), IV_METHOD,
                           source, vint, cls, tuple(years), tuple(cov))


def critical_items(store: Store, country: str, *, year: int, source: str = DEFAULT_SOURCE,
                   thresholds: sc.Thresholds = DEFAULT_THRESHOLDS, bloc: Sequence[str] | None = None
                   ) -> IndicatorResult:
    """Products ``country`` (or a bloc of ``bloc`` members named ``country``) depends on."""
    panel = load_panel(store, source, year)
    extra_share = None
    extra: list[str] = []
    if bloc:
        panel, share = sc.bloc_panel(panel, bloc, country)
        extra_share = np.zeros((panel.n_countries, panel.n_products))
        extra_share[panel.code(country)] = share
    conc = cc.concentration(panel)
    hw = cc.world_export_hhi(panel.world_exports)
    flags: dict[str, np.ndarray] = {n: sc.screen(n, conc, panel.world_exports, hw, thresholds,
                                                 extra_share) for n in sc.SCREENS}
    hist = [] if bloc else _history(store, source, year, thresholds.persistence_n)
    if hist:
        flags["geodep"] = _screens(panel, conc, thresholds, hist)["geodep"]
    if len(hist) + 1 < thresholds.persistence_n:
        extra.append(f"GeoDep persistence uses {len(hist) + 1} of {thresholds.persistence_n} years")
    items, suppliers = sc.flagged_items(panel, conc, flags, panel.world_exports, hw, importer=country)
    items = describe_products(store, items)
    method = (f"EU 2021: HHI > {thresholds.hhi} and M/x > {thresholds.import_export_ratio}; GeoDep: EU + world-export "
              f"HHI > {thresholds.world_hhi}, {thresholds.persistence_k} of {thresholds.persistence_n} years; MERICS: HHI > "
              f"{thresholds.hhi} and M ≥ {thresholds.merics_ratio}·x; Korea: top supplier ≥ {thresholds.single_supplier_share} "
              "(methods.md §1)")
    return IndicatorResult(f"critical items of {country}", items, method, source, panel.vintage,
                           panel.classification, (year, *(h.year for h in hist)),
                           _coverage(panel, extra), {"suppliers": suppliers})


def competitiveness(store: Store, *, year: int, source: str = DEFAULT_SOURCE,
                    country: str | None = None, convention: Convention = "py-ecomplexity"
                    ) -> IndicatorResult:
    """Country ranking with RCA counts, ECI and export power; with ``country``, its products."""
    panel = load_panel(store, source, year)
    cx = complexity(panel.world_exports, convention=convention)
    rank = cp.ranking(panel)
    eci = pd.Series(cx.eci, index=panel.countries)
    rank["eci"] = rank["country"].map(eci)
    ep = vu.export_power(panel.world_exports, panel.countries).set_index("country")["export_power"]
    rank["export_power"] = rank["country"].map(ep)
    tables = {"ranking": rank}
    if country is not None:
        conc = cc.concentration(panel)
        flags = _screens(panel, conc, sc.Thresholds())
        prods = cp.competitiveness_frame(panel, country)
        prods["pci"] = prods["product"].map(pd.Series(cx.pci, index=panel.products))
        both = cp.competitive_and_dependent(panel, flags["eu"] | flags["korea"])
        tables["competitive_and_dependent"] = both[both["country"] == country]
        frame = describe_products(store, prods.sort_values("exports_usd", ascending=False,
                                                           ignore_index=True))
    else:
        frame = rank
    method = ("RCA_sp = (x_sp/X_s)/(X_wp/X_w) (Balassa 1965); world share x_sp/X_wp; TS = (x−m)/(x+m); "
              f"ECI/PCI (Hidalgo & Hausmann 2009) in the {convention} convention; export power "
              "EP_s = Σ_p (X_wp/X_w)(x_sp/X_wp)² (methods.md §2–3)")
    return IndicatorResult("export competitiveness" + (f" of {country}" if country else ""), frame,
                           method, source, panel.vintage, panel.classification, (year,),
                           _coverage(panel, [f"ECI eigenvalue {cx.eigenvalue:.6f}"]), tables)


def complementarity(store: Store, a: str, b: str, *, year: int, source: str = DEFAULT_SOURCE,
                    hhi_threshold: float = 0.4) -> IndicatorResult:
    """Where each partner's competitive exports can cover the other's vulnerable imports."""
    panel = load_panel(store, source, year)
    conc = cc.concentration(panel)
    flags = _screens(panel, conc, sc.Thresholds())
    ab, s_ab = cm.strategic_complementarity(panel, conc, a, b, flags=flags["eu"], hhi_threshold=hhi_threshold)
    ba, s_ba = cm.strategic_complementarity(panel, conc, b, a, flags=flags["eu"], hhi_threshold=hhi_threshold)
    m, x = panel.imports(), panel.world_exports
    ia, ib = panel.code(a), panel.code(b)
    tc = cm.michaely_matrix(m[[ia, ib]], x[[ib, ia]])
    xs = cm.similarity_matrix(x[[ia, ib]])
    scores = pd.DataFrame([
        {"direction": f"{b} covers {a}", **s_ab, "michaely_tc": tc[0, 0]},
        {"direction": f"{a} covers {b}", **s_ba, "michaely_tc": tc[1, 1]},
    ])
    scores["finger_kreinin_xs"] = xs[0, 1]
    ranked = describe_products(store, pd.concat([ab, ba], ignore_index=True).sort_values(
        "covered_usd", ascending=False, ignore_index=True))
    tables = {"scores": scores}
    extra = []
    try:
        tables["semiconductor_value_chain"] = pd.concat(
            [semi.value_chain(panel, a, b), semi.value_chain(panel, b, a)], ignore_index=True)
    except ValueError as e:
        extra.append(f"semiconductor value chain not shown: {e}")
    method = ("coverage = min(x_Bp, M_Ap^risk)/M_Ap^risk over products where A is flagged (EU screen) "
              f"or HHI_Ap > {hhi_threshold} with a top supplier other than A and B; M^risk = imports "
              "from the top supplier; Michaely TC and Finger–Kreinin XS (methods.md §3)")
    return IndicatorResult(f"strategic complementarity {a}–{b}", ranked, method, source,
                           panel.vintage, panel.classification, (year,), _coverage(panel, extra), tables)


def exposure(store: Store, *, source: str = "imf_dots", countries: Sequence[str] | None = None,
             base_year: int = 2017) -> IndicatorResult:
    """Export and import shares with the U.S. and China by year, and their change since ``base_year``."""
    df = exposure_kernel(store, source, base_year=base_year)
    if countries:
        df = df[df["country"].isin(countries)].reset_index(drop=True)
    years = tuple(sorted(int(y) for y in df["year"].unique()))
    cov = []
    if bool(df["imports_mirror"].any()):
        cov.append("imports are mirror data (partners' reported exports)")
    if base_year not in years:
        cov.append(f"{source} has no {base_year}: changes since {base_year} are empty")
    part = partial_years(store, source)
    df["partial_year"] = df["year"].isin(list(part))
    cov += [f"{y} is a partial year ({note}): shares are of the year to date, totals are not "
            "annual" for y, note in sorted(part.items()) if y in years]
    vint = store.df("SELECT DISTINCT vintage FROM ingest_log WHERE source = ? AND superseded_by IS NULL",
                    [source])["vintage"]
    method = ("share = flows with the partner / total (World row where reported, else the sum over "
              "partners); shares in the source's own currency")
    return IndicatorResult("exposure to the U.S. and China", df, method, source, "; ".join(vint),
                           "all goods", years, tuple(cov))


SME_SOURCE = "comtrade_sme"


def semiconductor_equipment(store: Store, a: str, b: str, *, source: str = SME_SOURCE,
                            years: Sequence[int] | None = None) -> IndicatorResult:
    """Semiconductor-manufacturing equipment (HS 848620, 903082, 903141): A's imports, B's world
    export share and rank, how much of A's imports B's exports could cover, and how concentrated
    world supply is — every year the source has (reports vs World; see the kernel's module)."""
    flows = store.df("""SELECT reporter, flow, year, product, value_usd FROM trade_flows
                        WHERE source = ? AND month IS NULL AND value_usd IS NOT NULL
                          AND flow IN ('export', 'import')""", [source])
    if years:
        flows = flows[flows["year"].isin(list(years))]
    if flows.empty:
        raise KeyError(f"source {source!r} has no annual flows in the store"
                       + (f" for {list(years)}" if years else "") + ": run `econsec ingest`")
    market = eqp.world_market(flows)
    for code, flow in ((a, "import"), (b, "export")):
        if not ((market["reporter"] == code) & (market["flow"] == flow)).any():
            raise KeyError(f"{code} reports no {flow}s in {source}")
    frame = describe_products(store, eqp.cover(market, a, b))
    summ = eqp.market_summary(market)
    vint = store.df("SELECT DISTINCT vintage FROM ingest_log WHERE source = ? AND superseded_by IS NULL",
                    [source])["vintage"]
    yrs = tuple(sorted(int(y) for y in market["year"].unique()))
    cov = ("reporter-based: each economy's trade with the World as it reports it; non-reporters "
           "are missing from the totals (n_exporters)",
           f"cover ratio is an upper bound: {b}'s exports go to every market, not only to {a}")
    return IndicatorResult(f"semiconductor equipment: {b} for {a}", frame, eqp.METHOD, source,
                           "; ".join(vint), "HS2017 6-digit (848620, 903082, 903141)", yrs, cov,
                           {"market": summ, "shares": market})
