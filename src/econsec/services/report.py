"""The pair report: every econsec analysis for two economies in one read-only pass.

``pair_report(store, "KOR", "JPN")`` runs, on the data in the store, the questions of the
policy paper in order — structural vulnerability (Figure 1), critical items, exposure to the
U.S. and China, strategic complementarity, the 2025 U.S. tariff scenarios, technology decoupling
(Figure 2), early-warning alerts and LNG security — and returns a :class:`Report`: one
:class:`Section` per question with its findings (sentences built from the numbers), tables,
chart data and the provenance of every result it used. A section whose data is not in the store
says so (``available=False`` and the reason) instead of failing the report.

The report only reads the store (scans and alerts are made by ``econsec ews``). Rendering (HTML,
JSON) is the interfaces' job.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import pandas as pd

from econsec import __version__
from econsec.analytics.indicators.data import source_years
from econsec.errors import EconsecError, NotFoundError, OptionError
from econsec.services import catalog as cat
from econsec.services import decoupling as dec
from econsec.services import ews, lng
from econsec.services import indicators as ind
from econsec.services import io as iosvc
from econsec.services import scenarios as scn
from econsec.store import Store
from econsec.store.queries import catalog as provenance
from econsec.store.queries import io as io_q
from econsec.store.queries import reference

#: The 2025 U.S. tariff measures of the paper, one preset each, and their combination.
TARIFF_PRESETS: tuple[str, ...] = ("universal-10", "reciprocal-2025-07", "china-60",
                                   "canada-mexico-25", "universal-10-china-60")
#: Economies shown beside the pair in the Figure-1 series and the decoupling table.
BENCHMARKS: tuple[str, ...] = ("CHN", "USA", "DEU")
HUBS: tuple[str, ...] = ("USA", "CHN")
HUB_NAMES: dict[str, str] = {"USA": "the United States", "CHN": "China"}
#: The long import-vulnerability series: WIOD 2013's goods sectors, 1995–2011.
LONG_SOURCE = "wiod2013"
#: Supply shocks of the value-chain section: (supplier, WIOD sector), cut by SHOCK_CUT. China's
#: electrical and optical equipment (c14) and each partner's chemicals (c9: the 2019 Japanese
#: export controls on fluorinated polyimide, photoresist and hydrogen fluoride hit this sector).
SHOCK_SECTORS: tuple[str, ...] = ("c14", "c9")
SHOCK_CUT = 0.1

Progress = Callable[[str], None]


class ReportError(EconsecError):
    """The report cannot be built as asked (unknown economy, no trade data at all)."""


@dataclass(frozen=True)
class Section:
    """One question of the report, answered from the store.

    ``findings`` are sentences with the numbers; ``tables`` the supporting tables; ``charts``
    the data of each chart (a frame the interface draws: ``figure1`` year × country IV,
    ``figure2`` economy × scenario real income %, ``lines`` x × series); ``provenance`` one entry
    per result used (method, source, vintage, convergence where a solver ran).
    """

    key: str
    title: str
    available: bool
    findings: tuple[str, ...] = ()
    tables: Mapping[str, pd.DataFrame] = field(default_factory=dict)
    charts: Mapping[str, pd.DataFrame] = field(default_factory=dict)
    provenance: tuple[dict[str, Any], ...] = ()
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Report:
    """The pair report (read-only). ``sections`` in the paper's order."""

    a: str
    b: str
    names: Mapping[str, str]
    year: int
    source: str
    generated: str
    sections: tuple[Section, ...]
    data: pd.DataFrame

    @property
    def title(self) -> str:
        return (f"Economic security of {self.names.get(self.a, self.a)} and "
                f"{self.names.get(self.b, self.b)}: vulnerability, complementarity, scenarios, "
                "early warning and LNG")

    def section(self, key: str) -> Section:
        for s in self.sections:
            if s.key == key:
                return s
        raise NotFoundError(f"no section {key!r}; sections: {[s.key for s in self.sections]}")

    def provenance(self) -> dict[str, Any]:
        return {"report": "pair", "a": self.a, "b": self.b, "year": self.year,
                "source": self.source, "generated": self.generated,
                "econsec": __version__,
                "sections": {s.key: list(s.provenance) for s in self.sections}}

    def summary(self) -> str:
        lines = [self.title, f"  generated {self.generated} by econsec {__version__}; "
                 f"product data {self.source} {self.year}"]
        for s in self.sections:
            if s.available:
                lines += [f"  {s.title}"] + [f"    - {f}" for f in s.findings[:2]]
            else:
                lines.append(f"  {s.title}: not available — " + "; ".join(s.notes))
        return "\n".join(lines)


