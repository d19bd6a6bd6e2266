"""LNG kernels: hand-solved LPs, closed-form shortfalls, indices and the price formula."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from econsec.analytics.lng import (
    LngError,
    ProcurementSpec,
    buyer_slack,
    delivered_price,
    disrupt,
    expiry_ladder,
    hhi,
    mt_to_offset,
    respond,
    route_flags,
    shannon,
    shipped_contracts,
    solve,
    stack,
    transfers,
    worst_case,
)
from econsec.errors import OptionError


def spec(price, demand, allot, *, minimum=None, alpha=1.0, beta=1.0, route=None, w=None,
         lam=0.0) -> ProcurementSpec:
    """One chokepoint "hormuz" whose route mask ``route`` (by supplier) is the same for all
    buyers, limited to β of each buyer's demand."""
    price, allot = np.asarray(price, float), np.asarray(allot, float)
    nb, ns = price.shape
    r = np.zeros(ns, bool) if route is None else np.asarray(route, bool)
    return ProcurementSpec(tuple(f"B{i}" for i in range(nb)), tuple(f"S{j}" for j in range(ns)),
                           price, np.ones(ns) if w is None else np.asarray(w, float),
                           np.asarray(demand, float), allot,
                           np.zeros((nb, ns)) if minimum is None else np.asarray(minimum, float),
                           ("hormuz",), np.broadcast_to(r, (1, nb, ns)), np.array([beta]),
                           alpha, lam, mmbtu_per_t=1000.0)  # κ = 1: cost = Σ p·x


def test_one_buyer_capacity_binds() -> None:
    # by hand: cheapest supplier S0 (5) up to its capacity 6, the rest 4 from S1 (7): 30 + 28
    (a,) = solve(spec([[5, 7]], [10], [[6, 100]]), "separate")
    np.testing.assert_allclose(a.x, [[6, 4]], atol=1e-9)
    assert a.cost_bn == pytest.approx(58.0, abs=1e-9)
    assert a.status == 0 and a.residual < 1e-9


def test_pooling_gain_by_hand() -> None:
    # separate: A takes min(10, α·10=8) of S0 → 8·5 + 2·8 = 56; B only 2 of S0 → 2·5 + 8·8 = 74
    # pooled: S0 limited by K=12 (each buyer ≤ α·10 = 8, so e.g. 8 + 4) → 12·5 + 8·8 = 124;
    # gain 130 − 124 = 6
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
    with pytest.raises(LngError, match=r"(max share 50% of B0's demand from S0 \(≤ 5 Mt\)|"
                                       r"contract minimum B0–S0 ≥ 8 Mt) \(violated by 3 Mt\)"):
        solve(sp, "separate")
    # capacities 6 + 3 < demand 10: a capacity row is violated by 1 Mt
    with pytest.raises(LngError, match=r"capacity S[01] available to B0 ≤ [63] Mt "
                                       r"\(violated by 1 Mt\)"):
        solve(spec([[5, 7]], [10], [[6, 3]]), "separate")


def test_pooled_infeasible_names_buyer_constraint_and_amount() -> None:
    """B1 must lift a contract minimum of 6 from S0 (Hormuz) but may route only β·D = 0.5·10 = 5
    of its own demand through Hormuz: 1 Mt too much. The old pair-level row (β·20 = 10 ≥ 6)
    would have accepted it. The elastic relaxation moves 1 Mt of slack onto one of B1's rows."""
    sp = spec([[5, 7], [5, 7]], [10, 10], [[20, 20], [20, 20]], minimum=[[0, 0], [6, 0]],
              beta=0.5, route=[True, False])
    with pytest.raises(LngError, match=r"B0\+B1 is infeasible.*(max hormuz share 50% of B1's "
                                       r"demand \(≤ 5 Mt\)|contract minimum B1–S0 ≥ 6 Mt) "
                                       r"\(violated by 1 Mt\)"):
        solve(sp, "pooled")


