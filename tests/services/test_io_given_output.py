"""WIOD 2011 with its published gross output, and the final-demand shock, through the service,
the CLI (in process) and the Python API.

Expected values come from the raw ``wiot_2011.parquet`` with numpy alone: A = Z / GO (GO = the
file's published gross-output column, 0 where GO is 0), L = inv(I − A) by a dense inverse, output
multipliers = column sums of L, and Δx = L Δf.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

import econsec
from econsec.api import create_app
from econsec.cli.main import app
from econsec.services import io as iosvc
from econsec.settings import Config
from econsec.store import Store
from tests.conftest import ingest_real

pytestmark = pytest.mark.slow  # reads the real data directory

runner = CliRunner()


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory, data_dir: Path) -> Iterator[Path]:
    path = tmp_path_factory.mktemp("wiodgo") / "econsec.duckdb"
    with Store(path) as s:
        ingest_real(s, data_dir, "wiod2013", wiod_years=(2011,))
    yield path


@pytest.fixture(scope="module")
def raw(data_dir: Path) -> dict[str, object]:
    """Z, GO and L of WIOD 2011 from the raw file (rows and Z columns country-major)."""
    df = pd.read_parquet(data_dir / "io" / "wiod_2013" / "wiot_2011.parquet")
    labels = [(c.upper(), s) for c, s in zip(df["country"], df["industry"], strict=True)]
    zcols = [f"{c}_{s}" for c, s in zip(df["country"], df["industry"], strict=True)]
    Z = df[zcols].to_numpy(dtype=float)
    go = df["GO"].to_numpy(dtype=float)
    fd = [c for c in df.columns if c not in {*zcols, "year", "country", "industry", "GO"}]
    rows = Z.sum(axis=1) + df[fd].to_numpy(dtype=float).sum(axis=1)   # x = Z·1 + Y·1

    def leontief(x: np.ndarray) -> np.ndarray:
        inv = np.divide(1.0, x, out=np.zeros_like(x), where=x != 0)
        return np.linalg.inv(np.eye(len(x)) - Z * inv[np.newaxis, :])

    return {"labels": pd.MultiIndex.from_tuples(labels), "go": go, "L": leontief(go),
            "y": rows - Z.sum(axis=1), "L_rows": leontief(rows)}


def test_published_gross_output_multipliers(db: Path, raw: dict[str, object]) -> None:
    with Store(db, read_only=True) as s:
        m = iosvc.table(s, 2011, output="published")
        r = iosvc.multipliers(s, 2011, output="published")
        rows = iosvc.multipliers(s, 2011)
    labels = raw["labels"]
    np.testing.assert_array_equal(m.x, raw["go"])
    got = r.frame["output"].set_axis(labels)
    want = pd.Series(np.asarray(raw["L"]).sum(axis=0), index=labels)
    np.testing.assert_allclose(got, want, rtol=1e-9)
    # China c14: published GO 2,132,008 against a row sum of 2,131,990 (million USD)
    assert m.x[m.index_of(("CHN", "c14"))[0]] == 2_132_008
    assert rows.frame.loc[("CHN", "c14"), "x"] == pytest.approx(2_131_990, rel=1e-12)
    assert any(n.startswith("gross output x given") for n in r.diagnostics.notes)


def test_demand_shock_service_cli_and_session(db: Path, raw: dict[str, object]) -> None:
    labels = raw["labels"]
    j = labels.get_loc(("USA", "c14"))
    want = np.asarray(raw["L"])[:, j] * -1000.0          # Δx = L Δf, Δf = −1000 on USA c14
    with Store(db, read_only=True) as s:
        r = iosvc.demand_shock(s, country="USA", sector="c14", change=-1000.0, output="published")
    np.testing.assert_allclose(r.frame["delta_x"].to_numpy(), want, rtol=1e-8, atol=1e-9)
    out = runner.invoke(app, ["--db", str(db), "io", "demand-shock", "--country", "usa",
                              "--sector", "c14", "--change", "-1000", "--gross-output", "published",
                              "--format", "json"])
    assert out.exit_code == 0, out.output
    doc = json.loads(out.stdout)
    row = next(x for x in doc["rows"] if x["region"] == "CHN" and x["sector"] == "c14")
    assert row["delta_x"] == pytest.approx(want[labels.get_loc(("CHN", "c14"))], rel=1e-8)
    bad = runner.invoke(app, ["--db", str(db), "io", "demand-shock", "--country", "usa",
                              "--sector", "c14"])
    assert bad.exit_code == 2 and "--change" in bad.output
    with econsec.Session(db, read_only=True) as es:
        sess = es.io_demand_shock(country="usa", sector="c14", share=-0.1)
    # row-sum table: Δf = −10 % of USA c14's final demand y_j
    want_share = np.asarray(raw["L_rows"])[:, j] * -0.1 * np.asarray(raw["y"])[j]
    np.testing.assert_allclose(sess.frame["delta_x"].to_numpy(), want_share, rtol=1e-8, atol=1e-9)


def test_demand_shock_api(db: Path, raw: dict[str, object]) -> None:
    j = raw["labels"].get_loc(("USA", "c14"))
    want = np.asarray(raw["L"])[:, j] * 500.0
    with TestClient(create_app(Config.resolve(db=db), read_only=True)) as c:
        r = c.post("/api/io/demand-shock", json={"country": "usa", "sector": "c14", "change": 500,
                                                 "gross_output": "published"})
        assert r.status_code == 200, r.text
        got = np.array([row["delta_x"] for row in r.json()["rows"]])
        np.testing.assert_allclose(got, want, rtol=1e-8, atol=1e-9)
        bad = c.post("/api/io/demand-shock", json={"country": "USA", "sector": "c14"})
        assert bad.status_code == 422 and "either change" in bad.text
