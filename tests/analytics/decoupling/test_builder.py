"""The scenario builder on a hand-made 4-country trade matrix: hub assignment and barrier masks
(numbers computed by hand in the comments)."""

from __future__ import annotations

import numpy as np
import pytest

from econsec.analytics.decoupling import (
    EU27_2011,
    PRESETS,
    DecouplingError,
    DecouplingSpec,
    assign_blocs,
    barrier_mask,
    build,
    hub_trade,
    preset,
    spec_from_mapping,
)
from econsec.analytics.models.multisector import from_trade
from econsec.errors import NotFoundError

C = ("USA", "CHN", "KOR", "MEX")
# importer × exporter, one sector; rows = importer n, columns = exporter i.
T = np.array([[100.0, 50.0, 10.0, 30.0],   # USA imports: from CHN 50, KOR 10, MEX 30
              [20.0, 200.0, 25.0, 2.0],    # CHN imports: from USA 20, KOR 25, MEX 2
              [8.0, 12.0, 80.0, 1.0],      # KOR imports: from USA 8, CHN 12, MEX 1
              [40.0, 6.0, 3.0, 60.0]])     # MEX imports: from USA 40, CHN 6, KOR 3
MEMBER = np.array([[1, 0], [0, 1], [0, 0], [0, 0]], dtype=float)  # hubs US = {USA}, China = {CHN}


def test_hub_trade_is_exports_plus_imports_by_hand() -> None:
    ht = hub_trade(T[:, :, None], MEMBER)
    # KOR–US: KOR exports to USA 10 + imports from USA 8 = 18; KOR–China: 25 + 12 = 37
    # MEX–US: 30 + 40 = 70; MEX–China: 2 + 6 = 8; USA–China: 50 + 20 = 70
    np.testing.assert_array_equal(ht, [[0, 70], [70, 0], [18, 37], [70, 8]])


def test_assignment_with_and_without_attachment() -> None:
    np.testing.assert_array_equal(assign_blocs(T[:, :, None], MEMBER, False), [0, 1, -1, -1])
    # KOR trades more with China (37 > 18), MEX with the US (70 > 8)
    np.testing.assert_array_equal(assign_blocs(T[:, :, None], MEMBER, True), [0, 1, 1, 0])


def test_barrier_masks_pairs_across_blocs_only() -> None:
    sectors = np.array([True, False])
    no = barrier_mask(np.array([0, 1, -1, -1]), sectors)
    # without attachment only USA↔CHN in sector 0
    assert set(zip(*np.nonzero(no), strict=True)) == {(0, 1, 0), (1, 0, 0)}
    yes = barrier_mask(np.array([0, 1, 1, 0]), sectors)
    # blocs {USA, MEX} vs {CHN, KOR}: 4 cross pairs × 2 directions, sector 0 only
    assert set(zip(*np.nonzero(yes), strict=True)) == {
        (i, n, 0) for i in range(4) for n in range(4) if (i in (0, 3)) != (n in (0, 3))}
    assert not yes[:, :, 1].any()


def test_build_sets_the_shock_and_the_assignment_table() -> None:
    trade = np.stack([T, 2 * T], axis=2)  # two sectors
    cal = from_trade(trade, countries=C, sectors=("c14", "c20"))
    spec = DecouplingSpec("t", {"US": ("USA",), "China": ("CHN",)}, ("c14",), 0.25, True)
    sc = build(cal, spec)
    d = sc.shock.trade_cost
    assert d[0, 1, 0] == d[1, 0, 0] == d[3, 2, 0] == d[2, 3, 0] == 1.25
    assert d[0, 3, 0] == d[2, 1, 0] == 1.0 and (d[:, :, 1] == 1.0).all()
    a = sc.assignment.set_index("country")
    assert list(a["role"]) == ["hub", "hub", "attached", "attached"]
    assert list(a["bloc"]) == ["US", "China", "China", "US"]
    # both sectors count: KOR–China = 3 × 37 = 111, share 111 / (111 + 54)
    assert a.loc["KOR", "trade_with_China"] == 111.0
    assert a.loc["KOR", "share_China"] == pytest.approx(37 / 55)
    assert sc.blocs == {"US": ("USA", "MEX"), "China": ("CHN", "KOR")}


def test_presets_and_validation() -> None:
    assert list(PRESETS) == ["us-china", "us-china-attach", "useu-china", "useu-china-attach",
                             "us-eu-china", "us-eu-china-attach"]
    assert len(EU27_2011) == 27 and "GBR" in EU27_2011
    assert PRESETS["useu-china"].hubs["US+EU"] == ("USA", *EU27_2011)
    assert preset("us-china", 0.5).barrier == 0.5
    with pytest.raises(NotFoundError, match="unknown decoupling preset 'nope'; presets: us-china"):
        preset("nope")
    with pytest.raises(DecouplingError, match="more than one hub"):
        DecouplingSpec("x", {"A": ("USA",), "B": ("USA", "CHN")})
    with pytest.raises(DecouplingError, match="at least two hubs"):
        DecouplingSpec("x", {"A": ("USA",)})
    with pytest.raises(DecouplingError, match="barrier must be"):
        DecouplingSpec("x", {"A": ("USA",), "B": ("CHN",)}, barrier=-0.1)
    spec = spec_from_mapping({"hubs": {"West": ["USA", "EU27"], "China": ["CHN"]},
                              "sectors": ["c14"], "attachment": True, "barrier": 0.3})
    assert len(spec.hubs["West"]) == 28 and spec.barrier == 0.3 and spec.attachment
    for doc, msg in (({"hubs": {"A": "USA"}}, r"\[hubs\]"), ({"hubs": {"A": ["USA"], "B": ["CHN"]},
                     "barrier": "x"}, "barrier must be a number"),
                     ({"hubs": {"A": ["USA"], "B": ["CHN"]}, "attach": True}, "unknown key"),
                     ({"hubs": {"A": ["USA"], "B": ["CHN"]}, "attachment": "yes"}, "true or false")):
        with pytest.raises(DecouplingError, match=msg):
            spec_from_mapping(doc)
    cal = from_trade(np.ones((2, 2, 1)), countries=("USA", "CHN"), sectors=("c14",))
    with pytest.raises(DecouplingError, match="not in the calibration"):
        build(cal, PRESETS["useu-china"])
    with pytest.raises(DecouplingError, match="sectors"):
        build(cal, DecouplingSpec("x", {"A": ("USA",), "B": ("CHN",)}, ("c9",)))
