"""Supplier concentration: hand-computed cases and invariants (methods.md §1)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings

from econsec.analytics.indicators.concentration import concentration, world_export_hhi
from tests.analytics.helpers import panel, random_flows, seeds


def test_hand_computed() -> None:
    # KOR imports p1 from CHN 60, JPN 30, USA 10; p2 from USA only (20).
    p = panel([("CHN", "KOR", "p1", 60), ("JPN", "KOR", "p1", 30), ("USA", "KOR", "p1", 10),
               ("USA", "KOR", "p2", 20)])
    c = concentration(p)
    k, p1, p2 = p.code("KOR"), 0, 1
    # By hand: HHI = 0.6² + 0.3² + 0.1² = 0.46; top-1 0.6; top-3 1.0; 3 suppliers.
    assert c.hhi[k, p1] == pytest.approx(0.46, abs=1e-15)
    assert c.top1_share[k, p1] == pytest.approx(0.6)
    assert c.top3_share[k, p1] == pytest.approx(1.0)
    assert c.n_suppliers[k, p1] == 3
    assert c.effective_suppliers[k, p1] == pytest.approx(1 / 0.46)
    assert p.countries[c.top1_supplier[k, p1]] == "CHN"
    # One supplier => HHI = 1.
    assert c.hhi[k, p2] == 1.0 and c.top1_share[k, p2] == 1.0
    # No imports => NaN, not zero.
    assert np.isnan(c.hhi[p.code("CHN"), p1])


def test_world_export_hhi_by_hand() -> None:
    x = np.array([[30.0, 0.0], [70.0, 5.0]])
    # p1: 0.3² + 0.7² = 0.58; p2: one exporter -> 1.
    assert world_export_hhi(x) == pytest.approx([0.58, 1.0])


@settings(max_examples=40, deadline=None)
@given(seeds)
def test_invariants(seed: int) -> None:
    p = panel(random_flows(seed))
    c = concentration(p)
    has = c.imports > 0
    n = c.n_suppliers[has]
    # HHI in [1/n, 1]; top-1 <= top-3 <= 1; a full ranking's shares sum to 1.
    assert np.all(c.hhi[has] >= 1 / n - 1e-12) and np.all(c.hhi[has] <= 1 + 1e-12)
    assert np.all(c.top1_share[has] <= c.top3_share[has] + 1e-12)
    assert np.allclose(c.top3_share[has][n <= 3], 1.0)
    assert np.all(c.top1_share[has] ** 2 <= c.hhi[has] + 1e-12)


@settings(max_examples=20, deadline=None)
@given(seeds)
def test_relabelling_countries_permutes_results(seed: int) -> None:
    df = random_flows(seed)
    mapping = {f"C{i:02d}": f"Z{5 - i:02d}" for i in range(6)}  # reverses the sort order
    a = concentration(panel(df))
    pa_ = panel(df)
    b_panel = panel(df.assign(exporter=df.exporter.map(mapping), importer=df.importer.map(mapping)))
    b = concentration(b_panel)
    for name in pa_.countries:
        i, j = pa_.code(name), b_panel.code(mapping[name])
        assert np.allclose(a.hhi[i], b.hhi[j], equal_nan=True)
        assert np.allclose(a.top1_share[i], b.top1_share[j], equal_nan=True)
