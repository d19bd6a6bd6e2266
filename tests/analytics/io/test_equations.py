"""IO kernels on the hand-computed 2-region × 2-sector example, and invariants on random tables.

The example (tests/analytics/io/helpers.py, order H/a, H/m, F/a, F/m) has x = (100, 50, 40, 50)
and four non-zero coefficients a_ij = z_ij / x_j:

    a_21 = 20/100 = 0.2   (H/m → H/a)     a_32 = 10/50 = 0.2   (F/a → H/m)
    a_43 = 5/40 = 0.125   (F/m → F/a)     a_41 = 10/100 = 0.1  (F/m → H/a)

A is nilpotent (the chain F/m → F/a → H/m → H/a has no loop), so L = I + A + A² + A³ exactly:
A² has (3,1) = a_32 a_21 = 0.04 and (4,2) = a_43 a_32 = 0.025; A³ has (4,1) = a_43 · 0.04 = 0.005:

        | 1      0      0      0 |
    L = | 0.2    1      0      0 |
        | 0.04   0.2    1      0 |
        | 0.105  0.025  0.125  1 |     (L_41 = a_41 + A³_41 = 0.1 + 0.005)

Check x = L y with y = (100, 30, 30, 35): row 4 = 10.5 + 0.75 + 3.75 + 35 = 50.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings

from econsec.analytics.io import equations as eq
from tests.analytics.io.helpers import hand_mrio, random_mrio, seeds

L_HAND = np.array([[1, 0, 0, 0], [0.2, 1, 0, 0], [0.04, 0.2, 1, 0], [0.105, 0.025, 0.125, 1]])


def test_hand_coefficients_and_leontief() -> None:
    m = hand_mrio()
    np.testing.assert_allclose(m.x, [100, 50, 40, 50])
    np.testing.assert_allclose(m.value_added, [70, 40, 35, 50])
    A = np.zeros((4, 4))
    A[1, 0], A[2, 1], A[3, 2], A[3, 0] = 0.2, 0.2, 0.125, 0.1
    np.testing.assert_allclose(eq.calc_A(m.Z, m.x), A, atol=1e-15)
    np.testing.assert_allclose(eq.calc_L(A), L_HAND, atol=1e-15)
    np.testing.assert_allclose(m.leontief.solve(m.y), m.x, rtol=1e-14)
    # Ghosh: G = x̂⁻¹ L x̂, e.g. G_12 = x_1⁻¹ L_12 x_2 = 0, G_21 = 0.2·100/50 = 0.4 = b_21.
    G = eq.calc_G(L_HAND, m.x)
    assert G[1, 0] == pytest.approx(0.4) and G[3, 0] == pytest.approx(0.105 * 100 / 50)
    np.testing.assert_allclose(G, np.linalg.inv(np.eye(4) - eq.calc_B(m.Z, m.x)), atol=1e-14)
    # rows/columns of L through the factorisation
    np.testing.assert_allclose(m.leontief.rows(np.array([3])), L_HAND[[3]], atol=1e-15)
    np.testing.assert_allclose(m.leontief.columns(np.array([0, 2])), L_HAND[:, [0, 2]], atol=1e-15)


def test_hand_multipliers() -> None:
    m = hand_mrio()
    # Output multipliers = column sums of L: 1 + 0.2 + 0.04 + 0.105 = 1.345, 1.225, 1.125, 1.
    np.testing.assert_allclose(eq.calc_M(np.ones(4), m.leontief)[0], [1.345, 1.225, 1.125, 1])
    # v = va/x = (0.7, 0.8, 0.875, 1): vᵀL_1 = 0.7 + 0.8·0.2 + 0.875·0.04 + 0.105 = 1.
    np.testing.assert_allclose(eq.calc_M(m.v, m.leontief)[0], 1.0, rtol=1e-14)


def test_hand_value_added_in_trade() -> None:
    m = hand_mrio()
    t = eq.value_added_in_trade(m.A, m.leontief, m.v, m.Z, m.Y_agg)
    # Gross exports: H = 20 + 10 (final goods to F) = 30; F = (10 + 5) + (10 + 5) = 30.
    np.testing.assert_allclose(t.exports, [30, 30])
    # H's exports e_H = (20, 10, 0, 0): L e_H = (20, 14, 2.8, 2.35), v ∘ = (14, 11.2, 2.45, 2.35):
    # DVA_H = 25.2, FVA_H = 4.8. F's exports (0, 0, 15, 15): v ∘ L e_F = (0, 0, 13.125, 16.875).
    np.testing.assert_allclose(t.vbe, [[25.2, 0], [4.8, 30]], rtol=1e-14)
    np.testing.assert_allclose(t.dva, [25.2, 30])
    np.testing.assert_allclose(t.fva, [4.8, 0], atol=1e-14)
    # Absorption: v ∘ L Y_H = (56, 28.8, 10.675, 14.525), v ∘ L Y_F = (14, 11.2, 24.325, 35.475).
    np.testing.assert_allclose(t.absorption, [[84.8, 25.2], [25.2, 59.8]], rtol=1e-14)
    np.testing.assert_allclose(t.vax, [25.2, 25.2])
    # RDV_F: F's value added absorbed in F = 59.8; purely domestically (local inverse of
    # A_FF = [[0, 0], [0.125, 0]] on Y_FF = (25, 30)): 0.875·25 + 1·33.125 = 55 → RDV_F = 4.8
    # (F/m's input to H/a returns in H/a's final goods sold to F). H's value added never returns.
    np.testing.assert_allclose(t.rdv, [0, 4.8], atol=1e-13)
    np.testing.assert_allclose(t.ddc, [0, 0], atol=1e-13)
    np.testing.assert_allclose(t.vax_sector, [14, 11.2, 10.675, 14.525], rtol=1e-14)
    back, fwd = eq.gvc_participation(t.vbe, t.exports)
    np.testing.assert_allclose(back, [4.8 / 30, 0], atol=1e-15)
    np.testing.assert_allclose(fwd, [0, 4.8 / 30], atol=1e-15)


def test_hand_accounts() -> None:
    m = hand_mrio()
    acc = eq.calc_accounts(m.v, m.leontief, m.Y_agg)
    # VA embodied in H's final demand = 110 (all of it, vᵀL = 1), of which from F: 25.2.
    np.testing.assert_allclose(acc.cba_reg, [[110, 85]])
    np.testing.assert_allclose(acc.imp_reg, [[25.2, 25.2]])
    np.testing.assert_allclose(acc.exp, [[14, 11.2, 10.675, 14.525]])
    np.testing.assert_allclose(acc.pba[0], m.value_added)


def test_hand_extraction() -> None:
    m = hand_mrio()
    L = L_HAND
    # Total extraction of H/m (j = 2): Δx = l_2 x_2 / L_22 = 50·(0, 1, 0.2, 0.025). By hand,
    # without H/m: x̄ = (100, 0, 30, 0.125·30 + 0.1·100 + 35 = 48.75), loss (0, 50, 10, 1.25).
    xbar, res = eq.extract(m.A, m.Z, m.x, m.y, m.value_added, np.array([1]), "total")
    np.testing.assert_allclose(m.x - xbar, [0, 50, 10, 1.25], atol=1e-12)
    assert res < 1e-14
    # Backward extraction of H/a (A's column 1 removed): (l_1 − e_1)·100 = (0, 20, 4, 10.5).
    xbar, _ = eq.extract(m.A, m.Z, m.x, m.y, m.value_added, np.array([0]), "backward")
    np.testing.assert_allclose(m.x - xbar, [0, 20, 4, 10.5], atol=1e-12)
    # Forward (Ghosh) extraction of F/m: with b_4· = 0, x̄_3 = 35, x̄_2 = 0.25·35 + 40 = 48.75,
    # x̄_1 = 0.4·48.75 + 70 = 89.5: loss (10.5, 1.25, 5, 0).
    xbar, _ = eq.extract(m.A, m.Z, m.x, m.y, m.value_added, np.array([3]), "forward")
    np.testing.assert_allclose(m.x - xbar, [10.5, 1.25, 5, 0], atol=1e-12)
    # Closed forms for every sector at once agree (world totals per extracted sector).
    np.testing.assert_allclose(eq.extraction_losses(L, m.x, "total", 2).sum(axis=0),
                               [134.5, 61.25, 45, 50])
    np.testing.assert_allclose(eq.extraction_losses(L, m.x, "backward", 2).sum(axis=0),
                               [34.5, 11.25, 5, 0], atol=1e-12)
    np.testing.assert_allclose(eq.extraction_losses(L, m.x, "forward", 2).sum(axis=0),
                               [0, 20, 14, 16.75], atol=1e-12)


def test_hand_supply_shocks() -> None:
    m = hand_mrio()
    # Ghosh: F/m output −10 % (5). First round: its customers lose θ z: H/a 1, F/a 0.5. Then
    # F/a's 0.5 reaches H/m through b_32 = 0.25 (0.125), and H/m's reaches H/a via b_21 = 0.4
    # (0.05): total (1.05, 0.125, 0.5, 5) = θ x_k L_4k / L_44.
    first, total = eq.supply_shock(m.leontief, m.Z, m.x, np.array([3]), np.array([0.1]), "ghosh")
    np.testing.assert_allclose(first, [1, 0, 0.5, 5], atol=1e-14)
    np.testing.assert_allclose(total, [1.05, 0.125, 0.5, 5], atol=1e-14)
    # Leontief (upstream): H/a output −10 (10 %). First round its suppliers: H/m 2, F/m 1; then
    # H/m's 2 needs 0.4 less from F/a, which needs 0.05 less from F/m: (10, 2, 0.4, 1.05).
    first, total = eq.supply_shock(m.leontief, m.Z, m.x, np.array([0]), np.array([0.1]), "leontief")
    np.testing.assert_allclose(first, [10, 2, 0, 1], atol=1e-14)
    np.testing.assert_allclose(total, [10, 2, 0.4, 1.05], atol=1e-14)


def test_singular_system_raises() -> None:
    with pytest.raises(eq.LeontiefError, match="singular"):
        eq.Leontief.factor(np.array([[1.0, 0.0], [0.0, 0.5]]))
    with pytest.raises(eq.LeontiefError, match="NaN"):
        eq.Leontief.factor(np.array([[np.nan, 0.0], [0.0, 0.5]]))


@settings(max_examples=60, deadline=None)
@given(seeds)
def test_invariants(seed: int) -> None:
    m = random_mrio(seed, zero_sector=seed % 3 == 0)
    n, R = m.n, m.n_regions
    L = m.leontief.inverse()
    # L = I + A L; x = L y; Ghosh identity xᵀ = vaᵀ G.
    np.testing.assert_allclose(L, np.eye(n) + m.A @ L, atol=1e-12)
    np.testing.assert_allclose(L @ m.y, m.x, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(m.value_added @ eq.calc_G(L, m.x), m.x, rtol=1e-10, atol=1e-12)
    # GDP identity: Σ va = Σ final demand (value added is the balancing item).
    assert m.value_added.sum() == pytest.approx(m.y.sum(), rel=1e-12)
    t = eq.value_added_in_trade(m.A, m.leontief, m.v, m.Z, m.Y_agg)
    # E = DVA + FVA; DVA = VAX + RDV + DDC with every term ≥ 0; VAX ratios in [0, 1].
    np.testing.assert_allclose(t.dva + t.fva, t.exports, rtol=1e-10, atol=1e-12)
    for term in (t.vax, t.rdv, t.ddc, t.fva):
        assert np.all(term >= -1e-10)
    ratio = t.vax[t.exports > 0] / t.exports[t.exports > 0]
    assert np.all((ratio >= 0) & (ratio <= 1 + 1e-12))
    # Absorption rows sum to GDP, columns to final demand; VAX − VAM = gross trade balance.
    np.testing.assert_allclose(t.absorption.sum(axis=1), eq.by_region(m.value_added, R), rtol=1e-10)
    np.testing.assert_allclose(t.absorption.sum(axis=0), m.Y_agg.sum(axis=0), rtol=1e-10)
    E = eq.gross_exports(m.Z, m.Y_agg)
    vam = t.absorption.sum(axis=0) - np.diag(t.absorption)
    np.testing.assert_allclose(t.vax - vam, t.exports - E.sum(axis=0), atol=1e-9 * m.x.sum())
    # World forward participation = world backward participation (both are vbe's off-diagonal).
    back, fwd = eq.gvc_participation(t.vbe, t.exports)
    assert np.nansum(back * t.exports) == pytest.approx(np.nansum(fwd * t.exports), rel=1e-10)


@settings(max_examples=30, deadline=None)
@given(seeds)
def test_closed_forms_equal_solves(seed: int) -> None:
    m = random_mrio(seed, zero_sector=seed % 2 == 0)
    L = m.leontief.inverse()
    j = int(np.random.default_rng(seed).integers(m.n))
    for kind in ("total", "backward", "forward"):
        closed = eq.extraction_losses(L, m.x, kind, m.n_regions)[:, j]
        xbar, _ = eq.extract(m.A, m.Z, m.x, m.y, m.value_added, np.array([j]), kind)
        np.testing.assert_allclose(closed, eq.by_region(m.x - xbar, m.n_regions),
                                   rtol=1e-9, atol=1e-10 * m.x.sum(), err_msg=kind)
    # Shocks: the block-inverse forms equal re-solving the system with the outputs fixed.
    rng = np.random.default_rng(seed)
    idx = rng.choice(m.n, size=min(2, m.n), replace=False)
    theta = rng.uniform(0.05, 0.5, len(idx))
    rest = np.setdiff1d(np.arange(m.n), idx)
    _, ghosh = eq.supply_shock(m.leontief, m.Z, m.x, idx, theta, "ghosh")
    B = eq.calc_B(m.Z, m.x)
    dx_s = theta * m.x[idx]
    direct = np.linalg.solve((np.eye(len(rest)) - B[np.ix_(rest, rest)]).T, B[np.ix_(idx, rest)].T @ dx_s)
    np.testing.assert_allclose(ghosh[rest], direct, rtol=1e-9, atol=1e-12)
    _, leon = eq.supply_shock(m.leontief, m.Z, m.x, idx, theta, "leontief")
    direct = np.linalg.solve(np.eye(len(rest)) - m.A[np.ix_(rest, rest)], m.A[np.ix_(rest, idx)] @ dx_s)
    np.testing.assert_allclose(leon[rest], direct, rtol=1e-9, atol=1e-12)
    # Losses are non-negative and below output.
    assert np.all(ghosh >= -1e-12) and np.all(ghosh <= m.x + 1e-9)
