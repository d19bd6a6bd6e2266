"""Shock frames: building, matching rules (add / set / exempt, specificity), validation."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pandas as pd
import pytest

from econsec.analytics.models.pe import (
    SmartInputError,
    SmartModel,
    SmartSpec,
    apply_shocks,
    baseline_from_frame,
    tariff_shocks,
)
from econsec.errors import OptionError


@pytest.fixture()
def base():  # type: ignore[no-untyped-def]
    rows = [("8517130000", "CHN", 0.00), ("8517130000", "KOR", 0.00), ("8542310000", "CHN", 0.25),
            ("8542310000", "TWN", 0.00), ("2709000000", "CAN", 0.001), ("2709000000", "MEX", 0.0),
            ("8703230140", "JPN", 0.025), ("8703230140", "KOR", 0.0), ("8703230140", "MEX", 0.0)]
    df = pd.DataFrame(rows, columns=["product", "partner", "tariff"]).assign(imports=100.0)
    return baseline_from_frame(df)


def new_tariffs(base, shocks) -> pd.Series:  # type: ignore[no-untyped-def]
    out = apply_shocks(base, shocks)
    idx = pd.MultiIndex.from_arrays([base.products[base.product], base.partners[base.partner]])
    return pd.Series(out.tariff, index=idx)


def test_builder() -> None:
    s = tariff_shocks({"CHN": 0.60, "ALL": 0.10}, products=["85", "2709"])
    assert list(s.columns) == ["partner", "product_prefix", "rate", "mode"]
    assert len(s) == 4 and set(s["mode"]) == {"add"}
    assert s.loc[(s.partner == "CHN") & (s.product_prefix == "2709"), "rate"].item() == 0.60


def test_add_on_top_of_the_baseline(base) -> None:  # type: ignore[no-untyped-def]
    t = new_tariffs(base, tariff_shocks({"CHN": 0.60}))
    assert t[("8542310000", "CHN")] == pytest.approx(0.85)
    assert t[("8517130000", "CHN")] == pytest.approx(0.60)
    assert t[("8542310000", "TWN")] == 0.0 and t[("8703230140", "JPN")] == 0.025


def test_adds_are_summed(base) -> None:  # type: ignore[no-untyped-def]
    s = pd.concat([tariff_shocks({"CHN": 0.10}), tariff_shocks({"CHN": 0.34})])
    assert new_tariffs(base, s)[("8542310000", "CHN")] == pytest.approx(0.25 + 0.44)


def test_set_specificity_then_add(base) -> None:  # type: ignore[no-untyped-def]
    s = pd.concat([tariff_shocks({"ALL": 0.10}, mode="set"),
                   tariff_shocks({"CHN": 0.20}, products=["85"], mode="set"),
                   tariff_shocks({"ALL": 0.30}, products=["8517"], mode="set"),
                   tariff_shocks({"KOR": 0.05}, products=["8703"])])
    t = new_tariffs(base, s)
    assert t[("8517130000", "CHN")] == 0.30          # longer prefix beats a named partner
    assert t[("8542310000", "CHN")] == 0.20          # named partner beats ALL at a shorter prefix
    assert t[("8542310000", "TWN")] == 0.10
    assert t[("8703230140", "KOR")] == pytest.approx(0.15)   # set 0.10, then +0.05
    assert t[("8703230140", "JPN")] == 0.10                   # set replaces the 2.5% baseline


def test_exempt_products_keep_the_baseline(base) -> None:  # type: ignore[no-untyped-def]
    s = pd.concat([tariff_shocks({"ALL": 0.25}), tariff_shocks({"ALL": 0}, products=["27"], mode="exempt")])
    out = apply_shocks(base, s)
    t = new_tariffs(base, s)
    assert t[("2709000000", "CAN")] == 0.001 and t[("2709000000", "MEX")] == 0.0
    assert t[("8703230140", "MEX")] == 0.25
    assert out.shocked.sum() == 7


def test_floor_is_an_all_in_minimum(base) -> None:  # type: ignore[no-untyped-def]
    # "15% all-in" on JPN and KOR cars: max(tariff after set/add, 15%); two floors -> the higher.
    s = pd.concat([tariff_shocks({"JPN": 0.15, "KOR": 0.15}, products=["8703"], mode="floor"),
                   tariff_shocks({"KOR": 0.20}, products=["870323"], mode="floor"),
                   tariff_shocks({"MEX": 0.25})])
    t = new_tariffs(base, s)
    assert t[("8703230140", "JPN")] == 0.15 and t[("8703230140", "KOR")] == 0.20
    assert t[("8703230140", "MEX")] == 0.25 and t[("8517130000", "KOR")] == 0.0


def test_all_with_exclusions(base) -> None:  # type: ignore[no-untyped-def]
    s = tariff_shocks({"ALL": 0.10, "CAN": 0.25}, exclude=["CAN", "MEX"], partners=base.partners)
    assert set(s["partner"]) == {"CHN", "JPN", "KOR", "TWN", "CAN"}
    t = new_tariffs(base, s)
    assert t[("2709000000", "MEX")] == 0.0 and t[("2709000000", "CAN")] == pytest.approx(0.251)
    with pytest.raises(SmartInputError, match="list of partners"):
        tariff_shocks({"ALL": 0.10}, exclude=["CAN"])


def test_shocks_on_every_eu_member_reach_the_eu_aggregate() -> None:
    df = pd.DataFrame({"product": ["8703230140"] * 3, "partner": ["EUN", "JPN", "KOR"],
                       "imports": [10.0, 20.0, 30.0], "tariff": [0.025, 0.025, 0.0]})
    b = baseline_from_frame(df)
    b = dataclasses.replace(b, groups={"EUN": ("AUT", "DEU", "FRA")})
    out = apply_shocks(b, tariff_shocks({"AUT": 0.2, "DEU": 0.2, "FRA": 0.2}))
    assert out.tariff[0] == pytest.approx(0.225) and out.unmatched.empty
    # Only some members: nothing reaches EUN, and the shocks are reported unmatched.
    out = apply_shocks(b, tariff_shocks({"DEU": 0.2}))
    assert out.tariff[0] == 0.025 and list(out.unmatched["partner"]) == ["DEU"]
    # An explicit EUN shock is not doubled by the member expansion.
    s = pd.concat([tariff_shocks({"AUT": 0.15, "DEU": 0.15, "FRA": 0.15}, mode="set"),
                   tariff_shocks({"EUN": 0.15}, mode="set")])
    assert new_tariffs(b, s)[("8703230140", "EUN")] == 0.15


def test_negative_rates_floor_at_zero_and_unmatched_shocks_are_reported(base) -> None:  # type: ignore[no-untyped-def]
    s = pd.concat([tariff_shocks({"JPN": -0.10}), tariff_shocks({"RUS": 0.5}),
                   tariff_shocks({"CHN": 0.5}, products=["99"])])
    out = apply_shocks(base, s)
    assert out.floored == 1
    assert new_tariffs(base, s)[("8703230140", "JPN")] == 0.0
    assert sorted(out.unmatched["partner"]) == ["CHN", "RUS"]


def test_no_shock_is_the_baseline(base) -> None:  # type: ignore[no-untyped-def]
    np.testing.assert_array_equal(apply_shocks(base, None).tariff, base.tariff)
    res = SmartModel.from_baseline(base).run(None)
    np.testing.assert_array_equal(res.to_frame()["imports_scenario"], base.imports)
    assert res.totals["welfare_change"] == 0.0


@pytest.mark.parametrize(("frame", "message"), [
    (pd.DataFrame({"partner": ["CHN"], "product_prefix": [""], "rate": [0.1], "mode": ["plus"]}),
     "mode must be one of ('add', 'set', 'floor', 'exempt')"),
    (pd.DataFrame({"partner": ["China"], "product_prefix": [""], "rate": [0.1], "mode": ["add"]}),
     "ISO3 code or 'ALL'"),
    (pd.DataFrame({"partner": ["CHN"], "product_prefix": ["85.17"], "rate": [0.1], "mode": ["add"]}),
     "0 to 10 HTS digits"),
    (pd.DataFrame({"partner": ["CHN"], "product_prefix": [""], "rate": [-0.1], "mode": ["set"]}),
     "≥ 0 for 'set' and 'floor'"),
    (pd.DataFrame({"partner": ["CHN"] * 2, "product_prefix": ["85"] * 2, "rate": [0.1, 0.2],
                   "mode": ["set"] * 2}), "two 'set' shocks"),
    (pd.DataFrame({"partner": ["CHN"], "rate": [0.1]}), "lacks columns"),
])
def test_bad_shocks_are_rejected(base, frame: pd.DataFrame, message: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(SmartInputError, match=message.replace("(", r"\(").replace(")", r"\)")):
        apply_shocks(base, frame)


@pytest.mark.parametrize(("kw", "error", "message"), [
    ({"import_demand_elasticity": 1.5}, SmartInputError, "negative"),
    ({"demand": "linear"}, OptionError, "demand: expected one of 'smart', 'isoelastic'; got 'linear'"),
    ({"sigma_source": "hs6"}, OptionError,
     "sigma_source: expected one of 'hs3', 'sitc5', 'default'; got 'hs6'"),
    ({"substitution_elasticity": -1}, SmartInputError, "≥ 0"),
    ({"export_supply_elasticity": 0.0}, SmartInputError, "> 0"),
])
def test_bad_spec_is_rejected(kw: dict, error: type[Exception], message: str) -> None:  # type: ignore[type-arg]
    with pytest.raises(error, match=message.replace("(", r"\(").replace(")", r"\)")):
        SmartSpec(**kw)


def test_spec_is_immutable_and_wits_setting_runs(base) -> None:  # type: ignore[no-untyped-def]
    spec = SmartSpec(export_supply_elasticity=99.0)
    with pytest.raises(AttributeError):
        spec.demand = "isoelastic"  # type: ignore[misc]
    res = SmartModel.from_baseline(base, spec).run(tariff_shocks({"CHN": 0.6}))
    # With eps_x = 99 (WITS) the world price of Chinese varieties falls a little.
    pe = res.by_supplier().set_index("partner").loc["CHN", "price_effect"]
    assert pe < 0 and math.isfinite(pe)
    with pytest.raises(ValueError, match="read-only"):
        base.imports[0] = 1.0
