"""The MRIO analyses (labelled, read-only results) on the hand example and random tables.

Numbers for the hand example are derived in tests/analytics/io/test_equations.py (module
docstring: L by hand) and repeated here through the public API, with labels.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings

from econsec.analytics.io import MRIOError
from econsec.errors import NotFoundError, OptionError
from tests.analytics.io.helpers import hand_mrio, random_mrio, seeds


def test_multipliers_by_hand() -> None:
    r = hand_mrio().multipliers()
    f = r.frame
    # Column sums of L: 1.345, 1.225, 1.125, 1; H/a's domestic part 1 + 0.2 = 1.2; F/a's
    # 1 + 0.125 (it buys from F/m).
    np.testing.assert_allclose(f["output"], [1.345, 1.225, 1.125, 1])
    np.testing.assert_allclose(f["output_domestic"], [1.2, 1, 1.125, 1])
    np.testing.assert_allclose(f["output_foreign"], [0.145, 0.225, 0, 0], atol=1e-15)
    # vᵀL = 1 (balanced table); H/a's domestic value added 0.7 + 0.8·0.2 = 0.86, foreign 0.14.
    np.testing.assert_allclose(f["value_added"], 1.0, rtol=1e-14)
    np.testing.assert_allclose(f["value_added_domestic"], [0.86, 0.8, 0.875 + 0.125, 1])
    np.testing.assert_allclose(f["value_added_type1"], 1 / np.array([0.7, 0.8, 0.875, 1]))
    # Ghosh forward linkage G·1 = (L x)/x: F/m = (0.105·100 + 0.025·50 + 0.125·40 + 50)/50.
    assert f.loc[("F", "m"), "forward_output"] == pytest.approx(66.75 / 50)
    origin = r.table("value_added_by_origin")
    assert origin.loc["F", ("H", "a")] == pytest.approx(0.14)
    assert "Miller & Blair (2009)" in r.method


def test_value_added_in_trade_by_hand() -> None:
    r = hand_mrio().value_added_in_trade()
    f = r.frame
    np.testing.assert_allclose(f["exports"], [30, 30])
    np.testing.assert_allclose(f["imports"], [30, 30])
    np.testing.assert_allclose(f["vax_ratio"], [0.84, 0.84])
    np.testing.assert_allclose(f["gvc_backward"], [0.16, 0], atol=1e-15)
    np.testing.assert_allclose(f["gvc_forward"], [0, 0.16], atol=1e-15)
    np.testing.assert_allclose(f["gdp"], [110, 85])
    np.testing.assert_allclose(f["vam"], [25.2, 25.2])
    assert r.table("vbe").loc["F", "H"] == pytest.approx(4.8)
    assert r.table("absorption").loc["H", "F"] == pytest.approx(25.2)
    assert "Koopman, Wang & Wei 2014" in r.method


def test_accounts_by_hand() -> None:
    r = hand_mrio().accounts()
    np.testing.assert_allclose(r.frame["value added/cba"], [110, 85])
    np.testing.assert_allclose(r.frame["value added/exp"], [25.2, 25.2])
    np.testing.assert_allclose(r.table("M").loc["value added"], 1.0, rtol=1e-14)


def test_extraction_by_hand() -> None:
    m = hand_mrio()
    every = m.extraction("total").frame
    np.testing.assert_allclose(every["loss"], [134.5, 61.25, 45, 50])
    # H/m extracted: 50 of its own output lost at home, 10 + 1.25 abroad.
    assert every.loc[("H", "m"), "loss_domestic"] == pytest.approx(50)
    assert every.loc[("H", "m"), "loss_foreign"] == pytest.approx(11.25)
    one = m.extraction("total", ("H", "m"))
    np.testing.assert_allclose(one.frame["loss"], [0, 50, 10, 1.25], atol=1e-12)
    np.testing.assert_allclose(one.table("by_region")["loss"], [50, 11.25], atol=1e-12)
    # Half of H/a's purchases removed: x̄ = x − θ (l_1 − e_1) x_1 / (1 + θ (L_11 − 1)), L_11 = 1,
    # so the loss is half the full backward loss (0, 20, 4, 10.5).
    half = m.extraction("backward", ("H", "a"), fraction=0.5)
    np.testing.assert_allclose(half.frame["loss"], [0, 10, 2, 5.25], atol=1e-12)
    assert half.parameters["targets"] == [("H", "a")] and half.parameters["fraction"] == 0.5


def test_supply_shock_by_hand_and_labels() -> None:
    m = hand_mrio()
    r = m.supply_shock(("F", "m"), cut=0.1)
    f = r.frame
    np.testing.assert_allclose(f["first_round"], [1, 0, 0.5, 5], atol=1e-14)
    np.testing.assert_allclose(f["loss"], [1.05, 0.125, 0.5, 5], atol=1e-14)
    np.testing.assert_allclose(f["loss_pct"], [1.05, 0.25, 1.25, 10])
    reg = r.table("by_region")
    np.testing.assert_allclose(reg["loss"], [1.175, 5.5])
    np.testing.assert_allclose(reg["loss_pct"], [100 * 1.175 / 150, 100 * 5.5 / 90])
    assert r.parameters == {"targets": [("F", "m")], "cut": [0.1], "model": "ghosh"}
    up = m.supply_shock([("H", "a")], cut=[0.1], model="leontief")
    np.testing.assert_allclose(up.frame["loss"], [10, 2, 0.4, 1.05], atol=1e-14)
    assert "Ghosh 1958" in r.method and "Oosterhaven 1988" in r.method


def test_results_are_read_only() -> None:
    r = hand_mrio().supply_shock(("F", "m"))
    f = r.frame
    f.loc[("H", "a"), "loss"] = -1.0
    f["extra"] = 1
    assert r.frame.loc[("H", "a"), "loss"] == pytest.approx(1.05)
    assert "extra" not in r.frame.columns
    t = r.table("by_region")
    t.iloc[0, 0] = 0.0
    assert r.table("by_region").iloc[0, 0] == 150
    with pytest.raises(TypeError):
        r.parameters["cut"] = [0.5]  # type: ignore[index]
    with pytest.raises(AttributeError):
        r.name = "other"  # type: ignore[misc]
    with pytest.raises(NotFoundError, match="tables are"):
        r.table("nope")
    assert r.diagnostics.converged and r.diagnostics.iterations == 1
    assert r.diagnostics.residual < 1e-14
    s = r.summary()
    assert "supply shock (ghosh): 4 rows" in s and "converged=True" in s
    assert r.provenance()["io_table"] == "hand"


@pytest.mark.parametrize(("call", "error", "match"), [
    (lambda m: m.extraction("sideways"), OptionError,
     r"kind: expected one of 'total', 'backward', 'forward'; got 'sideways'"),
    (lambda m: m.extraction("total", fraction=1.5), MRIOError, r"fraction must be in \(0, 1\]"),
    (lambda m: m.extraction("total", fraction=0.5), MRIOError, "needs targets"),
    (lambda m: m.supply_shock(("H", "a"), model="cge"), OptionError,
     r"model: expected one of 'ghosh', 'leontief'; got 'cge'"),
    (lambda m: m.supply_shock(("H", "a"), cut=1.2), MRIOError, r"cut must be a fraction"),
    (lambda m: m.supply_shock([("H", "a"), ("*", "a")]), MRIOError, "overlap"),
    (lambda m: m.supply_shock(("H", "zz")), MRIOError, "unknown sector 'zz'"),
])
def test_option_errors(call, error: type[Exception], match: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(error, match=match):
        call(hand_mrio())


@settings(max_examples=25, deadline=None)
@given(seeds)
def test_analysis_invariants(seed: int) -> None:
    m = random_mrio(seed, zero_sector=seed % 4 == 0)
    mult = m.multipliers().frame
    # Output multipliers ≥ 1; value-added multipliers 1 (balanced) except empty sectors (0).
    assert (mult["output"] >= 1 - 1e-12).all()
    np.testing.assert_allclose(mult["value_added"][~mult["zero_output"]], 1.0, rtol=1e-10)
    # The accounts: cba totals = final demand, exp = VAX per region; pba = value added.
    acc = m.accounts()
    t = m.value_added_in_trade().frame
    np.testing.assert_allclose(acc.frame["value added/cba"], t["final_demand"], rtol=1e-10)
    np.testing.assert_allclose(acc.frame["value added/exp"], t["vax"], rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(acc.frame["value added/imp"], t["vam"], rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(acc.frame["value added/pba"], t["gdp"], rtol=1e-10)
    # A full cut of every sector of one region under Ghosh removes only what it supplies: the
    # region's output is lost entirely, others lose at most their output.
    r = m.supply_shock((m.regions[0], "*"), cut=1.0)
    by = r.table("by_region")
    assert by["loss"].iloc[0] == pytest.approx(by["x"].iloc[0])
    assert (by["loss"] <= by["x"] * (1 + 1e-12)).all()
    # Extracting every sector of a region (a set solve) loses at least the region's own output.
    e = m.extraction("total", (m.regions[0], "*")).frame
    assert e["loss"].sum() >= m.x[: m.n_sectors].sum() - 1e-9
    assert isinstance(e.index, pd.MultiIndex)
