"""Michaely complementarity, Finger–Kreinin similarity, strategic complementarity (methods.md §3)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings

from econsec.analytics.indicators.complementarity import (
    michaely_matrix,
    similarity_matrix,
    strategic_complementarity,
)
from econsec.analytics.indicators.concentration import concentration
from tests.analytics.helpers import panel, random_flows, seeds


def test_michaely_by_hand() -> None:
    m = np.array([[50.0, 50.0, 0.0]])  # k's import shares 0.5, 0.5, 0
    x = np.array([[20.0, 0.0, 20.0]])  # j's export shares 0.5, 0, 0.5
    # TC = 100 − ½·(0 + 0.5 + 0.5)·100 = 50.
    assert michaely_matrix(m, x)[0, 0] == pytest.approx(50.0)
    assert michaely_matrix(m, m)[0, 0] == pytest.approx(100.0)


def test_finger_kreinin_by_hand() -> None:
    x = np.array([[60.0, 40.0, 0.0], [30.0, 30.0, 40.0], [0.0, 0.0, 5.0]])
    xs = similarity_matrix(x)
    # rows 0,1: Σ min(0.6,0.3)+min(0.4,0.3)+min(0,0.4) = 0.6 -> 60; rows 0,2 share nothing -> 0.
    assert xs[0, 1] == pytest.approx(60.0) and xs[0, 2] == pytest.approx(0.0)
    assert np.allclose(np.diag(xs), 100.0)


@settings(max_examples=30, deadline=None)
@given(seeds)
def test_similarity_is_symmetric_and_bounded(seed: int) -> None:
    x = panel(random_flows(seed)).world_exports
    xs = similarity_matrix(x)
    assert np.allclose(xs, xs.T) and xs.min() >= -1e-9 and xs.max() <= 100 + 1e-9


def test_strategic_complementarity_by_hand() -> None:
    # KOR imports p1 from CHN 90, USA 10 (HHI 0.82, top supplier CHN, M^risk = 90).
    # JPN exports p1: 60 to USA -> covers min(60, 90)/90 = 2/3 of the risky imports.
    # KOR imports p2 from JPN 100: top supplier is the partner itself -> not "at risk".
    p = panel([("CHN", "KOR", "p1", 90), ("USA", "KOR", "p1", 10), ("JPN", "USA", "p1", 60),
               ("JPN", "KOR", "p2", 100)])
    items, scores = strategic_complementarity(p, concentration(p), "KOR", "JPN")
    assert items["product"].tolist() == ["p1"]
    row = items.iloc[0]
    assert row["top_supplier"] == "CHN" and row["imports_at_risk_usd"] == pytest.approx(90)
    assert row["coverage"] == pytest.approx(2 / 3) and row["covered_usd"] == pytest.approx(60)
    assert scores == {"coverage": pytest.approx(2 / 3), "covered_usd": 60.0,
                      "imports_at_risk_usd": 90.0, "n_products": 1}


def test_strategic_complementarity_leaves_out_excluded_codes() -> None:
    # KOR imports HS 27 from SAU 90, USA 10 and HS 99 (not specified) from AUS 100; JPN exports
    # 27: 30 and 99: 100 to USA. With 99 excluded only 27 is at risk: M^risk = 90, covered 30,
    # coverage 1/3; with it, (30 + 100) / (90 + 100).
    p = panel([("SAU", "KOR", "27", 90), ("USA", "KOR", "27", 10), ("AUS", "KOR", "99", 100),
               ("JPN", "USA", "27", 30), ("JPN", "USA", "99", 100)])
    conc = concentration(p)
    exclude = p.products == "99"
    items, s = strategic_complementarity(p, conc, "KOR", "JPN", exclude=exclude)
    assert items["product"].tolist() == ["27"]
    assert s["coverage"] == pytest.approx(1 / 3) and s["imports_at_risk_usd"] == pytest.approx(90)
    _, s_all = strategic_complementarity(p, conc, "KOR", "JPN")
    assert s_all["coverage"] == pytest.approx(130 / 190)
    from econsec.analytics.indicators.complementarity import strategic_scores_all

    cov, _ = strategic_scores_all(p, conc, exclude=exclude)
    assert cov[p.code("KOR"), p.code("JPN")] == pytest.approx(1 / 3)


@settings(max_examples=25, deadline=None)
@given(seeds)
def test_all_pairs_equal_the_pair_function(seed: int) -> None:
    from econsec.analytics.indicators.complementarity import strategic_scores_all

    p = panel(random_flows(seed, n_countries=7, n_products=6))
    conc = concentration(p)
    flags = np.random.default_rng(seed).random(conc.imports.shape) < 0.3
    cov, covered = strategic_scores_all(p, conc, flags=flags, hhi_threshold=0.5, block=3)
    for a in p.countries[:4]:
        for b in p.countries[:4]:
            if a == b:
                continue
            _, s = strategic_complementarity(p, conc, a, b, flags=flags, hhi_threshold=0.5)
            i, j = p.code(a), p.code(b)
            assert covered[i, j] == pytest.approx(s["covered_usd"], rel=1e-12, abs=1e-9)
            if s["imports_at_risk_usd"] > 0:
                assert cov[i, j] == pytest.approx(s["coverage"], rel=1e-12)
