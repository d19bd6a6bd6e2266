"""Critical-item screens: hand-computed flags, persistence, blocs and residual codes (methods.md §1)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings

from econsec.analytics.indicators.concentration import concentration, world_export_hhi
from econsec.analytics.indicators.residual import family, residual_mask
from econsec.analytics.indicators.screens import (
    NO_EXPORTS_RATIO,
    Thresholds,
    bloc_panel,
    flagged_items,
    import_export_ratio,
    persistent,
    residual_items,
    screen,
    screen_all,
)
from econsec.errors import NotFoundError, OptionError
from tests.analytics.helpers import panel, random_flows, seeds


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
    # The bloc's exports are extra-bloc exports (EU 2021: extra-EU imports / extra-EU exports):
    # members' world exports DEU 10 + FRA 30, minus FRA's 30 to DEU inside the bloc = 10.
    assert merged.world_exports[merged.code("EUX"), 0] == pytest.approx(10)


def test_bloc_sums_each_supplier_over_members() -> None:
    # Bloc EUX = DEU + FRA. Extra-bloc imports of p: CHN 70 into DEU + 50 into FRA = 120,
    # USA 30 into FRA; FRA -> DEU 30 is intra-bloc. By hand over the bloc's two suppliers:
    # HHI = (120/150)² + (30/150)² = 0.64 + 0.04 = 0.68; top-1 CHN with 0.8.
    # (Unsummed member × supplier rows would give (70² + 50² + 30²)/150² = 0.369.)
    p = panel([("CHN", "DEU", "p", 70), ("CHN", "FRA", "p", 50), ("USA", "FRA", "p", 30),
               ("FRA", "DEU", "p", 30), ("DEU", "USA", "p", 10), ("FRA", "USA", "p", 5)])
    merged, _ = bloc_panel(p, ["DEU", "FRA"], "EUX")
    c = concentration(merged)
    b = merged.code("EUX")
    assert c.hhi[b, 0] == pytest.approx(0.68, abs=1e-15)
    assert c.top1_share[b, 0] == pytest.approx(0.8) and c.n_suppliers[b, 0] == 2
    assert merged.countries[c.top1_supplier[b, 0]] == "CHN"
    # USA's imports from the bloc: DEU 10 + FRA 5 in one row.
    u = merged.code("USA")
    assert c.n_suppliers[u, 0] == 1 and c.imports[u, 0] == pytest.approx(15)
    flags = {"korea": screen("korea", c, merged.world_exports, world_export_hhi(merged.world_exports))}
    _, sup = flagged_items(merged, c, flags, merged.world_exports, np.zeros(1), importer="EUX")
    assert sup[["rank", "supplier", "imports_usd"]].values.tolist() == [[1, "CHN", 120.0], [2, "USA", 30.0]]


def test_eu_screen_on_a_bloc_uses_extra_bloc_exports() -> None:
    # EUX imports p from CHN 80 (HHI 1). DEU ships 60 to FRA (intra) and 30 to USA (extra).
    # Extra-bloc share 80 / (80 + 60) = 0.571 > 0.5; M/x = 80 / 30 = 2.67 > 1 -> EU flags p.
    # Against all member exports (90) the ratio would be 0.89 and p would not be flagged.
    p = panel([("CHN", "DEU", "p", 80), ("DEU", "FRA", "p", 60), ("DEU", "USA", "p", 30)])
    merged, share = bloc_panel(p, ["DEU", "FRA"], "EUX")
    b = merged.code("EUX")
    assert share[0] == pytest.approx(80 / 140)
    c = concentration(merged)
    extra = np.zeros((merged.n_countries, 1))
    extra[b] = share
    ratio = import_export_ratio(c.imports, merged.world_exports)
    assert ratio[b, 0] == pytest.approx(80 / 30)
    eu = screen("eu", c, merged.world_exports, world_export_hhi(merged.world_exports), extra_share=extra)
    assert eu[b, 0] == np.True_
    # Raise the extra-bloc share threshold above 0.571: not flagged.
    assert screen("eu", c, merged.world_exports, np.zeros(1), Thresholds(extra_bloc_share=0.6),
                  extra_share=extra)[b, 0] == np.False_


@settings(max_examples=30, deadline=None)
@given(seeds)
def test_bloc_panel_matches_pandas_aggregation(seed: int) -> None:
    # Reference route: relabel members with pandas, drop intra-bloc rows, group and sum, build a
    # fresh panel; every importer's concentration must match bloc_panel's.
    df = random_flows(seed, n_countries=8, n_products=4)
    members = ["C01", "C03", "C04"]
    ref = df.assign(exporter=df.exporter.where(~df.exporter.isin(members), "BLOC"),
                    importer=df.importer.where(~df.importer.isin(members), "BLOC"))
    ref = ref[ref.exporter != ref.importer].groupby(["exporter", "importer", "product"],
                                                    as_index=False)["value"].sum()
    want = concentration(panel(ref))
    merged, _ = bloc_panel(panel(df), members, "BLOC")
    got = concentration(merged)
    rp = panel(ref)
    ci = pd.Index(merged.countries).get_indexer(rp.countries)
    pi = pd.Index(merged.products).get_indexer(rp.products)
    assert merged.sorted_by_importer
    for a, b in ((got.hhi, want.hhi), (got.top1_share, want.top1_share),
                 (got.top3_share, want.top3_share), (got.imports, want.imports)):
        np.testing.assert_allclose(a[np.ix_(ci, pi)], b, rtol=1e-12, equal_nan=True)
    np.testing.assert_array_equal(got.n_suppliers[np.ix_(ci, pi)], want.n_suppliers)


def test_bloc_refuses_a_name_taken_by_an_outside_economy_and_unknown_members() -> None:
    p = case()
    with pytest.raises(OptionError, match="not one of the members"):
        bloc_panel(p, ["KOR", "JPN"], "USA")
    with pytest.raises(NotFoundError, match="none of the bloc members"):
        bloc_panel(p, ["FOO", "BAR"], "XBL")


def test_residual_codes_by_nomenclature() -> None:
    hs = np.array(["01", "27", "98", "99", "9999AA", "XX", "TOTAL", "990100", "270900"], dtype=object)
    assert residual_mask(hs, "HS2012/HS2017 at 2 digits").tolist() == [
        False, False, True, True, True, True, True, True, False]
    assert family("HTS10 at 10 digits") == "hs" and family("SITC2 at 4 digits") == "sitc"
    sitc = np.array(["0011", "9110", "9310", "9410", "9710"], dtype=object)
    assert residual_mask(sitc, "SITC2 at 4 digits").tolist() == [False, True, True, False, False]
    assert residual_mask(np.array(["Coal", "Others"], dtype=object), "JP_GOODS at 40 digits").tolist() == [False, True]
    # Sector codes of an MRIO and hand-made labels: nothing is residual.
    assert not residual_mask(np.array(["c1", "p1"], dtype=object), "WIOD2013 goods sectors c1–c16").any()


def test_residual_codes_are_set_aside_and_listed() -> None:
    # KOR imports HS 99 from AUS 90 and JPN 10 (HHI 0.82, top-1 0.9) and HS 27 from SAU 60 and
    # USA 40 (HHI 0.52, top-1 0.6); KOR exports neither. Without the residual rule both are
    # flagged by every screen but GeoDep; with it only 27 is, and 99 is listed apart.
    p = panel([("AUS", "KOR", "99", 90), ("JPN", "KOR", "99", 10), ("SAU", "KOR", "27", 60),
               ("USA", "KOR", "27", 40)], classification="HS2017 at 2 digits")
    c = concentration(p)
    hw = np.zeros(p.n_products)
    res = residual_mask(p.products, p.classification)
    assert p.products[res].tolist() == ["99"]
    k = p.code("KOR")
    raw = screen_all(c, p.world_exports, hw)
    kept = screen_all(c, p.world_exports, hw, exclude=res)
    assert raw["korea"][k].tolist() == [True, True] and raw["eu"][k].tolist() == [True, True]
    assert {n: f[k].tolist() for n, f in kept.items()} == {
        "eu": [True, False], "geodep": [False, False], "merics": [True, False], "korea": [True, False]}
    table = residual_items(p, c, res, raw, importer="KOR")
    assert table[["product", "imports_usd", "top1_supplier"]].values.tolist() == [["99", 100.0, "AUS"]]
    assert table.loc[0, "share_of_imports"] == pytest.approx(100 / 200)
    assert table.loc[0, "hhi"] == pytest.approx(0.9**2 + 0.1**2)
    assert table.loc[0, "would_flag_korea"] and table.loc[0, "would_flag_eu"]
