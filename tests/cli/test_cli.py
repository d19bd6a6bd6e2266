"""The CLI in process (typer's runner): ingest, sources, sql, errors and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
from typer.testing import CliRunner

from econsec.cli.main import app
from tests.conftest import FIXTURES

runner = CliRunner()
BACI_DIR = FIXTURES / "baci"


def run(db: Path, *args: str):
    return runner.invoke(app, ["--db", str(db), *args])


def test_ingest_sources_sql(tmp_path: Path) -> None:
    db = tmp_path / "s.duckdb"
    r = run(db, "--json", "ingest", "baci", str(BACI_DIR))
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)[0]["status"] == "loaded"
    r = run(db, "--json", "sources")
    cat = {row["source"]: row for row in json.loads(r.stdout)}
    # Independent count: data records in the fixture files, read with pandas.
    n = sum(len(pd.read_csv(f)) for f in BACI_DIR.glob("*.csv"))
    assert cat["baci"]["rows_read"] == n == 12
    assert cat["baci"]["coverage"] == "2021–2021"
    r = run(db, "--json", "sql", "SELECT exporter, sum(value_usd) v FROM trade_flows GROUP BY 1 ORDER BY 1")
    got = {row["exporter"]: row["v"] for row in json.loads(r.stdout)}
    assert got["TWN"] == 2_000_000.0  # 490 -> TWN, v = 2000 thousand USD (fixture, by hand)
    r = run(db, "--json", "ingest", "baci", str(BACI_DIR))
    assert json.loads(r.stdout)[0]["status"] == "unchanged"


def test_sql_is_read_only(tmp_path: Path) -> None:
    db = tmp_path / "s.duckdb"
    run(db, "ingest", "baci", str(BACI_DIR))
    r = run(db, "sql", "DELETE FROM trade_flows")
    assert r.exit_code == 1 and "read-only" in r.stderr
    r = run(db, "--json", "sql", "SELECT count(*) n FROM trade_flows")
    assert json.loads(r.stdout) == [{"n": 7}]


def test_bad_input_exit_code_and_message(tmp_path: Path) -> None:
    db = tmp_path / "s.duckdb"
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "country_codes_V202301.csv").write_text((BACI_DIR / "country_codes_V202301.csv").read_text())
    (bad / "BACI_HS17_Y2021_V202301.csv").write_text("t,i,j,k,v,q\n2021,410,392,854231,1.5e,1\n")
    r = run(db, "ingest", "baci", str(bad))
    assert r.exit_code == 1
    msg = " ".join(r.stderr.split())
    assert "BACI_HS17_Y2021_V202301.csv" in msg and "row 2" in msg and "'v'" in msg


def test_unknown_source_and_missing_store(tmp_path: Path) -> None:
    r = run(tmp_path / "s.duckdb", "ingest", "no_such_source")
    assert r.exit_code == 1 and "unknown source" in r.stderr
    r = run(tmp_path / "none.duckdb", "sources")
    assert r.exit_code == 1 and "no store" in r.stderr