def _fmt_usd(v: float) -> str:
    return f"{v / 1e9:,.1f} bn USD"


def _hub_shares(row: pd.Series, country: str) -> str:
    """"exports 6.5% to China; imports 17.2% from China": the shares with each hub other than the
    economy itself (a share with oneself does not exist); a missing share is said, never "nan%"."""
    out = []
    for flow, prep in (("export", "to"), ("import", "from")):
        hubs = [h for h in HUBS if h != country]
        have = [h for h in hubs if pd.notna(row.get(f"{flow}_share_{h}"))]
        none = [HUB_NAMES[h] for h in hubs if h not in have]
        if have:
            out.append(f"{flow}s " + " and ".join(f"{row[f'{flow}_share_{h}']:.1%} {prep} "
                                                  f"{HUB_NAMES[h]}" for h in have))
        if none:
            out.append(f"no {flow} data with {' or '.join(none)}")
    return "; ".join(out)


def _ordinal(k: int) -> str:
    suffix = "th" if 10 <= k % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(k % 10, "th")
    return f"{k}{suffix}"


class _Builder:
    """Builds the sections; each method returns one :class:`Section`."""

    def __init__(self, store: Store, a: str, b: str, year: int, source: str,
                 names: Mapping[str, str], min_imports_usd: float, draws: int,
                 lng_year: int | None) -> None:
        self.store, self.a, self.b, self.year, self.source = store, a, b, year, source
        self.names, self.min_imports, self.draws, self.lng_year = names, min_imports_usd, draws, lng_year

    def n(self, code: str) -> str:
        return self.names.get(code, code)

    # -- 1 structural vulnerability --------------------------------------------------------
    def vulnerability(self) -> Section:
        a, b = self.a, self.b
        r = ind.vulnerability(self.store, year=self.year, source=self.source,
                              min_imports_usd=self.min_imports)
        f = r.frame.set_index("country")
        findings = []
        for c in (a, b):
            if c in f.index:
                row = f.loc[c]
                findings.append(
                    f"{self.n(c)} ranks {_ordinal(int(row['rank']))} of {len(f)} importers in import "
                    f"vulnerability (IV {row['iv']:.3f}; HHI-weighted {row['iv_hhi']:.3f}); "
                    f"{row['share_flagged_eu']:.1%} of its imports are items the EU 2021 screen flags.")
            else:
                lo = r.tables.get("left_out")
                why = (lo.loc[lo["country"] == c, "reason"] if lo is not None and "reason" in lo
                       else pd.Series(dtype=object))
                reason = (f"left out: {why.iloc[0]}" if len(why) else
                          f"imports below {self.min_imports:,.0f} USD or not in {self.source}")
                findings.append(f"{self.n(c)} is not among the importers ranked ({reason}).")
        top = r.frame.head(15)
        pair = r.frame[r.frame["country"].isin([a, b]) & ~r.frame["country"].isin(top["country"])]
        cols = ["rank", "country", "iv", "iv_hhi", "imports_usd", "share_flagged_eu",
                "n_flagged_eu", "n_flagged_geodep"]
        tables = {"ranking": pd.concat([top, pair])[cols].reset_index(drop=True)}
        prov = [r.provenance()]
        charts = {}
        series = ind.vulnerability_series(self.store, countries=(a, b, *BENCHMARKS),
                                          source=self.source)
        charts["figure1"] = series.frame[["year", "country", "iv"]]
        prov.append(series.provenance())
        if len(series.years) > 1:
            s = series.frame.pivot(index="year", columns="country", values="iv")
            for c in (a, b):
                if c in s:
                    findings.append(f"{self.n(c)}'s IV moved from {s[c].iloc[0]:.3f} "
                                    f"({s.index[0]}) to {s[c].iloc[-1]:.3f} ({s.index[-1]}).")
        notes = list(r.coverage)
        try:  # the long view: WIOD goods sectors, 1995–2011 (the paper's Figure 1 runs from 1995)
            long = ind.vulnerability_series(self.store, countries=(a, b, *BENCHMARKS), source=LONG_SOURCE)
        except NotFoundError as e:
            notes.append(f"long series not shown: {e}")
        else:
            if len(long.years):
                charts["figure1_long"] = long.frame[["year", "country", "iv"]]
                prov.append(long.provenance())
                ranks = long.frame.pivot(index="year", columns="country", values="rank")
                n = int(long.frame["n_ranked"].iloc[-1])
                span = (f"{long.years[0]}–{long.years[-1]} ({len(long.years)} tables)"
                        if len(long.years) > 1 else str(long.years[0]))
                for c in (a, b):
                    if c in ranks:
                        lo, hi = int(ranks[c].min()), int(ranks[c].max())
                        findings.append(
                            f"On WIOD goods sectors, {span}, {self.n(c)} ranks "
                            + (f"{_ordinal(lo)}" if lo == hi else f"between {_ordinal(lo)} and "
                               f"{_ordinal(hi)}") + f" of {n} economies"
                            + (f" ({_ordinal(int(ranks[c].iloc[-1]))} in {long.years[-1]})."
                               if lo != hi else "."))
        return Section("vulnerability", TITLES["vulnerability"], True, tuple(findings),
                       tables, charts, tuple(prov), tuple(notes))

    # -- 2 critical items ------------------------------------------------------------------
    def critical_items(self) -> Section:
        findings, tables, prov = [], {}, []
        screens = ("flag_eu", "flag_geodep", "flag_merics", "flag_korea")
        counts = []
        for c in (self.a, self.b):
            r = ind.critical_items(self.store, c, year=self.year, source=self.source)
            f = r.frame
            any_flag = f[list(screens)].any(axis=1)
            flagged_usd = float(f.loc[any_flag, "imports_usd"].sum())
            counts.append({"country": c, **{s.removeprefix("flag_"): int(f[s].sum()) for s in screens},
                           "imports_flagged_usd": flagged_usd})
            top = f.loc[any_flag].nlargest(10, "imports_usd")
            tables[f"items_{c}"] = top[["product", "description", "imports_usd", "hhi", "top1_supplier",
                                       "top1_share", *screens]].reset_index(drop=True)
            if len(top):
                t = top.iloc[0]
                findings.append(
                    f"{self.n(c)}: {int(any_flag.sum())} items flagged by at least one screen "
                    f"({_fmt_usd(flagged_usd)}); the largest is {t['product']} "
                    f"{str(t['description'])[:60]} ({_fmt_usd(t['imports_usd'])}, "
                    f"{t['top1_share']:.0%} from {t['top1_supplier']}).")
            prov.append(r.provenance())
        tables = {"counts": pd.DataFrame(counts), **tables}
        return Section("critical_items", TITLES["critical_items"],
                       True, tuple(findings), tables, {}, tuple(prov))

    # -- 3 exposure ------------------------------------------------------------------------
    def exposure(self) -> Section:
        r = ind.exposure(self.store, countries=[self.a, self.b])
        f = r.frame
        if f.empty:
            raise ReportError(f"no exposure rows for {self.a} or {self.b} in {r.source}")
        years = sorted(int(y) for y in f["year"].unique())
        if self.year not in years:  # the report's year, as every section: never another one
            raise ReportError(f"{r.source} has no {self.year} for {self.a} or {self.b} "
                              f"(it has {', '.join(map(str, years))})")
        order = {self.a: 0, self.b: 1}
        last = f[f["year"] == self.year].sort_values("country", key=lambda c: c.map(order))
        findings = [f"{self.n(row['country'])} {self.year}: {_hub_shares(row, row['country'])}."
                    for _, row in last.iterrows()]
        findings += [f"{self.n(c)}: no {r.source} rows for {self.year}."
                     for c in (self.a, self.b) if c not in set(last["country"])]
        long = f.melt(id_vars=["year", "country"],
                      value_vars=["export_share_USA", "export_share_CHN"], var_name="share")
        long["series"] = long["country"] + " " + long["share"].str.replace("export_share_", "exports to ")
        chart = long.pivot(index="year", columns="series", values="value").reset_index()
        cols = [c for c in f.columns if c.startswith(("year", "country", "export_share", "import_share"))]
        return Section("exposure", TITLES["exposure"], True, tuple(findings),
                       {"latest": last[cols].dropna(axis=1, how="all").reset_index(drop=True)}, {"lines": chart},
                       (r.provenance(),), r.coverage)

    # -- 4 complementarity -----------------------------------------------------------------
    def complementarity(self) -> Section:
        r = ind.complementarity(self.store, self.a, self.b, year=self.year, source=self.source)
        sc = r.tables["scores"]
        findings = [f"{row['direction'].replace(self.a, self.n(self.a)).replace(self.b, self.n(self.b))}: "
                    f"{row['coverage']:.0%} of {_fmt_usd(row['imports_at_risk_usd'])} at-risk imports "
                    f"over {int(row['n_products'])} products." for _, row in sc.iterrows()]
        findings.append(f"Export similarity (Finger–Kreinin) {sc['finger_kreinin_xs'].iloc[0]:.1f}; "
                        f"trade complementarity (Michaely) {sc['michaely_tc'].iloc[0]:.1f} and "
                        f"{sc['michaely_tc'].iloc[1]:.1f}.")
        keep = ["product", "description", "importer", "partner", "imports_at_risk_usd", "top_supplier",
                "top_supplier_share", "partner_exports_usd", "partner_rca", "coverage", "covered_usd"]
        tables = {"scores": sc, "items": r.frame[[c for c in keep if c in r.frame]].head(20)}
        if "semiconductor_value_chain" in r.tables:
            tables["semiconductors"] = r.tables["semiconductor_value_chain"]
        prov, notes = [r.provenance()], list(r.coverage)
        for imp, exp in ((self.a, self.b), (self.b, self.a)):
            try:
                eq = ind.semiconductor_equipment(self.store, imp, exp)
            except NotFoundError as e:
                notes.append(f"semiconductor equipment ({exp} for {imp}) not shown: {e}")
                continue
            f = eq.frame
            last = f[(f["year"] == f["year"].max()) & (f["product"] == "848620")]
            tables[f"semiconductor_equipment_{exp}_for_{imp}"] = f[f["year"] == f["year"].max()]
            prov.append(eq.provenance())
            if len(last) and pd.notna(last[f"imports_{imp}_usd"].iloc[0]):
                x = last.iloc[0]
                findings.append(
                    f"Semiconductor-manufacturing machines (HS 848620) {int(x['year'])}: "
                    f"{self.n(imp)} imported {_fmt_usd(x[f'imports_{imp}_usd'])} "
                    f"({x[f'import_share_{imp}']:.0%} of world imports); {self.n(exp)} exported "
                    f"{_fmt_usd(x[f'exports_{exp}_usd'])} ({x[f'export_share_{exp}']:.0%} of world "
                    f"exports), enough to cover {x['cover_ratio']:.0%} of them; world supply HHI "
                    f"{x['exporter_hhi']:.2f} ({x['top_exporters']}).")
        return Section("complementarity", TITLES["complementarity"], True, tuple(findings),
                       tables, {}, tuple(prov), tuple(notes))

    # -- 4b value chains (WIOD input–output) ------------------------------------------------
    def value_chains(self) -> Section:
        a, b = self.a, self.b
        m = iosvc.table(self.store)
        missing = [c for c in (a, b) if c not in m.regions]
        if missing:
            raise ReportError(f"{', '.join(missing)} not a region of WIOD {m.year} (inside ROW)")
        va = m.value_added_in_trade()
        cols = ["exports", "dva_share", "vax_ratio", "gvc_backward", "gvc_forward", "gvc_participation"]
        gvc = va.frame.loc[[a, b], cols].reset_index()
        findings = [f"{self.n(c)} {m.year}: {r['dva_share']:.0%} of gross exports is domestic value "
                    f"added; GVC participation {r['gvc_participation']:.0%} (backward "
                    f"{r['gvc_backward']:.0%}, forward {r['gvc_forward']:.0%})."
                    for c, r in va.frame.loc[[a, b], cols].iterrows()]
        names = dict(zip(m.sectors, io_q.industry_names(self.store, m.io_table, m.year)
                         .reindex(list(m.sectors)).fillna(""), strict=True))
        shocks = [("CHN", SHOCK_SECTORS[0]), (b, SHOCK_SECTORS[1]), (a, SHOCK_SECTORS[1])]
        rows, prov = [], [va.provenance()]
        for origin, sector in shocks:
            r = m.supply_shock([(origin, sector)], cut=SHOCK_CUT)
            reg = r.table("by_region")
            for c in (a, b):
                if c != origin:
                    rows.append({"shock": f"{origin} {sector} {names.get(sector, '')} −{SHOCK_CUT:.0%}",
                                 "economy": c, "output_loss_musd": float(reg.loc[c, "loss"]),
                                 "output_loss_pct": float(reg.loc[c, "loss_pct"])})
            prov.append(r.provenance())
        t = pd.DataFrame(rows)
        for _, r in t.iterrows():
            findings.append(f"A {SHOCK_CUT:.0%} cut in {r['shock'].split(' −')[0]} supply costs "
                            f"{self.n(r['economy'])} {r['output_loss_musd']:,.0f} million USD of "
                            f"output ({r['output_loss_pct']:.3f} %; Ghosh, WIOD {m.year}).")
        return Section("value_chains", TITLES["value_chains"], True,
                       tuple(findings), {"gvc": gvc, "supply_shocks": t}, {}, tuple(prov),
                       m.notes())

    # -- 5 tariff scenarios ----------------------------------------------------------------
    def scenarios(self, presets: Sequence[str]) -> Section:
        rows, prov, notes = [], [], []
        for p in presets:
            run = scn.run_scenario(self.store, p, model="both", draws=self.draws)
            covered, why = run.coverage((self.a, self.b))
            notes += list(why)
            if not covered:
                raise ReportError(f"neither {self.a} nor {self.b} is in the scenario models: "
                                  f"{self.a} and {self.b} are inside ROW of the GE model and not "
                                  "partners in the U.S. import data")
            foc = run.focus(covered)
            foc.insert(0, "scenario", p)
            # robustness: the same GE from the balanced-trade equilibrium (deficits removed first)
            dek = scn.run_scenario(self.store, p, model="ge", deficits="removed").countries()
            foc.insert(3, "real_income_pct_deficits_removed",
                       foc["country"].map(dek.set_index("country")["real_income_pct"]))
            rows.append(foc)
            prov.append(run.provenance())
            notes += list(run.notes)
        t = pd.concat(rows, ignore_index=True)
        findings = []
        for c in (self.a, self.b):
            tc = t[(t["country"] == c) & t["real_income_pct"].notna()]
            pe = t[(t["country"] == c) & t["us_imports_change_pct_pe"].notna()] \
                if "us_imports_change_pct_pe" in t else t.iloc[:0]
            if not len(tc) and len(pe):  # not a region of the GE model: the U.S. market only
                w = pe.loc[pe["us_imports_change_pct_pe"].idxmin()]
                findings.append(f"{self.n(c)} is inside the rest of the world of the GE model; in "
                                f"the U.S. market its sales change from "
                                f"{pe['us_imports_change_pct_pe'].min():+.1f} % to "
                                f"{pe['us_imports_change_pct_pe'].max():+.1f} % across the "
                                f"{len(pe)} scenarios (SMART partial equilibrium); the worst is "
                                f"{w['scenario']}.")
            if len(tc):
                w = tc.loc[tc["real_income_pct"].idxmin()]
                findings.append(f"{self.n(c)}: real income changes from {tc['real_income_pct'].min():+.2f} % "
                                f"to {tc['real_income_pct'].max():+.2f} % across the {len(tc)} scenarios; "
                                f"the worst is {w['scenario']}; from the balanced-trade equilibrium "
                                f"(deficits removed first) {w['real_income_pct_deficits_removed']:+.2f} %.")
        return Section("scenarios", TITLES["scenarios"],
                       True, tuple(findings), {"effects": t}, {}, tuple(prov),
                       tuple(dict.fromkeys(notes)))

    # -- 6 decoupling ----------------------------------------------------------------------
    def decoupling(self) -> Section:
        r = dec.run_all(self.store)
        shown = list(dict.fromkeys([self.a, self.b, *HUBS, *BENCHMARKS]))
        have = set(r.frame()["country"])
        table = r.table([c for c in shown if c in have])
        findings = []
        notes = [f"{self.n(c)} is not a region of {r.source} {r.year} (it is inside ROW): no "
                 "decoupling result" for c in (self.a, self.b) if c not in have]
        for c in (self.a, self.b):
            if c in table.index:
                row = table.loc[c]
                findings.append(f"{self.n(c)}: {row.min():+.2f} % ({row.idxmin()}) to "
                                f"{row.max():+.2f} % ({row.idxmax()}) of real income.")
        full = r.table().drop(index=["mean", "world"])
        for c in (self.a, self.b):
            if c in full.index:
                w = full.loc[c].idxmin()
                rank = int((full[w] < full.loc[c, w]).sum()) + 1
                findings.append(f"In {w} {self.n(c)}'s loss is the {_ordinal(rank)} largest of "
                                f"{len(full)} economies.")
        tables = {"real_income_pct": table.reset_index()}
        prov = [r.provenance()]
        if self.a in full.index:          # the scenario-to-vulnerability loop for a's worst case
            worst = full.loc[self.a].idxmin()
            lp = dec.loop(r, worst)
            ex = lp.exposure([self.a, self.b])
            tables[f"exposure_{worst}"] = ex
            conc = lp.concentration([self.a]).sort_values("hhi_change", ascending=False).head(8)
            tables[f"import_concentration_{self.a}_{worst}"] = conc
            prov.append(lp.provenance())
            if "import_share_CHN_change_pp" in ex.columns and self.a in set(ex["country"]):
                e = ex.set_index("country").loc[self.a]
                findings.append(f"In {worst} {self.n(self.a)}'s import share from China moves "
                                f"{e['import_share_CHN_change_pp']:+.1f} pp and from the U.S. "
                                f"{e['import_share_USA_change_pp']:+.1f} pp (intermediate and final "
                                "goods, WIOD sectors).")
        return Section("decoupling", TITLES["decoupling"],
                       True, tuple(findings), tables,
                       {"figure2": table.drop(index=["mean", "world"], errors="ignore")},
                       tuple(prov), tuple(notes))

    # -- 7 early warning -------------------------------------------------------------------
    def early_warning(self) -> Section:
        pair = (self.a, self.b)
        wl = ews.watchlist(self.store)
        wl = wl[wl["importer"].isin(pair)] if len(wl) else wl
        if not len(wl):
            return Section("early_warning", TITLES["early_warning"], False,
                           notes=(f"no watchlist items for {self.a} or {self.b}: run `econsec ews "
                                  "watchlist generate` and `econsec ews scan`",))
        al = ews.alerts(self.store)
        n_all = int(al["importer"].isin(pair).sum()) if len(al) else 0
        open_ = ews.alerts_explained(self.store, pair)
        findings = [f"{len(wl)} items watched for {' and '.join(self.n(c) for c in pair)}; "
                    f"{len(open_)} open alerts, {n_all} in all."]
        for _, top in open_.head(3).iterrows():
            line = (f"{top['importer']} {top['product']}: score {top['score']:.0f} ({top['level']}) "
                    f"as of {top['as_of']}; drivers {top['drivers'] or 'none above zero'}.")
            if top["cover_partner"]:
                share = ("" if pd.isna(top["cover_share"])
                         else f", {top['cover_share']:.1%} of the item's supply")
                line += (f" Cover: {self.n(top['cover_partner'])} supplied "
                         f"{top['cover_supply_12m']:,.1f} {top['units'] or '(source units)'} in the last 12 "
                         f"months{share}"
                         + ("; it watches the item too." if top["partner_watches"] else "."))
            findings.append(line)
        return Section("early_warning", TITLES["early_warning"], True, tuple(findings),
                       {"open_alerts": open_.head(30), "watchlist": wl.head(50).reset_index(drop=True)},
                       {}, ({"method": "econsec ews scan (docs/ews.md): signals scored against the "
                             "item's own history, no look-ahead; cover = the partner's supply of "
                             "the item over the 12 months to the alert; alerts as stored"},))

    # -- 8 LNG -----------------------------------------------------------------------------
    def lng(self) -> Section:
        pair = (self.a, self.b)
        port = lng.portfolio(self.store, pair)
        f = port.frame
        year = self.lng_year or int(f.groupby("importer")["year"].max().min())
        order = {self.a: 0, self.b: 1}
        last = f[f["year"] == year].sort_values("importer", key=lambda c: c.map(order))
        findings = [f"{self.n(r['importer'])} {year}: {r['total_mt']:.1f} Mt from {int(r['n_suppliers'])} "
                    f"suppliers, HHI {r['hhi']:.3f}, top {r['top_supplier']} {r['top_share']:.0%}, "
                    f"Hormuz {r['hormuz_share']:.0%}." for _, r in last.iterrows()]
        tables: dict[str, pd.DataFrame] = {"portfolio": last.reset_index(drop=True)}
        prov = [port.provenance()]
        notes = list(port.coverage)
        try:
            opt = lng.optimize(self.store, pair, year)
        except EconsecError as e:
            notes.append(f"joint procurement not solved: {e}")
        else:
            gain = opt.tables.get("gain")
            tables["procurement"] = opt.frame
            if gain is not None:
                tables["pooling_gain"] = gain
                g = gain.set_index("measure")
                findings.append(f"Pooled procurement {year}: cost {g.loc['cost_bn_usd', 'separate']:.2f} → "
                                f"{g.loc['cost_bn_usd', 'pooled']:.2f} bn USD; worst-case shortfall "
                                f"{g.loc['worst_shortfall_mt', 'separate']:.2f} → "
                                f"{g.loc['worst_shortfall_mt', 'pooled']:.2f} Mt.")
            prov.append(opt.provenance())
        try:  # a 3-month closure of the Strait of Hormuz, alone and with a joint response
            d = lng.disrupt(self.store, pair, year, route="hormuz", months=3)
        except EconsecError as e:
            notes.append(f"Hormuz disruption not computed: {e}")
        else:
            tables["hormuz_3_months"] = d.frame
            prov.append(d.provenance())
            for _, r in d.frame.iterrows():
                findings.append(f"Hormuz closed for 3 months ({year} flows): {self.n(r['buyer'])} loses "
                                f"{r['lost_mt']:.2f} Mt; short {r['shortfall_alone']:.2f} Mt alone, "
                                f"{r['shortfall_joint']:.2f} Mt with a joint response.")
        charts = {"lines": f.pivot(index="year", columns="importer", values="hhi").reset_index()}
        return Section("lng", TITLES["lng"], True, tuple(findings), tables,
                       charts, tuple(prov), tuple(notes))


