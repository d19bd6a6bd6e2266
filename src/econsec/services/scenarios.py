"""Scenario runs: a scenario spec (preset name or TOML file) → general equilibrium, product-level
partial equilibrium, and third-market effects.

* **GE** — structural gravity in changes (exact hat algebra, Dekle–Eaton–Kortum 2008) calibrated
  to WIOD 2013's 2011 table, the most recent year in the store with domestic flows: 40 economies
  and the rest of the world, two sectors (goods = WIOD c1–c16, services = c17–c35), no
  intermediate inputs, goods trade elasticity σ − 1 (σ = 5 by default, Head & Mayer 2014),
  services 4; tariffs apply to goods and their revenue is rebated to the importer. Monte Carlo
  over σ (and over the estimated RTA coefficient for agreement presets) gives 5–95 % bands.
* **Multi-sector GE** (``model="all"``) — Caliendo & Parro (2015) on the same table with 35
  sectors and input–output links, sector elasticities from CP 2015.
* **PE** — WITS SMART on U.S. 2024 imports for consumption by HS10 × partner (Census), for the
  measures the United States imposes.
* **Third markets** — from the GE bilateral flows: where China's exports are diverted and how
  Korea's and Japan's exports to markets other than the U.S. and China change.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from econsec.analytics.models.multisector import MultiSectorModel, Shock, load_wiod
from econsec.analytics.models.multisector.data import Calibration
from econsec.analytics.models.multisector.results import MultiSectorResults
from econsec.analytics.models.pe.model import SmartModel
from econsec.analytics.models.pe.results import SmartResult
from econsec.analytics.scenarios import Scenario, load_preset, load_spec
from econsec.analytics.scenarios.options import DEFICITS as DEFICITS  # re-exported to interfaces
from econsec.analytics.scenarios.options import MAX_DRAWS as MAX_DRAWS
from econsec.analytics.scenarios.options import MODELS as MODELS
from econsec.analytics.scenarios.options import Deficits, Model, RunOptions
from econsec.analytics.scenarios.options import check_draws as check_draws
from econsec.analytics.scenarios.shocks import (
    product_frame,
    resolve_product_rates,
    rta_change,
    sector_tariffs,
)
from econsec.errors import EconsecError, NotFoundError
from econsec.store import Store
from econsec.store.queries import gravity

GE_YEAR = 2011
GOODS = tuple(f"c{i}" for i in range(1, 17))
SERVICES_THETA = 4.0
SIGMA_SD = 1.0
SIGMA_RANGE = (2.0, 10.0)

#: ``progress(done, total)``: called after each Monte Carlo draw (interfaces draw a bar with it).
DrawProgress = Callable[[int, int], None]


class ScenarioRunError(EconsecError):
    """A scenario cannot run on the data in the store."""


@dataclass(frozen=True)
class ScenarioRun:
    """Everything one scenario run produced (read-only)."""

    scenario: Scenario
    sigma: float
    ge: MultiSectorResults | None
    bands: pd.DataFrame | None
    multisector: MultiSectorResults | None
    pe: SmartResult | None
    third_markets: pd.DataFrame | None
    notes: tuple[str, ...] = field(default_factory=tuple)

    def countries(self) -> pd.DataFrame:
        """Per economy: GE real income, exports and imports changes (%) with 5–95 % bands."""
        if self.ge is None:
            return pd.DataFrame()
        f = self.ge.to_frame()
        out = pd.DataFrame({
            "country": f["country"], "real_income_pct": f["real_income_pct"],
            "exports_pct": 100 * (f["exports_cf"] / f["exports_base"] - 1),
            "imports_pct": 100 * (f["imports_cf"] / f["imports_base"] - 1),
            "tariff_revenue_musd": f["tariff_revenue_cf"] - f["tariff_revenue_base"]})
        if self.multisector is not None:
            ms = self.multisector.to_frame().set_index("country")["real_income_pct"]
            out["real_income_pct_multisector"] = out["country"].map(ms)
        if self.bands is not None:
            out = out.merge(self.bands, on="country", how="left")
        return out.sort_values("real_income_pct", ignore_index=True)

    def _ge_economies(self) -> tuple[str, ...]:
        return tuple(self.ge.to_frame()["country"]) if self.ge is not None else ()

    def coverage(self, countries: Sequence[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """(the economies with a result in at least one model that ran, one note per missing
        result). Codes in any case; the GE economies are WIOD's regions (others are inside ROW);
        the PE market is the importer's imports by partner (EU members are one partner, EUN)."""
        codes = tuple(dict.fromkeys(str(c).strip().upper() for c in countries))
        ge = set(self._ge_economies())
        partners = set(self.pe.baseline.partners) if self.pe is not None else set()
        importer = self.pe.baseline.importer if self.pe is not None else None
        covered, notes = [], []
        for c in codes:
            in_ge, in_pe = c in ge, c in partners or c == importer
            if in_ge or in_pe:
                covered.append(c)
            if self.ge is not None and not in_ge and in_pe:
                notes.append(f"{c} is not a region of the GE model ({self.ge.source} "
                             f"{self.ge.year}: it is inside ROW): no GE result")
            if self.pe is not None and c == importer:
                notes.append(f"{c} is the importing market of the PE model: its PE welfare change "
                             "(consumer surplus + tariff revenue) is pe_welfare_change_musd; "
                             "diversion gains are for the partners selling to it")
            elif self.pe is not None and in_ge and not in_pe:
                notes.append(f"{c} is not a partner in the PE data ({importer} imports from "
                             f"{len(partners)} partners; EU members are one partner, EUN): no "
                             "PE result")
        return tuple(covered), tuple(notes)

    def _check_focus(self, countries: Sequence[str]) -> tuple[str, ...]:
        covered, _ = self.coverage(countries)
        codes = tuple(dict.fromkeys(str(c).strip().upper() for c in countries))
        missing = [c for c in codes if c not in covered]
        if missing:
            have = []
            if self.ge is not None:
                have.append(f"the GE model ({self.ge.source} {self.ge.year}) has "
                            f"{', '.join(self._ge_economies())} (every other economy is inside ROW)")
            if self.pe is not None:
                b = self.pe.baseline
                have.append(f"the PE model ({b.importer} imports {b.year}) has {b.importer} and "
                            f"its partners {', '.join(b.partners)}")
            raise NotFoundError(f"no result for {', '.join(missing)} in {self.scenario.name}: "
                                + "; ".join(have))
        return codes

    def focus(self, countries: Sequence[str] = ("KOR", "JPN")) -> pd.DataFrame:
        """The GE and PE effects on the named economies, one row each, in the order given.

        An economy one model does not cover has empty cells there (:meth:`coverage` says why);
        the PE importer (the United States) gets its own PE welfare and tariff-revenue change.

        Raises
        ------
        NotFoundError : an economy no model that ran has, naming the economies they have.
        """
        codes = self._check_focus(countries)
        c = self.countries()
        rows = (c.set_index("country") if len(c) else pd.DataFrame(index=pd.Index([], name="country"))
                ).reindex(pd.Index(codes, name="country"))
        if self.pe is not None:
            sup = self.pe.by_supplier().set_index("partner")
            rows["us_imports_change_musd_pe"] = (sup["change"] / 1e6).reindex(rows.index)
            rows["us_imports_change_pct_pe"] = sup["pct_change"].reindex(rows.index)
            imp = self.pe.baseline.importer
            if imp in codes:  # the importing market itself: its own PE welfare
                t = self.pe.totals
                rows["pe_welfare_change_musd"] = np.nan
                rows["pe_tariff_revenue_change_musd"] = np.nan
                rows.loc[imp, "pe_welfare_change_musd"] = t["welfare_change"] / 1e6
                rows.loc[imp, "pe_tariff_revenue_change_musd"] = t["tariff_revenue_change"] / 1e6
        return rows.reset_index()

    def diversion_gains(self, countries: Sequence[str], n: int = 10) -> dict[str, pd.DataFrame]:
        """Each named PE partner's ``n`` largest HS10 diversion gains in the importer's market
        (economies that are not partners, such as the importer itself, have none: see
        :meth:`coverage`)."""
        if self.pe is None:
            return {}
        partners = set(self.pe.baseline.partners)
        codes = self._check_focus(countries)
        return {k: self.pe.top_diversion_gains(k, n) for k in codes if k in partners}

    def provenance(self) -> dict[str, object]:
        p: dict[str, object] = {"scenario": self.scenario.name, "title": self.scenario.title,
                                "sigma": self.sigma, "notes": list(self.notes)}
        if self.ge is not None:
            p["ge"] = {"method": self.ge.method, "source": self.ge.source,
                       "vintage": self.ge.vintage, "year": self.ge.year,
                       "converged": self.ge.converged, "iterations": self.ge.iterations,
                       "residual": self.ge.residual}
        if self.multisector is not None:
            p["multisector"] = {"method": self.multisector.method,
                                "converged": self.multisector.converged,
                                "iterations": self.multisector.iterations}
        if self.pe is not None:
            p["pe"] = self.pe.provenance()
        return p

    def summary(self, focus: Sequence[str] = ("KOR", "JPN")) -> str:
        lines = [f"scenario {self.scenario.name}: {self.scenario.title}"]
        if self.ge is not None:
            lines.append(f"  GE: {self.ge.method} — {self.ge.source}, {self.ge.year}; converged "
                         f"{self.ge.converged} in {self.ge.iterations} iterations (residual "
                         f"{self.ge.residual:.1e}); σ = {self.sigma:g}")
        if self.pe is not None:
            lines.append(f"  PE: {self.pe.method}")
            lines.append(f"      data: {self.pe.vintage}")
        lines += [f"  note: {n}" for n in self.notes]
        return "\n".join(lines)


