"""A given gross output x (WIOD publishes GO that differs from the row sums in some sectors) and
the final-demand shock Δx = L Δf, on a one-region × two-sector table worked by hand.

The table: Z = [[10, 20], [30, 5]], final demand y = (70, 15), so the row sums are
x = (100, 50) and value added x − Zᵀ1 = (60, 25).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from econsec.analytics.io import MRIO, MRIOError
from econsec.errors import OptionError

Z = np.array([[10.0, 20.0], [30.0, 5.0]])
Y = np.array([[70.0], [15.0]])


def table(x: list[float] | None = None) -> MRIO:
    return MRIO.from_arrays(Z, Y, regions=["R"], sectors=["a", "b"], categories=["fd"], x=x,
                            unit="USD")


def test_output_multipliers_use_the_given_x() -> None:
    # By hand with x = (125, 50): A = Z x̂⁻¹ = [[0.08, 0.4], [0.24, 0.1]],
    # I − A = [[0.92, −0.4], [−0.24, 0.9]], det = 0.92·0.9 − 0.4·0.24 = 0.732,
    # L = [[0.9, 0.4], [0.24, 0.92]] / 0.732; column sums 1.14/0.732 and 1.32/0.732.
    m = table([125.0, 50.0])
    np.testing.assert_allclose(m.A, [[0.08, 0.4], [0.24, 0.1]], rtol=1e-15)
    mult = m.multipliers().frame
    np.testing.assert_allclose(mult["output"], [1.14 / 0.732, 1.32 / 0.732], rtol=1e-13)
    np.testing.assert_allclose(mult["x"], [125.0, 50.0])
    # value added is x − Zᵀ1 = (85, 25) with the given x, so vᵀL = 1ᵀ still holds
    np.testing.assert_allclose(m.value_added, [85.0, 25.0])
    np.testing.assert_allclose(mult["value_added"], [1.0, 1.0], rtol=1e-13)
    # the row-sum table gives different multipliers: det(I − A) = 0.9·0.9 − 0.4·0.3 = 0.69
    np.testing.assert_allclose(table().multipliers().frame["output"], [1.2 / 0.69, 1.3 / 0.69],
                               rtol=1e-13)


def test_given_x_is_stated_and_checked() -> None:
    m = table([125.0, 50.0])
    note = next(n for n in m.notes() if n.startswith("gross output x given"))
    assert "differ in 1 country-sectors, by up to 25 USD" in note
    r = m.multipliers()
    assert r.parameters["gross_output"].startswith("given")
    assert r.diagnostics.residual < 1e-15       # x = L (x − Z·1) holds
    assert "gross_output" not in table().multipliers().parameters
    with pytest.raises(MRIOError, match="x must have shape"):
        table([1.0, 2.0, 3.0])
    with pytest.raises(MRIOError, match="x holds NaN"):
        table([np.nan, 50.0])
    with pytest.raises(MRIOError, match="≥ 0"):
        table([-1.0, 50.0])


def test_given_x_from_frames_follows_the_labels() -> None:
    idx = pd.MultiIndex.from_product([["R"], ["a", "b"]])
    zf = pd.DataFrame(Z, idx, idx)
    yf = pd.DataFrame(Y, idx, pd.MultiIndex.from_product([["R"], ["fd"]]))
    x = pd.Series([50.0, 125.0], index=idx[::-1])          # given in the other order
    m = MRIO.from_frames(zf, yf, x=x)
    np.testing.assert_allclose(m.x, [125.0, 50.0])


def test_demand_shock_is_leontief_inverse_times_the_change() -> None:
    # Row-sum table: L = [[0.9, 0.4], [0.3, 0.9]] / 0.69. Δf = (10, 0):
    # Δx = L Δf = (9, 3) / 0.69; first round AΔf = 10 · (0.1, 0.3) = (1, 3);
    # Δva = v ∘ Δx with v = (0.6, 0.5), and Σ Δva = Σ Δf = 10 (vᵀL = 1ᵀ).
    r = table().demand_shock(("R", "a"), change=10.0)
    f = r.frame
    np.testing.assert_allclose(f["delta_f"], [10.0, 0.0])
    np.testing.assert_allclose(f["delta_x"], [9 / 0.69, 3 / 0.69], rtol=1e-13)
    np.testing.assert_allclose(f["first_round"], [1.0, 3.0], rtol=1e-13)
    np.testing.assert_allclose(f["x_after"], [100 + 9 / 0.69, 50 + 3 / 0.69], rtol=1e-13)
    np.testing.assert_allclose(f["change_pct"], [100 * 9 / 0.69 / 100, 100 * 3 / 0.69 / 50],
                               rtol=1e-13)
    np.testing.assert_allclose(f["delta_va"], [0.6 * 9 / 0.69, 0.5 * 3 / 0.69], rtol=1e-13)
    assert f["delta_va"].sum() == pytest.approx(10.0, rel=1e-13)
    reg = r.table("by_region").loc["R"]
    assert reg["delta_x"] == pytest.approx(12 / 0.69, rel=1e-13)
    assert r.diagnostics.residual < 1e-14


def test_demand_shock_as_a_share_of_final_demand() -> None:
    # −20 % of b's final demand 15: Δf = (0, −3); Δx = L Δf = −3 · (0.4, 0.9) / 0.69
    r = table().demand_shock([("R", "b")], share=-0.2)
    np.testing.assert_allclose(r.frame["delta_x"], [-1.2 / 0.69, -2.7 / 0.69], rtol=1e-13)
    assert r.parameters["share"] == [-0.2]
    # with the given x = (125, 50): Δx = −3 · (0.4, 0.92) / 0.732
    g = table([125.0, 50.0]).demand_shock([("R", "b")], share=-0.2)
    np.testing.assert_allclose(g.frame["delta_x"], [-1.2 / 0.732, -2.76 / 0.732], rtol=1e-13)


def test_demand_shock_options() -> None:
    m = table()
    with pytest.raises(OptionError, match="either change"):
        m.demand_shock(("R", "a"))
    with pytest.raises(OptionError, match="either change"):
        m.demand_shock(("R", "a"), change=1.0, share=0.1)
    with pytest.raises(OptionError, match="share must be ≥ −1"):
        m.demand_shock(("R", "a"), share=-1.5)
    with pytest.raises(OptionError, match="finite"):
        m.demand_shock(("R", "a"), change=float("inf"))
    with pytest.raises(MRIOError, match="unknown sector"):
        m.demand_shock(("R", "z"), change=1.0)