def test_per_buyer_route_limit_binds_where_pair_limit_would_not() -> None:
    """Hand solution. Buyers A, B (demand 10 each); S0 is in Hormuz, β = 0.6; capacity ample.
    Prices: A pays 4 at S0, 8 at S1; B pays 9 at S0, 8 at S1 (S0 is dear for B).

    Per-buyer limits (this model): A takes S0 up to β·10 = 6 (binding), the rest 4 at S1;
    B buys 10 at S1. Cost 6·4 + 4·8 + 10·8 = 136, A's Hormuz share 0.6.
    Old pair-level limit Σ_b x_b0 ≤ β·20 = 12: A would take all 10 at S0 (cost 40 + 80 = 120)
    with the pair at 10/20 = 0.5 < 0.6 — not binding — and A's own Hormuz share 1.0.
    Pooling cannot lower the cost here (capacity is not scarce), so separate = pooled = 136.
    """
    sp = spec([[4, 8], [9, 8]], [10, 10], [[50, 50], [50, 50]], beta=0.6, route=[True, False])
    (pool,) = solve(sp, "pooled")
    np.testing.assert_allclose(pool.x, [[6, 4], [0, 10]], atol=1e-9)
    assert pool.cost_bn == pytest.approx(136.0, abs=1e-9)
    assert pool.x[:, 0].sum() / 20 == pytest.approx(0.3)          # pair share well under 0.6
    assert sum(a.cost_bn for a in solve(sp, "separate")) == pytest.approx(136.0, abs=1e-9)


def test_pooling_gain_through_shared_capacity_and_transfers() -> None:
    """Hand solution. A and B (demand 10 each) both pay 5 at S0, 8 at S1, 9 at S2; α = 0.5.
    S0's capacity 12 is allotted 10 to A and 2 to B; S1 and S2 have 20 + 20 each.
    Separate: A takes α·10 = 5 of S0 (its share limit binds before its allotment) and 5 of S1:
    25 + 40 = 65; B takes its 2 of S0, 5 of S1 and 3 of S2: 10 + 40 + 27 = 77; total 142.
    Pooled: each buyer still ≤ 5 from any supplier; S0's 12 is no longer split, so both take
    5 of S0 and 5 of S1: 65 + 65 = 130; gain 12. B lifts 3 of A's unused S0 allotment (5 − 2).
    """
    sp = spec([[5, 8, 9], [5, 8, 9]], [10, 10], [[10, 20, 20], [2, 20, 20]], alpha=0.5)
    sep = solve(sp, "separate")
    np.testing.assert_allclose(stack(sp, sep), [[5, 5, 0], [2, 5, 3]], atol=1e-9)
    assert sum(a.cost_bn for a in sep) == pytest.approx(142.0, abs=1e-9)
    (pool,) = solve(sp, "pooled")
    np.testing.assert_allclose(pool.x, [[5, 5, 0], [5, 5, 0]], atol=1e-9)
    assert pool.cost_bn == pytest.approx(130.0, abs=1e-9)
    t = transfers(sp, pool.x).set_index(["buyer", "supplier"])
    assert t.loc[("B1", "S0"), "from_partner_mt"] == pytest.approx(3.0)
    assert len(t) == 1


def test_bad_mode() -> None:
    with pytest.raises(OptionError, match="mode: expected one of 'separate', 'pooled'; got 'joint'"):
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


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 10_000), st.floats(0.35, 1.0), st.floats(0.2, 1.0))
def test_pooling_never_costs_more_and_joint_never_short_more(seed: int, alpha: float,
                                                            beta: float) -> None:
    """Invariant: every pair of separate solutions is feasible for the pool, so the pooled cost
    is never higher; and the pooled allocation keeps each buyer's own limits."""
    rng = np.random.default_rng(seed)
    p = rng.uniform(4, 12, (2, 4))
    d = rng.uniform(5, 10, 2)
    allot = rng.uniform(2, 8, (2, 4))
    route = rng.random(4) < 0.5
    sp = spec(p, d, allot, alpha=alpha, beta=beta, route=route,
              minimum=np.where(rng.random((2, 4)) < 0.2, 1.0, 0.0))
    try:
        sep = solve(sp, "separate")
    except LngError:
        return
    pool = solve(sp, "pooled")
    assert pool[0].cost_bn <= sum(a.cost_bn for a in sep) + 1e-7
    x = pool[0].x
    assert (x <= alpha * d[:, None] + 1e-7).all()
    assert (x[:, route].sum(axis=1) <= beta * d + 1e-7).all()
    assert (x.sum(axis=0) <= allot.sum(axis=0) + 1e-7).all()
    assert (x >= sp.minimum - 1e-7).all()
    lost, spare = rng.uniform(0, 5, 2), rng.uniform(0, 5, 2)
    r = respond(lost, spare)
    assert r["shortfall_joint"].sum() <= r["shortfall_alone"].sum() + 1e-12
    assert (r["shortfall_joint"] <= r["shortfall_alone"] + 1e-12).all()   # no buyer worse off
    assert r["shortfall_joint"].sum() == pytest.approx(max(lost.sum() - spare.sum(), 0.0))
    assert r["swap_in_mt"].sum() == pytest.approx(r["swap_out_mt"].sum())


