"""Small hand-made economies for the multi-sector model tests."""

from __future__ import annotations

import numpy as np

from econsec.analytics.models.multisector import Calibration, from_mrio


def symmetric_io(y: np.ndarray, gamma: np.ndarray, s: np.ndarray) -> Calibration:
    """Two identical countries; sector outputs ``y[j]``, input coefficients ``gamma[k, j]``,
    international share ``s[k]`` of every buyer's spending on sector k (the rest is domestic).

    Z[i, k, n, j] = γ^{kj} Y_j π_ni^k and F[i, k, n] = F_k π_ni^k with F_k = Y_k − Σ_j γ^{kj} Y_j,
    so each country sells Σ_n π_ni^k Y_k = Y_k of sector k: the table is balanced, trade too.
    """
    j = len(y)
    pi = np.empty((2, 2, j))  # [n, i, k]
    pi[0, 0] = pi[1, 1] = 1 - s
    pi[0, 1] = pi[1, 0] = s
    final = y - gamma @ y
    z = np.einsum("kj,j,nik->iknj", gamma, y, pi)
    f = np.einsum("k,nik->ikn", final, pi)
    return from_mrio(z, f, countries=("H", "F"), sectors=tuple(f"s{k + 1}" for k in range(j)))


def random_mrio(rng: np.random.Generator, n: int, j: int, *, tariffs: bool = True) -> Calibration:
    """A random, strictly positive, balanced MRIO: input coefficients A (columns summing to
    0.2–0.6, home bias), final demand F (lognormal, home bias), output x = (I − A)⁻¹ F·1 and
    Z = A diag(x); tariffs up to 30% (so value added stays positive at purchaser prices)."""
    home = np.eye(n)[:, None, :, None] * 4 + 1
    a = rng.lognormal(0.0, 1.0, (n, j, n, j)) * home
    a *= rng.uniform(0.2, 0.6, (n, j)) / a.sum(axis=(0, 1))
    f = rng.lognormal(1.5, 1.0, (n, j, n)) * (np.eye(n)[:, None, :] * 4 + 1)
    x = np.linalg.solve(np.eye(n * j) - a.reshape(n * j, n * j), f.sum(axis=2).ravel())
    z = a * x.reshape(n, j)[None, None, :, :]
    tau = rng.uniform(0, 0.3, (n, n, j)) if tariffs else np.zeros((n, n, j))
    tau[np.arange(n), np.arange(n), :] = 0.0
    return from_mrio(z, f, countries=tuple(f"C{i}" for i in range(n)),
                     sectors=tuple(f"S{k}" for k in range(j)), tariff=tau)