def resolve(name_or_path: str) -> Scenario:
    """A preset by name, or a TOML file by path."""
    p = Path(name_or_path)
    return load_spec(p) if p.suffix == ".toml" or p.exists() else load_preset(name_or_path)


def _sector_shock(spec: Scenario, cal: Calibration) -> tuple[Shock, list[str]]:
    goods = [s for s in cal.sectors if s in GOODS or s == "goods"]
    sh = sector_tariffs(spec, cal.countries, goods)
    change = np.zeros((len(cal.countries), len(cal.countries), len(cal.sectors)))
    pos = [cal.sectors.index(s) for s in goods]
    change[:, :, pos] = sh.pct / 100.0
    notes = list(sh.notes) + [f"{field_}: {', '.join(codes)} not in WIOD (inside ROW)"
                              for field_, codes in sh.not_covered.items()]
    return Shock.baseline(cal).with_tariff_change(change, label=spec.name), notes


def baseline_rta(store: Store, countries: Sequence[str], year: int = 2006) -> np.ndarray:
    """RTA membership in ``year`` from the AGTPA panel (exporter × importer; 0 where unknown)."""
    df = gravity.rta_pairs(store, "agtpa_yotov2016", year)
    idx = pd.Index(countries)
    i, j = idx.get_indexer(df["exporter"]), idx.get_indexer(df["importer"])
    ok = (i >= 0) & (j >= 0)
    out = np.zeros((len(countries), len(countries)))
    out[i[ok], j[ok]] = df["rta"].to_numpy(dtype=float)[ok]
    return out


