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
from econsec.analytics.indicators import coverage as cv
from econsec.analytics.indicators import equipment as eqp
from econsec.analytics.indicators import residual as rs
from econsec.analytics.indicators import screens as sc
from econsec.analytics.indicators import semiconductors as semi
from econsec.analytics.indicators import vulnerability as vu
from econsec.analytics.indicators.complexity import Convention, complexity
from econsec.analytics.indicators.data import (
    benchmark_totals,
    benchmark_vintage,
    load_panel,
    partial_years,
    source_years,
)
from econsec.analytics.indicators.exposure import apply_coverage
from econsec.analytics.indicators.exposure import exposure as exposure_kernel
from econsec.analytics.indicators.panel import TradePanel
from econsec.analytics.indicators.results import IndicatorResult
from econsec.errors import NotFoundError, OptionError
from econsec.services import args
from econsec.store import Store
from econsec.store.queries import catalog as provenance
from econsec.store.queries import indicators as q
from econsec.store.queries import reference

DEFAULT_SOURCE = "comtrade_hs2"
DEFAULT_THRESHOLDS = sc.Thresholds()
#: Rankings keep economies whose trade in the panel is at least this share of an independent total.
DEFAULT_MIN_COVERAGE = cv.DEFAULT_MIN_COVERAGE
IV_METHOD = ("IV_c = Σ_{s,p} m_csp · (x_sp / X_wp) / M_c: import-weighted world market share of "
             "c's suppliers (econsec's definition, methods.md §2, after SNU's Supply Chain "
             "Dominance Index); iv_hhi = Σ_p (M_cp/M_c)·HHI_cp; share_flagged_* = share of imports "
             "in products each screen flags (methods.md §1)")


