"""Worked examples solved by hand: the closed forms are derived in each docstring and coded
here with scalars (no econsec kernel), then compared with the solver."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.optimize import brentq

from econsec.analytics.models.multisector import MultiSectorModel, Shock, from_trade
from tests.analytics.models_multisector.helpers import random_mrio, symmetric_io

GAMMA = np.array([[0.2, 0.1], [0.3, 0.4]])  # γ^{kj}: input k per unit of output j
Y = np.array([100.0, 200.0])
S = np.array([0.2, 0.1])
THETA = np.array([4.0, 8.0])
T = np.array([1.2, 1.1])


@pytest.mark.parametrize("inter", ["io", "none"])
@pytest.mark.parametrize("steps", [1, 4])
@pytest.mark.parametrize("tariffs", [False, True])
def test_zero_shock_returns_the_baseline_exactly(inter: str, steps: int, tariffs: bool) -> None:
    """No change in trade costs or tariffs: every hat is exactly 1, every flow the baseline
    (also with baseline tariffs and with the decomposition path)."""
    cal = random_mrio(np.random.default_rng(7), 3, 2) if tariffs else symmetric_io(Y, GAMMA, S)
    r = MultiSectorModel(cal, theta=THETA, intermediates=inter, decomposition_steps=steps).solve()
    assert r.iterations == 0 and r.converged
    for hat in (r.wage_hat, r.price_hat, r.cost_hat, r.consumer_price_hat):
        assert (hat == 1.0).all()
    assert (r.trade1 == r.trade0).all()
    assert (r.expenditure1 == r.expenditure0).all()
    np.testing.assert_allclose(r.real_income_hat, 1.0, rtol=0, atol=1e-14)
    assert (r.pairs()["trade_pct"].dropna() == 0).all()


def test_symmetric_two_by_two_with_input_output_links() -> None:
    """2 identical countries × 2 sectors with input–output links; a symmetric iceberg shock t_j.

    Data: Y = (100, 200) per country, γ^{kj} = [[0.2, 0.1], [0.3, 0.4]] (so γ_j = 0.5 and
    final demand F = Y − Γ Y = (60, 90), α = (0.4, 0.6), I = wL = 150), international shares
    s = (0.2, 0.1), θ = (4, 8), shock t = (1.2, 1.1) on both directions.

    By symmetry ŵ_H = ŵ_F, = 1 with world value added as numeraire, and ĉ_H = ĉ_F = ĉ. [E2]:
    P̂_j^{−θ_j} = (1 − s_j) ĉ_j^{−θ_j} + s_j (t_j ĉ_j)^{−θ_j} = ĉ_j^{−θ_j} A_j with
    A_j = 1 − s_j + s_j t_j^{−θ_j}, so ln P̂_j = ln ĉ_j − a_j, a_j = ln A_j / θ_j. [E1] with
    ŵ = 1: ln ĉ_j = Σ_k γ^{kj} ln P̂_k. Hence (I − Γᵀ) ln P̂ = −a, and with
    I − Γᵀ = [[0.8, −0.3], [−0.1, 0.6]] (determinant 0.45):
        ln P̂_1 = −(0.6 a_1 + 0.3 a_2) / 0.45,   ln P̂_2 = −(0.1 a_1 + 0.8 a_2) / 0.45.
    A = (0.896451, 0.946651), a = (−0.027328, −0.006853), P̂ = (1.041858, 1.018424).
    Income is unchanged (ŵ = 1, no tariffs or deficits), so Ŵ = 1/P̂ = exp(−0.4 ln P̂_1 − 0.6 ln P̂_2)
    = 0.973015 (−2.70%). Domestic shares: π̂_nn^j = (ĉ_j / P̂_j)^{−θ_j} = 1/A_j. Nominal expenditure
    X = (I − Γ)⁻¹ α I is unchanged, so each international flow changes by s_j t_j^{−θ_j} / (s_j A_j).
    """
    a = np.log(1 - S + S * T ** -THETA) / THETA
    ln_p = np.array([-(0.6 * a[0] + 0.3 * a[1]) / 0.45, -(0.1 * a[0] + 0.8 * a[1]) / 0.45])
    np.testing.assert_allclose(np.exp(ln_p), [1.041858, 1.018424], atol=1e-6)
    welfare = np.exp(-(0.4 * ln_p[0] + 0.6 * ln_p[1]))
    assert welfare == pytest.approx(0.973015, abs=1e-6)

    cal = symmetric_io(Y, GAMMA, S)
    np.testing.assert_allclose(cal.alpha, [[0.4, 0.6]] * 2)
    np.testing.assert_allclose(cal.beta, 0.5)
    model = MultiSectorModel(cal, theta=THETA)
    shock = model.shock("t").with_trade_cost("H", "F", "s1", factor=1.2, symmetric=True) \
        .with_trade_cost("H", "F", "s2", factor=1.1, symmetric=True)
    r = model.solve(shock)
    np.testing.assert_allclose(r.wage_hat, 1.0, atol=1e-10)
    np.testing.assert_allclose(r.price_hat, np.exp([ln_p, ln_p]), rtol=1e-9)
    np.testing.assert_allclose(r.real_income_hat, welfare, rtol=1e-9)
    np.testing.assert_allclose(r.expenditure1, r.expenditure0, rtol=1e-9)
    A = 1 - S + S * T ** -THETA
    pairs = r.pairs(by_sector=True).set_index(["exporter", "importer", "sector"])["trade_pct"]
    for k, sec in enumerate(("s1", "s2")):
        assert pairs[("H", "F", sec)] == pytest.approx(100 * (T[k] ** -THETA[k] / A[k] - 1), rel=1e-8)
        assert pairs[("H", "H", sec)] == pytest.approx(100 * (1 / A[k] - 1), rel=1e-8)


def test_asymmetric_two_by_two_without_intermediates() -> None:
    """2 countries × 2 sectors, no inputs, balanced trade; H puts an NTB t = 1.3 on sector-1
    imports from F; θ = (5, 3); F's wage is the numeraire, ω = ŵ_H.

    Flows exporter → importer: sector 1 H→H 50, H→F 10, F→H 20, F→F 80; sector 2 H→H 60, H→F 25,
    F→H 15, F→F 40. So Y_H = 145, Y_F = 155, α_H = (70, 75)/145, α_F = (90, 65)/155, trade is
    balanced (35 each way) and I_n = ŵ_n Y_n, X'_n^j = α_n^j ŵ_n Y_n (Cobb–Douglas, no inputs).
    With ĉ_n = ŵ_n (γ = 1), [E3]: π'_ni^j = π_ni^j (κ̂_ni^j ŵ_i)^{−θ_j} / Σ_m π_nm^j (κ̂_nm^j ŵ_m)^{−θ_j}.
    H's labour market, ω·145 = Σ_j (π'_HH^j α_H^j ω 145 + π'_FH^j α_F^j 155), is one equation in ω,
    solved by bisection. Real income Ŵ_n = ŵ_n / Π_j P̂_n^{j α_n^j} with
    P̂_n^j = [Σ_i π_ni^j (κ̂_ni^j ŵ_i)^{−θ_j}]^{−1/θ_j}.
    """
    flows = np.zeros((2, 2, 2))  # exporter × importer × sector
    flows[:, :, 0] = [[50, 10], [20, 80]]
    flows[:, :, 1] = [[60, 25], [15, 40]]
    theta, t = np.array([5.0, 3.0]), 1.3
    pi = np.transpose(flows, (1, 0, 2)) / flows.sum(axis=0)[:, None, :]  # [n, i, j]
    alpha = flows.sum(axis=0) / flows.sum(axis=(0, 2))[:, None]
    y = flows.sum(axis=(1, 2))
    kappa = np.ones((2, 2, 2))
    kappa[0, 1, 0] = t  # importer H (0), exporter F (1), sector 1

    def shares(omega: float) -> tuple[np.ndarray, np.ndarray]:
        w = np.array([omega, 1.0])
        num = pi * (kappa * w[None, :, None]) ** -theta
        return num / num.sum(axis=1, keepdims=True), num.sum(axis=1) ** (-1 / theta)

    def excess(omega: float) -> float:
        sh, _ = shares(omega)
        x = alpha * (np.array([omega, 1.0]) * y)[:, None]
        return float((sh[:, 0, :] * x).sum() - omega * y[0])

    omega = brentq(excess, 0.5, 2.0, xtol=1e-15)
    _, p_hat = shares(omega)
    w_hat = np.array([omega, 1.0])
    welfare = w_hat / np.exp((alpha * np.log(p_hat)).sum(axis=1))

    cal = from_trade(flows, countries=("H", "F"), sectors=("s1", "s2"))
    model = MultiSectorModel(cal, theta=theta, intermediates="none", numeraire="F")
    r = model.solve(model.shock().with_trade_cost("F", "H", "s1", factor=t))
    np.testing.assert_allclose(r.wage_hat, w_hat, rtol=1e-9)
    np.testing.assert_allclose(r.price_hat, p_hat, rtol=1e-9)
    np.testing.assert_allclose(r.real_income_hat, welfare, rtol=1e-9)
    assert omega > 1  # the barrier shifts H's spending home, which raises H's relative wage


def test_one_sector_two_countries_symmetric_is_the_closed_form_gravity_result() -> None:
    """One sector, two identical countries, Armington/EK gravity with θ = σ − 1 = 4, no inputs:
    a symmetric iceberg barrier t = 1.25 between them. By symmetry ŵ = 1, so
    P̂^{−θ} = (1 − s) + s t^{−θ} and Ŵ = 1/P̂ = [(1 − s) + s t^{−θ}]^{1/θ}; with s = 0.2:
    Ŵ = (0.8 + 0.2 · 1.25⁻⁴)^{1/4} = (0.8 + 0.08192)^{1/4} = 0.969075. This is also the
    Arkolakis–Costinot–Rodríguez-Clare (2012) formula Ŵ = π̂_nn^{−1/θ} with π̂_nn = 0.8/0.88192.
    """
    welfare = (0.8 + 0.2 * 1.25 ** -4) ** 0.25
    assert welfare == pytest.approx(0.969075, abs=1e-6)
    assert welfare == pytest.approx((1 / 0.88192) ** -0.25, rel=1e-12)
    cal = from_trade(np.array([[[80.0], [20.0]], [[20.0], [80.0]]]), countries=("A", "B"),
                     sectors=("all",))
    model = MultiSectorModel(cal, theta=[4.0], intermediates="none")
    r = model.solve(model.shock().with_trade_cost("A", "B", factor=1.25, symmetric=True))
    np.testing.assert_allclose(r.real_income_hat, welfare, rtol=1e-10)
    np.testing.assert_allclose(r.wage_hat, 1.0, atol=1e-12)
    dom = r.sectors().set_index("country")
    np.testing.assert_allclose(dom["domestic_share_cf"] / dom["domestic_share_base"], 1 / 0.88192,
                               rtol=1e-10)


def test_one_sector_two_countries_tariff_with_revenue_and_deficit() -> None:
    """One sector, θ = 4, no inputs; A runs a deficit and levies a 25% tariff on B's goods.

    Flows exporter → importer: A→A 70, A→B 30, B→A 50, B→B 150, so Y = (100, 200),
    X = (120, 180), D = X − Y = (20, −20), π_AA = 70/120, π_AB = 50/120, π_BA = 30/180.
    World value added is the numeraire: 100 ŵ_A + 200 ŵ_B = 300, so ŵ_B = (300 − 100 ŵ_A)/200 and
    deficits are unchanged. With κ̂_AB = 1.25 ([E3]):
      π'_AA = π_AA ŵ_A^{−4} / (π_AA ŵ_A^{−4} + π_AB (1.25 ŵ_B)^{−4}),  π'_BA likewise without tariff;
      A's income = spending: X'_A = 100 ŵ_A + 20 + (0.25/1.25) π'_AB X'_A ⇒
      X'_A = (100 ŵ_A + 20) / (1 − 0.2 π'_AB);  X'_B = 200 ŵ_B − 20;
      A's market: 100 ŵ_A = π'_AA X'_A + π'_BA X'_B  (one equation in ŵ_A, bisection).
    Ŵ_A = (X'_A / 120) / P̂_A with P̂_A = [π_AA ŵ_A^{−4} + π_AB (1.25 ŵ_B)^{−4}]^{−1/4}.
    """
    th = 4.0

    def solve_by_hand(wa: float) -> tuple[float, ...]:
        wb = (300 - 100 * wa) / 200
        a_dom, a_imp = 70 / 120 * wa ** -th, 50 / 120 * (1.25 * wb) ** -th
        b_imp, b_dom = 30 / 180 * wa ** -th, 150 / 180 * wb ** -th
        xa = (100 * wa + 20) / (1 - 0.2 * a_imp / (a_dom + a_imp))
        xb = 200 * wb - 20
        gap = a_dom / (a_dom + a_imp) * xa + b_imp / (b_imp + b_dom) * xb - 100 * wa
        pa, pb = (a_dom + a_imp) ** (-1 / th), (b_imp + b_dom) ** (-1 / th)
        return gap, wb, xa, xb, pa, pb

    wa = brentq(lambda w: solve_by_hand(w)[0], 0.8, 1.3, xtol=1e-15)
    _, wb, xa, xb, pa, pb = solve_by_hand(wa)
    welfare = np.array([xa / 120 / pa, xb / 180 / pb])

    flows = np.array([[[70.0], [30.0]], [[50.0], [150.0]]])
    cal = from_trade(flows, countries=("A", "B"), sectors=("all",))
    np.testing.assert_allclose(cal.deficit, [20, -20])
    shock = Shock.baseline(cal, "A tariff").with_tariff("B", "A", rate=0.25)
    model = MultiSectorModel(cal, theta=[th], intermediates="none", decomposition_steps=64)
    r = model.solve(shock)
    np.testing.assert_allclose(r.wage_hat, [wa, wb], rtol=1e-9)
    np.testing.assert_allclose(r.real_income_hat, welfare, rtol=1e-9)
    np.testing.assert_allclose(r.deficit1, [20, -20], rtol=1e-9)
    frame = r.to_frame().set_index("country")
    assert frame.loc["A", "tariff_revenue_cf"] == pytest.approx(0.2 * xa * (1 - pa ** th * 70 / 120 * wa ** -th))
    # exact income-source decomposition adds up; CP's integrated decomposition converges to ln Ŵ
    parts = frame[["labour_income_pts", "tariff_revenue_pts", "transfers_pts"]].sum(axis=1)
    np.testing.assert_allclose(parts, frame["real_income_pct"], atol=1e-12)
    # CP's decomposition integrated over K segments: error of order 1/K² (64 → 16 segments: ×16)
    gap16 = MultiSectorModel(cal, theta=[th], intermediates="none", decomposition_steps=16) \
        .solve(shock).to_frame()["approximation_gap_pts"].to_numpy()
    gap64 = frame["approximation_gap_pts"].to_numpy()
    assert np.abs(gap64).max() < 1e-4
    np.testing.assert_allclose(gap16 / gap64, 16, rtol=0.01)
