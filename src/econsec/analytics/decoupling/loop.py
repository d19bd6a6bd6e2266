"""Scenario-to-vulnerability loop: structural indicators on a GE scenario's counterfactual flows.

For any solved multi-sector scenario (:class:`~econsec.analytics.models.multisector.MultiSectorResults`),
the bilateral flows by sector before and after (``pairs(by_sector=True)``, international pairs
only, million USD at factory-gate prices) are turned into two :class:`TradePanel` s (products =
the calibration's sectors) and the indicators of methods.md §1 are recomputed on both:

* import concentration: supplier HHI_cs = Σ_i (m_{c←i,s} / M_cs)², top-1 supplier and its share,
  per importer c × sector s (:func:`~econsec.analytics.indicators.concentration.concentration`);
* exposure: share of c's exports going to, and of c's imports coming from, each partner k
  (USA, CHN by default), all sectors, X_{c→k} / X_c and M_{c←k} / M_c.

Both are reported baseline (``_base``) vs counterfactual (``_cf``) with the change. A zero shock
returns identical indicators (the model returns the baseline flows exactly).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from econsec.analytics.indicators.concentration import concentration
from econsec.analytics.indicators.panel import panel_from_frame
from econsec.analytics.models.multisector import MultiSectorResults

METHOD = ("supplier HHI Σ_i s_ci² per importer × sector and export/import shares with partners "
          "(methods.md §1), recomputed on the Caliendo–Parro counterfactual bilateral flows")


def _concentration(pairs: pd.DataFrame, col: str, year: int) -> pd.DataFrame:
    flows = pairs.rename(columns={"sector": "product", col: "value"})
    panel = panel_from_frame(flows, year=year)
    c = concentration(panel)
    idx = pd.MultiIndex.from_product([panel.countries, panel.products], names=["importer", "sector"])
    top = np.where(c.top1_supplier >= 0, panel.countries[np.maximum(c.top1_supplier, 0)], "")
    return pd.DataFrame({"imports": c.imports.ravel(), "hhi": c.hhi.ravel(),
                         "top1_share": c.top1_share.ravel(), "top1_supplier": top.ravel()},
                        index=idx)


def _exposure(pairs: pd.DataFrame, col: str, partners: Sequence[str]) -> pd.DataFrame:
    x = pairs.pivot_table(index="exporter", columns="importer", values=col, aggfunc="sum",
                          fill_value=0.0)
    x = x.reindex(index=x.index.union(x.columns), columns=x.index.union(x.columns), fill_value=0.0)
    ex, im = x.sum(axis=1), x.sum(axis=0)
    out = {}
    for k in partners:
        out[f"export_share_{k}"] = x[k] / ex if k in x.columns else np.nan
        out[f"import_share_{k}"] = x.loc[k] / im if k in x.index else np.nan
    return pd.DataFrame(out).rename_axis("country")


@dataclass(frozen=True, eq=False)
class VulnerabilityLoop:
    """Indicators before and after a scenario (frames are copies)."""

    label: str
    partners: tuple[str, ...]
    _concentration: pd.DataFrame = field(repr=False)
    _exposure: pd.DataFrame = field(repr=False)
    source: str
    vintage: str
    year: int | None

    def concentration(self, countries: Sequence[str] | None = None) -> pd.DataFrame:
        """importer, sector, imports/hhi/top1_share/top1_supplier ``_base`` and ``_cf``, hhi_change."""
        d = self._concentration
        return (d if countries is None else d[d["importer"].isin(list(countries))]).copy()

    def exposure(self, countries: Sequence[str] | None = None) -> pd.DataFrame:
        """country, export/import shares with each partner ``_base`` and ``_cf`` and changes (pp)."""
        d = self._exposure
        return (d if countries is None else d[d["country"].isin(list(countries))]).copy()

    def provenance(self) -> dict[str, object]:
        return {"analysis": "scenario-to-vulnerability loop", "scenario": self.label,
                "method": METHOD, "partners": list(self.partners), "source": self.source,
                "vintage": self.vintage, "year": self.year, "unit": "million USD (factory gate)"}


def vulnerability_loop(result: MultiSectorResults,
                       partners: Sequence[str] = ("USA", "CHN")) -> VulnerabilityLoop:
    """Recompute import concentration and exposure on ``result``'s baseline and counterfactual
    bilateral flows by sector (module docstring)."""
    p = result.pairs(by_sector=True)
    p = p[~p["domestic"]]
    year = result.year or 0
    cb, cc = _concentration(p, "trade_base", year), _concentration(p, "trade_cf", year)
    conc = cb.join(cc, suffixes=("_base", "_cf"), how="outer")
    conc["hhi_change"] = conc["hhi_cf"] - conc["hhi_base"]
    eb, ec = _exposure(p, "trade_base", partners), _exposure(p, "trade_cf", partners)
    expo = eb.join(ec, suffixes=("_base", "_cf"), how="outer")
    for col in eb.columns:
        expo[f"{col}_change_pp"] = 100 * (expo[f"{col}_cf"] - expo[f"{col}_base"])
    return VulnerabilityLoop(result.label, tuple(partners), conc.reset_index(),
                             expo.reset_index(), result.source, result.vintage, result.year)
