"""Read-only result of a SMART run: row-level effects, supplier totals, diversion winners.

Money is in USD: baseline imports at customs value. Creation and diversion are quantity
changes valued at baseline world prices. The price effect is the change in value that comes
from world prices, which is zero when export supply is infinitely elastic.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from econsec.analytics.models.pe.smart import SmartArrays
from econsec.errors import NotFoundError

if TYPE_CHECKING:
    from econsec.analytics.models.pe.elasticities import ProductElasticities
    from econsec.analytics.models.pe.model import Baseline, SmartSpec

METHOD = (
    "SMART partial equilibrium (Jammes & Olarreaga 2005, World Bank; WITS SMART): per product g "
    "and supplier s, tau = (1+t1)/(1+t0); creation TC = eps_m m (tau-1)/(1-eps_m/eps_x) "
    "(linear, floored at -m; or isoelastic m(tau^(eps_m/(1-eps_m/eps_x))-1)); world price "
    "pw = 1 + (TC/m)/eps_x; diversion by Armington CES at the product's post-creation total, "
    "m'_s = M_g m_s p_s^-sigma / sum_k m_k p_k^-sigma with p = tau pw (sums to zero by product); "
    "price effect m'(pw-1); tariff revenue t m pw; consumer surplus -1/2 (p1-p0)(m0+m1); "
    "welfare = dCS + dTR."
)


@dataclass(frozen=True)
class SmartResult:
    """Effects of one set of tariff shocks; every table is a fresh DataFrame.

    Attributes
    ----------
    name : scenario name (free text).
    baseline, elasticities, spec : the inputs.
    tariff_after : the new tariff per baseline row (fraction).
    arrays : the row-level kernel output (:class:`~econsec.analytics.models.pe.smart.SmartArrays`).
    diagnostics : converged (closed form: always True), iterations (0), residual (max over
        products of |Σ diversion| / baseline imports), row counts, floors, unmatched shocks, run time.
    vintage : source and vintage of the trade data and of the elasticities.
    """

    name: str
    baseline: Baseline
    elasticities: ProductElasticities
    spec: SmartSpec
    tariff_after: np.ndarray
    arrays: SmartArrays
    diagnostics: Mapping[str, Any]
    vintage: str

    @property
    def method(self) -> str:
        s = self.spec
        return (f"{METHOD} Parameters: eps_m = {s.import_demand_elasticity:g} (all products), "
                f"sigma from {s.sigma_source!r} (default {s.substitution_elasticity:g}), "
                f"eps_x = {s.export_supply_elasticity:g}, demand = {s.demand!r}.")

    # -- tables ------------------------------------------------------------------------------
    @cached_property
    def _rows(self) -> pd.DataFrame:
        b, a = self.baseline, self.arrays
        return pd.DataFrame({
            "product": pd.Categorical.from_codes(b.product, categories=b.products),
            "partner": pd.Categorical.from_codes(b.partner, categories=b.partners),
            "imports_baseline": b.imports, "tariff_baseline": b.tariff,
            "tariff_scenario": self.tariff_after, "creation": a.creation, "diversion": a.diversion,
            "price_effect": a.price_effect, "change": a.change, "imports_scenario": a.imports,
            "revenue_baseline": a.revenue_before, "revenue_scenario": a.revenue_after,
            "consumer_surplus": a.consumer_surplus,
            "sigma": self.elasticities.sigma[b.product], "eps_m": self.elasticities.eps_m[b.product],
        })

    def to_frame(self) -> pd.DataFrame:
        """One row per product × supplier (USD; tariffs as fractions)."""
        return self._rows.copy()

    @cached_property
    def _suppliers(self) -> pd.DataFrame:
        b, a = self.baseline, self.arrays
        n = len(b.partners)

        def s(x: np.ndarray) -> np.ndarray:
            return np.bincount(b.partner, x, minlength=n)

        m0, m1 = s(b.imports), s(a.imports)
        df = pd.DataFrame({
            "partner": b.partners, "name": b.partner_names, "imports_baseline": m0,
            "creation": s(a.creation), "diversion": s(a.diversion), "price_effect": s(a.price_effect),
            "change": s(a.change), "imports_scenario": m1, "pct_change": 100 * (m1 / m0 - 1),
            "tariff_baseline": s(b.duty) / m0,
            "tariff_scenario": np.divide(s(a.revenue_after), m1, out=np.zeros(n), where=m1 > 0),
        })
        return df.sort_values("change", ascending=False, kind="stable").reset_index(drop=True)

    def by_supplier(self) -> pd.DataFrame:
        """Totals per supplier (USD), sorted by the change in imports; tariffs trade-weighted."""
        return self._suppliers.copy()

    def by_product(self) -> pd.DataFrame:
        """Totals per product: imports before/after, creation, revenue, consumer surplus."""
        b, a = self.baseline, self.arrays
        n = len(b.products)

        def s(x: np.ndarray) -> np.ndarray:
            return np.bincount(b.product, x, minlength=n)

        return pd.DataFrame({"product": b.products, "description": b.descriptions,
                             "imports_baseline": s(b.imports), "creation": s(a.creation),
                             "price_effect": s(a.price_effect), "imports_scenario": s(a.imports),
                             "revenue_baseline": s(a.revenue_before),
                             "revenue_scenario": s(a.revenue_after),
                             "consumer_surplus": s(a.consumer_surplus),
                             "sigma": self.elasticities.sigma,
                             "sigma_source": self.elasticities.sigma_source})

    def top_diversion_gains(self, partner: str, n: int = 20) -> pd.DataFrame:
        """The ``partner``'s ``n`` HTS10 lines with the largest diversion gains, with descriptions,
        its share of the line before and after, and the supplier that lost most on that line."""
        b, a = self.baseline, self.arrays
        code = int(np.searchsorted(b.partners, partner))
        if code >= len(b.partners) or b.partners[code] != partner:
            raise NotFoundError(f"{partner} is not a partner in the {b.importer} import data "
                                f"(the importer itself has no diversion gains); partners: "
                                f"{', '.join(b.partners)}")
        g = b.product
        order = np.lexsort((a.diversion, g))            # per product, most negative first
        first = np.r_[0, np.flatnonzero(np.diff(g[order])) + 1]
        loser = np.full(len(b.products), -1)
        loser[g[order[first]]] = order[first]
        total0 = np.bincount(g, b.imports, minlength=len(b.products))
        total1 = np.bincount(g, a.imports, minlength=len(b.products))
        rows = np.flatnonzero(b.partner == code)
        rows = rows[np.argsort(-a.diversion[rows], kind="stable")][:n]
        p = g[rows]
        lr = loser[p]
        return pd.DataFrame({
            "product": b.products[p], "description": b.descriptions[p],
            "imports_baseline": b.imports[rows], "diversion": a.diversion[rows],
            "change": a.change[rows], "imports_scenario": a.imports[rows],
            "share_baseline": b.imports[rows] / total0[p],
            "share_scenario": np.divide(a.imports[rows], total1[p], out=np.zeros(len(rows)),
                                        where=total1[p] > 0),
            "top_loser": b.partners[b.partner[lr]], "top_loser_diversion": a.diversion[lr],
            "sigma": self.elasticities.sigma[p],
        })

    def elasticity_sources(self) -> pd.DataFrame:
        """Which σ rule each product used: products, rows and baseline imports per rule."""
        b, el = self.baseline, self.elasticities
        per_product = np.bincount(b.product, b.imports, minlength=len(b.products))
        rows = np.bincount(b.product, minlength=len(b.products))
        df = pd.DataFrame({"sigma_source": el.sigma_source, "imports": per_product, "rows": rows})
        out = df.groupby("sigma_source", as_index=False).agg(
            products=("imports", "size"), rows=("rows", "sum"), imports_baseline=("imports", "sum"))
        out["import_share"] = out["imports_baseline"] / per_product.sum()
        return out.sort_values("imports_baseline", ascending=False, ignore_index=True)

    @cached_property
    def totals(self) -> dict[str, float]:
        """Market totals (USD): imports, creation, diversion (≈0), revenue, surplus, welfare."""
        a, m0 = self.arrays, self.baseline.imports
        r0, r1 = float(a.revenue_before.sum()), float(a.revenue_after.sum())
        cs = float(a.consumer_surplus.sum())
        return {"imports_baseline": float(m0.sum()), "imports_scenario": float(a.imports.sum()),
                "creation": float(a.creation.sum()), "diversion": float(a.diversion.sum()),
                "price_effect": float(a.price_effect.sum()), "tariff_revenue_baseline": r0,
                "tariff_revenue_scenario": r1, "tariff_revenue_change": r1 - r0,
                "consumer_surplus_change": cs, "welfare_change": cs + r1 - r0}

    # -- provenance and text -----------------------------------------------------------------
    def provenance(self) -> dict[str, Any]:
        b = self.baseline
        return {"model": "SMART", "scenario": self.name, "importer": b.importer, "year": b.year,
                "source": b.source, "vintage": self.vintage, "method": self.method,
                "notes": list(b.notes),
                "diagnostics": {k: v for k, v in self.diagnostics.items() if k != "unmatched_shocks"}}

    def summary(self, partners: Sequence[str] = ("KOR", "JPN"), n: int = 5) -> str:
        """Totals, the largest supplier gains and losses, the named ``partners`` and their top
        diversion gains, elasticity coverage, data and method. Amounts in bn USD."""
        t = self.totals
        bn = 1e9
        b = self.baseline
        lines = [f"SMART {self.name or 'scenario'}: {b.importer} imports {b.year}, "
                 f"{len(b):,} product x partner rows, {len(b.products):,} products",
                 f"  imports {t['imports_baseline'] / bn:,.2f} -> {t['imports_scenario'] / bn:,.2f} bn USD "
                 f"(creation {t['creation'] / bn:+,.2f}, diversion {t['diversion'] / bn:+,.4f}, "
                 f"price effect {t['price_effect'] / bn:+,.2f})",
                 f"  tariff revenue {t['tariff_revenue_baseline'] / bn:,.2f} -> "
                 f"{t['tariff_revenue_scenario'] / bn:,.2f} bn USD; consumer surplus "
                 f"{t['consumer_surplus_change'] / bn:+,.2f}; welfare {t['welfare_change'] / bn:+,.2f}"]
        sup = self._suppliers
        fmt = ("    {partner} {name}: {imports_baseline_bn:,.2f} -> {imports_scenario_bn:,.2f} bn "
               "({pct_change:+.1f}%; creation {creation_bn:+,.2f}, diversion {diversion_bn:+,.2f})")

        def line(r: pd.Series) -> str:
            return fmt.format(**r.to_dict(), **{f"{k}_bn": r[k] / bn for k in
                              ("imports_baseline", "imports_scenario", "creation", "diversion")})

        lines.append("  largest gains:")
        lines += [line(r) for _, r in sup.head(n).iterrows()]
        lines.append("  largest losses:")
        lines += [line(r) for _, r in sup[sup["change"] < 0].tail(n).iloc[::-1].iterrows()]
        for p in partners:
            if p not in set(b.partners):
                continue
            lines.append(f"  {p}:")
            lines.append(line(sup[sup["partner"] == p].iloc[0]))
            for _, r in self.top_diversion_gains(p, n).iterrows():
                lines.append(f"      {r['product']} {str(r['description'])[:50]}: "
                             f"+{r['diversion'] / 1e6:,.1f} m USD (from {r['top_loser']})")
        lines.append("  sigma sources:")
        lines += [f"    {r['sigma_source']}: {r['products']:,} products, {100 * r['import_share']:.1f}% of imports"
                  for _, r in self.elasticity_sources().iterrows()]
        d = self.diagnostics
        lines.append(f"  rows shocked {d['rows_shocked']:,}; creation floored at -m in "
                     f"{d['rows_creation_floored']:,}; diversion residual {d['residual']:.1e}")
        lines += [f"  note: {x}" for x in b.notes]
        lines += [f"  data: {self.vintage}", f"  method: {self.method}"]
        return "\n".join(lines)

    def __repr__(self) -> str:
        t = self.totals
        return (f"<SmartResult {self.name or 'scenario'!r}: {len(self.baseline):,} rows, imports "
                f"{t['imports_baseline'] / 1e9:,.1f} -> {t['imports_scenario'] / 1e9:,.1f} bn USD>")
