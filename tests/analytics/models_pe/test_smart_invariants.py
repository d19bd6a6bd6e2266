"""SMART invariants on random markets (hypothesis, fixed seeds through the strategy)."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from econsec.analytics.models.pe.smart import smart

seeds = st.integers(min_value=0, max_value=100_000)
demands = st.sampled_from(["smart", "isoelastic"])
eps_xs = st.sampled_from([math.inf, 99.0, 4.0, 1.0])


def market(seed: int, n_groups: int = 40):  # type: ignore[no-untyped-def]
    rng = np.random.default_rng(seed)
    sizes = rng.integers(1, 7, n_groups)
    group = np.repeat(np.arange(n_groups), sizes)
    n = len(group)
    m = rng.lognormal(10, 3, n)
    t0 = rng.choice([0.0, 0.025, 0.1, 0.25, 0.5], n)
    sigma = rng.uniform(0, 30, n_groups)[group]
    eps_m = -rng.uniform(0.1, 5, n_groups)[group]
    return rng, group, m, t0, sigma, eps_m


@settings(max_examples=60, deadline=None)
@given(seeds, demands, eps_xs)
def test_diversion_sums_to_zero_and_imports_stay_non_negative(seed: int, demand: str, eps_x: float) -> None:
    rng, g, m, t0, sigma, eps_m = market(seed)
    t1 = np.maximum(t0 + rng.uniform(-0.1, 1.5, len(m)) * (rng.random(len(m)) < 0.5), 0)
    r = smart(m, t0, t1, eps_m=eps_m, sigma=sigma, group=g, n_groups=g.max() + 1, eps_x=eps_x,
              demand=demand)  # type: ignore[arg-type]
    per = np.bincount(g, r.diversion)
    scale = np.bincount(g, m)
    assert np.all(np.abs(per) <= 1e-12 * scale)
    assert np.all(r.quantity >= -1e-9 * m) and np.all(r.imports >= -1e-9 * m)
    # The decomposition adds up: imports' = m + creation + diversion + price effect.
    np.testing.assert_allclose(m + r.change, r.imports, rtol=1e-12, atol=1e-9 * m.max())
    # A supplier cannot lose more than its trade after creation to diversion.
    assert np.all(r.diversion >= -(m + r.creation) * (1 + 1e-12))


@settings(max_examples=40, deadline=None)
@given(seeds, demands, eps_xs)
def test_zero_shock_changes_nothing_exactly(seed: int, demand: str, eps_x: float) -> None:
    _, g, m, t0, sigma, eps_m = market(seed)
    r = smart(m, t0, t0.copy(), eps_m=eps_m, sigma=sigma, group=g, n_groups=g.max() + 1, eps_x=eps_x,
              demand=demand)  # type: ignore[arg-type]
    for a in (r.creation, r.diversion, r.price_effect, r.consumer_surplus):
        np.testing.assert_array_equal(a, 0.0)
    np.testing.assert_array_equal(r.imports, m)
    np.testing.assert_array_equal(r.revenue_after, r.revenue_before)


@settings(max_examples=40, deadline=None)
@given(seeds, demands, eps_xs)
def test_uniform_tariff_on_all_suppliers_gives_no_diversion(seed: int, demand: str, eps_x: float) -> None:
    rng, g, m, _, sigma, eps_m = market(seed)
    n_g = g.max() + 1
    t0 = rng.choice([0.0, 0.05, 0.2], n_g)[g]           # one tariff per product ...
    t1 = t0 + rng.uniform(-0.05, 1.0, n_g)[g].clip(-t0)  # ... moved by the same amount for all
    r = smart(m, t0, t1, eps_m=eps_m, sigma=sigma, group=g, n_groups=n_g, eps_x=eps_x,
              demand=demand)  # type: ignore[arg-type]
    np.testing.assert_array_equal(r.diversion, 0.0)
    # Shares within each product are unchanged.
    tot1 = np.bincount(g, r.imports)[g]
    ok = tot1 > 0                                      # linear creation can empty a product
    s0 = m / np.bincount(g, m)[g]
    np.testing.assert_allclose(r.imports[ok] / tot1[ok], s0[ok], rtol=1e-10)


@settings(max_examples=40, deadline=None)
@given(seeds)
def test_tariff_on_one_supplier_lowers_it_and_raises_the_others(seed: int) -> None:
    rng, g, m, t0, sigma, eps_m = market(seed)
    first = np.r_[True, g[1:] != g[:-1]]                # first supplier of each product
    t1 = t0 + np.where(first, rng.uniform(0.01, 0.6, len(m)), 0.0)
    r = smart(m, t0, t1, eps_m=eps_m, sigma=sigma, group=g, n_groups=g.max() + 1)
    assert np.all(r.imports[first] < m[first])
    assert np.all(r.diversion[~first] >= 0) and np.all(r.creation[~first] == 0)
    # Net welfare equals the Harberger triangle 1/2 (t0 + t1)(m' - m) when eps_x is infinite.
    np.testing.assert_allclose(r.welfare, 0.5 * (t0 + t1) * (r.imports - m), rtol=1e-9,
                               atol=1e-9 * m.max())


@settings(max_examples=20, deadline=None)
@given(seeds)
def test_row_order_does_not_matter(seed: int) -> None:
    rng, g, m, t0, sigma, eps_m = market(seed)
    t1 = t0 + rng.uniform(0, 0.8, len(m))
    perm = rng.permutation(len(m))
    a = smart(m, t0, t1, eps_m=eps_m, sigma=sigma, group=g, n_groups=g.max() + 1)
    b = smart(m[perm], t0[perm], t1[perm], eps_m=eps_m[perm], sigma=sigma[perm], group=g[perm],
              n_groups=g.max() + 1)
    np.testing.assert_allclose(b.imports, a.imports[perm], rtol=1e-12)
