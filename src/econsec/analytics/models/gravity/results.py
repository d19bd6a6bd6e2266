"""Read-only results of a gravity GE counterfactual: three equilibria and how they were solved.

Per country (``to_frame``), for the baseline and a counterfactual stage ("conditional" or
"full"), levels in the data's unit and percent changes:

* exports, imports: foreign flows before duty, Σ_{j≠i} X_ij and Σ_{i≠j} X_ij; domestic_trade X_ii;
* output Y_i = p_i × endowment; expenditure E_j at buyer's prices (incl. tariff revenue);
* imr P_j and omr Π_i (multilateral resistances; P_ref = 1);
* factory_gate_price p_i (baseline 1, in units of the reference importer's price index);
* real_gdp Y_i/P_i (Yotov et al. 2016's welfare measure); welfare E_i/P_i (real spending, the
  measure of Arkolakis, Costinot & Rodríguez-Clare 2012; gegravity reports its inverse ratio);
* terms_of_trade p_i/P_i (gegravity's definition); trade_balance exports − imports and
  tariff_revenue (changes in levels, not percent).

Per pair (``pairs``): flows, trade costs t^(1−σ) and tariffs, baseline and counterfactual.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd

from econsec.analytics.models.gravity.equations import SolverDiagnostics
from econsec.errors import check_choice, choices

StageName = Literal["conditional", "full"]
STAGES: tuple[StageName, ...] = choices(StageName)
LEVEL_CHANGE = ("trade_balance", "tariff_revenue")


@dataclass(frozen=True)
class Equilibrium:
    """One equilibrium in levels (arrays are read-only).

    x : flows before duty (exporter × importer); xc : flows at buyer's prices; y : output;
    e : expenditure; p : factory-gate prices; imr : P_j; omr : Π_i; revenue : tariff revenue.
    """

    x: np.ndarray
    xc: np.ndarray
    y: np.ndarray
    e: np.ndarray
    p: np.ndarray
    imr: np.ndarray
    omr: np.ndarray
    revenue: np.ndarray

    def __post_init__(self) -> None:
        for name in ("x", "xc", "y", "e", "p", "imr", "omr", "revenue"):
            a = np.array(getattr(self, name), dtype=np.float64)
            a.flags.writeable = False
            object.__setattr__(self, name, a)

    def measures(self) -> dict[str, np.ndarray]:
        """The per-country measures of the module docstring."""
        dom = np.diag(self.x)
        exports = self.x.sum(axis=1) - dom
        imports = self.x.sum(axis=0) - dom
        return {"exports": exports, "imports": imports, "domestic_trade": dom,
                "output": self.y, "expenditure": self.e, "tariff_revenue": self.revenue,
                "imr": self.imr, "omr": self.omr, "factory_gate_price": self.p,
                "real_gdp": self.y / self.imr, "welfare": self.e / self.imr,
                "terms_of_trade": self.p / self.imr, "trade_balance": exports - imports}


@dataclass(frozen=True)
class GEResults:
    """A solved gravity GE counterfactual.

    Attributes
    ----------
    countries : model order.
    baseline, conditional, full : the three equilibria (Yotov et al. 2016, ch. 2): baseline;
        conditional GE (output and spending net of tariff revenue fixed, multilateral
        resistances adjust); full endowment GE (factory-gate prices, output and spending adjust).
    trade_cost, trade_cost_new : t_ij^(1−σ) without tariffs (NaN where not identified).
    tariff, tariff_new : τ_ij, baseline and counterfactual (0.25 = 25%).
    sigma, reference_importer : σ and the importer whose P is 1.
    method : equations, closure and solver, in words.
    parameters : options and coefficients used.
    diagnostics : one :class:`SolverDiagnostics` per solve.
    source, vintage, year, unit : the data.
    """

    countries: tuple[str, ...]
    baseline: Equilibrium
    conditional: Equilibrium
    full: Equilibrium
    trade_cost: np.ndarray
    trade_cost_new: np.ndarray
    tariff: np.ndarray
    tariff_new: np.ndarray
    sigma: float
    reference_importer: str
    method: str
    parameters: Mapping[str, Any] = field(default_factory=dict)
    diagnostics: tuple[SolverDiagnostics, ...] = ()
    source: str = ""
    vintage: str = ""
    year: int | None = None
    unit: str = ""

    @property
    def converged(self) -> bool:
        return all(d.converged for d in self.diagnostics)

    @property
    def iterations(self) -> dict[str, int]:
        return {d.stage: d.iterations for d in self.diagnostics}

    @property
    def residual(self) -> float:
        return max((d.residual for d in self.diagnostics), default=0.0)

    def stage(self, name: StageName) -> Equilibrium:
        check_choice(name, StageName, option="stage")
        return self.full if name == "full" else self.conditional

    def to_frame(self, stage: StageName = "full") -> pd.DataFrame:
        """One row per country: ``<measure>_baseline``, ``_counterfactual`` and ``_pct``
        (percent change; ``_change`` in levels for trade_balance and tariff_revenue)."""
        base, new = self.baseline.measures(), self.stage(stage).measures()
        cols: dict[str, Any] = {"country": list(self.countries)}
        for k, b in base.items():
            cols[f"{k}_baseline"] = b
            cols[f"{k}_counterfactual"] = new[k]
            if k in LEVEL_CHANGE:
                cols[f"{k}_change"] = new[k] - b
            else:
                with np.errstate(divide="ignore", invalid="ignore"):
                    cols[f"{k}_pct"] = np.where(b != 0, 100.0 * (new[k] / b - 1.0), np.nan)
        return pd.DataFrame(cols)

    def pairs(self, stage: StageName = "full") -> pd.DataFrame:
        """One row per exporter × importer: flows before duty, t^(1−σ) and tariffs."""
        n = len(self.countries)
        c = np.asarray(self.countries)
        b, s = self.baseline.x.ravel(), self.stage(stage).x.ravel()
        with np.errstate(divide="ignore", invalid="ignore"):
            pct = np.where(b != 0, 100.0 * (s / b - 1.0), np.nan)
        return pd.DataFrame({
            "exporter": np.repeat(c, n), "importer": np.tile(c, n), "trade_baseline": b,
            "trade_counterfactual": s, "trade_pct": pct,
            "trade_cost_baseline": self.trade_cost.ravel(),
            "trade_cost_counterfactual": self.trade_cost_new.ravel(),
            "tariff_baseline": self.tariff.ravel(), "tariff_counterfactual": self.tariff_new.ravel()})

    def provenance(self) -> dict[str, Any]:
        return {"model": "one-sector structural gravity GE", "method": self.method,
                "sigma": self.sigma, "reference_importer": self.reference_importer,
                "parameters": dict(self.parameters), "source": self.source,
                "vintage": self.vintage, "year": self.year, "unit": self.unit,
                "diagnostics": [str(d) for d in self.diagnostics]}

    def summary(self, top: int = 10) -> str:
        """Method, data, solver diagnostics and the countries with the largest welfare changes."""
        f = self.to_frame("full")
        keep = ["country", "real_gdp_pct", "welfare_pct", "factory_gate_price_pct",
                "exports_pct", "imports_pct"]
        f = f.loc[f["welfare_pct"].abs().sort_values(ascending=False).index[:top], keep]
        lines = [f"One-sector structural gravity GE: {len(self.countries)} countries, "
                 f"sigma = {self.sigma:g}, reference importer {self.reference_importer}",
                 "  data: " + ", ".join(str(x) for x in (
                     self.source + (f" ({self.vintage})" if self.vintage else ""), self.year,
                     self.unit) if x not in (None, "")),
                 f"  method: {self.method}"]
        lines += [f"  {d}" for d in self.diagnostics]
        lines.append("  largest welfare changes (full GE, percent):")
        lines += ["    " + r for r in f.to_string(index=False, float_format="{:.4f}".format)
                  .splitlines()]
        return "\n".join(lines)

    def __repr__(self) -> str:
        ok = "converged" if self.converged else "NOT converged"
        return (f"<GEResults {len(self.countries)} countries, sigma={self.sigma:g}, "
                f"ref={self.reference_importer}, {ok}, {self.parameters.get('full_ge', '')}>")
