"""Economic and product complexity (Hidalgo & Hausmann 2009; Atlas of Economic Complexity).

For one year, with exports x_cp of location c in product p:

* RCA_cp = (x_cp / X_c) / (X_p / X), M_cp = 1 if RCA_cp ≥ threshold (Balassa 1965);
* diversity k_c = Σ_p M_cp, ubiquity k_p = Σ_c M_cp;
* M̃^P = (M / k_p)ᵀ (M / k_c): its second eigenvector is PCI up to sign and scale; ECI is
  k_c⁻¹ M · PCI (the average PCI of what c exports with RCA);
* the sign is chosen so that ECI correlates positively with diversity;
* proximity φ_pp' = min(P(M_p' | M_p), P(M_p | M_p')) = Σ_c M_cp M_cp' / max(k_p, k_p');
* density ω_cp = Σ_p' M_cp' φ_pp' / Σ_p' φ_pp'; COI and COG as in Hausmann et al. (2014).

Two conventions are implemented, named explicitly (``convention``):

* ``"py-ecomplexity"`` (Growth Lab's Python package 0.5.3): ECI and PCI standardised with ECI's
  mean and population standard deviation (ddof = 0); density with the diagonal of φ (φ_pp = 1).
* ``"stata"`` (Growth Lab's Stata ``ecomplexity``): the standard deviation is taken over the
  C × P expanded panel with ddof = 1, so ECI/PCI equal the Python values times √((CP−1)/CP);
  density and COG exclude the diagonal of φ.

Locations with zero diversity or products with zero ubiquity get NaN ECI/PCI (both packages).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

Convention = Literal["py-ecomplexity", "stata"]
CONVENTIONS: tuple[Convention, ...] = ("py-ecomplexity", "stata")


@dataclass(frozen=True)
class ComplexityArrays:
    """Kernel output for one year; rows are locations, columns products (input order)."""

    rca: np.ndarray
    mcp: np.ndarray
    diversity: np.ndarray
    ubiquity: np.ndarray
    eci: np.ndarray
    pci: np.ndarray
    density: np.ndarray
    coi: np.ndarray
    cog: np.ndarray
    eigenvalue: float  # the second-largest eigenvalue of M̃^P (diagnostic)


def rca_matrix(x: np.ndarray) -> np.ndarray:
    """Balassa RCA of a location × product export matrix (NaN where a total is zero).

    RCA_cp = (x_cp / Σ_p x_cp) / (Σ_c x_cp / Σ_cp x_cp).
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        share_c = x / x.sum(axis=1, keepdims=True)
        share_w = x.sum(axis=0, keepdims=True) / x.sum()
        return share_c / share_w


def proximity(mcp: np.ndarray, ubiquity: np.ndarray) -> np.ndarray:
    """Symmetric product proximity φ = min of the two conditional probabilities (Hidalgo et al. 2007)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        phi = (mcp.T @ mcp) / ubiquity[np.newaxis, :]
    phi = np.nan_to_num(phi)
    return np.minimum(phi, phi.T)


def complexity(x: np.ndarray, *, threshold: float = 1.0,
               convention: Convention = "py-ecomplexity") -> ComplexityArrays:
    """ECI, PCI, density, COI and COG of a location × product export matrix for one year.

    Parameters
    ----------
    x : exports, shape (locations, products), non-negative, zeros for no trade.
    threshold : RCA at or above which M_cp = 1.
    convention : ``"py-ecomplexity"`` or ``"stata"`` (see module docstring).
    """
    if convention not in CONVENTIONS:
        raise ValueError(f"convention must be one of {CONVENTIONS}, got {convention!r}")
    x = np.asarray(x, dtype=np.float64)
    rca = rca_matrix(x)
    mcp = (np.nan_to_num(rca) >= threshold).astype(np.float64)
    div = mcp.sum(axis=1)
    ubi = mcp.sum(axis=0)
    rows, cols = div > 0, ubi > 0
    m = mcp[np.ix_(rows, cols)]
    m1 = m / div[rows, np.newaxis]  # row-normalised: D_c⁻¹ M
    m2 = m / ubi[np.newaxis, cols]  # column-normalised: M D_p⁻¹
    mpp = m2.T @ m1
    vals, vecs = np.linalg.eig(mpp)
    order = np.argsort(vals.real)
    kp = np.real(vecs[:, order[-2]])
    kc = m1 @ kp
    sign = np.sign(np.corrcoef(div[rows], kc)[0, 1])
    eci = np.full(x.shape[0], np.nan)
    pci = np.full(x.shape[1], np.nan)
    eci[rows], pci[cols] = sign * kc, sign * kp

    phi = proximity(mcp, ubi)
    if convention == "stata":
        np.fill_diagonal(phi, 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        density = mcp @ (phi.T / phi.sum(axis=1)[np.newaxis, :])

    mean = np.nanmean(eci)
    if convention == "py-ecomplexity":
        sd = np.nanstd(eci)
    else:  # Stata: ddof = 1 over the expanded C × P panel of repeated ECI values
        n = np.count_nonzero(~np.isnan(eci)) * x.shape[1]
        sd = np.nanstd(eci) * np.sqrt(n / (n - 1))
    eci_n = (eci - mean) / sd
    pci_n = (pci - mean) / sd
    pci0 = np.nan_to_num(pci)
    coi = ((density * (1 - mcp)) * pci0).sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        weights = phi * (pci0 / phi.sum(axis=1))[:, np.newaxis]
    cog = (1 - mcp) * ((1 - mcp) @ np.nan_to_num(weights)) / sd
    coi_sd = np.std(coi) if convention == "py-ecomplexity" else np.std(coi, ddof=1)
    coi_n = (coi - coi.mean()) / coi_sd
    return ComplexityArrays(rca=rca, mcp=mcp, diversity=div, ubiquity=ubi, eci=eci_n, pci=pci_n,
                            density=density, coi=coi_n, cog=cog, eigenvalue=float(vals.real[order[-2]]))
