"""STL decomposition and the stl_drop signal: a synthetic series with known parts, causality,
and statsmodels' STL (the authors' Fortran, ported) on real series as the reference."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from econsec.analytics.ews.data import load_monthly_panel
from econsec.analytics.ews.panel import evaluate, panel_from_frame
from econsec.analytics.ews.scoring import ScoringRules
from econsec.analytics.ews.stl import STLParams, stl, stl_drop, stl_remainder_z
from econsec.errors import OptionError
from econsec.store import Store
from tests.analytics.ews.test_signals import _toy_panel
from tests.conftest import ingest_real


def _synthetic(n: int = 72, spike_at: int = 60, spike: float = -0.7) -> np.ndarray:
    """ln x = trend 0.005·t + seasonal 0.3·sin(2πt/12) (peaks at months 3, 15, …) + a spike."""
    t = np.arange(n)
    rng = np.random.default_rng(7)
    lx = 5 + 0.005 * t + 0.3 * np.sin(2 * np.pi * t / 12) + rng.normal(0, 0.01, n)
    lx[spike_at] += spike
    return np.exp(lx)


def test_remainder_flags_the_spike_not_the_seasonal_peaks() -> None:
    x = _synthetic()
    z = stl_remainder_z(x[None], window=24)[0]
    assert np.isnan(z[:23]).all() and np.isfinite(z[23:]).all()    # first full window ends at 23
    # the spike month (ln −0.7 against noise σ 0.01) is far out; the seasonal peaks and troughs
    # (amplitude 0.3, thirty times the noise) are not
    assert z[60] < -10
    peaks = [p for p in range(23, 72) if p % 12 in (2, 3, 4, 8, 9, 10) and p != 60]
    assert np.abs(z[peaks]).max() < 4
    drop = stl_drop(x[None], window=24)[0]
    assert drop[60] == pytest.approx(-z[60]) and int(np.nanargmax(drop)) == 60
    # the same series scored by YoY differencing would also flag month 72 = spike + 12: STL does not
    assert drop[71] < 3


def test_decomposition_recovers_known_parts() -> None:
    # no noise, no spike: remainder ≈ 0, seasonal ≈ 0.3 sin, trend ≈ line (interior of the series)
    t = np.arange(96)
    lx = 2 + 0.01 * t + 0.3 * np.sin(2 * np.pi * t / 12)
    s, tr, r, w = stl(lx, STLParams(seasonal_deg=1, inner=2, outer=0), robust=False)
    inner = slice(12, 84)
    np.testing.assert_allclose(s[inner], 0.3 * np.sin(2 * np.pi * t / 12)[inner], atol=0.01)
    np.testing.assert_allclose(tr[inner], (2 + 0.01 * t)[inner], atol=0.01)
    assert np.abs(r).max() < 0.01 and (w == 1).all()


def test_causal_appending_future_months_does_not_change_past_scores() -> None:
    x = _synthetic(n=84)
    full = stl_remainder_z(x[None], window=24)[0]
    for cut in (30, 50, 61):
        part = stl_remainder_z(x[None, :cut + 1], window=24)[0]
        np.testing.assert_allclose(part, full[:cut + 1], rtol=1e-12, atol=1e-12)
    # ``last`` computes the final months only, the same values
    np.testing.assert_allclose(stl_remainder_z(x[None], window=24, last=3)[0, -3:], full[-3:])
    # through the panel: the month-t score of the truncated panel equals the full history's
    p = panel_from_frame(_toy_panel(), source="toy", vintage="v")
    r = ScoringRules()
    assert r.value_signal == "stl_drop"
    whole = evaluate(p, r)
    for t in (30, 45, 59):
        cut = evaluate(p.upto(t), r)
        assert cut[1][0, t] == pytest.approx(whole[1][0, t])
        np.testing.assert_allclose(cut[0]["stl_drop"][:, t], whole[0]["stl_drop"][:, t])


def test_missing_months_give_no_score_and_batches_agree() -> None:
    x = np.vstack([_synthetic(), _synthetic(spike=0.0)])
    x[1, 40] = 0.0                                   # a zero month: windows containing it are NaN
    z = stl_remainder_z(x, window=24)
    assert np.isnan(z[1, 40:64]).all() and np.isfinite(z[1, 64:]).all()
    np.testing.assert_allclose(z[0], stl_remainder_z(x[:1], window=24)[0])   # rows independent
    np.testing.assert_allclose(stl_remainder_z(x, window=24, chunk=7), z)   # chunking
    with pytest.raises(ValueError, match="at least two periods"):
        stl(np.ones(20))
    with pytest.raises(ValueError, match="finite"):
        stl(np.r_[np.ones(30), np.nan])


def test_rules_select_the_value_signal_as_data() -> None:
    r = ScoringRules()
    yoy = r.with_value_signal("value_drop")
    assert yoy.weights["value_drop"] == 0.5 and "stl_drop" not in yoy.weights
    assert yoy.value_signal == "value_drop" and r.as_dict()["value_signal"] == "stl_drop"
    p = panel_from_frame(_toy_panel(), source="toy", vintage="v")
    assert "stl_drop" not in evaluate(p, yoy)[0] and "value_drop" not in evaluate(p, r)[0]
    with pytest.raises(ValueError, match="unknown signal"):
        ScoringRules(weights={"stl": 1.0})
    with pytest.raises(OptionError, match="value signal: expected one of 'value_drop', 'stl_drop'; got 'stl'"):
        r.with_value_signal("stl")  # type: ignore[arg-type]


@pytest.mark.reference
@pytest.mark.parametrize("robust,seasonal_deg,inner,outer", [
    (False, 1, 5, 0),    # statsmodels' defaults without robustness
    (True, 1, 2, 15),    # statsmodels' robust defaults
    (True, 0, 1, 5),     # the parameters stl_drop uses
])
def test_stl_equals_statsmodels_on_real_series(robust: bool, seasonal_deg: int, inner: int,
                                               outer: int, store: Store, data_dir: Path) -> None:
    """Reference: statsmodels 0.15 STL on the four China monthly totals (2001-01..2019-12, 228
    months; KOR, JPN, USA imports from China and China's from them) and on 24-month windows."""
    from statsmodels.tsa.seasonal import STL as SMSTL

    ingest_real(store, data_dir, "china_monthly")
    ly = np.log(load_monthly_panel(store, "china_monthly").total)
    assert ly.shape == (4, 228) and np.isfinite(ly).all()
    par = STLParams(seasonal_deg=seasonal_deg, inner=inner, outer=outer)
    # 24-month windows (what stl_drop decomposes) only with a locally constant seasonal: with
    # degree 1 a two-point subseries is interpolated exactly, the remainders are rounding noise
    # and the robustness weights are arbitrary in both implementations
    for y in (ly, ly[:, -24:]) if seasonal_deg == 0 else (ly,):
        se, tr, rem, w = stl(y, par, robust=robust)
        for i in range(len(y)):
            ref = SMSTL(y[i], period=12, seasonal=7, seasonal_deg=seasonal_deg, robust=robust).fit(
                inner_iter=inner, outer_iter=outer)
            np.testing.assert_allclose(se[i], ref.seasonal, atol=1e-10)
            np.testing.assert_allclose(tr[i], ref.trend, atol=1e-10)
            np.testing.assert_allclose(rem[i], ref.resid, atol=1e-10)
            np.testing.assert_allclose(w[i], ref.weights, atol=1e-10)