def _with_rta(shock: Shock, spec: Scenario, beta: float, theta: float, notes: list[str],
              base: np.ndarray | None) -> Shock:
    """Goods trade costs d̂ = exp(−β·Δrta/θ) on newly treated pairs: PPML's exp(β·rta) scales
    trade as d^(−θ). The RTA effect is estimated on manufacturing flows, so services are left out;
    pairs already in an agreement in the AGTPA panel's last year (2006) do not change."""
    rta = rta_change(spec, shock.countries, baseline_rta=base)
    notes.extend(rta.notes)
    factor = np.ones(shock.trade_cost.shape)
    goods = [k for k, s in enumerate(shock.sectors) if s in GOODS or s == "goods"]
    factor[:, :, goods] = np.exp(-beta * rta.change.astype(float) / theta)[:, :, None]
    notes.extend(f"{f}: {', '.join(c)} not in WIOD (inside ROW)" for f, c in rta.not_covered.items())
    return Shock(shock.countries, shock.sectors, shock.trade_cost * factor, shock.tariff, shock.label)


def _ge(full: Calibration, spec: Scenario, sigma: float, beta: tuple[float, float] | None,
        base_rta: np.ndarray | None, draws: int, seed: int, notes: list[str],
        deficits: Deficits = "fixed", progress: DrawProgress | None = None
        ) -> tuple[MultiSectorResults, pd.DataFrame | None]:
    cal = full.aggregate(sectors={s: ("goods" if s in GOODS else "services") for s in full.sectors})
    tariffs, shock_notes = _sector_shock(spec, cal)  # the same for every draw
    rta_notes: list[str] = []

    def solve(sig: float, b: float | None) -> MultiSectorResults:
        theta = {"goods": sig - 1.0, "services": SERVICES_THETA}
        model = MultiSectorModel(cal, theta=theta, intermediates="none")
        if deficits == "removed":  # from the balanced-trade equilibrium at this σ
            model = MultiSectorModel(model.balanced_calibration(), theta=theta, intermediates="none")
        shock = tariffs
        if b is not None and spec.agreements:
            shock = _with_rta(shock, spec, b, sig - 1.0, rta_notes, base_rta)
        return model.solve(shock)

    central = solve(sigma, beta[0] if beta else None)
    notes.extend(shock_notes + rta_notes)
    if deficits == "removed":
        notes.append("GE from the balanced-trade equilibrium: every deficit removed first (Dekle, "
                     "Eaton & Kortum 2008); effects are relative to that equilibrium")
    if draws <= 0:
        return central, None
    rng = np.random.default_rng(seed)
    sig = np.clip(rng.normal(sigma, SIGMA_SD, draws), *SIGMA_RANGE)
    bet = rng.normal(beta[0], beta[1], draws) if beta else [None] * draws
    runs = []
    for k, (s, b) in enumerate(zip(sig, bet, strict=True), start=1):  # one GE solve per draw
        runs.append(solve(float(s), None if b is None else float(b)).to_frame())
        if progress is not None:
            progress(k, draws)
    ri = np.stack([r["real_income_pct"].to_numpy() for r in runs])
    ex = np.stack([(100 * (r["exports_cf"] / r["exports_base"] - 1)).to_numpy() for r in runs])
    bands = pd.DataFrame({"country": runs[0]["country"],
                          "real_income_pct_p5": np.percentile(ri, 5, axis=0),
                          "real_income_pct_p95": np.percentile(ri, 95, axis=0),
                          "exports_pct_p5": np.percentile(ex, 5, axis=0),
                          "exports_pct_p95": np.percentile(ex, 95, axis=0)})
    notes.append(f"bands: {draws} draws, σ ~ N({sigma:g}, {SIGMA_SD:g}²) clipped to {SIGMA_RANGE}"
                 + (f"; β_rta ~ N({beta[0]:.3f}, {beta[1]:.3f}²)" if beta else ""))
    return central, bands


