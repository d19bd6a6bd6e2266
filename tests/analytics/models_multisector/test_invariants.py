"""Invariants on random economies (hypothesis): the equilibrium conditions hold at the solution,
shares sum to one, markets clear, deficits stay fixed in world-GDP units, and real outcomes do not
depend on the numeraire."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from econsec.analytics.models.multisector import (
    INTERMEDIATES,
    Calibration,
    MultiSectorInputError,
    MultiSectorModel,
    MultiSectorResults,
    Shock,
    from_trade,
)
from econsec.analytics.models.multisector import equations as eq
from tests.analytics.models_multisector.helpers import random_mrio

seeds = st.integers(min_value=0, max_value=100_000)
sizes = st.tuples(st.integers(2, 4), st.integers(1, 3))


def moderate(cal: Calibration) -> Calibration:
    """Keep economies whose deficits are under half their value added: with deficits fixed, a
    large surplus country can be left with negative income by a big shock (tested apart)."""
    assume(bool((np.abs(cal.deficit) < 0.5 * cal.value_added.sum(axis=1)).all()))
    return cal


def random_shock(cal: Calibration, rng: np.random.Generator) -> Shock:
    shape = cal.trade.shape
    cost = np.where(rng.random(shape) < 0.5, rng.uniform(0.8, 1.6, shape), 1.0)
    add = np.where(rng.random(shape) < 0.5, rng.uniform(0.0, 0.4, shape), 0.0)
    n = np.arange(len(cal.countries))
    cost[n, n, :] = 1.0
    add[n, n, :] = 0.0
    base = Shock.baseline(cal, "random")
    return Shock(cal.countries, cal.sectors, cost, base.tariff + add, "random")


def technology(cal: Calibration, inter: str) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(γ_n^j, γ_n^{kj}, α_n^j, w_nL_n) the model uses for ``inter``."""
    if inter == "io":
        return cal.beta, cal.gamma, cal.alpha, cal.value_added.sum(axis=1)
    x = cal.expenditure
    j = len(cal.sectors)
    return (np.ones(x.shape), np.zeros((len(cal.countries), j, j)), x / x.sum(axis=1, keepdims=True),
            cal.output.sum(axis=1))


def check_equilibrium(cal: Calibration, r: MultiSectorResults, inter: str) -> None:
    beta, gamma, alpha, va = technology(cal, inter)
    x1 = r.expenditure1
    scale = cal.expenditure.max()
    # trade shares of every buyer and sector sum to one ([E3])
    shares = r.trade1 * (1 + r.tariff1) / np.where(x1 > 0, x1, 1.0)[:, None, :]
    np.testing.assert_allclose(shares.sum(axis=1)[x1 > 0], 1.0, atol=1e-9)
    # goods markets: spending = input demand of producers + final demand ([E4])
    y1 = r.trade1.sum(axis=0)
    income = r.wage_hat * va + (r.tariff1 * r.trade1).sum(axis=(1, 2)) + r.deficit1
    np.testing.assert_allclose(x1, np.einsum("njk,nk->nj", gamma, y1) + alpha * income[:, None],
                               atol=1e-8 * scale)
    # labour market: wage bill = value added of all sectors
    np.testing.assert_allclose((beta * y1).sum(axis=1), r.wage_hat * va, atol=1e-8 * scale)
    # trade balance: imports − exports = the deficit, scaled with world value added; Σ D' = 0
    lam = r.wage_hat @ va / va.sum()
    np.testing.assert_allclose(r.trade1.sum(axis=(1, 2)) - y1.sum(axis=1), lam * cal.deficit,
                               atol=1e-8 * scale)
    np.testing.assert_allclose(r.income1, income, rtol=1e-12)
    assert abs(r.deficit1.sum()) < 1e-8 * scale
    assert r.residual < 1e-8


@settings(max_examples=40, deadline=None)
@given(seed=seeds, size=sizes, inter=st.sampled_from(INTERMEDIATES))
def test_equilibrium_conditions_hold_at_the_solution(seed: int, size: tuple[int, int], inter: str) -> None:
    rng = np.random.default_rng(seed)
    cal = moderate(random_mrio(rng, *size))
    theta = rng.uniform(2.0, 10.0, size[1])
    r = MultiSectorModel(cal, theta=theta, intermediates=inter).solve(random_shock(cal, rng))
    assert r.converged
    check_equilibrium(cal, r, inter)
    # the exact income-source decomposition adds up to the real-income change
    f = r.to_frame()
    parts = f[["labour_income_pts", "tariff_revenue_pts", "transfers_pts"]].sum(axis=1)
    np.testing.assert_allclose(parts, f["real_income_pct"], atol=1e-9)


