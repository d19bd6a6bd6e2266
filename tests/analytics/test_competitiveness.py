"""RCA, world share, trade specialisation (methods.md §3): hand cases and identities."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings

from econsec.analytics.indicators.competitiveness import (
    competitive_and_dependent,
    competitiveness_frame,
    ranking,
    trade_specialisation,
)
from econsec.analytics.indicators.complexity import rca_matrix
from tests.analytics.helpers import panel, random_flows, seeds


def test_rca_by_hand() -> None:
    x = np.array([[80.0, 20.0], [20.0, 80.0]])
    # RCA_11 = (80/100) / (100/200) = 1.6; RCA_12 = (20/100)/(100/200) = 0.4.
    assert rca_matrix(x) == pytest.approx(np.array([[1.6, 0.4], [0.4, 1.6]]))


def test_trade_specialisation_by_hand() -> None:
    assert trade_specialisation(np.array([30.0, 0.0]), np.array([10.0, 5.0])) == pytest.approx([0.5, -1.0])


def test_frame_and_ranking() -> None:
    p = panel([("KOR", "USA", "p1", 80), ("KOR", "USA", "p2", 20), ("JPN", "USA", "p1", 20),
               ("JPN", "USA", "p2", 80), ("USA", "KOR", "p2", 10)])
    f = competitiveness_frame(p, "KOR").set_index("product")
    # World exports: p1 100, p2 110 (incl. USA's 10), total 210: RCA = (80/100)/(100/210) = 1.68.
    assert f.loc["p1", "rca"] == pytest.approx(1.68) and f.loc["p1", "world_share"] == pytest.approx(0.8)
    # KOR p2: exports 20, imports 10 -> TS = 10/30.
    assert f.loc["p2", "trade_specialisation"] == pytest.approx(1 / 3)
    r = ranking(p).set_index("country")
    assert r.loc["KOR", "n_products_rca_gt1"] == 1
    assert r.loc["KOR", "share_exports_rca_gt1"] == pytest.approx(0.8)
    both = competitive_and_dependent(p, np.ones((p.n_countries, p.n_products), dtype=bool))
    assert both[both.country == "KOR"]["product"].tolist() == ["p1"]


@settings(max_examples=40, deadline=None)
@given(seeds)
def test_world_weighted_mean_rca_is_one(seed: int) -> None:
    # Σ_p (X_wp/X_w)·RCA_sp = Σ_p x_sp/X_s = 1 for every exporter s.
    p = panel(random_flows(seed))
    x = p.world_exports
    rca = np.nan_to_num(rca_matrix(x))
    w = x.sum(axis=0) / x.sum()
    active = x.sum(axis=1) > 0
    assert np.allclose((rca * w).sum(axis=1)[active], 1.0)