def _screens(panel: TradePanel, conc: cc.Concentration, t: sc.Thresholds,
             history: Sequence[TradePanel] = (), *, include_residual: bool = False
             ) -> dict[str, np.ndarray]:
    """The four screens; residual codes (HS 98–99 etc., ``residual.residual_mask``) are never
    flagged unless ``include_residual``."""
    hw = cc.world_export_hhi(panel.world_exports)
    exclude = None if include_residual else rs.residual_mask(panel.products, panel.classification)
    flags = sc.screen_all(conc, panel.world_exports, hw, t, exclude=exclude)
    if history:  # GeoDep persistence: k of n consecutive years
        yearly = [flags["geodep"]]
        for h in history:
            aligned = _align(h, panel)
            hc = cc.concentration(aligned)
            yearly.append(sc.screen("geodep", hc, aligned.world_exports,
                                    cc.world_export_hhi(aligned.world_exports), t))
        flags["geodep"] = sc.persistent(yearly, t.persistence_k)
        if exclude is not None:
            flags["geodep"] &= ~exclude
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
    source publishes only in part is skipped; NotFoundError if there is none)."""
    if year is not None:
        return year
    part = partial_years(store, source)
    years = [y for y in source_years(store, source) if y not in part]
    if not years:
        raise NotFoundError(f"source {source!r} has no complete year of product-level trade in the store")
    return years[-1]


def describe_products(store: Store, frame: pd.DataFrame, column: str = "product") -> pd.DataFrame:
    """Add a ``description`` column from the HS2017 (else HS1992, HS2022) descriptions in the store."""
    if column not in frame or frame.empty:
        return frame
    d = q.hs_descriptions(store)
    desc = pd.Series(d["description"].to_numpy(), index=d["code"].to_numpy())
    out = frame.copy()
    pos = out.columns.get_loc(column) + 1
    out.insert(pos, "description", out[column].astype(str).map(desc))
    return out


def _coverage(panel: TradePanel, extra: Sequence[str] = ()) -> tuple[str, ...]:
    return (panel.describe(), *panel.notes, *extra)


def _panel_coverage(store: Store, panel: TradePanel) -> tuple[pd.DataFrame, pd.DataFrame, str]:
    """Coverage of every economy of ``panel`` (``coverage.panel_coverage``), the benchmark totals
    it used and a note naming them with their vintages."""
    usd = panel.unit == "USD"   # totals in another unit cannot be set against USD benchmarks
    bench = benchmark_totals(store, [panel.year] if usd and not panel.complete else [],
                             exclude=panel.source)
    note = ("a closed input–output world: every economy's trade is complete by construction" if panel.complete
            else _bench_note(store, bench, panel.source, [panel.year]) if usd
            else f"no coverage measured: values are in {panel.unit!r}, not USD, so no independent "
                 "total can check them (coverage unknown for every economy)")
    return cv.panel_coverage(panel, bench), bench, note


def _bench_note(store: Store, bench: pd.DataFrame, source: str, years: Sequence[int]) -> str:
    note = f"independent totals for coverage: {benchmark_vintage(store, exclude=source)}"
    have = sorted(set(years) & {int(y) for y in bench["year"]})
    if not have:
        note += (f"; none for {', '.join(map(str, years))}: ingest a benchmark source with "
                 "those years (imf_dots, wto_merchandise) or set min_coverage to 0")
    elif len(have) < len(set(years)):
        note += f"; they cover {', '.join(map(str, have))} only"
    return note


def vulnerability(store: Store, *, year: int, source: str = DEFAULT_SOURCE,
                  min_imports_usd: float = 0.0, thresholds: sc.Thresholds = DEFAULT_THRESHOLDS,
                  min_coverage: float = DEFAULT_MIN_COVERAGE) -> IndicatorResult:
    """Import vulnerability of the importers in ``source`` for ``year``, ranked.

    Only importers whose import coverage (``coverage`` module: the panel's imports over an
    independent total) is at least ``min_coverage`` are ranked (0: all); the others are in the
    table ``left_out`` with the reason, and every economy's coverage is in the table ``coverage``.
    Export power (table ``export_power``) ranks exporters by the same rule on export coverage.
    """
    rule = cv.CoverageRule(min_coverage)
    panel = load_panel(store, source, year)
    conc = cc.concentration(panel)
    hist = _history(store, source, year, thresholds.persistence_n)
    flags = _screens(panel, conc, thresholds, hist)
    cov, _, bench_note = _panel_coverage(store, panel)
    df, imp = cv.rank_covered(vu.import_vulnerability(panel, conc, flags), cov, "imports", rule,
                              by="iv", what="importers", year=year)
    extra = [bench_note, *imp.notes]
    if min_imports_usd > 0:
        df = df[df["imports_usd"] >= min_imports_usd].reset_index(drop=True)
        df["rank"] = df["iv"].rank(ascending=False, method="min").astype(int)
        extra.append(f"ranked among importers with imports ≥ {min_imports_usd:,.0f} USD")
    if len(hist) + 1 < thresholds.persistence_n:
        extra.append(f"GeoDep persistence uses {len(hist) + 1} of {thresholds.persistence_n} years")
    ep, exp = cv.rank_covered(vu.export_power(panel.world_exports, panel.countries), cov, "exports",
                              rule, by="export_power", what="exporters", year=year)
    extra += [f"export_power: {n}" for n in exp.notes]
    return IndicatorResult("import vulnerability", df, IV_METHOD, source, panel.vintage,
                           panel.classification, (year,), _coverage(panel, extra),
                           {"export_power": ep, "left_out": imp.left_out, "coverage": cov})


def vulnerability_series(store: Store, *, countries: Sequence[str] = ("KOR", "JPN", "CHN", "USA", "DEU"),
                         source: str = DEFAULT_SOURCE, min_coverage: float = DEFAULT_MIN_COVERAGE
                         ) -> IndicatorResult:
    """IV by year for a few countries (the paper's Figure 1) over every year the source has;
    ``rank`` is among the ``n_ranked`` importers of that year whose import coverage passes
    ``min_coverage`` (empty for a named country that does not, with ``import_coverage`` saying why)."""
    rule = cv.CoverageRule(min_coverage)
    frames, cov, vint, cls = [], [], "", ""
    years = source_years(store, source)
    if not years:
        raise NotFoundError(f"source {source!r} has no product-level trade in the store")
    for y in years:
        panel = load_panel(store, source, y)
        conc = cc.concentration(panel)
        df = vu.import_vulnerability(panel, conc)
        pc, _, bench_note = _panel_coverage(store, panel)
        ranked, s = cv.rank_covered(df, pc, "imports", rule, by="iv", what="importers", year=y)
        want = df[df["country"].isin(countries)].drop(columns="rank").merge(
            ranked[["country", "rank"]], on="country", how="left").merge(
            pc[["country", "import_coverage"]], on="country", how="left")
        frames.append(want.assign(year=y, n_ranked=len(ranked)))
        cov += [panel.describe(), *(f"{y}: {n}" for n in s.notes)]
        named = s.left_out[s.left_out["country"].isin(countries)]
        cov += list(f"{y}: " + named["country"] + " not ranked (" + named["reason"] + ")")
        vint, cls = panel.vintage, panel.classification
    cov.append(bench_note)
    out = pd.concat(frames)[["year", "country", "iv", "iv_hhi", "rank", "n_ranked", "imports_usd",
                             "import_coverage"]]
    return IndicatorResult("import vulnerability over time", out.reset_index(drop=True), IV_METHOD,
                           source, vint, cls, tuple(years), tuple(cov))


def bloc_members(store: Store, spec: str) -> list[str]:
    """Members of a bloc: a group code of the store (EU27, ASEAN, …) or comma-separated ISO3 codes
    and groups (any case; read by ``args.members``). NotFoundError naming the known groups for a
    single code that is no group."""
    codes = args.items(args.normalise(c) for c in args.split(spec))
    if not codes:
        raise OptionError("bloc members: give a group code (e.g. EU27) or comma-separated ISO3 codes")
    if len(codes) == 1 and codes[0] not in reference.group_codes(store):
        raise NotFoundError(f"unknown bloc {spec!r}: give one of the groups "
                            f"{', '.join(reference.group_codes(store))} or comma-separated ISO3 members")
    return list(args.members(store, codes, option="--bloc-members"))


def critical_items(store: Store, country: str, *, year: int, source: str = DEFAULT_SOURCE,
                   thresholds: sc.Thresholds = DEFAULT_THRESHOLDS, bloc: Sequence[str] | None = None,
                   include_residual: bool = False,
                   min_coverage: float = DEFAULT_MIN_COVERAGE) -> IndicatorResult:
    """Products ``country`` (or a bloc of ``bloc`` members named ``country``) depends on.

    A bloc is one economy trading with the rest of the world (``screens.bloc_panel``: extra-bloc
    imports summed by supplier, extra-bloc exports, extra-bloc share > 0.5). Residual and
    confidential codes (``residual.residual_mask``: HS 98–99 …) are not screened unless
    ``include_residual``; they are listed in the table ``residual`` and the value set aside is in
    the coverage notes.

    Supplier shares are shares of the imports the panel holds: a country whose import coverage
    (``coverage`` module) is below ``min_coverage`` is refused (OptionError; 0 turns the rule
    off), and a bloc's notes give its members' coverage.
    """
    rule = cv.CoverageRule(min_coverage)
    base = load_panel(store, source, year)
    if not bloc and country not in base.countries:
        groups = reference.group_codes(store)
        hint = f" ({country} is a group: pass the bloc's members)" if country in groups else ""
        raise NotFoundError(f"{country} is not in the {source} panel for {year}{hint}")
    cov_notes = _importer_coverage(store, base, [country] if not bloc else list(bloc), rule,
                                   bloc=country if bloc else None)
    years = [base, *(_align(h, base) for h in _history(store, source, year, thresholds.persistence_n))]
    # World-export concentration HHIW_p is over economies, before members merge into a bloc.
    world_hhi = [cc.world_export_hhi(p.world_exports) for p in years]
    shares: list[np.ndarray | None] = [None] * len(years)
    if bloc:
        merged = [sc.bloc_panel(p, bloc, country) for p in years]
        years = [m for m, _ in merged]
        shares = [_bloc_share(m, country, sh) for m, sh in merged]
    panel = years[0]
    conc = cc.concentration(panel)
    residual = rs.residual_mask(panel.products, panel.classification)
    flags = sc.screen_all(conc, panel.world_exports, world_hhi[0], thresholds, extra_share=shares[0])
    if len(years) > 1:  # GeoDep persistence: k of n consecutive years
        yearly = [flags["geodep"]] + [
            sc.screen("geodep", cc.concentration(h), h.world_exports, hw, thresholds, es)
            for h, hw, es in zip(years[1:], world_hhi[1:], shares[1:], strict=True)]
        flags["geodep"] = sc.persistent(yearly, thresholds.persistence_k)
    extra: list[str] = list(cov_notes)
    if len(years) < thresholds.persistence_n:
        extra.append(f"GeoDep persistence uses {len(years)} of {thresholds.persistence_n} years")
    res = sc.residual_items(panel, conc, residual, flags, importer=country)
    total = float(conc.imports[panel.code(country)].sum())
    what = rs.DESCRIPTION[rs.family(panel.classification)]
    value = float(res["imports_usd"].sum())
    if residual.any() and include_residual:
        extra.append(f"residual codes screened on request ({what}): {value:,.0f} USD of "
                     f"{country}'s imports")
    elif residual.any():
        flags = {n: f & ~residual[np.newaxis, :] for n, f in flags.items()}
        pct = f" = {value / total:.1%} of its imports" if total > 0 else ""
        extra.append(f"residual codes set aside ({what}): {len(res)} code{'' if len(res) == 1 else 's'}, "
                     f"{value:,.0f} USD of {country}'s imports{pct}; listed in table 'residual', "
                     "screened only with include_residual")
    items, suppliers = sc.flagged_items(panel, conc, flags, panel.world_exports, world_hhi[0],
                                        importer=country)
    if shares[0] is not None:  # the EU criterion the bloc's items pass or fail
        share = pd.Series(shares[0][panel.code(country)], index=panel.products)
        items.insert(items.columns.get_loc("world_hhi"), "extra_bloc_share", items["product"].map(share))
    items = describe_products(store, items)
    method = (f"EU 2021: HHI > {thresholds.hhi} and M/x > {thresholds.import_export_ratio}"
              + (f" and extra-bloc share > {thresholds.extra_bloc_share} (a bloc: extra-bloc "
                 "imports by supplier, extra-bloc exports)" if bloc else "")
              + f"; GeoDep: EU + world-export HHI > {thresholds.world_hhi}, {thresholds.persistence_k} "
              f"of {thresholds.persistence_n} years; MERICS: HHI > {thresholds.hhi} and M ≥ "
              f"{thresholds.merics_ratio}·x; Korea: top supplier ≥ {thresholds.single_supplier_share} "
              "(methods.md §1)")
    return IndicatorResult(f"critical items of {country}", items, method, source, panel.vintage,
                           panel.classification, tuple(p.year for p in years),
                           _coverage(panel, extra),
                           {"suppliers": suppliers, "residual": describe_products(store, res)})


def _below_rule(row: pd.Series, side: str, rule: cv.CoverageRule, source: str, year: int,
                consequence: str) -> OptionError:
    """The refusal for one economy whose ``side`` ("import" or "export") coverage fails ``rule``."""
    k = row[f"{side}_coverage"]
    have = (f"of unknown coverage (no independent total for {year} in the store: ingest imf_dots "
            "or wto_merchandise for that year)" if pd.isna(k)
            else f"{k:.1%} of its {row[f'{side}_benchmark']} total")
    return OptionError(f"{row['country']}'s {side}s in {source} {year} are {have}, below "
                       f"min_coverage {cv.pct(rule.min_coverage)}: {consequence} (set min_coverage "
                       "to 0 to see them anyway)")


def _importer_coverage(store: Store, panel: TradePanel, importers: Sequence[str],
                       rule: cv.CoverageRule, *, bloc: str | None = None) -> list[str]:
    """Notes on the import coverage of one importer (OptionError below ``rule``) or of a bloc's
    members (stated, not refused: the bloc's extra-bloc imports have no independent total)."""
    cov, _, bench_note = _panel_coverage(store, panel)
    rows = cov[cov["country"].isin(list(importers))]
    kept = rule.keep(rows["import_coverage"].to_numpy(dtype=np.float64),
                     rows["import_complete"].to_numpy(dtype=bool))

    def one(r: pd.Series) -> str:
        if r["import_complete"]:
            return f"{r['country']} complete"
        if pd.isna(r["import_coverage"]):
            return f"{r['country']} unknown"
        return f"{r['country']} {r['import_coverage']:.1%} of {r['import_benchmark']}"

    if bloc is None:
        if len(rows) and not kept[0]:
            raise _below_rule(rows.iloc[0], "import", rule, panel.source, panel.year,
                              "its supplier shares would describe part of its imports only")
        return [f"import coverage: {'; '.join(one(r) for _, r in rows.iterrows())}", bench_note]
    # The bloc's own coverage: its members' panel imports over their independent totals (members
    # without a total are left out of both sums), refused below the rule like one importer.
    known = rows[rows["import_benchmark_usd"] > 0]
    complete = bool(len(rows)) and bool(rows["import_complete"].all())
    total = pd.Series({"country": bloc, "import_benchmark": "members' independent",
                       "import_coverage": (known["imports_usd"].sum() / known["import_benchmark_usd"].sum()
                                           if len(known) else np.nan)})
    if not complete and not rule.keep(np.array([total["import_coverage"]]), np.array([False]))[0]:
        raise _below_rule(total, "import", rule, panel.source, panel.year,
                          "the bloc's supplier shares would describe part of its imports only")
    low = rows.loc[~kept, "country"].tolist()
    return [f"{bloc} import coverage: "
            + ("complete" if complete else f"{total['import_coverage']:.1%} of its members' independent totals"),
            f"{bloc} members' import coverage: {'; '.join(one(r) for _, r in rows.iterrows())}"
            + (f"; {len(low)} of {len(rows)} below {cv.pct(rule.min_coverage)} or unknown: the "
               "bloc's supplier shares leave out their missing imports" if low and rule.active else ""),
            bench_note]


def _bloc_share(merged: TradePanel, code: str, share: np.ndarray) -> np.ndarray:
    """The bloc's (P,) extra-bloc share as a C × P array (0 for every other importer)."""
    out = np.zeros((merged.n_countries, merged.n_products))
    out[merged.code(code)] = share
    return out


def competitiveness(store: Store, *, year: int, source: str = DEFAULT_SOURCE,
                    country: str | None = None, convention: Convention = "py-ecomplexity",
                    min_coverage: float = DEFAULT_MIN_COVERAGE) -> IndicatorResult:
    """Country ranking with RCA counts, ECI and export power; with ``country``, its products.

    Exporters are ranked, and ECI/PCI computed, only over exporters whose export basket is
    complete: a World total in the source, or export coverage ≥ ``min_coverage`` (``coverage``
    module; 0: every exporter, and the notes say the result is biased). ``country`` below the rule
    is refused (OptionError) unless ``min_coverage`` is 0, and so is a ranking no exporter passes
    (e.g. a source with no independent total for the year, or values not in USD).

    A source with exports to the World only (no bilateral flows, e.g. ``sitc2_toy``) works: RCA,
    ECI and export power need world exports only; imports, trade specialisation and the
    competitive-and-dependent table are then empty. A source without USD values (``sitc2_toy``)
    is read in its own unit: level columns lose their ``_usd`` suffix and the notes give the unit.
    """
    rule = cv.CoverageRule(min_coverage)
    panel = load_panel(store, source, year, bilateral=False)
    cov, bench, bench_note = _panel_coverage(store, panel)
    scope = cv.complexity_scope(cov, rule, cv.world_total(bench, year))
    cx = complexity(panel.world_exports[scope.rows], convention=convention) if scope.show else None
    rank, exp = cv.rank_covered(cp.ranking(panel), cov, "exports", rule, by="exports_usd",
                                what="exporters", year=year)
    if rule.active and rank.empty:
        raise OptionError(f"no exporter in {source} {year} passes min_coverage "
                          f"{cv.pct(rule.min_coverage)} ({'; '.join(exp.notes)}; {bench_note}): "
                          "set min_coverage to 0 to rank every exporter, with RCA and ECI relative "
                          "to the exporters in the source and the notes saying so")
    eci = pd.Series(cx.eci if cx is not None else np.nan, index=panel.countries[scope.rows], dtype=float)
    rank["eci"] = rank["country"].map(eci)
    ep = vu.export_power(panel.world_exports, panel.countries).set_index("country")["export_power"]
    rank["export_power"] = rank["country"].map(ep)
    world = None if panel.complete else cv.world_total(bench, year)
    if world is not None and world > 0:  # the panel's exporters are not the world (mirror data)
        rank["world_share"] = rank["exports_usd"] / world
        share_note = (f"world_share = exports / world exports {world:,.0f} USD (independent total, "
                      "economy WLD)")
    else:
        share_note = ("world_share = exports / the exports of every economy in the panel (no "
                      "independent world total in the store for this year)")
    tables = {"ranking": rank, "left_out": exp.left_out, "coverage": cov}
    extra = [bench_note, share_note, *exp.notes, *scope.notes,
             *([f"ECI eigenvalue {cx.eigenvalue:.6f}"] if cx is not None else [])]
    if country is not None:
        extra += _country_coverage(cov, country, rule, source, year)
        prods = cp.competitiveness_frame(panel, country)
        prods["pci"] = prods["product"].map(pd.Series(cx.pci if cx is not None else np.nan, index=panel.products,
                                                      dtype=float))
        if len(panel.value):
            flags = _screens(panel, cc.concentration(panel), sc.Thresholds())
            both = cp.competitive_and_dependent(panel, flags["eu"] | flags["korea"])
        else:  # exports to the World only: no imports to screen
            prods[["imports_usd", "trade_specialisation"]] = np.nan
            both = cp.competitive_and_dependent(panel, np.zeros(panel.world_exports.shape, bool))
            extra.append("no imports in the source: imports_usd and trade_specialisation are "
                         "empty, and so is competitive_and_dependent (it needs import screens)")
        tables["competitive_and_dependent"] = both[both["country"] == country]
        frame = prods.sort_values("exports_usd", ascending=False, ignore_index=True)
        # HS descriptions only for HS codes: 305 SITC2 codes of sitc2_toy are also HS codes
        if all(c.startswith("HS") for c in panel.classification.split(" at ")[0].split("/")):
            frame = describe_products(store, frame)
    else:
        frame = rank
    if panel.unit != "USD":  # say the unit in the column names rather than mislabel it
        frame, tables = _not_usd(frame), {k: _not_usd(v) for k, v in tables.items()}
        extra.append(f"exports and imports are in the source's unit {panel.unit!r}, not USD (the "
                     "source gives no USD values): compare shares, RCA and ECI, not levels")
    method = ("RCA_sp = (x_sp/X_s)/(X_wp/X_w) (Balassa 1965); world share x_sp/X_wp; TS = (x−m)/(x+m); "
              f"ECI/PCI (Hidalgo & Hausmann 2009) in the {convention} convention; export power "
              "EP_s = Σ_p (X_wp/X_w)(x_sp/X_wp)² (methods.md §2–3)")
    return IndicatorResult("export competitiveness" + (f" of {country}" if country else ""), frame,
                           method, source, panel.vintage, panel.classification, (year,),
                           _coverage(panel, extra), tables)


def _not_usd(df: pd.DataFrame) -> pd.DataFrame:
    """Drop the ``_usd`` suffix of level columns of a panel that is not in USD, and its USD
    benchmark columns (no benchmark can apply: they are empty)."""
    cols = [c for c in df.columns if isinstance(c, str) and c.endswith("_usd")]
    bench = [c for c in cols if c.endswith("_benchmark_usd")]
    return df.drop(columns=bench).rename(columns={c: c.removesuffix("_usd") for c in cols
                                                  if c not in bench})


def _coverage_notes(cov: pd.DataFrame, codes: Sequence[str]) -> list[str]:
    """One note per economy: both sides' coverage, and which side undercounts (below the default
    threshold or unknown)."""
    rows = cov.set_index("country").reindex(list(codes))
    rule = cv.CoverageRule()
    weak = {side: ~rule.keep(rows[f"{cv.PREFIX[side]}_coverage"].to_numpy(dtype=float),
                             rows[f"{cv.PREFIX[side]}_complete"].fillna(False).to_numpy(dtype=bool))
            for side in cv.SIDES}
    notes = []
    for i, (code, r) in enumerate(rows.iterrows()):   # the two economies of a pair
        low = [side for side in cv.SIDES if weak[side][i]]
        notes.append(f"{code}: import coverage {r['import_coverage']:.1%} ({r['import_benchmark']}), "
                     f"export coverage {r['export_coverage']:.1%} ({r['export_benchmark']})"
                     + (f"; its {' and '.join(low)} here undercount (coverage below "
                        f"{cv.pct(rule.min_coverage)} or unknown)" if low else ""))
    return notes


def _country_coverage(cov: pd.DataFrame, country: str, rule: cv.CoverageRule, source: str,
                      year: int) -> list[str]:
    """Notes on one country's coverage; OptionError if its exports fail the rule."""
    row = cov[cov["country"] == country]
    if row.empty:
        raise NotFoundError(f"{country} is not in the {source} panel for {year}")
    r = row.iloc[0]
    if not rule.keep(row["export_coverage"].to_numpy(), row["export_complete"].to_numpy())[0]:
        raise _below_rule(r, "export", rule, source, year,
                          "its RCA and shares would describe part of its exports only")
    def kappa(side: str) -> str:
        v = r[f"{side}_coverage"]
        return "unknown" if pd.isna(v) else f"{v:.1%} ({r[f'{side}_benchmark']})"

    notes = [f"{country}: export coverage {kappa('export')}, import coverage {kappa('import')}"]
    if not rule.keep(row["import_coverage"].to_numpy(), row["import_complete"].to_numpy())[0]:
        notes.append(f"{country}'s import coverage is below {cv.pct(rule.min_coverage)}: imports_usd "
                     "and trade_specialisation undercount its imports")
    return notes


def complementarity(store: Store, a: str, b: str, *, year: int, source: str = DEFAULT_SOURCE,
                    hhi_threshold: float = 0.4, include_residual: bool = False) -> IndicatorResult:
    """Where each partner's competitive exports can cover the other's vulnerable imports.

    Residual and confidential codes (``residual.residual_mask``: HS 98–99 …) are never at risk
    unless ``include_residual``."""
    panel = load_panel(store, source, year)
    conc = cc.concentration(panel)
    flags = _screens(panel, conc, sc.Thresholds(), include_residual=include_residual)
    residual = rs.residual_mask(panel.products, panel.classification)
    exclude = None if include_residual else residual
    ab, s_ab = cm.strategic_complementarity(panel, conc, a, b, flags=flags["eu"],
                                            hhi_threshold=hhi_threshold, exclude=exclude)
    ba, s_ba = cm.strategic_complementarity(panel, conc, b, a, flags=flags["eu"],
                                            hhi_threshold=hhi_threshold, exclude=exclude)
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
    if residual.any():
        n_res = int(residual.sum())
        codes = ", ".join(panel.products[residual]) if n_res <= 5 else f"{n_res} codes"
        extra.append(f"residual codes ({codes}) {'included' if include_residual else 'left out'}: "
                     f"{conc.imports[ia, residual].sum():,.0f} USD of {a}'s and "
                     f"{conc.imports[ib, residual].sum():,.0f} USD of {b}'s imports"
                     + ("" if include_residual else "; Michaely TC and Finger–Kreinin XS use every code"))
    cov, _, bench_note = _panel_coverage(store, panel)
    extra += [bench_note, *_coverage_notes(cov, (a, b))]
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
             base_year: int = 2017, min_coverage: float = DEFAULT_MIN_COVERAGE) -> IndicatorResult:
    """Export and import shares with the U.S. and China by year, and their change since ``base_year``.

    Each side's total is checked against an independent one (``coverage`` module): where a side's
    coverage is below ``min_coverage`` (or unknown) its shares are left empty, and economy-years
    where both sides fail are left out (table ``left_out``); 0 keeps everything.
    """
    rule = cv.CoverageRule(min_coverage)
    df = exposure_kernel(store, source, base_year=base_year)
    if countries:
        df = df[df["country"].isin(countries)].reset_index(drop=True)
    years = tuple(sorted(int(y) for y in df["year"].unique()))
    df, left, cov = _exposure_coverage(store, df, source, rule, base_year)
    if bool(df["imports_mirror"].any()):
        cov.append("imports are mirror data (partners' reported exports)")
    if base_year not in years:
        cov.append(f"{source} has no {base_year}: changes since {base_year} are empty")
    part = partial_years(store, source)
    df["partial_year"] = df["year"].isin(list(part))
    cov += [f"{y} is a partial year ({note}): shares are of the year to date, totals are not "
            "annual" for y, note in sorted(part.items()) if y in years]
    vint = provenance.vintages(store, [source])["vintage"]
    method = ("share = flows with the partner / total (World row where reported, else the sum over "
              "partners); shares in the source's own currency")
    return IndicatorResult("exposure to the U.S. and China", df, method, source, "; ".join(vint),
                           "all goods", years, tuple(cov), {"left_out": left})


def _exposure_coverage(store: Store, df: pd.DataFrame, source: str, rule: cv.CoverageRule,
                       base_year: int) -> tuple[pd.DataFrame, pd.DataFrame, list[str]]:
    """``exposure.apply_coverage`` against the benchmark totals of the frame's years."""
    years = sorted(int(y) for y in df["year"].unique())
    bench = benchmark_totals(store, years, exclude=source)
    out, left, notes = apply_coverage(df, bench, rule, base_year)
    return out, left, [_bench_note(store, bench, source, years), *notes]


SME_SOURCE = "comtrade_sme"


def semiconductor_equipment(store: Store, a: str, b: str, *, source: str = SME_SOURCE,
                            years: Sequence[int] | None = None) -> IndicatorResult:
    """Semiconductor-manufacturing equipment (HS 848620, 903082, 903141): A's imports, B's world
    export share and rank, how much of A's imports B's exports could cover, and how concentrated
    world supply is — every year the source has (reports vs World; see the kernel's module)."""
    flows = q.reported_annual_flows(store, source)
    if years:
        flows = flows[flows["year"].isin(list(years))]
    if flows.empty:
        raise NotFoundError(f"source {source!r} has no annual flows in the store"
                       + (f" for {list(years)}" if years else "") + ": run `econsec ingest`")
    market = eqp.world_market(flows)
    for code, flow in ((a, "import"), (b, "export")):
        if not ((market["reporter"] == code) & (market["flow"] == flow)).any():
            raise NotFoundError(f"{code} reports no {flow}s in {source}")
    frame = describe_products(store, eqp.cover(market, a, b))
    summ = eqp.market_summary(market)
    vint = provenance.vintages(store, [source])["vintage"]
    yrs = tuple(sorted(int(y) for y in market["year"].unique()))
    cov = ("reporter-based: each economy's trade with the World as it reports it; non-reporters "
           "are missing from the totals (n_exporters)",
           f"cover ratio is an upper bound: {b}'s exports go to every market, not only to {a}")
    return IndicatorResult(f"semiconductor equipment: {b} for {a}", frame, eqp.METHOD, source,
                           "; ".join(vint), "HS2017 6-digit (848620, 903082, 903141)", yrs, cov,
                           {"market": summ, "shares": market})