def _pe(store: Store, spec: Scenario, notes: list[str]) -> SmartResult | None:
    if not any(m.imposer == "USA" for m in spec.measures):
        notes.append("PE not run: no measure imposed by the United States (the product data are U.S. imports)")
        return None
    model = SmartModel.from_store(store)
    b = model.baseline
    partner = np.asarray(b.partners, dtype=object)[b.partner]
    lines = pd.DataFrame({"importer": "USA",
                          # EU-wide measures are stated per member: EUN rows take Germany's rates.
                          "exporter": np.where(partner == "EUN", "DEU", partner),
                          "product": np.asarray(b.products, dtype=object)[b.product],
                          "base_pct": 100 * b.tariff})
    extra = resolve_product_rates(product_frame(spec), lines, baseline_col="base_pct")
    hit = extra != 0
    shocks = pd.DataFrame({"partner": partner[hit], "product_prefix": lines["product"].to_numpy()[hit],
                           "rate": b.tariff[hit] + extra[hit] / 100.0, "mode": "set"})
    if (partner == "EUN").any():
        notes.append("PE: the Census EU aggregate (EUN) takes the rates the scenario sets for Germany")
    return model.run(shocks, name=spec.name)


def third_markets(ge: MultiSectorResults, *, imposer: str = "USA", shocked: str = "CHN",
                  exporters: Sequence[str] = ("CHN", "KOR", "JPN")) -> pd.DataFrame:
    """Change in each exporter's sales to every market other than itself, million USD and %,
    flagging the imposing and shocked markets (third markets are the rest)."""
    p = ge.pairs()
    p = p[p["exporter"].isin(exporters) & ~p["domestic"]].copy()
    p["change_musd"] = p["trade_cf"] - p["trade_base"]
    p["third_market"] = ~p["importer"].isin([imposer, shocked])
    return p[["exporter", "importer", "third_market", "trade_base", "trade_cf", "change_musd",
              "trade_pct"]].sort_values(["exporter", "change_musd"], ascending=[True, False],
                                        ignore_index=True)


