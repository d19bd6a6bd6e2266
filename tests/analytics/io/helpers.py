"""Small MRIOs for the IO tests: the hand-computed 2 × 2 example, random balanced tables, and a
store holding the real WIOD 2011 table."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from hypothesis import strategies as st

from econsec.analytics.io import MRIO
from econsec.sources.registry import get
from econsec.store import Store, ingest

REGIONS, SECTORS = ("H", "F"), ("a", "m")


def hand_mrio() -> MRIO:
    """Two regions (H, F) × two sectors (a, m); order H/a, H/m, F/a, F/m.

    Flows: H/m sells 20 to H/a; F/a sells 10 to H/m; F/m sells 5 to F/a and 10 to H/a.
    Final demand (destination H, F; two categories that the analyses sum):
    H/a 80, 20; H/m 20, 10; F/a 5, 25; F/m 5, 30. So x = (100, 50, 40, 50) and
    va = x − Zᵀ1 = (70, 40, 35, 50); Σ va = 195 = Σ y.
    """
    Z = np.zeros((4, 4))
    Z[1, 0], Z[2, 1], Z[3, 2], Z[3, 0] = 20, 10, 5, 10
    Y_agg = np.array([[80, 20], [20, 10], [5, 25], [5, 30.0]])
    # Split each destination's demand into households (60 %) and investment (40 %).
    Y = np.stack([0.6 * Y_agg, 0.4 * Y_agg], axis=2).reshape(4, 4)
    return MRIO.from_arrays(Z, Y, regions=REGIONS, sectors=SECTORS, categories=("hh", "inv"),
                            io_table="hand", unit="USD")


def random_mrio(seed: int, *, zero_sector: bool = False) -> MRIO:
    """A balanced random MRIO: A ≥ 0 with column sums < 0.8, y > 0, x = L y, Z = A x̂.

    So value added va = x ∘ (1 − 1ᵀA) > 0 and every decomposition term is non-negative. With
    ``zero_sector`` the last country-sector is empty (x = 0).
    """
    rng = np.random.default_rng(seed)
    R, N, K = int(rng.integers(2, 5)), int(rng.integers(1, 5)), int(rng.integers(1, 4))
    n = R * N
    A = rng.random((n, n)) * (rng.random((n, n)) < 0.7)
    A *= rng.uniform(0.1, 0.8, n) / np.maximum(A.sum(axis=0), 1e-12)
    Y = rng.lognormal(0, 1, (n, R * K)) * (rng.random((n, R * K)) < 0.8)
    Y[:, 0] += 0.1  # every sector has some final demand
    if zero_sector:
        A[-1, :] = A[:, -1] = 0.0
        Y[-1, :] = 0.0
    x = np.linalg.solve(np.eye(n) - A, Y.sum(axis=1))
    return MRIO.from_arrays(A * x[np.newaxis, :], Y, regions=[f"R{i}" for i in range(R)],
                            sectors=[f"s{j}" for j in range(N)],
                            categories=[f"k{k}" for k in range(K)])


seeds = st.integers(min_value=0, max_value=100_000)


def wiod_store(path: Path, data_dir: Path, years: tuple[int, ...] = (2011,)) -> Store:
    """A store with the WIOD 2013 tables of ``years`` (and the labels) ingested."""
    src = get("wiod2013")
    keep = {f"wiot_{y}.parquet" for y in years}
    files = [p for p in src.discover(data_dir) if not p.name.startswith("wiot_") or p.name in keep]
    store = Store(path)
    ingest(store, [(src, files)])
    return store
