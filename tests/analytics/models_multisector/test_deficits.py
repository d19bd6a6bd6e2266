"""Deficit removal (Dekle, Eaton & Kortum 2008): counterfactual D' = 0 and the balanced-trade
calibration. A 2-country, 1-sector case is solved by hand with brentq; the rest are identities."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.optimize import brentq

from econsec.analytics.models.multisector import MultiSectorModel, from_trade
from econsec.errors import OptionError
from tests.analytics.models_multisector.helpers import random_mrio

THETA = 4.0


def test_two_country_removal_by_hand() -> None:
    """Armington/EK, one sector, no tariffs. trade[i, n] exporter × importer (million USD):
    A sells 60 at home and 40 to B; B sells 30 to A and 70 at home. Y = (100, 100), X_A = 90,
    X_B = 110: A runs a surplus of 10. With D' = 0: X'_n = ŵ_n Y_n, ĉ = ŵ, π'_ni ∝ π_ni ŵ_i^−θ,
    and A's market clears: ŵ_A Y_A = Σ_n π'_nA X'_n, with world value added fixed
    (ŵ_A + ŵ_B = 2). Real income Ŵ_n = (ŵ_n Y_n / X_n) / P̂_n, P̂_n = (Σ_i π_ni ŵ_i^−θ)^(−1/θ)."""
    trade = np.array([[60.0, 40.0], [30.0, 70.0]])[:, :, None]
    cal = from_trade(trade, countries=["A", "B"], sectors=["s"])
    pi = np.array([[60 / 90, 30 / 90], [40 / 110, 70 / 110]])     # importer × exporter
    y, x = np.array([100.0, 100.0]), np.array([90.0, 110.0])

    def shares(wa: float) -> tuple[np.ndarray, np.ndarray]:
        w = np.array([wa, 2.0 - wa])
        num = pi * w[None, :] ** -THETA
        return w, num / num.sum(axis=1, keepdims=True)

    def excess(wa: float) -> float:
        w, p_new = shares(wa)
        return float((p_new[:, 0] * w * y).sum() - wa * y[0])

    wa = brentq(excess, 0.5, 1.5, xtol=1e-15)
    w, _ = shares(wa)
    p_hat = ((pi * w[None, :] ** -THETA).sum(axis=1)) ** (-1 / THETA)
    welfare = (w * y / x) / p_hat

    r = MultiSectorModel(cal, theta=np.full(1, THETA), intermediates="none").solve(deficits="removed")
    assert r.wage_hat == pytest.approx(w, rel=1e-9)
    assert r.real_income_hat == pytest.approx(welfare, rel=1e-9)
    assert wa > 1.0                  # the surplus country's wage rises when it stops lending
    assert r.deficit1 == pytest.approx([0.0, 0.0], abs=1e-12)


def test_balanced_calibration_identities() -> None:
    rng = np.random.default_rng(11)
    cal = random_mrio(rng, 4, 3)
    assert np.abs(cal.deficit).max() > 1.0                      # the random MRIO has deficits
    for inter in ("io", "none"):
        model = MultiSectorModel(cal, theta=np.full(3, THETA), intermediates=inter)
        bal = model.balanced_calibration()
        scale = bal.value_added.sum()
        assert np.abs(bal.deficit).max() < 1e-9 * scale          # balanced trade
        again = MultiSectorModel(bal, theta=np.full(3, THETA), intermediates=inter)
        z = again.solve()                                         # a zero shock is the baseline
        assert z.real_income_hat == pytest.approx(np.ones(4), abs=1e-12)
        # removing deficits from a balanced calibration changes nothing
        np.testing.assert_allclose(again.balanced_calibration().trade, bal.trade, rtol=1e-9)
        if inter == "io":   # the model's input coefficients are kept
            np.testing.assert_allclose(bal.gamma, cal.gamma, rtol=1e-9, atol=1e-14)


def test_option_is_checked() -> None:
    cal = from_trade(np.ones((2, 2, 1)), countries=["A", "B"], sectors=["s"])
    with pytest.raises(OptionError, match="deficits: expected one of 'fixed', 'removed'; got 'zero'"):
        MultiSectorModel(cal, theta=np.full(1, THETA)).solve(deficits="zero")   # type: ignore[arg-type]
