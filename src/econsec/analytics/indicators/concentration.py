"""Supplier concentration (methods.md §1).

For importer c, product p, supplier s with imports m_csp and M_cp = Σ_s m_csp:

* supplier HHI_cp = Σ_s (m_csp / M_cp)², in [1/n, 1] for n suppliers;
* top-1 and top-3 supplier shares; effective number of suppliers 1 / HHI_cp;
* world export concentration HHIW_p = Σ_s (x_sp / X_wp)² over exporters' world exports.

All computed in one pass over the bilateral rows of a :class:`TradePanel` (``np.bincount`` on
importer × product keys, one ``np.lexsort`` for the ranking of suppliers).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from econsec.analytics.indicators.panel import TradePanel


@dataclass(frozen=True)
class Concentration:
    """Dense importer × product arrays (C × P); NaN where there are no imports."""

    imports: np.ndarray
    hhi: np.ndarray
    top1_share: np.ndarray
    top3_share: np.ndarray
    n_suppliers: np.ndarray
    top1_supplier: np.ndarray  # country code of the largest supplier, -1 if none

    @property
    def effective_suppliers(self) -> np.ndarray:
        with np.errstate(divide="ignore"):
            return 1.0 / self.hhi


def supplier_ranks(panel: TradePanel) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Order of bilateral rows by (importer × product, value descending), rank within the group.

    Returns ``(order, key_sorted, rank)`` where ``rank`` is 0 for the largest supplier.
    """
    key = panel.importer.astype(np.int64) * panel.n_products + panel.product
    if panel.sorted_by_importer:
        order = np.arange(len(key))
    else:
        order = np.lexsort((-panel.value, key))
    ks = key[order]
    start = np.r_[True, ks[1:] != ks[:-1]]
    group_start = np.maximum.accumulate(np.where(start, np.arange(len(ks)), 0))
    return order, ks, np.arange(len(ks)) - group_start


def concentration(panel: TradePanel) -> Concentration:
    """Supplier HHI, top-1/top-3 shares and supplier counts for every importer × product."""
    c, p = panel.n_countries, panel.n_products
    key = panel.importer.astype(np.int64) * p + panel.product
    m = panel.imports()
    total = m.ravel()[key]
    share = panel.value / total
    hhi = np.bincount(key, share**2, minlength=c * p).reshape(c, p)
    n = np.bincount(key, minlength=c * p).reshape(c, p)
    order, ks, rank = supplier_ranks(panel)
    s_sorted = share[order]
    top1 = np.bincount(ks[rank == 0], s_sorted[rank == 0], minlength=c * p).reshape(c, p)
    top3 = np.bincount(ks[rank < 3], s_sorted[rank < 3], minlength=c * p).reshape(c, p)
    sup = np.full(c * p, -1, dtype=np.int64)
    sup[ks[rank == 0]] = panel.exporter[order][rank == 0]
    none = m <= 0
    for a in (hhi, top1, top3):
        a[none] = np.nan
    return Concentration(imports=m, hhi=hhi, top1_share=top1, top3_share=top3, n_suppliers=n,
                         top1_supplier=sup.reshape(c, p))


def world_export_hhi(world_exports: np.ndarray) -> np.ndarray:
    """HHIW_p = Σ_s (x_sp / X_wp)² for each product (NaN for products nobody exports)."""
    tot = world_exports.sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        return ((world_exports / tot) ** 2).sum(axis=0) / np.where(tot > 0, 1.0, np.nan)
