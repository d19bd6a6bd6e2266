"""Signals, score and watchlist grades against hand computations (numbers worked in comments)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from econsec.analytics.ews import signals as sg
from econsec.analytics.ews.panel import evaluate, panel_from_frame
from econsec.analytics.ews.scoring import ScoringRules, contributions, explain, level_codes, score
from econsec.analytics.ews.watchlist import generate, grade


def test_yoy_log_change_by_hand() -> None:
    x = np.array([100.0] * 12 + [50.0, 0.0])
    d = sg.yoy_log_change(x)
    assert np.isnan(d[:12]).all()
    assert d[12] == pytest.approx(np.log(0.5))  # ln 50 − ln 100
    assert np.isnan(d[13])                       # zero value: no log


def test_robust_z_by_hand() -> None:
    # past window [0.1, 0.2, 0.3, 0.5]: median 0.25, |dev| = .15 .05 .05 .25 → MAD 0.10,
    # scale 1.4826·0.10 = 0.14826; d_t = 0 → z = −0.25 / 0.14826 = −1.68623
    d = np.array([0.1, 0.2, 0.3, 0.5, 0.0])
    z = sg.robust_z(d, window=4, min_periods=3)
    assert z[4] == pytest.approx(-0.25 / 0.14826, rel=1e-6)
    assert np.isnan(z[:3]).all()                 # fewer than 3 past values
    # z at 3: past [0.1, 0.2, 0.3]: median 0.2, MAD 0.1 → (0.5 − 0.2)/0.14826
    assert z[3] == pytest.approx(0.3 / 0.14826, rel=1e-6)
    # the MAD floor: a flat history gives scale = floor
    assert sg.robust_z(np.array([0.0, 0, 0, 0.1]), 3, 3, mad_floor=0.05)[3] == pytest.approx(2.0)
    # ``last`` computes the same final values only
    zl = sg.robust_z(d, window=4, min_periods=3, last=1)
    assert zl[4] == z[4] and np.isnan(zl[3])


def test_value_drop_and_price_spike_signs() -> None:
    # 24 months of steady 1 %/yr growth in d, then a 50 % collapse: z is hugely negative
    rng = np.arange(40)
    x = 100 * np.exp(0.01 * rng / 12) * (1 + 0.001 * np.sin(rng))
    x2 = x.copy()
    x2[-1] *= 0.5
    drop = sg.value_drop(x2, window=24, min_periods=12)
    assert drop[-1] > 10 and sg.price_spike(x2, 24, 12)[-1] == 0.0
    assert sg.price_spike(1 / x2, 24, 12)[-1] > 10


def test_unit_value() -> None:
    assert sg.unit_value(np.array([10.0, 5.0]), np.array([2.0, 0.0]))[0] == 5.0
    assert np.isnan(sg.unit_value(np.array([10.0, 5.0]), np.array([2.0, 0.0]))[1])


def test_shares_shift_hhi_concentration_by_hand() -> None:
    # one item, two suppliers, 3 months: shares (.5,.5) (.5,.5) (.8,.2)
    f = np.array([[[5.0, 5.0, 8.0], [5.0, 5.0, 2.0]]])
    s = sg.supplier_shares(f)
    assert s[0, :, 2] == pytest.approx([0.8, 0.2])
    shift, who = sg.share_shift(s, window=2)
    assert shift[0, 2] == pytest.approx(0.3) and np.isnan(shift[0, 1])   # |.8 − .5|
    assert sg.hhi(s)[0].tolist() == pytest.approx([0.5, 0.5, 0.68])      # .64 + .04
    assert sg.concentration_jump(s, window=2)[0, 2] == pytest.approx(0.18)


def test_supplier_gpr_by_hand() -> None:
    # supplier 0 had share 1 last month; its GPRC jumps from a flat 100 to 100·e^0.5:
    # robust z = 0.5 / floor 0.05 = 10
    f = np.array([[[1.0] * 5, [0.0] * 5]])
    s = sg.supplier_shares(f)
    gprc = np.array([[100, 100, 100, 100, 100 * np.exp(0.5)], [50, 50, 50, 50, 500]])
    g = sg.supplier_gpr(s, gprc, window=4, min_periods=3)
    assert g[0, 4] == pytest.approx(10.0)   # supplier 1 has share 0: its spike does not count


def test_persistence_and_events() -> None:
    f = np.array([1, 0, 1, 1, 0, 0, 1], dtype=bool)
    assert sg.persistence(f, 2, 3).tolist() == [False, False, True, True, True, False, False]
    assert sg.persistence(f, 1, 1).tolist() == f.tolist()
    with pytest.raises(ValueError, match="k <= n"):
        sg.persistence(f, 3, 2)
    act = np.array([[True, False], [True, True]])
    assert sg.event_signal(act, np.array([[2.0], [3.0]])).tolist() == [3.0, 3.0]


def test_score_levels_explanation_by_hand() -> None:
    r = ScoringRules()   # the default value signal is stl_drop (weight 0.5)
    sig = {"stl_drop": np.array([2.0, 10.0, 0.0]), "share_shift": np.array([0.2, 0.0, np.nan])}
    # stl_drop 2: 100·0.5·2/4 = 25; share_shift 0.2/0.1 = 2: 100·0.15·2/4 = 7.5 → 32.5 (watch)
    # stl_drop 10 capped at 4: 50 → warning (≥ 40)
    assert score(sig, r).tolist() == pytest.approx([32.5, 50.0, 0.0])
    assert level_codes(score(sig, r), r).tolist() == [1, 2, 0]
    assert contributions(sig, r)["share_shift"][0] == pytest.approx(7.5)
    assert explain(sig, 0, r) == [{"signal": "stl_drop", "value": 2.0, "points": 25.0},
                                  {"signal": "share_shift", "value": 0.2, "points": 7.5}]
    # k-of-n: 2 of 3 months at watch or above
    r2 = ScoringRules(k=2, n=3)
    assert level_codes(np.array([[30.0, 0, 50, 0, 0]]), r2).tolist() == [[0, 0, 2, 0, 0]]
    with pytest.raises(ValueError, match="watch <= warning"):
        ScoringRules(watch=50, warning=40)


def test_grades() -> None:
    assert grade(np.array([0.95, 0.8, 0.6, 0.55])).tolist() == ["A", "B", "C", "D"]


def _toy_panel() -> pd.DataFrame:
    rows = []
    months = pd.date_range("2000-01-01", periods=60, freq="MS")
    for k, m in enumerate(months):
        for exp, v in (("CHN", 80.0), ("KOR", 20.0)):
            if k == 59 and exp == "CHN":
                v = 20.0  # collapse of the main supplier in the last month
            rows.append(("JPN", exp, "X", "a", m.year, m.month, v * (1 + 0.05 * np.sin(k))))
        rows.append(("JPN", "WLD", "X", "a", m.year, m.month, np.nan))
    df = pd.DataFrame(rows, columns=["importer", "exporter", "classification", "product", "year", "month", "value"])
    return df.dropna()


def test_panel_evaluate_no_look_ahead_and_watchlist() -> None:
    p = panel_from_frame(_toy_panel(), source="toy", vintage="v")
    assert p.flows.shape == (1, 2, 60) and p.partners == ("CHN", "KOR")
    r = ScoringRules()
    full = evaluate(p, r)
    for t in (30, 45, 59):  # scoring the truncated panel gives the same month-t numbers
        part = evaluate(p.upto(t), r)
        assert part[1][0, t] == pytest.approx(full[1][0, t])
        for k in full[0]:
            np.testing.assert_allclose(part[0][k][:, t], full[0][k][:, t])
    assert full[2][0, 59] >= 2                             # the collapse is at least a warning
    assert full[0]["share_shift"][0, 59] == pytest.approx(0.8 - 0.5, abs=0.01)  # CHN 80 % → 50 %
    w = generate(p)
    # last 12 months: CHN 11 × 80 + 20, KOR 12 × 20 (each × the same seasonal factor per month)
    k = np.arange(48, 60)
    fac = 1 + 0.05 * np.sin(k)
    chn = (np.where(k == 59, 20.0, 80.0) * fac).sum()
    assert w.top_share.iloc[0] == pytest.approx(chn / (chn + (20.0 * fac).sum()))  # ≈ 0.79
    assert w.top_supplier.tolist() == ["CHN"] and w.grade.tolist() == ["B"]


def test_scan_mode_equals_full_history_at_last_month() -> None:
    p = panel_from_frame(_toy_panel(), source="toy", vintage="v")
    g = pd.DataFrame({"country": ["CHN"] * 60, "period": p.months, "value": np.linspace(100, 200, 60)})
    r = ScoringRules()
    full = evaluate(p, r, gprc=g)
    live = evaluate(p, r, gprc=g, last=1)
    assert live[1][0, -1] == pytest.approx(full[1][0, -1])
    for k in full[0]:
        assert live[0][k][0, -1] == pytest.approx(full[0][k][0, -1])
