"""SMART on the real U.S. 2024 HTS10 imports (census_hs10) with Broda–Weinstein σ (hs_concordance).

Baseline totals are checked against the data catalog (../shared/data/README.md, "Checks (this
catalog)": KOR 130.46, JPN 151.34, CHN 429.43, TWN 115.27 bn USD). China's trade creation under
+60 pp is recomputed here from the raw rows with the SMART formula.
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from econsec.analytics.models.pe import SmartModel, SmartSpec, load_baseline, tariff_shocks
from econsec.analytics.models.pe.elasticities import LABEL_HS3, LABEL_HS3_PREFIX, LABEL_SITC5
from econsec.errors import NotFoundError
from econsec.store import Store
from tests.conftest import ingest_real

pytestmark = pytest.mark.slow  # reads the real data directory


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory, data_dir: Path) -> Store:
    s = Store(tmp_path_factory.mktemp("pe") / "econsec.duckdb")
    ingest_real(s, data_dir, "census_hs10", "hs_concordance")
    yield s
    s.close()


@pytest.fixture(scope="module")
def model(store: Store) -> SmartModel:
    return SmartModel.from_store(store)


@pytest.fixture(scope="module")
def china60(model: SmartModel):  # type: ignore[no-untyped-def]
    return model.run(tariff_shocks({"CHN": 0.60}), name="china-60")


def partner_totals(b) -> pd.Series:  # type: ignore[no-untyped-def]
    return pd.Series(np.bincount(b.partner, b.imports), index=b.partners)


def test_baseline_totals_match_the_catalog(store: Store) -> None:
    b = load_baseline(store)
    tot = partner_totals(b) / 1e9
    for iso, bn in {"KOR": 130.46, "JPN": 151.34, "CHN": 429.43, "TWN": 115.27}.items():
        assert tot[iso] == pytest.approx(bn, abs=0.005), iso
    # The EU is one supplier; Slovakia, whose rows are inside the EU's, is left out and noted.
    assert "EUN" in tot.index and "SVK" not in tot.index
    assert any("SVK left out" in n for n in b.notes)
    assert len(b) == 206_612 and len(b.products) == 18_650
    np.testing.assert_allclose(b.tariff, b.duty / b.imports)
    m = load_baseline(store, eu="members")
    assert "EUN" not in set(m.partners) and partner_totals(m)["SVK"] / 1e9 == pytest.approx(8.14, abs=0.005)
    assert any("EUN left out" in n for n in m.notes)


def test_china_60_lowers_china_and_diverts_to_the_others(china60, model: SmartModel) -> None:  # type: ignore[no-untyped-def]
    b = model.baseline
    sup = china60.by_supplier().set_index("partner")
    chn = b.partners[b.partner] == "CHN"
    # Creation by hand from the rows: eps_m * m * 0.60 / (1 + t0) (no row reaches the -m floor).
    expected = (-1.5 * b.imports[chn] * 0.60 / (1 + b.tariff[chn])).sum()
    assert sup.loc["CHN", "creation"] == pytest.approx(expected, rel=1e-12)
    assert china60.diagnostics["rows_creation_floored"] == 0
    assert sup.loc["CHN", "imports_scenario"] < 0.2 * sup.loc["CHN", "imports_baseline"]
    assert sup.loc["CHN", "diversion"] < 0
    others = sup.drop(index="CHN")
    assert (others["creation"] == 0).all() and (others["diversion"] >= 0).all()
    assert others["diversion"].sum() == pytest.approx(-sup.loc["CHN", "diversion"], rel=1e-9)
    for iso in ("KOR", "JPN", "VNM", "MEX", "TWN", "EUN"):
        assert sup.loc[iso, "diversion"] > 1e9, iso          # each gains over 1 bn USD
    assert china60.diagnostics["residual"] < 1e-12
    t = china60.totals
    assert t["tariff_revenue_baseline"] == pytest.approx(b.duty.sum(), rel=1e-12)
    assert t["consumer_surplus_change"] < 0
    assert t["welfare_change"] == pytest.approx(t["consumer_surplus_change"] + t["tariff_revenue_change"])


def test_top_diversion_gains_for_korea_and_japan(china60) -> None:  # type: ignore[no-untyped-def]
    for iso in ("KOR", "JPN"):
        top = china60.top_diversion_gains(iso, 10)
        assert len(top) == 10 and top["diversion"].is_monotonic_decreasing
        assert (top["description"].str.len() > 0).all()
        assert (top["top_loser"] == "CHN").all()
        assert (top["share_scenario"] > top["share_baseline"]).all()
    assert china60.top_diversion_gains("KOR", 1)["product"].item() == "8507600020"  # Li-ion batteries
    with pytest.raises(NotFoundError, match="XXX"):
        china60.top_diversion_gains("XXX")
    text = china60.summary()
    assert "KOR South Korea: 130.46" in text and "LITHIUM-ION" in text and "census_hs10" in text


def test_elasticities_use_the_hs_concordance(model: SmartModel) -> None:
    el = model.elasticities.to_frame().set_index("product")
    # Smartphones: HS2022 8517.13 was HS1992 8525.20, so group 852, not 851.
    assert el.loc["8517130000", "sigma_key"] == "852"
    assert el.loc["8517130000", "sigma_source"] == LABEL_HS3
    # Chapter 98 (U.S. goods returned) has no HS counterpart: default sigma.
    ch98 = el[el.index.str.startswith("98")]
    assert len(ch98) and (ch98["sigma"] == 1.5).all()
    assert (el["sigma_source"] == LABEL_HS3_PREFIX).sum() == 1
    assert (el["eps_m"] == -1.5).all()


def test_elasticity_source_table(china60) -> None:  # type: ignore[no-untyped-def]
    src = china60.elasticity_sources()
    assert src["import_share"].sum() == pytest.approx(1.0)
    assert src["products"].sum() == 18_650
    # docs/models/smart-pe.md: 95.5 % of imports (18,169 products) get a Broda-Weinstein sigma.
    assert src.iloc[0]["sigma_source"] == LABEL_HS3
    assert src.iloc[0]["import_share"] == pytest.approx(0.955, abs=5e-4)
    assert src.iloc[0]["products"] == 18_169


def test_sitc_and_default_sources(store: Store, model: SmartModel) -> None:
    sitc = SmartModel.from_store(store, SmartSpec(sigma_source="sitc5"))
    # SITC3 5-digit where the HS2022 -> SITC3 link has an estimate, else the HS3 rules, else default.
    counts = pd.Series(sitc.elasticities.sigma_source).value_counts()
    assert counts[LABEL_SITC5] == 16_738 and counts[LABEL_HS3] == 1_815
    assert counts[LABEL_HS3_PREFIX] == 1 and counts["default sigma = 1.5"] == 96
    el = sitc.elasticities.to_frame().set_index("product")
    hs3 = model.elasticities.to_frame().set_index("product")
    fb = el["sigma_source"] == LABEL_HS3
    np.testing.assert_array_equal(el.loc[fb, "sigma"], hs3.loc[fb[fb].index, "sigma"])
    flat = SmartModel.from_store(store, SmartSpec(sigma_source="default", substitution_elasticity=2.0))
    assert (flat.elasticities.sigma == 2.0).all()
    assert "hs_concordance" not in flat.run().vintage


def test_eu_wide_shock_reaches_the_eu_supplier(model: SmartModel) -> None:
    members = model.baseline.groups["EUN"]
    assert len(members) == 27 and "SVK" in members
    res = model.run(tariff_shocks({m: 0.20 for m in members}))
    f = res.to_frame()
    eu = f["partner"] == "EUN"
    np.testing.assert_allclose(f.loc[eu, "tariff_scenario"], f.loc[eu, "tariff_baseline"] + 0.20)
    assert (f.loc[~eu, "tariff_scenario"] == f.loc[~eu, "tariff_baseline"]).all()
    assert res.diagnostics["unmatched_shocks"].empty


def test_zero_shock_and_speed(model: SmartModel) -> None:
    res = model.run(None)
    np.testing.assert_array_equal(res.to_frame()["imports_scenario"].to_numpy(), model.baseline.imports)
    shocks = pd.concat([tariff_shocks({"CHN": 0.60}), tariff_shocks({"CAN": 0.25, "MEX": 0.25}),
                        tariff_shocks({"ALL": 0.10}), tariff_shocks({"ALL": 0}, products=["27"], mode="exempt")])
    start = time.perf_counter()
    res = model.run(shocks)
    res.by_supplier()
    elapsed = time.perf_counter() - start
    assert elapsed < 1.0, f"full run took {elapsed:.2f} s"
    assert res.diagnostics["rows"] == 206_612
