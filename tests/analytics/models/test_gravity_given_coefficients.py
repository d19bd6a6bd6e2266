"""Given cost coefficients: the intercept (``constant``) of the one-sector GE.

Hand argument for the constant: t_ij^(1−σ) = exp(β_0 + Σ_k β_k x_k,ij) multiplies every trade
cost term by c = exp(β_0). With P_ref = 1 the resistance system
Π_i^(1−σ) = Σ_j t_ij^(1−σ) P_j^(σ−1) E_j/Y, P_j^(1−σ) = Σ_i t_ij^(1−σ) Π_i^(σ−1) Y_i/Y
is solved by Π_i^(1−σ) → c Π_i^(1−σ), P unchanged, so X_ij = Y_i E_j/Y · t_ij^(1−σ)/(Π P)^(1−σ)
and every counterfactual ratio are unchanged; only the outward resistances move, by
c^(1/(1−σ)).
"""

from __future__ import annotations

import numpy as np
import pytest

from econsec.analytics.models.gravity import CONSTANT, Counterfactual, GravityData, OneSectorGE


def world() -> GravityData:
    """Four countries with asymmetric sizes, distances and one agreement."""
    codes = ("A", "B", "C", "D")
    y = np.array([100.0, 60.0, 30.0, 10.0])
    e = np.array([90.0, 70.0, 25.0, 15.0])
    d = np.array([[0, 1, 2, 3], [1, 0, 1.5, 2], [2, 1.5, 0, 1], [3, 2, 1, 0]]) + 0.5
    rta = np.zeros((4, 4))
    rta[0, 2] = rta[2, 0] = 1.0
    border = 1.0 - np.eye(4)
    return GravityData(codes, np.zeros((4, 4)), y, e,
                       {"lndist": np.log(d), "rta": rta, "border": border})


BETA = {"lndist": -0.8, "rta": 0.4, "border": -1.5}
SCENARIO = Counterfactual(variables={"rta": {("A", "B"): 1, ("B", "A"): 1}},
                          tariff={("D", "A"): 0.2})


@pytest.mark.parametrize("full_ge", ["endowment", "gegravity"])
def test_a_constant_changes_no_counterfactual_ratio(full_ge: str) -> None:
    sigma, b0 = 5.0, 2.3
    plain = OneSectorGE(world(), BETA, sigma=sigma, reference_importer="A")
    const = OneSectorGE(world(), {**BETA, CONSTANT: b0}, sigma=sigma, reference_importer="A")
    kw = {"full_ge": full_ge, "tariff_revenue": full_ge == "endowment"}
    r0, r1 = plain.solve(SCENARIO, **kw), const.solve(SCENARIO, **kw)
    assert r1.parameters["coefficients"][CONSTANT] == b0
    f0, f1 = r0.to_frame().set_index("country"), r1.to_frame().set_index("country")
    pct = [c for c in f0.columns if c.endswith("_pct")]
    assert len(pct) >= 8
    np.testing.assert_allclose(f1[pct], f0[pct], rtol=1e-9, atol=1e-10)
    np.testing.assert_allclose(r1.pairs()["trade_counterfactual"], r0.pairs()["trade_counterfactual"],
                               rtol=1e-9)
    # only the outward resistances move, by c^(1/(1−σ))
    np.testing.assert_allclose(r1.baseline.omr / r0.baseline.omr, np.exp(b0 / (1 - sigma)), rtol=1e-9)
    np.testing.assert_allclose(r1.baseline.imr, r0.baseline.imr, rtol=1e-9)


def test_a_constant_is_ones_unless_the_data_have_one() -> None:
    data = world()
    np.testing.assert_array_equal(data.stack([CONSTANT, "rta"])[0], np.ones((4, 4)))
    own = GravityData(data.countries, data.trade, data.output, data.expenditure,
                      {**data.variables, CONSTANT: np.full((4, 4), 2.0)})
    np.testing.assert_array_equal(own.stack([CONSTANT])[0], np.full((4, 4), 2.0))
