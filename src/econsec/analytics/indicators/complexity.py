"""Economic and product complexity (Hidalgo & Hausmann 2009; methods.md §3.2).

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
import pandas as pd

from econsec.errors import check_choice, choices

Convention = Literal["py-ecomplexity", "stata"]
CONVENTIONS: tuple[Convention, ...] = choices(Convention)


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


def _second_eigenvectors(m: np.ndarray, div: np.ndarray, ubi: np.ndarray
                         ) -> tuple[np.ndarray, np.ndarray, float]:
    """k_c and k_p of the second eigenvalue of M̃, from a symmetric eigenproblem of the smaller side.

    M̃^P = D_p⁻¹ Mᵀ D_c⁻¹ M is similar to AᵀA and M̃^C = D_c⁻¹ M D_p⁻¹ Mᵀ to AAᵀ, with
    A = D_c^{-1/2} M D_p^{-1/2}; both share their non-zero eigenvalues. Solving the smaller
    symmetric problem (``eigh``) gives the same vectors as py-ecomplexity's ``eig`` of M̃^P, at a
    fraction of the cost, and k_c = D_c⁻¹ M k_p links the two (so PCI keeps ECI's scale).
    """
    sc, sp = np.sqrt(div), np.sqrt(ubi)
    a = m / sc[:, np.newaxis] / sp[np.newaxis, :]
    if m.shape[0] <= m.shape[1]:
        vals, vecs = np.linalg.eigh(a @ a.T)
        lam = float(vals[-2])
        kc = vecs[:, -2] / sc
        kp = (m / ubi[np.newaxis, :]).T @ kc / lam
    else:
        vals, vecs = np.linalg.eigh(a.T @ a)
        lam = float(vals[-2])
        kp = vecs[:, -2] / sp
        kc = (m / div[:, np.newaxis]) @ kp
    return kc, kp, lam


def complexity(x: np.ndarray, *, threshold: float = 1.0,
               convention: Convention = "py-ecomplexity", outlook: bool = True) -> ComplexityArrays:
    """ECI, PCI, density, COI and COG of a location × product export matrix for one year.

    Parameters
    ----------
    x : exports, shape (locations, products), non-negative, zeros for no trade.
    threshold : RCA at or above which M_cp = 1.
    convention : ``"py-ecomplexity"`` or ``"stata"`` (see module docstring).
    outlook : also compute proximity-based density, COI and COG (False leaves them NaN: RCA,
        ECI and PCI alone need no product-space matrix).
    """
    check_choice(convention, Convention, option="convention")
    x = np.asarray(x, dtype=np.float64)
    rca = rca_matrix(x)
    mcp = (np.nan_to_num(rca) >= threshold).astype(np.float64)
    div = mcp.sum(axis=1)
    ubi = mcp.sum(axis=0)
    rows, cols = div > 0, ubi > 0
    m = mcp[np.ix_(rows, cols)]
    kc, kp, lam = _second_eigenvectors(m, div[rows], ubi[cols])
    sign = np.sign(np.corrcoef(div[rows], kc)[0, 1])
    eci = np.full(x.shape[0], np.nan)
    pci = np.full(x.shape[1], np.nan)
    eci[rows], pci[cols] = sign * kc, sign * kp

    mean = np.nanmean(eci)
    if convention == "py-ecomplexity":
        sd = np.nanstd(eci)
    else:  # Stata: ddof = 1 over the expanded C × P panel of repeated ECI values
        n = np.count_nonzero(~np.isnan(eci)) * x.shape[1]
        sd = np.nanstd(eci) * np.sqrt(n / (n - 1))
    eci_n = (eci - mean) / sd
    pci_n = (pci - mean) / sd
    if not outlook:
        nan_cp, nan_c = np.full(x.shape, np.nan), np.full(x.shape[0], np.nan)
        return ComplexityArrays(rca=rca, mcp=mcp, diversity=div, ubiquity=ubi, eci=eci_n,
                                pci=pci_n, density=nan_cp, coi=nan_c, cog=nan_cp, eigenvalue=lam)
    phi = proximity(mcp, ubi)
    if convention == "stata":
        np.fill_diagonal(phi, 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        density = mcp @ (phi.T / phi.sum(axis=1)[np.newaxis, :])
    pci0 = np.nan_to_num(pci)
    coi = ((density * (1 - mcp)) * pci0).sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        weights = phi * (pci0 / phi.sum(axis=1))[:, np.newaxis]
    cog = (1 - mcp) * ((1 - mcp) @ np.nan_to_num(weights)) / sd
    coi_sd = np.std(coi) if convention == "py-ecomplexity" else np.std(coi, ddof=1)
    coi_n = (coi - coi.mean()) / coi_sd
    return ComplexityArrays(rca=rca, mcp=mcp, diversity=div, ubiquity=ubi, eci=eci_n, pci=pci_n,
                            density=density, coi=coi_n, cog=cog, eigenvalue=lam)


def complexity_long(df: pd.DataFrame, *, time: str = "year", loc: str = "exporter",
                    prod: str = "product", val: str = "value", threshold: float = 1.0,
                    convention: Convention = "py-ecomplexity", outlook: bool = True) -> pd.DataFrame:
    """Complexity for every year of a long frame (one row per year × location × product).

    Returns one row per year × location × product of the rectangularised data (locations and
    products with no exports that year are dropped, as both reference packages do), with rca,
    mcp, eci, pci and, with ``outlook``, density, coi and cog.
    """
    pos = df[df[val] > 0]
    lcode, locs = pd.factorize(pos[loc], sort=True)
    pcode, prods = pd.factorize(pos[prod], sort=True)
    years = pos[time].to_numpy()
    values = pos[val].to_numpy(dtype=np.float64)
    out = []
    for t in np.unique(years):
        sel = years == t
        lu, li = np.unique(lcode[sel], return_inverse=True)
        pu, pi = np.unique(pcode[sel], return_inverse=True)
        x = np.bincount(li * len(pu) + pi, values[sel], minlength=len(lu) * len(pu))
        r = complexity(x.reshape(len(lu), len(pu)), threshold=threshold, convention=convention,
                       outlook=outlook)
        n_l, n_p = len(lu), len(pu)
        cols = {time: np.full(n_l * n_p, t), loc: np.repeat(np.asarray(locs)[lu], n_p),
                prod: np.tile(np.asarray(prods)[pu], n_l), "rca": r.rca.ravel(),
                "mcp": r.mcp.ravel(), "eci": np.repeat(r.eci, n_p), "pci": np.tile(r.pci, n_l)}
        if outlook:
            cols |= {"density": r.density.ravel(), "coi": np.repeat(r.coi, n_p), "cog": r.cog.ravel()}
        out.append(pd.DataFrame(cols))
    return pd.concat(out, ignore_index=True)
