"""Trade complementarity, export similarity and strategic complementarity (methods.md §3).

* **Michaely trade complementarity** (Michaely 1996; WITS): TC_kj = 100 − ½ Σ_p |m_kp − x_jp| · 100
  with m_kp = k's import share of p and x_jp = j's export share of p; directional (k imports,
  j exports). 100 = j's export mix matches k's import mix exactly.
* **Finger–Kreinin export similarity** (1979): XS_jk = 100 Σ_p min(x_jp, x_kp) = 100 − 50 ‖x_j − x_k‖₁
  (both share vectors sum to one). High = head-to-head competitors.
* **Strategic complementarity** (econsec's definition from the paper's Section II): for each p
  where A is vulnerable (flagged by a screen, or HHI_Ap above a threshold with a top supplier
  that is neither A nor B), M_Ap^risk = A's imports of p from its top supplier and
  coverage_ABp = min(x_Bp, M_Ap^risk) / M_Ap^risk; the pair score is the M^risk-weighted mean.

All-pairs matrices are computed with ``scipy.spatial.distance.cdist`` (cityblock) on share
matrices, in row blocks to bound memory.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.spatial.distance import cdist

from econsec.analytics.indicators.complexity import rca_matrix
from econsec.analytics.indicators.concentration import Concentration
from econsec.analytics.indicators.panel import TradePanel
from econsec.analytics.indicators.vulnerability import world_shares


def _shares(a: np.ndarray) -> np.ndarray:
    tot = a.sum(axis=1, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(tot > 0, a / tot, 0.0)


def _l1(a: np.ndarray, b: np.ndarray, block: int = 64) -> np.ndarray:
    out = np.empty((a.shape[0], b.shape[0]))
    for s in range(0, a.shape[0], block):
        out[s:s + block] = cdist(a[s:s + block], b, metric="cityblock")
    return out


def michaely_matrix(imports: np.ndarray, exports: np.ndarray) -> np.ndarray:
    """TC[k, j] for every importer k (rows) and exporter j (columns), in [0, 100]."""
    return 100.0 - 50.0 * _l1(_shares(imports), _shares(exports))


def similarity_matrix(exports: np.ndarray) -> np.ndarray:
    """Finger–Kreinin XS[j, k] for every pair of exporters, in [0, 100]."""
    s = _shares(exports)
    return 100.0 - 50.0 * _l1(s, s)


def pair_matrix_frame(mat: np.ndarray, countries: np.ndarray, active_rows: np.ndarray,
                      active_cols: np.ndarray, row_name: str, col_name: str, value: str) -> pd.DataFrame:
    """Long frame of a country × country matrix over the active rows and columns, no diagonal."""
    ri, ci = np.nonzero(active_rows[:, np.newaxis] & active_cols[np.newaxis, :])
    keep = ri != ci
    return pd.DataFrame({row_name: countries[ri[keep]], col_name: countries[ci[keep]],
                         value: mat[ri[keep], ci[keep]]})


def strategic_complementarity(panel: TradePanel, conc: Concentration, a: str, b: str, *,
                              flags: np.ndarray | None = None, hhi_threshold: float = 0.4,
                              exclude: np.ndarray | None = None
                              ) -> tuple[pd.DataFrame, dict[str, float]]:
    """Where B's exports can cover A's risky imports (one direction: A vulnerable, B supplies).

    Products where ``exclude`` (P,) is True are never at risk (residual codes such as HS 99:
    :func:`~econsec.analytics.indicators.residual.residual_mask`). Returns the ranked product
    list (by covered value) and pair-level scores: the M^risk-weighted coverage, the covered
    value, the value at risk and the product count.
    """
    ia, ib = panel.code(a), panel.code(b)
    top = conc.top1_supplier[ia]
    risky = np.nan_to_num(conc.hhi[ia]) > hhi_threshold
    risky &= (top != ia) & (top != ib) & (top >= 0)
    if flags is not None:
        risky |= flags[ia] & (top != ib) & (top >= 0)
    if exclude is not None:
        risky &= ~np.asarray(exclude, bool)
    pi = np.flatnonzero(risky)
    m_risk = conc.imports[ia, pi] * conc.top1_share[ia, pi]
    x_b = panel.world_exports[ib, pi]
    covered = np.minimum(x_b, m_risk)
    rca_b = rca_matrix(panel.world_exports)[ib, pi]
    items = pd.DataFrame({
        "product": panel.products[pi], "importer": a, "partner": b,
        "imports_usd": conc.imports[ia, pi], "hhi": conc.hhi[ia, pi],
        "top_supplier": panel.countries[top[pi]], "top_supplier_share": conc.top1_share[ia, pi],
        "imports_at_risk_usd": m_risk, "partner_exports_usd": x_b, "partner_rca": rca_b,
        "partner_world_share": world_shares(panel.world_exports)[ib, pi],
        "coverage": covered / m_risk, "covered_usd": covered,
        "flagged": flags[ia, pi] if flags is not None else False,
    }).sort_values("covered_usd", ascending=False, ignore_index=True)
    total_risk = float(m_risk.sum())
    scores = {"coverage": float(covered.sum() / total_risk) if total_risk > 0 else float("nan"),
              "covered_usd": float(covered.sum()), "imports_at_risk_usd": total_risk,
              "n_products": int(len(pi))}
    return items, scores


def strategic_scores_all(panel: TradePanel, conc: Concentration, *, flags: np.ndarray | None = None,
                         hhi_threshold: float = 0.4, exclude: np.ndarray | None = None,
                         block: int = 8) -> tuple[np.ndarray, np.ndarray]:
    """Pair-level strategic complementarity for every ordered pair (A vulnerable, B supplies).

    Returns ``(coverage, covered_usd)``, both C × C (rows A, columns B), with the same rule as
    :func:`strategic_complementarity`: products where A is at risk, minus those whose top
    supplier is B itself and those in ``exclude`` (P,). Computed in blocks of ``block``
    importers (memory block × C × P).
    """
    top = conc.top1_supplier
    risky = np.nan_to_num(conc.hhi) > hhi_threshold
    if flags is not None:
        risky |= flags
    risky &= top >= 0
    if exclude is not None:
        risky &= ~np.asarray(exclude, bool)[np.newaxis, :]
    r = np.where(risky, conc.imports * np.nan_to_num(conc.top1_share), 0.0)
    x = panel.world_exports
    c = panel.n_countries
    covered = np.empty((c, c))
    for s in range(0, c, block):
        covered[s:s + block] = np.minimum(x[np.newaxis, :, :], r[s:s + block, np.newaxis, :]).sum(axis=2)
    denom = np.repeat(r.sum(axis=1, keepdims=True), c, axis=1)
    # Products whose top supplier is B do not count for the pair (A, B).
    ai, pi = np.nonzero(risky)
    bi = top[ai, pi]
    np.subtract.at(covered, (ai, bi), np.minimum(x[bi, pi], r[ai, pi]))
    np.subtract.at(denom, (ai, bi), r[ai, pi])
    np.fill_diagonal(covered, 0.0)
    np.fill_diagonal(denom, 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        coverage = np.where(denom > 0, covered / denom, np.nan)
    return coverage, covered
