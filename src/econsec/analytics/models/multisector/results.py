"""Read-only results of a multi-sector counterfactual: levels before and after, per country,
country-sector and pair, with how they were computed and from which data.

Units: million USD of the calibration year. Counterfactual nominal values are in the model's
numeraire: with ``numeraire="world"`` world value added is unchanged (CP's normalisation), with
a country code that country's wage is. Real changes do not depend on the numeraire.

Welfare (CP): real income Ŵ_n = Î_n / P̂_n with I_n = w_nL_n + R_n + D_n and P̂_n = Π_j (P̂_n^j)^{α_n^j}.
Two decompositions are reported, in percentage points of baseline income:

* exact, by income source: (ŵ wL/P̂ − wL + R'/P̂ − R + D'/P̂ − D) / I = Ŵ − 1;
* CP's (terms of trade, volume of trade, plus trade-cost efficiency for iceberg changes), a first-order formula
  integrated with trapezoid weights; ``approximation_gap`` = 100 ln Ŵ − their sum.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from econsec.analytics.models.multisector import equations as eq
from econsec.analytics.models.multisector.data import UNIT, Calibration


def _levels(cal: Calibration, p: eq.Params, at: eq.StateAt) -> dict[str, Any]:
    """Counterfactual levels: trade' = trade · π̂ · X̂_n · (1+τ)/(1+τ'), with π̂ from [E3] of :mod:`.equations`,
    so a zero shock returns the baseline flows exactly."""
    s = at.state
    log_c = eq.unit_costs(s.log_w, s.log_p, p.beta, p.gamma)
    with np.errstate(over="ignore"):
        pi_hat = np.exp(-p.theta * (at.log_kappa + log_c[None, :, :] - s.log_p[:, None, :]))
    gross = (1.0 + p.tariff) / (1.0 + at.tariff)  # exactly 1 where the tariff is unchanged
    trade = cal.trade * (np.where(cal.trade > 0, pi_hat, 0.0) * s.x_hat[:, None, :] * gross)
    lam = eq.world_scale(s.log_w, p.va)
    revenue = (at.tariff * trade).sum(axis=(1, 2))
    return {"log_c": log_c, "trade": trade, "lam": lam, "revenue": revenue,
            "income": np.exp(s.log_w) * p.va + revenue + lam * eq.cf_deficit(p)}


METHODS = {
    "io": ("Caliendo & Parro (2015, REStud) multi-sector Eaton–Kortum model with input–output "
           "linkages (Cobb–Douglas value added γ_n^j and input shares γ_n^kj, final shares α_n^j, "
           "sector trade elasticities θ_j), solved in changes by exact hat algebra (Dekle, Eaton & "
           "Kortum 2008); tariff revenue to the household; deficits fixed in world-GDP units"),
    "none": ("multi-sector structural gravity without intermediate inputs (Caliendo & Parro 2015 "
             "with γ_n^j = 1; Costinot & Rodríguez-Clare 2014): all sectoral gross flows are "
             "final goods, income = gross output + tariff revenue + deficit; exact hat algebra; "
             "deficits fixed in world-GDP units"),
}


@dataclass(frozen=True, eq=False)
class MultiSectorResults:
    """One solved counterfactual. Arrays are importer first ([n, i, j]); frames are labelled."""

    countries: tuple[str, ...]
    sector_codes: tuple[str, ...]
    wage_hat: np.ndarray
    price_hat: np.ndarray  # P̂_n^j
    cost_hat: np.ndarray  # ĉ_n^j
    consumer_price_hat: np.ndarray  # P̂_n
    trade0: np.ndarray
    trade1: np.ndarray
    tariff0: np.ndarray
    tariff1: np.ndarray
    trade_cost_hat: np.ndarray
    value_added0: np.ndarray  # N × J
    value_added1: np.ndarray
    expenditure0: np.ndarray
    expenditure1: np.ndarray
    income0: np.ndarray
    income1: np.ndarray
    revenue0: np.ndarray
    revenue1: np.ndarray
    deficit0: np.ndarray
    deficit1: np.ndarray
    decomposition: Mapping[str, np.ndarray]
    theta: np.ndarray
    intermediates: str
    numeraire: str
    label: str
    source: str
    vintage: str
    year: int | None
    notes: tuple[str, ...]
    diagnostics: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def from_solution(cls, cal: Calibration, p: eq.Params, path: Sequence[eq.StateAt], *,
                      intermediates: str, numeraire: str, label: str,
                      diagnostics: Mapping[str, Any]) -> MultiSectorResults:
        """Levels from the solved hats; ``path[-1]`` is the counterfactual, earlier entries the
        intermediate equilibria of the welfare decomposition."""
        inc0 = p.va + (p.tariff * cal.trade).sum(axis=(1, 2)) + p.deficit
        points = [eq.PathPoint(cal.trade, p.tariff, np.zeros(p.x0.shape), np.zeros(cal.trade.shape), inc0)]
        for at in path:
            lv = _levels(cal, p, at)
            lam = lv["lam"]
            points.append(eq.PathPoint(lv["trade"] / lam, at.tariff, lv["log_c"] - np.log(lam),
                                       np.log(at.d_hat), lv["income"] / lam))
        s, last = path[-1].state, _levels(cal, p, path[-1])
        lam = last["lam"]
        res = eq.residuals(s, p, path[-1].log_kappa, path[-1].tariff)
        diag = {**diagnostics, "residuals": res, "residual": max(res.values())}
        y0, y1 = cal.trade.sum(axis=0), last["trade"].sum(axis=0)
        return cls(cal.countries, cal.sectors, np.exp(s.log_w), np.exp(s.log_p),
                   np.exp(last["log_c"]), np.exp(eq.consumer_price(p.alpha, s.log_p)), cal.trade,
                   last["trade"], p.tariff, path[-1].tariff, path[-1].d_hat, p.beta * y0,
                   p.beta * y1, p.x0, s.x_hat * p.x0, inc0, last["income"],
                   (p.tariff * cal.trade).sum(axis=(1, 2)), last["revenue"], p.deficit,
                   lam * eq.cf_deficit(p), eq.welfare_decomposition(points), p.theta, intermediates,
                   numeraire, label, cal.source, cal.vintage, cal.year, cal.notes, diag)

    def __post_init__(self) -> None:
        for name, value in vars(self).items():
            if isinstance(value, np.ndarray):
                value.setflags(write=False)
            elif name == "decomposition":
                for v in value.values():
                    v.setflags(write=False)

    # -- diagnostics and provenance ------------------------------------------------------------
    @property
    def converged(self) -> bool:
        return bool(self.diagnostics.get("converged", False))

    @property
    def iterations(self) -> int:
        return int(self.diagnostics.get("iterations", 0))

    @property
    def residual(self) -> float:
        """Largest relative violation of an equilibrium condition at the solution."""
        return float(self.diagnostics.get("residual", np.nan))

    @property
    def method(self) -> str:
        return METHODS[self.intermediates]

    def provenance(self) -> dict[str, Any]:
        return {"model": "multisector", "method": self.method, "scenario": self.label,
                "source": self.source, "vintage": self.vintage, "year": self.year,
                "countries": len(self.countries), "sectors": len(self.sector_codes),
                "intermediates": self.intermediates, "numeraire": self.numeraire,
                "theta": dict(zip(self.sector_codes, map(float, self.theta), strict=True)),
                "unit": UNIT, "notes": list(self.notes),
                **{k: v for k, v in self.diagnostics.items() if k != "residuals"}}

    # -- welfare -------------------------------------------------------------------------------
    @cached_property
    def real_income_hat(self) -> np.ndarray:
        """Ŵ_n = (I'_n / I_n) / P̂_n."""
        return self.income1 / self.income0 / self.consumer_price_hat

    @cached_property
    def real_wage_hat(self) -> np.ndarray:
        """ŵ_n / P̂_n: real value added (labour is fixed)."""
        return self.wage_hat / self.consumer_price_hat

    # -- frames --------------------------------------------------------------------------------
    def _flows(self, t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        dom = np.einsum("nnj->n", t)
        return t.sum(axis=(0, 2)) - dom, t.sum(axis=(1, 2)) - dom  # exports, imports

    def to_frame(self) -> pd.DataFrame:
        """Per country: real income and its decompositions (percent / points), wages, prices and
        nominal aggregates before (``_base``) and after (``_cf``), million USD."""
        va0 = self.income0 - self.revenue0 - self.deficit0  # w_n L_n (= Σ_j value added)
        va1 = self.income1 - self.revenue1 - self.deficit1
        p = self.consumer_price_hat
        x0, m0 = self._flows(self.trade0)
        x1, m1 = self._flows(self.trade1)
        d = self.decomposition
        total_log = 100 * np.log(self.real_income_hat)
        cp = {f"{k}_pts": 100 * v for k, v in d.items()}
        return pd.DataFrame({
            "country": self.countries,
            "real_income_pct": 100 * (self.real_income_hat - 1),
            "real_wage_pct": 100 * (self.real_wage_hat - 1),
            "wage_hat": self.wage_hat, "price_index_hat": p,
            "income_base": self.income0, "income_cf": self.income1,
            "value_added_base": va0, "value_added_cf": va1,
            "tariff_revenue_base": self.revenue0, "tariff_revenue_cf": self.revenue1,
            "deficit_base": self.deficit0, "deficit_cf": self.deficit1,
            "gross_output_base": self.trade0.sum(axis=(0, 2)), "gross_output_cf": self.trade1.sum(axis=(0, 2)),
            "exports_base": x0, "exports_cf": x1, "imports_base": m0, "imports_cf": m1,
            "labour_income_pts": 100 * (va1 / p - va0) / self.income0,
            "tariff_revenue_pts": 100 * (self.revenue1 / p - self.revenue0) / self.income0,
            "transfers_pts": 100 * (self.deficit1 / p - self.deficit0) / self.income0,
            **cp,
            "approximation_gap_pts": total_log - sum(cp.values()),
        })

    def sectors(self) -> pd.DataFrame:
        """Per country × sector: output, value added, prices, spending, trade, domestic share."""
        n = np.arange(len(self.countries))
        dom0, dom1 = self.trade0[n, n, :], self.trade1[n, n, :]
        y0, y1 = self.trade0.sum(axis=0), self.trade1.sum(axis=0)
        with np.errstate(divide="ignore", invalid="ignore"):
            share0 = np.where(self.expenditure0 > 0, dom0 * (1 + self.tariff0[n, n, :]) / self.expenditure0, np.nan)
            share1 = np.where(self.expenditure1 > 0, dom1 * (1 + self.tariff1[n, n, :]) / self.expenditure1, np.nan)
            change = np.where(y0 > 0, 100 * (y1 / y0 - 1), np.nan)
        idx = pd.MultiIndex.from_product([self.countries, self.sector_codes], names=["country", "sector"])
        cols = {"output_base": y0, "output_cf": y1, "output_pct": change,
                "value_added_base": self.value_added0, "value_added_cf": self.value_added1,
                "price_hat": self.price_hat, "unit_cost_hat": self.cost_hat,
                "expenditure_base": self.expenditure0, "expenditure_cf": self.expenditure1,
                "exports_base": y0 - dom0, "exports_cf": y1 - dom1,
                "imports_base": self.trade0.sum(axis=1) - dom0, "imports_cf": self.trade1.sum(axis=1) - dom1,
                "domestic_share_base": share0, "domestic_share_cf": share1}
        return pd.DataFrame({k: np.asarray(v).ravel() for k, v in cols.items()}, index=idx).reset_index()

    def pairs(self, by_sector: bool = False) -> pd.DataFrame:
        """Bilateral trade at factory-gate prices, million USD, exporter → importer (domestic
        pairs included and flagged), summed over sectors unless ``by_sector``; ``trade_pct`` is
        NaN where the baseline is 0."""
        t0 = np.transpose(self.trade0, (1, 0, 2))
        t1 = np.transpose(self.trade1, (1, 0, 2))
        names = ["exporter", "importer", "sector"]
        if not by_sector:
            t0, t1, names = t0.sum(axis=2), t1.sum(axis=2), names[:2]
        levels = [self.countries, self.countries, self.sector_codes][:len(names)]
        idx = pd.MultiIndex.from_product(levels, names=names)
        with np.errstate(divide="ignore", invalid="ignore"):
            pct = np.where(t0 > 0, 100 * (t1 / t0 - 1), np.nan)
        out = pd.DataFrame({"trade_base": t0.ravel(), "trade_cf": t1.ravel(), "trade_pct": pct.ravel()},
                           index=idx).reset_index()
        out.insert(len(names), "domestic", out["exporter"] == out["importer"])
        return out

    def summary(self, top: int = 10) -> str:
        """Text: scenario, data, method, solver diagnostics and the largest real-income changes."""
        df = self.to_frame().set_index("country")["real_income_pct"]
        order = df.abs().sort_values(ascending=False).index[:top]
        g = self.diagnostics
        lines = [f"multi-sector GE: {self.label or 'counterfactual'}",
                 f"  data: {self.source} ({self.vintage}), year {self.year}, "
                 f"{len(self.countries)} countries × {len(self.sector_codes)} sectors, {UNIT}",
                 f"  method: {self.method}",
                 f"  intermediates: {self.intermediates}; numeraire: {self.numeraire}",
                 f"  solver: {'converged' if self.converged else 'NOT converged'} in {self.iterations} "
                 f"iterations ({g.get('restarts', 0)} restarts, {g.get('seconds', 0.0):.3f} s); "
                 f"max equilibrium residual {self.residual:.2e}",
                 f"  real income change, % (largest {len(order)}):"]
        lines += [f"    {c:<6} {df[c]:+9.4f}" for c in order]
        lines += [f"  note: {n}" for n in self.notes]
        return "\n".join(lines)

    def __repr__(self) -> str:
        return (f"<MultiSectorResults {self.label!r}: {len(self.countries)}×{len(self.sector_codes)}, "
                f"{self.source} {self.year}, converged={self.converged}, residual={self.residual:.1e}>")
