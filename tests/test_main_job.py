"""The main job end to end: `econsec ingest` over the whole data directory, then the catalog.

Row counts in `econsec sources --json` are checked against counts made here independently of
the adapters (pandas / pyarrow metadata), and headline values against the data README's
published checks, queried through `econsec sql`.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from econsec.cli.main import app
from econsec.sources.registry import ADAPTERS

pytestmark = pytest.mark.slow
runner = CliRunner()


@pytest.fixture(scope="module")
def full_store(tmp_path_factory: pytest.TempPathFactory, data_dir: Path) -> tuple[Path, list[dict]]:
    db = tmp_path_factory.mktemp("main") / "econsec.duckdb"
    r = runner.invoke(app, ["--db", str(db), "--data-dir", str(data_dir), "--json", "ingest"])
    assert r.exit_code == 0, r.output
    return db, json.loads(r.stdout)


def cli_json(db: Path, *args: str) -> list[dict]:
    r = runner.invoke(app, ["--db", str(db), "--json", *args])
    assert r.exit_code == 0, r.output
    return json.loads(r.stdout)


def test_every_registered_source_is_loaded(full_store) -> None:
    db, outcomes = full_store
    assert {o["source"] for o in outcomes} == set(ADAPTERS)
    assert {o["status"] for o in outcomes} == {"loaded"}
    catalog = {row["source"]: row for row in cli_json(db, "sources")}
    assert set(catalog) == set(ADAPTERS)
    for name, row in catalog.items():
        assert row["rows"] > 0 and len(row["sha256"]) == 64, name


def test_row_counts_against_independent_counts(full_store, data_dir: Path) -> None:
    db, _ = full_store
    cat = {row["source"]: row for row in cli_json(db, "sources")}
    d = data_dir
    comtrade = sum(len(pd.read_csv(f, dtype=str)) for f in (d / "trade/comtrade_hs2_2019_2020").glob("*.csv"))
    assert cat["comtrade_hs2"]["rows_read"] == comtrade == 277_298  # README: 277,298 rows
    hs10 = d / "us_trade/census_imports_hs10_2024"
    n_hs10 = sum(pq.read_metadata(f).num_rows for f in hs10.glob("*.parquet"))
    n_map = len(pd.read_csv(hs10 / "CensusCountryMapping_FRBAtl_short.csv", dtype=str))
    assert n_hs10 == 209_616  # README
    assert cat["census_hs10"]["rows_read"] == n_hs10 + n_map
    assert cat["agtpa"]["rows_read"] == pq.read_metadata(
        d / "gravity/agtpa_yotov2016/agtpa_applications.parquet").num_rows == 99_981
    wiod = d / "io/wiod_2013"
    n_wiod = sum(pq.read_metadata(f).num_rows for f in wiod.glob("wiot_*.parquet"))
    labels = sum(len(pd.read_csv(wiod / f)) for f in ("wiod2013_industries.csv", "wiod2013_countries.csv",
                                                      "wiod2013_final_demand_categories.csv"))
    assert cat["wiod2013"]["rows_read"] == n_wiod + labels == 17 * 1435 + labels
    gpr = pd.read_csv(d / "risk/gpr_caldara_iacoviello/data_gpr_export.tidy.csv")
    assert cat["gpr"]["rows_read"] == len(gpr) == 1516


def test_published_values_through_sql(full_store) -> None:
    db, _ = full_store
    # Japan customs: 2021 imports 84,875 bn JPY (MOF ¥84.88 tn; data README).
    [r] = cli_json(db, "sql", "SELECT sum(value) v FROM trade_flows WHERE source='japan_customs' "
                   "AND month IS NULL AND year=2021 AND flow='import' AND product='TOTAL' AND exporter='WLD'")
    assert r["v"] == pytest.approx(84_875, abs=1)
    # Census HS10: U.S. 2024 imports for consumption from Korea 130.46 bn USD (data README).
    [r] = cli_json(db, "sql", "SELECT sum(value_usd)/1e9 v FROM trade_flows WHERE source='census_hs10' "
                   "AND exporter='KOR'")
    assert r["v"] == pytest.approx(130.46, abs=0.01)
    # Energy Institute: Korea's 2022 LNG imports 63.9 bcm in the 2023 edition's trade matrix
    # (data README); the 2024 edition revises the series to 63.79.
    [r] = cli_json(db, "sql", "SELECT value FROM energy_trade WHERE source='ei_review' AND "
                   "importer='KOR' AND year=2022 AND exporter_kind='total'")
    assert r["value"] == pytest.approx(63.9, abs=1e-9)
    [r] = cli_json(db, "sql", "SELECT value FROM commodity_series WHERE source='ei_review' AND "
                   "country='KOR' AND year=2022 AND commodity='lng' AND measure='imports'")
    assert r["value"] == pytest.approx(63.79, abs=0.005)
    # Taiwan is never lost: Comtrade reporter 490 "Other Asia, nes" is TWN, and reported as such.
    rows = cli_json(db, "sql", "SELECT source, field, mapped_to FROM code_mappings WHERE code='490'")
    assert {(r["source"], r["mapped_to"]) for r in rows} >= {("comtrade_hs2", "TWN"), ("baci", "TWN")}


def test_second_run_changes_nothing(full_store, data_dir: Path) -> None:
    db, _ = full_store
    r = runner.invoke(app, ["--db", str(db), "--data-dir", str(data_dir), "--json", "ingest"])
    assert {o["status"] for o in json.loads(r.stdout)} == {"unchanged"}