#: Section keys in the paper's order, with their titles.
TITLES: dict[str, str] = {
    "vulnerability": "Structural import vulnerability",
    "critical_items": "Critical items (EU, GeoDep, MERICS and Korea screens)",
    "exposure": "Exposure to the United States and China",
    "complementarity": "Strategic complementarity",
    "value_chains": "Value chains and supply shocks (WIOD input–output)",
    "scenarios": "2025 U.S. tariff scenarios (structural gravity GE + SMART PE)",
    "decoupling": "Technology decoupling between blocs (Caliendo–Parro GE, WIOD)",
    "early_warning": "Early warning",
    "lng": "LNG security and joint procurement",
}
SECTIONS: tuple[str, ...] = tuple(TITLES)


def pair_report(store: Store, a: str = "KOR", b: str = "JPN", *, year: int | None = None,
                source: str = ind.DEFAULT_SOURCE, min_imports_usd: float = 1e10,
                presets: Sequence[str] = TARIFF_PRESETS, draws: int = 0,
                lng_year: int | None = None, sections: Sequence[str] = SECTIONS,
                progress: Progress | None = None) -> Report:
    """Build the report for economies ``a`` and ``b`` (ISO3) from the store.

    ``year``: the product-data year (default: the latest ``source`` has). ``presets``: tariff
    scenarios; ``draws``: Monte Carlo draws for their bands (0 = point estimates). A section
    whose data are missing is kept with ``available=False`` and the reason.
    """
    a, b = a.strip().upper(), b.strip().upper()
    scn.check_draws(draws)
    if provenance.ingest_count(store) == 0:
        raise ReportError(f"the store at {store.path} is empty: run `econsec ingest` first")
    if a == b:
        raise OptionError(f"the report needs two different economies, got {a} twice")
    unknown = sorted(set(sections) - set(SECTIONS))
    if unknown:
        raise OptionError(f"unknown sections {unknown}; known: {list(SECTIONS)}")
    names_df = reference.country_catalog(store, [a, b])
    names = dict(zip(names_df["iso3"], names_df["name"], strict=True))
    missing = [c for c in (a, b) if c not in names]
    if missing:
        raise NotFoundError(f"unknown economy {', '.join(missing)}: expected ISO3 codes in the "
                            "country catalog (`econsec countries`)")
    years = source_years(store, source)
    if not years:
        raise NotFoundError(f"no product-level trade data from {source} in the store: run "
                            "`econsec ingest`")
    if year is not None and year not in years:
        raise NotFoundError(f"{source} has no {year} in the store; it has {years}")
    year = ind.year_or_latest(store, source, year)   # default: the latest complete year
    bld = _Builder(store, a, b, year, source, names, min_imports_usd, draws, lng_year)
    out = []
    for key in sections:
        if progress is not None:
            progress(TITLES[key])
        try:
            sec = bld.scenarios(presets) if key == "scenarios" else getattr(bld, key)()
        except EconsecError as e:  # data missing for one question: say so, go on
            sec = Section(key, TITLES[key], False, notes=(str(e),))
        out.append(sec)
    return Report(a, b, names, year, source, datetime.now(UTC).isoformat(timespec="seconds"),
                  tuple(out), cat.catalog(store))


def to_json(report: Report, records: Callable[[pd.DataFrame], list[dict[str, Any]]]) -> dict[str, Any]:
    """The report as one JSON-ready mapping (``records`` turns a frame into row dicts)."""
    return {"title": report.title, "provenance": report.provenance(),
            "data": records(report.data),
            "sections": [{"key": s.key, "title": s.title, "available": s.available,
                          "findings": list(s.findings), "notes": list(s.notes),
                          "provenance": list(s.provenance),
                          "tables": {k: records(v) for k, v in s.tables.items()},
                          "charts": {k: records(v.reset_index() if k == "figure2" else v)
                                     for k, v in s.charts.items()}}
                         for s in report.sections]}
