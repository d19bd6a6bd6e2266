"""Export competitiveness (methods.md §3.1): Balassa RCA, world market share, trade
specialisation, and the products where a country is competitive *and* import-dependent.

* RCA_sp = (x_sp / X_s) / (X_wp / X_w) (Balassa 1965); its export-weighted mean over p is 1.
* World market share x_sp / X_wp.
* Trade specialisation TS_cp = (x_cp − m_cp) / (x_cp + m_cp) ∈ [−1, 1].
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from econsec.analytics.indicators.complexity import rca_matrix
from econsec.analytics.indicators.panel import TradePanel
from econsec.analytics.indicators.vulnerability import world_shares


def trade_specialisation(exports: np.ndarray, imports: np.ndarray) -> np.ndarray:
    """(x − m) / (x + m), NaN where a country neither exports nor imports p."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return (exports - imports) / (exports + imports)


def competitiveness_frame(panel: TradePanel, country: str | None = None) -> pd.DataFrame:
    """Long frame: country × product with exports, world share, RCA, imports and TS."""
    x = panel.world_exports
    m = panel.imports()
    rca = rca_matrix(x)
    w = world_shares(x)
    ts = trade_specialisation(x, m)
    rows = np.arange(panel.n_countries) if country is None else np.array([panel.code(country)])
    ci, pi = np.nonzero((x[rows] > 0) | (m[rows] > 0))
    ci = rows[ci]
    return pd.DataFrame({"country": panel.countries[ci], "product": panel.products[pi],
                         "exports_usd": x[ci, pi], "imports_usd": m[ci, pi],
                         "world_share": w[ci, pi], "rca": rca[ci, pi],
                         "trade_specialisation": ts[ci, pi]})


def ranking(panel: TradePanel) -> pd.DataFrame:
    """Country ranking: exports, number of products with RCA > 1 and their share of exports."""
    x = panel.world_exports
    rca = np.nan_to_num(rca_matrix(x))
    x_s = x.sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        comp_share = (x * (rca > 1)).sum(axis=1) / x_s
    out = pd.DataFrame({"country": panel.countries, "exports_usd": x_s,
                        "world_share": x_s / x.sum(), "n_products_rca_gt1": (rca > 1).sum(axis=1),
                        "share_exports_rca_gt1": comp_share})
    out = out[out["exports_usd"] > 0]
    out["rank"] = out["exports_usd"].rank(ascending=False, method="min").astype(int)
    return out.sort_values("rank", ignore_index=True)


def competitive_and_dependent(panel: TradePanel, flags: np.ndarray) -> pd.DataFrame:
    """Per country: products with RCA > 1 that a screen also flags, and their share of exports.

    The paper notes that Korea and Japan are import-dependent in the very sectors where their
    exports are competitive; this lists those products.
    """
    x = panel.world_exports
    rca = np.nan_to_num(rca_matrix(x))
    both = (rca > 1) & flags
    ci, pi = np.nonzero(both)
    x_s = x.sum(axis=1)
    return pd.DataFrame({"country": panel.countries[ci], "product": panel.products[pi],
                         "rca": rca[ci, pi], "exports_usd": x[ci, pi],
                         "share_of_exports": x[ci, pi] / x_s[ci]}).sort_values(
        ["country", "exports_usd"], ascending=[True, False], ignore_index=True)
