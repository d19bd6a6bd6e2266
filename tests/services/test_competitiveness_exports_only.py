"""``competitiveness`` on a source with exports to the World only: the SITC2 toy matrix
(``sitc2_toy``: no bilateral flows, no USD values, and documented not to add up to national
totals).

Expected values: pandas over the raw ``world_trade_avg_1998_to_2000.csv`` (the adapter's one
mapping, ``rom`` → ROU, applied by hand), Balassa's RCA_cp = (x_cp / X_c) / (X_p / X).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from econsec.cli.main import app
from econsec.errors import OptionError
from econsec.services import indicators as svc
from econsec.store import Store
from tests.conftest import ingest_real

pytestmark = pytest.mark.slow  # reads the real data directory
runner = CliRunner()
YEAR = 1999                      # the 1998–2000 average is stored as its midpoint


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory, data_dir: Path) -> Path:
    path = tmp_path_factory.mktemp("toy") / "s.duckdb"
    with Store(path) as s:
        ingest_real(s, data_dir, "sitc2_toy")
    return path


@pytest.fixture(scope="module")
def balassa(data_dir: Path) -> pd.DataFrame:
    f = data_dir / "trade" / "world_trade_sitc2_avg_1998_2000_toy" / "world_trade_avg_1998_to_2000.csv"
    df = pd.read_csv(f, dtype={"country": str, "product": str})
    df["country"] = df["country"].str.upper().replace({"ROM": "ROU"})
    df = df.groupby(["country", "product"], as_index=False)["value"].sum()
    x_c = df.groupby("country")["value"].transform("sum")
    x_p = df.groupby("product")["value"].transform("sum")
    return df.assign(rca=(df["value"] / x_c) / (x_p / df["value"].sum()))


def test_rca_equals_balassa_on_the_raw_file(db: Path, balassa: pd.DataFrame) -> None:
    with Store(db, read_only=True) as s:
        rank = svc.competitiveness(s, year=YEAR, source="sitc2_toy", min_coverage=0)
        kor = svc.competitiveness(s, year=YEAR, source="sitc2_toy", country="KOR", min_coverage=0)
    got = kor.frame.set_index("product")["rca"]
    want = balassa[balassa["country"] == "KOR"].set_index("product")["rca"]
    assert len(got) == len(want) == 776
    np.testing.assert_allclose(got.loc[want.index], want, rtol=1e-12)
    # the ranking: every exporter, products with RCA > 1 and shares of the toy's total
    r = rank.frame.set_index("country")
    n_gt1 = balassa[balassa["rca"] > 1].groupby("country").size()
    assert len(r) == balassa["country"].nunique() == 226
    assert (r["n_products_rca_gt1"] == n_gt1.reindex(r.index, fill_value=0)).all()
    share = balassa.groupby("country")["value"].sum() / balassa["value"].sum()
    np.testing.assert_allclose(r["world_share"], share.loc[r.index], rtol=1e-12)
    assert r["eci"].notna().all()


def test_levels_are_not_called_usd_and_imports_are_absent(db: Path) -> None:
    with Store(db, read_only=True) as s:
        kor = svc.competitiveness(s, year=YEAR, source="sitc2_toy", country="KOR", min_coverage=0)
    cols = set(kor.frame.columns)
    assert {"exports", "imports"} <= cols and not any(c.endswith("_usd") for c in cols)
    assert "description" not in cols                       # SITC codes get no HS descriptions
    assert kor.tables["coverage"].columns.is_unique
    assert kor.frame["imports"].isna().all() and kor.frame["trade_specialisation"].isna().all()
    assert kor.tables["competitive_and_dependent"].empty
    notes = " | ".join(kor.coverage)
    assert "not USD" in notes and "does not add up to national totals" in notes
    assert "no imports in the source" in notes
    assert "KOR: export coverage unknown, import coverage unknown" in notes
    assert "BIASED" in notes                                # ECI over baskets of unknown coverage


def test_coverage_rule_refuses_and_says_how(db: Path) -> None:
    with Store(db, read_only=True) as s:
        with pytest.raises(OptionError, match="no exporter in sitc2_toy 1999 passes min_coverage "
                                              "80%.*set min_coverage to 0"):
            svc.competitiveness(s, year=YEAR, source="sitc2_toy")
        with pytest.raises(OptionError, match="not USD, so no independent total can check them"):
            svc.competitiveness(s, year=YEAR, source="sitc2_toy", country="KOR")
    r = runner.invoke(app, ["--db", str(db), "competitiveness", "--source", "sitc2_toy"])
    assert r.exit_code == 1 and "set min_coverage to 0" in r.stderr
    r = runner.invoke(app, ["--db", str(db), "competitiveness", "--source", "sitc2_toy",
                            "--min-coverage", "0", "--format", "json"])
    assert r.exit_code == 0, r.output
    rows = json.loads(r.stdout)["rows"]
    assert rows[0]["rank"] == 1 and "exports" in rows[0] and "exports_usd" not in rows[0]
