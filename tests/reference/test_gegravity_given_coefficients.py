"""`econsec gravity simulate` and ``Session.gravity_simulate`` with *given* coefficients, against
gegravity 0.3's committed run with the same coefficients (``tests/reference/gegravity``: the
script ``run_reference.py``, its ``coefficients.csv`` and outputs).

gegravity's run reads ``sample_data_set.dlm`` and the five coefficients of ``coefficients.csv``,
sigma = 5, reference importer DEU; econsec reads the same two files, estimates nothing, and uses
the gegravity closure (``--closure gegravity``: no tariff revenue, as gegravity's cost-variable
tariff). Tolerance as ``test_gegravity_reference.py``: 1e-7 percentage points.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

import econsec
from econsec.cli.main import app
from econsec.services import gravity as svc

pytestmark = pytest.mark.reference
HERE = Path(__file__).parent / "gegravity"
COEF = HERE / "coefficients.csv"
ATOL_PCT = 1e-7
PCT = json.loads((HERE / "columns.json").read_text())
runner = CliRunner()


def sample(data_dir: Path) -> Path:
    return data_dir / "gravity" / "gegravity_sample_2006" / "sample_data_set.dlm"


def reference(name: str) -> pd.DataFrame:
    return pd.read_csv(HERE / f"country_{name}.csv").set_index("country")


def assert_matches(ours: pd.DataFrame, ref: pd.DataFrame) -> None:
    ours = ours.set_index("country").loc[ref.index]
    for g, e in PCT.items():
        np.testing.assert_allclose(ours[e], ref[g], rtol=0, atol=ATOL_PCT, err_msg=g)
    np.testing.assert_allclose(ours["welfare_pct"], 100 * (1 / ref["welfare statistic"] - 1),
                               rtol=0, atol=ATOL_PCT)


def test_cli_with_a_coefficient_file_matches_gegravity(data_dir: Path, tmp_path: Path) -> None:
    r = runner.invoke(app, ["--db", str(tmp_path / "unused.duckdb"), "--json", "gravity", "simulate",
                            "--data", str(sample(data_dir)), "--coef-file", str(COEF),
                            "--set", "pta:CAN-JPN,JPN-CAN=1", "--closure", "gegravity"])
    assert r.exit_code == 0, r.output
    assert_matches(pd.DataFrame(json.loads(r.stdout)), reference("can_jpn_pta"))


def test_cli_with_coef_options_matches_gegravity(data_dir: Path, tmp_path: Path) -> None:
    coef = pd.read_csv(COEF)
    spec = ",".join(f"{v}={c!r}" for v, c in zip(coef["var"], coef["coeff"], strict=True))
    r = runner.invoke(app, ["--db", str(tmp_path / "unused.duckdb"), "--json", "gravity", "simulate",
                            "--data", str(sample(data_dir)), "--coef", spec, "--coef", "constant=4.2",
                            "--tariff", "CHN-USA,USA-CHN=0.25", "--closure", "gegravity"])
    assert r.exit_code == 0, r.output
    # the intercept changes nothing (tests/analytics/models/test_gravity_given_coefficients.py)
    assert_matches(pd.DataFrame(json.loads(r.stdout)), reference("usa_chn_tariff25"))


def test_session_and_service_take_given_coefficients(data_dir: Path, tmp_path: Path) -> None:
    coef = svc.read_coefficients(COEF)
    with econsec.Session(tmp_path / "s.duckdb") as es:
        est, res = es.gravity_simulate(data=str(sample(data_dir)), year=2006, sigma=5.0,
                                       reference_importer="DEU", coefficients=coef,
                                       set_values={"pta": {("CAN", "JPN"): 1, ("JPN", "CAN"): 1}},
                                       full_ge="gegravity", tariff_revenue=False)
    assert est is None                                     # nothing estimated
    assert res.parameters["coefficients"] == coef
    assert "from given coefficients" in res.method
    assert_matches(res.to_frame(), reference("can_jpn_pta"))
