"""SMART by hand: one product, two or three suppliers (methods.md §5).

Every expected number is derived here from the SMART formulas written out with scalars
(Jammes & Olarreaga 2005; WITS SMART help), not by calling the kernels:

* creation TC = ε_m m Δt / ((1+t0)(1 − ε_m/ε_x)), world price p̂w = 1 + (TC/m)/ε_x;
* diversion: CES (Armington) reallocation of the post-creation total,
  m'_s = M^C m^C_s p̂_s^−σ / Σ_k m^C_k p̂_k^−σ, with p̂ = (1+t1)/(1+t0) · p̂w;
* revenue t1 m' p̂w, consumer surplus −½ (p1 − p0)(m + m').
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from econsec.analytics.models.pe import (
    SmartModel,
    SmartSpec,
    baseline_from_frame,
    smart,
    tariff_shocks,
)

TOL = 1e-10


def run(m, t0, t1, *, eps_m=-1.5, sigma=1.5, eps_x=math.inf, demand="smart"):  # type: ignore[no-untyped-def]
    n = len(m)
    return smart(np.array(m, float), np.array(t0, float), np.array(t1, float), eps_m=eps_m,
                 sigma=sigma, group=np.zeros(n, np.int64), n_groups=1, eps_x=eps_x, demand=demand)


def test_two_suppliers_tariff_on_one() -> None:
    # A: 100 at 5% -> 30%; B: 50 at 5% unchanged. eps_m = -1.5, sigma = 1.5, eps_x = inf.
    r = run([100, 50], [0.05, 0.05], [0.30, 0.05])
    tc_a = -1.5 * 100 * 0.25 / 1.05          # = -250/7
    assert tc_a == pytest.approx(-250 / 7, abs=1e-12)
    mc_a, mc_b = 100 + tc_a, 50.0
    xa = (1.30 / 1.05) ** -1.5
    total = mc_a + mc_b
    new_a = total * mc_a * xa / (mc_a * xa + mc_b)
    new_b = total * mc_b / (mc_a * xa + mc_b)
    np.testing.assert_allclose(r.creation, [tc_a, 0.0], atol=TOL, rtol=0)
    np.testing.assert_allclose(r.diversion, [new_a - mc_a, new_b - mc_b], atol=TOL, rtol=0)
    np.testing.assert_allclose(r.imports, [new_a, new_b], atol=TOL, rtol=0)
    assert r.diversion[0] < 0 < r.diversion[1]
    assert abs(r.diversion.sum()) < 1e-12
    # Revenue, surplus and welfare.
    np.testing.assert_allclose(r.revenue_before, [5.0, 2.5], atol=TOL, rtol=0)
    np.testing.assert_allclose(r.revenue_after, [0.30 * new_a, 0.05 * new_b], atol=TOL, rtol=0)
    cs_a = -0.5 * 0.25 * (100 + new_a)      # B's domestic price is unchanged: no surplus change
    np.testing.assert_allclose(r.consumer_surplus, [cs_a, 0.0], atol=TOL, rtol=0)
    # Net welfare = dCS + dTR = the Harberger triangle 1/2 (t0 + t1)(m' - m) row by row.
    np.testing.assert_allclose(r.welfare, [0.5 * 0.35 * (new_a - 100), 0.5 * 0.10 * (new_b - 50)],
                               atol=TOL, rtol=0)
    np.testing.assert_array_equal(r.price_effect, [0.0, 0.0])


def test_three_suppliers_equal_tariffs() -> None:
    # All three at 10% -> 35%: pure creation, no diversion (exactly), shares unchanged.
    m = [60.0, 30.0, 10.0]
    r = run(m, [0.1] * 3, [0.35] * 3, eps_m=-2.0, sigma=4.0)
    factor = 1 - 2.0 * 0.25 / 1.1
    np.testing.assert_array_equal(r.diversion, [0.0, 0.0, 0.0])
    np.testing.assert_allclose(r.creation, [-2.0 * x * 0.25 / 1.1 for x in m], atol=TOL, rtol=0)
    np.testing.assert_allclose(r.imports, [x * factor for x in m], atol=TOL, rtol=0)
    assert r.revenue_before.sum() == pytest.approx(10.0, abs=TOL)
    assert r.revenue_after.sum() == pytest.approx(0.35 * 100 * factor, abs=TOL)
    assert r.consumer_surplus.sum() == pytest.approx(-0.5 * 0.25 * (100 + 100 * factor), abs=TOL)


def test_three_suppliers_tariff_on_one() -> None:
    # CHN 200 at 25% gets +60 pp; KOR 100 at 0 and JPN 50 at 2.5% unchanged. eps_m = -1.25, sigma = 3.
    r = run([200, 100, 50], [0.25, 0.0, 0.025], [0.85, 0.0, 0.025], eps_m=-1.25, sigma=3.0)
    tc = -1.25 * 200 * 0.60 / 1.25           # = -120 exactly
    assert tc == -120.0
    x = 1.48 ** -3                           # (1.85 / 1.25)^-sigma
    denom = 80 * x + 100 + 50
    new = [230 * 80 * x / denom, 230 * 100 / denom, 230 * 50 / denom]
    np.testing.assert_allclose(r.creation, [-120.0, 0.0, 0.0], atol=TOL, rtol=0)
    np.testing.assert_allclose(r.imports, new, atol=TOL, rtol=0)
    np.testing.assert_allclose(r.diversion, [new[0] - 80, new[1] - 100, new[2] - 50], atol=TOL, rtol=0)
    # KOR and JPN gain in proportion to their imports (same price change, same sigma).
    assert r.diversion[1] == pytest.approx(2 * r.diversion[2], rel=1e-13)
    assert r.diversion.sum() == pytest.approx(0.0, abs=1e-12)


def test_finite_export_supply() -> None:
    # J&O (2005) section 2: eps_x = 2. A: 100 at 0 -> 20%; B: 100 at 0, unchanged.
    eps_m, eps_x, sigma = -1.5, 2.0, 1.5
    r = run([100, 100], [0.0, 0.0], [0.20, 0.0], eps_m=eps_m, sigma=sigma, eps_x=eps_x)
    rate = eps_m * 0.20 / (1 - eps_m / eps_x)        # -0.3 / 1.75
    pw = 1 + rate / eps_x                            # the world price of A's variety falls
    tc = 100 * rate
    mc = [100 + tc, 100.0]
    xa = (1.20 * pw) ** -sigma
    new_q = [(200 + tc) * mc[0] * xa / (mc[0] * xa + 100), (200 + tc) * 100 / (mc[0] * xa + 100)]
    np.testing.assert_allclose(r.world_price, [pw, 1.0], atol=TOL, rtol=0)
    np.testing.assert_allclose(r.creation, [tc, 0.0], atol=TOL, rtol=0)
    np.testing.assert_allclose(r.quantity, new_q, atol=TOL, rtol=0)
    np.testing.assert_allclose(r.price_effect, [new_q[0] * (pw - 1), 0.0], atol=TOL, rtol=0)
    np.testing.assert_allclose(r.imports, [new_q[0] * pw, new_q[1]], atol=TOL, rtol=0)
    np.testing.assert_allclose(r.revenue_after, [0.20 * new_q[0] * pw, 0.0], atol=TOL, rtol=0)
    np.testing.assert_allclose(r.consumer_surplus, [-0.5 * (1.20 * pw - 1) * (100 + new_q[0]), 0.0],
                               atol=TOL, rtol=0)
    # Total change = creation + diversion + price effect.
    np.testing.assert_allclose(r.change, r.imports - 100, atol=TOL, rtol=0)


def test_isoelastic_creation() -> None:
    r = run([100, 50], [0.0, 0.0], [1.00, 0.0], eps_m=-1.5, sigma=0.0, demand="isoelastic")
    # tau = 2: m' = 100 * 2^-1.5 (no diversion with sigma = 0); linear SMART would give -150 -> floor.
    np.testing.assert_allclose(r.creation, [100 * (2 ** -1.5 - 1), 0.0], atol=TOL, rtol=0)
    lin = run([100, 50], [0.0, 0.0], [1.00, 0.0], eps_m=-1.5, sigma=0.0)
    np.testing.assert_allclose(lin.creation, [-100.0, 0.0], atol=0)
    np.testing.assert_array_equal(lin.floored, [True, False])


def test_diversion_agrees_with_jammes_olarreaga_to_first_order() -> None:
    # J&O's eq. for two suppliers (constant linear relative-demand elasticity, on baseline m):
    # TD_A = m_A m_B (-sigma x) / (m_A + m_B + m_A (-sigma x)), x = relative price change of A.
    m_a, m_b, sigma = 120.0, 80.0, 2.5
    for dt in (1e-3, 1e-4, 1e-5):
        r = run([m_a, m_b], [0.1, 0.1], [0.1 + dt, 0.1], sigma=sigma)
        x = (1.1 + dt) / 1.1 - 1
        jo = m_a * m_b * (-sigma * x) / (m_a + m_b + m_a * (-sigma * x))
        assert r.diversion[0] / jo - 1 == pytest.approx(0.0, abs=10 * dt)


def test_model_run_reproduces_the_kernel_case() -> None:
    # The same two-supplier case through baseline, shocks and run().
    base = baseline_from_frame(pd.DataFrame({"product": ["0101000000"] * 2, "partner": ["AAA", "BBB"],
                                             "imports": [100.0, 50.0], "tariff": [0.05, 0.05]}))
    res = SmartModel.from_baseline(base, SmartSpec()).run(tariff_shocks({"AAA": 0.25}))
    k = run([100, 50], [0.05, 0.05], [0.30, 0.05])
    np.testing.assert_allclose(res.to_frame()["imports_scenario"], k.imports, atol=TOL, rtol=0)
    sup = res.by_supplier().set_index("partner")
    assert sup.loc["AAA", "creation"] == pytest.approx(-250 / 7, abs=TOL)
    assert res.totals["diversion"] == pytest.approx(0.0, abs=1e-12)
    assert res.totals["welfare_change"] == pytest.approx(
        res.totals["consumer_surplus_change"] + res.totals["tariff_revenue_change"], abs=TOL)
