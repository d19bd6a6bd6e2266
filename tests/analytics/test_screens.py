"""Critical-item screens: hand-computed flags, persistence and blocs (methods.md §1)."""

from __future__ import annotations

import numpy as np
import pytest

from econsec.analytics.indicators.concentration import concentration, world_export_hhi
from econsec.analytics.indicators.screens import (
    NO_EXPORTS_RATIO,
    Thresholds,
    bloc_panel,
    flagged_items,
    import_export_ratio,
    persistent,
    screen,
)
from tests.analytics.helpers import panel


def case():  # type: ignore[no-untyped-def]
    # KOR imports p1: CHN 80, JPN 20 (HHI 0.68); KOR exports p1 to USA 50 (M/x = 100/50 = 2).
    # KOR imports p2: CHN 45, JPN 35, USA 20 (HHI 0.365); KOR exports none of p2 (ratio 9999).
    # CHN is the only exporter of p1 to anyone but KOR... world exports p1: CHN 80, JPN 20, KOR 50.
    return panel([("CHN", "KOR", "p1", 80), ("JPN", "KOR", "p1", 20), ("KOR", "USA", "p1", 50),
                  ("CHN", "KOR", "p2", 45), ("JPN", "KOR", "p2", 35), ("USA", "KOR", "p2", 20)])


def test_flags_by_hand() -> None:
    p = case()
    c = concentration(p)
    hw = world_export_hhi(p.world_exports)
    k = p.code("KOR")
    ratio = import_export_ratio(c.imports, p.world_exports)
    assert ratio[k, 0] == pytest.approx(2.0) and ratio[k, 1] == NO_EXPORTS_RATIO
    # World-export HHI of p1: shares 80/150, 20/150, 50/150.
    assert hw[0] == pytest.approx((80**2 + 20**2 + 50**2) / 150**2)
    eu = screen("eu", c, p.world_exports, hw)
    assert eu[k].tolist() == [True, False]  # p2: HHI 0.365 <= 0.4
    merics = screen("merics", c, p.world_exports, hw)
    assert merics[k].tolist() == [True, False]  # M = 2x exactly: ">= 2" flags it
    assert screen("merics", c, p.world_exports, hw, Thresholds(merics_ratio=2.01))[k, 0] == np.False_
    korea = screen("korea", c, p.world_exports, hw)
    assert korea[k].tolist() == [True, False]  # top-1 0.8 and 0.45
    # GeoDep adds world-export HHI > 0.4: p1's is 9,300/22,500 = 0.4133 -> flagged.
    assert screen("geodep", c, p.world_exports, hw)[k, 0] == np.True_
    assert screen("geodep", c, p.world_exports, hw, Thresholds(world_hhi=0.42))[k, 0] == np.False_


def test_flagged_items_name_the_suppliers() -> None:
    p = case()
    c = concentration(p)
    hw = world_export_hhi(p.world_exports)
    flags = {n: screen(n, c, p.world_exports, hw) for n in ("eu", "korea")}
    items, sup = flagged_items(p, c, flags, p.world_exports, hw, importer="KOR")
    assert items[["product", "top1_supplier"]].values.tolist() == [["p1", "CHN"]]
    assert sup[["rank", "supplier", "share"]].values.tolist() == [[1, "CHN", 0.8], [2, "JPN", 0.2]]


def test_persistence_two_of_three() -> None:
    a, b, c = np.array([True, True, False]), np.array([True, False, False]), np.array([False, True, True])
    assert persistent([a, b, c], 2).tolist() == [True, True, False]


def test_bloc_merges_members_and_reports_extra_share() -> None:
    # DEU and FRA form a bloc "EUX": DEU buys p from FRA 30 (intra) and CHN 70 (extra).
    p = panel([("FRA", "DEU", "p", 30), ("CHN", "DEU", "p", 70), ("CHN", "FRA", "p", 50),
               ("DEU", "USA", "p", 10)])
    merged, share = bloc_panel(p, ["DEU", "FRA"], "EUX")
    assert "DEU" not in merged.countries and "EUX" in merged.countries
    # Extra-bloc imports 120 of 150 total.
    assert share[0] == pytest.approx(120 / 150)
    assert merged.imports()[merged.code("EUX"), 0] == pytest.approx(120)
    # The bloc's world exports are its members' exports (here DEU's 10 + FRA's 30).
    assert merged.world_exports[merged.code("EUX"), 0] == pytest.approx(40)