def test_malacca_route_data_and_disruption_by_hand() -> None:
    """Route data: QAT and NGA cargoes to Korea pass Malacca, AUS and USA cargoes do not; the
    same QAT cargo to Spain does not (Malacca is given for East Asian importers only).

    Hand case, 3 months (f = 1/4). Korea buys QAT 8, AUS 4, USA 4, NGA 0; Japan QAT 2,
    AUS 10, USA 0, NGA 4 (Mt/yr); unused capacity (slack) Korea AUS 2, Japan AUS 2 and USA 4.
    Malacca closes: F = QAT, NGA for both buyers.
    Korea: L = (8 + 0)/4 = 2, R = 2/4 = 0.5 → alone 1.5. Japan: L = (2 + 4)/4 = 1.5,
    R = (2 + 4)/4 = 1.5 → alone 0. Jointly ΣL − ΣR = 3.5 − 2 = 1.5: Japan's spare covers exactly
    its own loss, nothing is left over, so Korea stays 1.5 short and Japan 0 (no swap).
    """
    sup = pd.Series(["QAT", "AUS", "USA", "NGA", "QAT"])
    imp = pd.Series(["KOR", "KOR", "KOR", "KOR", "ESP"])
    fl = route_flags(sup, imp)
    assert fl["malacca"].tolist() == [True, False, False, True, False]
    assert fl["hormuz"].tolist() == [True, False, False, False, True]
    assert fl["panama"].tolist() == [False, False, True, False, False]
    x = np.array([[8.0, 4, 4, 0], [2, 10, 0, 4]])
    slack = np.array([[0.0, 2, 0, 0], [0, 2, 4, 0]])
    mask = np.vstack([route_flags(pd.Series(["QAT", "AUS", "USA", "NGA"]), pd.Series([b] * 4))
                      ["malacca"].to_numpy() for b in ("KOR", "JPN")])
    r = disrupt(x, slack, mask, 3)
    np.testing.assert_allclose(r["lost_mt"], [2.0, 1.5])
    np.testing.assert_allclose(r["spare_mt"], [0.5, 1.5])
    np.testing.assert_allclose(r["shortfall_alone"], [1.5, 0.0])
    np.testing.assert_allclose(r["shortfall_joint"], [1.5, 0.0])
    np.testing.assert_allclose(r["swap_in_mt"], [0.0, 0.0])
    # Japan with 1 Mt more spare (R = 1.75): its leftover 0.25 goes to Korea → 1.25 and 0
    r2 = respond(np.array([2.0, 1.5]), np.array([0.5, 1.75]))
    np.testing.assert_allclose(r2["shortfall_joint"], [1.25, 0.0])
    np.testing.assert_allclose(r2["swap_in_mt"], [0.25, 0.0])
    np.testing.assert_allclose(r2["swap_out_mt"], [0.0, 0.25])
    # a supplier mask (1-D) is the same as that mask for every buyer
    same = disrupt(x, slack, np.array([True, False, False, True]), 3)
    pd.testing.assert_frame_equal(r, same)


def test_pooled_slack_feeds_the_disruption() -> None:
    # pooled slack at S is the pool's unused capacity split ∝ allotments: caps 4 = 3 + 1, used 2
    sl = buyer_slack(np.array([[1.0], [1.0]]), np.array([[3.0], [1.0]]), pooled=True)
    np.testing.assert_allclose(sl, [[1.5], [0.5]])
