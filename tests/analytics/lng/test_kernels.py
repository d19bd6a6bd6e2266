"""LNG kernels: hand-solved LPs, closed-form shortfalls, indices and the price formula."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from econsec.analytics.lng import (
    LngError,
    ProcurementSpec,
    delivered_price,
    expiry_ladder,
    hhi,
    mt_to_offset,
    respond,
    shannon,
    shipped_contracts,
    solve,
    stack,
    worst_case,
)


def spec(price, demand, allot, *, minimum=None, alpha=1.0, beta=1.0, route=None, w=None,
         lam=0.0) -> ProcurementSpec:
    price, allot = np.asarray(price, float), np.asarray(allot, float)
    nb, ns = price.shape
    return ProcurementSpec(tuple(f"B{i}" for i in range(nb)), tuple(f"S{j}" for j in range(ns)),
                           price, np.ones(ns) if w is None else np.asarray(w, float),
                           np.asarray(demand, float), allot,
                           np.zeros((nb, ns)) if minimum is None else np.asarray(minimum, float),
                           np.zeros(ns, bool) if route is None else np.asarray(route, bool),
                           alpha, beta, lam, mmbtu_per_t=1000.0)  # κ = 1: cost = Σ p·x


def test_one_buyer_capacity_binds() -> None:
    # by hand: cheapest supplier S0 (5) up to its capacity 6, the rest 4 from S1 (7): 30 + 28
    (a,) = solve(spec([[5, 7]], [10], [[6, 100]]), "separate")
    np.testing.assert_allclose(a.x, [[6, 4]], atol=1e-9)
    assert a.cost_bn == pytest.approx(58.0, abs=1e-9)
    assert a.status == 0 and a.residual < 1e-9


def test_pooling_gain_by_hand() -> None:
    # separate: A takes min(10, α·10=8) of S0 → 8·5 + 2·8 = 56; B only 2 of S0 → 2·5 + 8·8 = 74
    # pooled: S0 limited by K=12 (α·20=16 does not bind) → 12·5 + 8·8 = 124; gain 130 − 124 = 6
    sp = spec([[5, 8], [5, 8]], [10, 10], [[10, 20], [2, 20]], alpha=0.8)
    sep, pool = solve(sp, "separate"), solve(sp, "pooled")
    assert sum(a.cost_bn for a in sep) == pytest.approx(130.0, abs=1e-9)
    assert pool[0].cost_bn == pytest.approx(124.0, abs=1e-9)
    np.testing.assert_allclose(stack(sp, sep), [[8, 2], [2, 8]], atol=1e-9)
    assert stack(sp, pool)[:, 0].sum() == pytest.approx(12.0)


def test_route_limit_and_risk_penalty() -> None:
    # S0 is cheap (5) but in the route with β = 0.3 → 3 of 10; λ·w makes S1 (6+0.5·4=8) dearer
    # than S2 (7+0.5·1=7.5), so the remaining 7 go to S2: cost (price only) 15 + 49 = 64
    sp = spec([[5, 6, 7]], [10], [[100, 100, 100]], beta=0.3, route=[True, False, False],
              w=[1, 4, 1], lam=0.5)
    (a,) = solve(sp, "separate")
    np.testing.assert_allclose(a.x, [[3, 0, 7]], atol=1e-9)
    assert a.cost_bn == pytest.approx(64.0, abs=1e-9)


def test_infeasible_names_the_constraint() -> None:
    # a contract minimum of 8 from S0 cannot hold with a 50 % share ceiling on demand 10
    sp = spec([[5, 7]], [10], [[100, 100]], minimum=[[8, 0]], alpha=0.5)
    with pytest.raises(LngError, match=r"(max share 50% for S0|contract minimum B0–S0 ≥ 8 Mt) "
                                       r"\(violated by 3 Mt\)"):
        solve(sp, "separate")
    # capacities 6 + 3 < demand 10: a capacity row is violated by 1 Mt
    with pytest.raises(LngError, match=r"capacity S[01] ≤ [63] Mt \(violated by 1 Mt\)"):
        solve(spec([[5, 7]], [10], [[6, 3]]), "separate")


def test_bad_mode() -> None:
    with pytest.raises(LngError, match="separate, pooled"):
        solve(spec([[5]], [1], [[1]]), "joint")  # type: ignore[arg-type]


def test_respond_by_hand() -> None:
    # A loses 4 with spare 1, B loses 0 with spare 3: alone A short 3; jointly B swaps 3 to A
    r = respond(np.array([4.0, 0.0]), np.array([1.0, 3.0]))
    np.testing.assert_allclose(r["shortfall_alone"], [3, 0])
    np.testing.assert_allclose(r["shortfall_joint"], [0, 0])
    np.testing.assert_allclose(r["swap_in_mt"], [3, 0])
    np.testing.assert_allclose(r["swap_out_mt"], [0, 3])


def test_worst_case_by_hand() -> None:
    # x = [[4, 0], [0, 4]], slack = [[0, 1], [0, 1]] (spare only at S1).
    # S0 fails: A loses 4, spare 1 → short 3; B loses 0; jointly 4 − (1 + 1) = 2.
    # S1 fails: B loses 4 and nobody has spare outside S1 → 4 both ways.
    wc = worst_case(np.array([[4.0, 0], [0, 4]]), np.array([[0.0, 1], [0, 1]]))
    np.testing.assert_allclose(wc["shortfall_alone"], [3, 4])
    np.testing.assert_allclose(wc["shortfall_joint"], [2, 4])


def test_indices_by_hand() -> None:
    assert hhi(np.array([0.5, 0.5])) == pytest.approx(0.5)
    assert shannon(np.array([0.5, 0.5, 0.0])) == pytest.approx(math.log(2))


def test_ladder_of_shipped_contracts() -> None:
    # methods.md §8: 4.92 Mtpa to 2024 and 2.1 Mtpa to 2026
    lad = expiry_ladder(shipped_contracts(), np.arange(2023, 2028)).set_index("year")
    np.testing.assert_allclose(lad["contracted_mt"], [7.02, 7.02, 2.1, 2.1, 0.0])
    np.testing.assert_allclose(lad["expiring_mt"], [0, 4.92, 0, 2.1, 0])


def test_price_and_volume_by_hand() -> None:
    # 1.15·2 + 2.5 + 2.5 = 7.3 $/MMBtu; 66 bn / (7.3 · 52.14 · 1e6) = 173.40 Mt
    assert delivered_price(2.0) == pytest.approx(7.3)
    assert mt_to_offset(66.0, 7.3) == pytest.approx(66e3 / (7.3 * 52.14))


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 10_000))
def test_pooling_never_costs_more_and_joint_never_short_more(seed: int) -> None:
    rng = np.random.default_rng(seed)
    p = rng.uniform(4, 12, (2, 4))
    d = rng.uniform(5, 10, 2)
    allot = rng.uniform(2, 8, (2, 4))
    sp = spec(p, d, allot, alpha=0.6)
    try:
        sep = solve(sp, "separate")
    except LngError:
        return
    pool = solve(sp, "pooled")
    assert pool[0].cost_bn <= sum(a.cost_bn for a in sep) + 1e-7
    r = respond(rng.uniform(0, 5, 2), rng.uniform(0, 5, 2))
    assert r["shortfall_joint"].sum() <= r["shortfall_alone"].sum() + 1e-12
    assert r["swap_in_mt"].sum() == pytest.approx(r["swap_out_mt"].sum())
