"""One-sector GE against USITC gegravity 0.3 ``OneSectorGE`` on its own sample (30 countries,
2006), same PPML coefficients, sigma = 5 and reference importer DEU.

The committed outputs come from ``tests/reference/gegravity/run_reference.py`` (run with
/tmp/refvenv/bin/python, which has gegravity 0.3, gme 1.3.1 and pyfixest 0.60). Experiments:
the CAN-JPN PTA of gegravity's documentation and a 25% U.S.-China tariff in both directions,
expressed in gegravity as a cost variable ln(1 + tau) with coefficient 1 - sigma (iceberg, no
revenue), i.e. econsec's ``tariff_revenue=False``. econsec runs with ``full_ge="gegravity"``,
which reproduces gegravity's full-GE step (see econsec.analytics.models.gravity.model).

Tolerance (the issue's "Done when"): every percent change within 1e-5 (absolute, in percent);
levels (multilateral resistances, modelled flows) within a relative 1e-7, which is what
gegravity's own solver tolerance (residuals ~1e-9) allows.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from econsec.analytics.models.gravity import (
    Counterfactual,
    GravityData,
    OneSectorGE,
    gravity_data_from_frame,
)

pytestmark = pytest.mark.reference
HERE = Path(__file__).parent / "gegravity"
ATOL_PCT = 1e-7  # observed max 6e-8 (docs/models/gravity-ge.md); the issue asks 1e-5
RTOL_LEVEL = 1e-7
VARIABLES = ["lndist", "contiguity", "common_language", "pta", "international"]
EXPERIMENTS = {
    "can_jpn_pta": Counterfactual(variables={"pta": {("CAN", "JPN"): 1, ("JPN", "CAN"): 1}},
                                  name="CAN-JPN PTA"),
    "usa_chn_tariff25": Counterfactual(tariff={("CHN", "USA"): 0.25, ("USA", "CHN"): 0.25},
                                       name="25% U.S.-China tariff, both directions"),
}
# gegravity column -> econsec to_frame column (percent changes); shared with the benchmark
PCT = json.loads((HERE / "columns.json").read_text())


@pytest.fixture(scope="module")
def data(data_dir: Path) -> GravityData:
    df = pd.read_csv(data_dir / "gravity" / "gegravity_sample_2006" / "sample_data_set.dlm")
    return gravity_data_from_frame(df, variables=VARIABLES, year=2006, unit="million USD",
                                   source="gegravity sample_data_set.dlm")


@pytest.fixture(scope="module")
def model(data: GravityData) -> OneSectorGE:
    meta = json.loads((HERE / "meta.json").read_text())
    coef = pd.read_csv(HERE / "coefficients.csv").set_index("var")["coeff"]
    return OneSectorGE(data, coef.to_dict(), sigma=meta["sigma"],
                       reference_importer=meta["reference_importer"])


def reference(name: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    country = pd.read_csv(HERE / f"country_{name}.csv").set_index("country")
    bilateral = pd.read_csv(HERE / f"bilateral_{name}.csv")
    return country, bilateral


@pytest.mark.parametrize("name", list(EXPERIMENTS))
def test_country_results_match_gegravity(model: OneSectorGE, name: str) -> None:
    ref, _ = reference(name)
    res = model.solve(EXPERIMENTS[name], full_ge="gegravity", tariff_revenue=False)
    assert res.converged
    ours = res.to_frame().set_index("country").loc[ref.index]
    for g, e in PCT.items():
        np.testing.assert_allclose(ours[e], ref[g], rtol=0, atol=ATOL_PCT, err_msg=g)
    # gegravity's welfare statistic is (E/P) / (E'/P'): the inverse of our welfare ratio.
    np.testing.assert_allclose(ours["welfare_pct"], 100 * (1 / ref["welfare statistic"] - 1),
                               rtol=0, atol=ATOL_PCT)
    for stage, eq in (("baseline", res.baseline), ("conditional", res.conditional),
                      ("experiment", res.full)):
        idx = [res.countries.index(c) for c in ref.index]
        np.testing.assert_allclose(eq.imr[idx], ref[f"{stage} imr"], rtol=RTOL_LEVEL)
        np.testing.assert_allclose(eq.omr[idx], ref[f"{stage} omr"], rtol=RTOL_LEVEL)
    # Shipments and consumption (domestic flows included), from the pair flows.
    pairs = res.pairs()
    ship = pairs.groupby("exporter")[["trade_baseline", "trade_counterfactual"]].sum()
    cons = pairs.groupby("importer")[["trade_baseline", "trade_counterfactual"]].sum()
    for got, col in ((ship, "shipments change (percent)"), (cons, "consumption change (percent)")):
        pct = 100 * (got["trade_counterfactual"] / got["trade_baseline"] - 1)
        np.testing.assert_allclose(pct.loc[ref.index], ref[col], rtol=0, atol=ATOL_PCT)
    np.testing.assert_allclose(ship.loc[ref.index, "trade_baseline"],
                               ref["baseline modeled shipments"], rtol=RTOL_LEVEL)


@pytest.mark.parametrize("name", list(EXPERIMENTS))
def test_pair_results_match_gegravity(model: OneSectorGE, name: str) -> None:
    _, ref = reference(name)
    res = model.solve(EXPERIMENTS[name], full_ge="gegravity", tariff_revenue=False)
    m = res.pairs().merge(ref, on=["exporter", "importer"], validate="1:1")
    assert len(m) == len(ref) == 900
    np.testing.assert_allclose(m["trade_pct"], m["trade change (percent)"], rtol=0, atol=ATOL_PCT)
    np.testing.assert_allclose(m["trade_baseline"], m["baseline modeled trade"], rtol=RTOL_LEVEL)
    np.testing.assert_allclose(m["trade_counterfactual"], m["experiment trade"], rtol=RTOL_LEVEL)


def test_conditional_stage_is_the_same_in_both_closures(model: OneSectorGE) -> None:
    # The conditional GE does not depend on the full-GE closure; the full endowment GE does
    # (gegravity keeps conditional MRs): document the size of that gap on the PTA example.
    cf = EXPERIMENTS["can_jpn_pta"]
    gg = model.solve(cf, full_ge="gegravity")
    en = model.solve(cf, full_ge="endowment")
    np.testing.assert_allclose(gg.conditional.x, en.conditional.x, rtol=1e-13)
    f_gg = gg.to_frame().set_index("country")
    f_en = en.to_frame().set_index("country")
    # CAN's factory-gate price: -0.1358% (gegravity) against -0.1151% (joint solution).
    assert f_gg.loc["CAN", "factory_gate_price_pct"] == pytest.approx(-0.13577, abs=1e-5)
    assert f_en.loc["CAN", "factory_gate_price_pct"] == pytest.approx(-0.11510, abs=1e-5)


def test_coefficients_are_gegravitys_documented_estimates() -> None:
    # gegravity's README lists PPML estimates lndist -0.3898623, contiguity 0.891577,
    # common_language 0.0326249, pta 0.4711383, international -3.412584 (7 digits).
    coef = pd.read_csv(HERE / "coefficients.csv").set_index("var")["coeff"]
    doc = {"lndist": -0.3898623, "contiguity": 0.891577, "common_language": 0.0326249,
           "pta": 0.4711383, "international": -3.412584}
    for k, v in doc.items():
        assert coef[k] == pytest.approx(v, abs=5e-7)


REF_PYTHON = Path(os.environ.get("ECONSEC_REFVENV_PYTHON", sys.executable))


@pytest.mark.slow
@pytest.mark.skipif(not REF_PYTHON.exists(), reason="no Python with gegravity 0.3 installed")
def test_committed_reference_output_is_current(tmp_path: Path, data_dir: Path) -> None:
    env = dict(os.environ, ECONSEC_DATA_DIR=str(data_dir))
    subprocess.run([str(REF_PYTHON), str(HERE / "run_reference.py"), str(tmp_path)], check=True,
                   env=env, capture_output=True)
    for f in sorted(HERE.glob("*.csv")):
        new, old = pd.read_csv(tmp_path / f.name), pd.read_csv(f)
        # pyfixest and gegravity converge to ~1e-10 from run to run.
        pd.testing.assert_frame_equal(new, old, rtol=1e-6, atol=1e-8, check_exact=False)