def rta_coefficient(store: Store) -> tuple[float, float]:
    """The RTA effect on trade (PPML coefficient and its standard error) for agreement presets.

    Estimated on the AGTPA panel (Yotov et al. 2016) with exporter-year, importer-year and pair
    fixed effects, domestic flows included.
    """
    from econsec.analytics.models.estimation.applications import rta_effect

    return rta_effect(store)


def run_scenario(store: Store, name_or_path: str, *, model: Model = "both", sigma: float = 5.0,
                 draws: int = 0, seed: int = 2025, rta_beta: tuple[float, float] | None = None,
                 deficits: Deficits = "fixed", progress: DrawProgress | None = None) -> ScenarioRun:
    """Run a scenario; ``rta_beta`` = (coefficient, standard error) for agreement presets.
    ``deficits="removed"`` solves the GE models from the balanced-trade equilibrium (every
    deficit removed first, Dekle, Eaton & Kortum 2008) instead of with deficits held fixed.
    ``draws``: 0 or 2 to :data:`MAX_DRAWS` Monte Carlo draws for the GE bands (:func:`check_draws`);
    ``progress(done, total)`` is called after each draw. Options are checked by
    :class:`~econsec.analytics.scenarios.options.RunOptions` (OptionError) before any data is
    read."""
    RunOptions(model=model, sigma=sigma, draws=draws, seed=seed, deficits=deficits)
    spec = resolve(name_or_path)
    notes: list[str] = []
    if spec.agreements and rta_beta is None:
        raise ScenarioRunError(f"{spec.name} changes trade agreements: it needs the estimated RTA "
                               "coefficient (rta_beta)")
    ge = bands = ms = third = None
    if model in ("ge", "both", "all"):
        cal = load_wiod(store, GE_YEAR)
        base_rta = baseline_rta(store, cal.countries) if spec.agreements else None
        ge, bands = _ge(cal, spec, sigma, rta_beta, base_rta, draws, seed, notes, deficits,
                        progress)
        third = third_markets(ge)
        if model == "all":
            m = MultiSectorModel(cal, intermediates="io")
            if deficits == "removed":
                m = MultiSectorModel(m.balanced_calibration(), intermediates="io")
            shock, _ = _sector_shock(spec, cal)
            if spec.agreements and rta_beta:
                shock = _with_rta(shock, spec, rta_beta[0], sigma - 1.0, [], base_rta)
            ms = m.solve(shock)
    pe = _pe(store, spec, notes) if model in ("pe", "both", "all") else None
    return ScenarioRun(spec, sigma, ge, bands, ms, pe, third, tuple(dict.fromkeys(notes)))