@settings(max_examples=30, deadline=None)
@given(seed=seeds, size=sizes, inter=st.sampled_from(INTERMEDIATES))
def test_real_outcomes_are_homogeneous_of_degree_zero_in_the_numeraire(
        seed: int, size: tuple[int, int], inter: str) -> None:
    rng = np.random.default_rng(seed)
    cal = moderate(random_mrio(rng, *size))
    theta = rng.uniform(2.0, 10.0, size[1])
    shock = random_shock(cal, rng)
    world = MultiSectorModel(cal, theta=theta, intermediates=inter).solve(shock)
    k = int(rng.integers(len(cal.countries)))
    local = MultiSectorModel(cal, theta=theta, intermediates=inter,
                             numeraire=cal.countries[k]).solve(shock)
    assert local.wage_hat[k] == 1.0
    factor = 1 / world.wage_hat[k]  # every nominal hat scales by the same number
    np.testing.assert_allclose(local.wage_hat, factor * world.wage_hat, rtol=1e-8)
    np.testing.assert_allclose(local.price_hat, factor * world.price_hat, rtol=1e-8)
    np.testing.assert_allclose(local.trade1, factor * world.trade1, rtol=1e-8, atol=1e-9)
    np.testing.assert_allclose(local.real_income_hat, world.real_income_hat, rtol=1e-8)
    np.testing.assert_allclose(local.real_wage_hat, world.real_wage_hat, rtol=1e-8)
    # CP's decomposition is computed in world-value-added units whatever the numeraire
    for key in world.decomposition:
        np.testing.assert_allclose(local.decomposition[key], world.decomposition[key], atol=1e-8)
    check_equilibrium(cal, local, inter)


@settings(max_examples=30, deadline=None)
@given(seed=seeds, size=sizes, shift=st.floats(-2.0, 2.0))
def test_kernels_are_homogeneous_of_degree_one_in_wages_and_prices(
        seed: int, size: tuple[int, int], shift: float) -> None:
    """ln ŵ, ln P̂ + c ⇒ ln ĉ, ln P̂' + c (γ_n^j + Σ_k γ_n^{kj} = 1), shares unchanged, income and
    the labour-market gap × e^c (deficits scale with world value added)."""
    rng = np.random.default_rng(seed)
    cal = moderate(random_mrio(rng, *size))
    m = MultiSectorModel(cal, theta=rng.uniform(2.0, 10.0, size[1]))
    p = m._params
    n, j = size
    s = eq.State(rng.normal(0, 0.1, n), rng.normal(0, 0.1, (n, j)), rng.uniform(0.8, 1.2, (n, j)))
    lk = np.log(rng.uniform(0.9, 1.4, (n, n, j)))
    c0 = eq.unit_costs(s.log_w, s.log_p, p.beta, p.gamma)
    c1 = eq.unit_costs(s.log_w + shift, s.log_p + shift, p.beta, p.gamma)
    np.testing.assert_allclose(c1, c0 + shift, atol=1e-12)
    lp0, pi0 = eq.price_indices(c0, lk, p.log_pi, p.theta)
    lp1, pi1 = eq.price_indices(c1, lk, p.log_pi, p.theta)
    np.testing.assert_allclose(lp1, lp0 + shift, atol=1e-12)
    np.testing.assert_allclose(pi1, pi0, atol=1e-12)
    np.testing.assert_allclose(pi0.sum(axis=1), 1.0, atol=1e-12)
    rev = rng.uniform(0, 5, n)
    np.testing.assert_allclose(eq.income(s.log_w + shift, p.va, rev * np.exp(shift), p.deficit),
                               np.exp(shift) * eq.income(s.log_w, p.va, rev, p.deficit), rtol=1e-10)
    step = np.full(n, 0.3)
    scaled = eq.State(s.log_w + shift, s.log_p + shift, s.x_hat * np.exp(shift))
    new0, gap0 = eq.equilibrium_map(s, p, lk, p.tariff, step, None)
    new1, gap1 = eq.equilibrium_map(scaled, p, lk, p.tariff, step, None)
    np.testing.assert_allclose(gap1, np.exp(shift) * gap0, rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(new1.log_w, new0.log_w, atol=1e-10)  # the numeraire removes c
    np.testing.assert_allclose(new1.log_p, new0.log_p + shift, atol=1e-10)


@settings(max_examples=20, deadline=None)
@given(seed=seeds, size=sizes)
def test_no_intermediates_equals_gravity_calibrated_on_gross_flows(seed: int, size: tuple[int, int]) -> None:
    """intermediates="none" on an MRIO is the model calibrated on its gross sectoral flows."""
    rng = np.random.default_rng(seed)
    cal = moderate(random_mrio(rng, *size))
    theta = rng.uniform(2.0, 10.0, size[1])
    gravity = from_trade(np.transpose(cal.trade, (1, 0, 2)), countries=cal.countries,
                         sectors=cal.sectors, tariff=np.transpose(cal.tariff, (1, 0, 2)))
    shock = random_shock(cal, rng)
    a = MultiSectorModel(cal, theta=theta, intermediates="none").solve(shock)
    b = MultiSectorModel(gravity, theta=theta, intermediates="io").solve(
        Shock(gravity.countries, gravity.sectors, shock.trade_cost, shock.tariff))
    np.testing.assert_allclose(a.real_income_hat, b.real_income_hat, rtol=1e-8)
    np.testing.assert_allclose(a.trade1, b.trade1, rtol=1e-8)


def test_a_shock_that_leaves_a_country_with_negative_income_is_refused() -> None:
    """C1 has a trade surplus of 22.5 on value added of 26.0; after a 51% rise in the cost of
    its exports to C0 it cannot keep that surplus: its income would turn negative."""
    rng = np.random.default_rng(2329)
    cal = random_mrio(rng, 2, 1)
    theta = rng.uniform(2.0, 10.0, 1)
    with pytest.raises(MultiSectorInputError, match=r"\['C1'\] with non-positive income"):
        MultiSectorModel(cal, theta=theta).solve(random_shock(cal, rng))
