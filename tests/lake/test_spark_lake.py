"""Spark engine: parity with the DuckDB BACI adapter on the real sample files, atomicity on bad
input, idempotence. Reference: the BACI adapter (``econsec.sources.baci``) on the same files,
and independent pandas reads of the raw CSVs for the hand counts.

One Spark session for the module (starting Spark takes several seconds); all tests are ``slow``.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from econsec.analytics.indicators.data import load_panel
from econsec.errors import InputError, UnknownCodeError
from econsec.lake import LakeError, SparkLake, session
from econsec.sources.baci import Baci
from econsec.store import Store
from tests.conftest import ingest_real, snapshot

pytestmark = pytest.mark.slow

ROWS = "SELECT * EXCLUDE (source) FROM trade_flows ORDER BY ALL"


@pytest.fixture(scope="module")
def spark():
    s = session("local[2]")
    yield s
    s.stop()


@pytest.fixture(scope="module")
def files(data_dir: Path) -> list[Path]:
    found = Baci().discover(data_dir)
    assert len(found) == 3  # the code table and the two sample years
    return found


@pytest.fixture(scope="module")
def built(tmp_path_factory, data_dir: Path, files: list[Path], spark):
    """(lake, its outcome, store filled by the DuckDB adapter, store filled from the lake)."""
    tmp = tmp_path_factory.mktemp("lake")
    lake = SparkLake(tmp / "lake")
    outcome = lake.ingest_baci(files, spark)
    duck, viaspark = Store(tmp / "duck.duckdb"), Store(tmp / "spark.duckdb")
    ingest_real(duck, data_dir, "baci")
    registered = lake.register(viaspark)
    yield lake, outcome, registered, duck, viaspark
    duck.close()
    viaspark.close()


def _raw(files: list[Path]) -> dict[Path, pd.DataFrame]:
    return {f: pd.read_csv(f, dtype={"k": str}) for f in files if not f.name.startswith("country")}


def test_trade_flows_identical_to_adapter(built) -> None:
    _, outcome, registered, duck, viaspark = built
    a, b = duck.df(ROWS), viaspark.df(ROWS)
    assert len(a) == 70_920 + 71_192  # rows per file, as the data README and the adapter's test give
    pd.testing.assert_frame_equal(a, b)
    assert outcome.status == "loaded" and outcome.rows_by_year == {2020: 70_920, 2021: 71_192}
    assert registered.status == "loaded" and registered.rows_written["trade_flows"] == len(a)
    for q in ("SELECT * EXCLUDE (source) FROM country_codes ORDER BY ALL",
              "SELECT field, code, mapped_to, rows, note FROM code_mappings ORDER BY ALL",
              "SELECT file, sha256, bytes, rows_read FROM ingest_log ORDER BY file",
              "SELECT tbl, rows FROM ingest_tables ORDER BY tbl"):
        pd.testing.assert_frame_equal(duck.df(q), viaspark.df(q))
    vintage = viaspark.df("SELECT DISTINCT vintage FROM ingest_log")["vintage"].tolist()
    assert len(vintage) == 1 and "via econsec lake snapshot" in vintage[0] and "Spark" in vintage[0]


def test_values_by_hand(built, files: list[Path]) -> None:
    """value_usd = v x 1000 (v is thousand USD); k keeps its leading zeros at 6 digits."""
    lake, *_ = built
    lk = lake.reader("baci").read_all().to_pandas()
    for raw in _raw(files).values():
        year = int(raw["t"].iloc[0])
        got = lk[lk.year == year]
        assert got["value_usd"].sum() == pytest.approx(raw["v"].sum() * 1000, rel=1e-12)
        assert got["value"].sum() == pytest.approx(raw["v"].sum(), rel=1e-12)
        assert got["product"].str.len().eq(6).all()
        assert sorted(got["product"].unique()) == sorted(raw["k"].str.zfill(6).unique())
    assert set(lk["flow"]) == {"reconciled"} and lk["mirror"].eq(False).all()
    assert lk["reporter"].isna().all() and lk["month"].isna().all()


def test_taiwan_mapping_row_counted(built, files: list[Path]) -> None:
    """490 "Other Asia, nes" -> TWN: rows counted in the raw files (pandas) and in both stores."""
    _, outcome, _, duck, viaspark = built
    raw = pd.concat(_raw(files).values())
    n490 = int(((raw.i == 490) | (raw.j == 490)).sum())
    assert int(((raw.i == 158) | (raw.j == 158)).sum()) == 0  # no other route to TWN in the data
    assert n490 > 0
    q = "SELECT count(*) AS n FROM trade_flows WHERE exporter = 'TWN' OR importer = 'TWN'"
    assert int(duck.df(q)["n"].iloc[0]) == int(viaspark.df(q)["n"].iloc[0]) == n490
    assert ("country_code", "490", "TWN") in {(m.field, m.code, m.mapped_to) for m in outcome.mappings}
    # Italy: 380 in the 2021 data, 381 in the V202201 table: the ISO fallback, row-counted.
    it = [m for m in outcome.mappings if m.code == "380"]
    assert len(it) == 1 and it[0].rows == int((raw[raw.t == 2021].j == 380).sum())


@pytest.mark.parametrize("year", [2020, 2021])
def test_load_panel_identical(built, year: int) -> None:
    _, _, _, duck, viaspark = built
    a, b = load_panel(duck, "baci", year), load_panel(viaspark, "baci", year)
    for name in ("countries", "products", "world_exports"):
        np.testing.assert_array_equal(getattr(a, name), getattr(b, name), err_msg=name)
    # Flows come sorted by importer, product, value (descending); suppliers with equal values
    # may come in either order (DuckDB's sort is not stable over insertion order): compare with
    # the exporter as the last key.
    for p in (a, b):
        assert (np.diff(p.importer) >= 0).all()
    oa, ob = (np.lexsort((p.exporter, -p.value, p.product, p.importer)) for p in (a, b))
    for name in ("exporter", "importer", "product", "value"):
        np.testing.assert_array_equal(getattr(a, name)[oa], getattr(b, name)[ob], err_msg=name)
    assert a.classification == b.classification and a.notes == b.notes
    assert b.vintage.startswith(a.vintage)


def test_idempotent(built, files: list[Path]) -> None:
    lake, _, _, _, viaspark = built
    before = lake.manifest_path.read_bytes()

    def no_spark():
        raise AssertionError("an unchanged re-run must not start Spark")

    again = lake.ingest_baci(files, no_spark)
    assert again.status == "unchanged" and again.rows_by_year == {2020: 70_920, 2021: 71_192}
    assert lake.manifest_path.read_bytes() == before
    store_before = snapshot(viaspark)
    assert lake.register(viaspark).status == "unchanged"
    assert snapshot(viaspark) == store_before


def _tree(root: Path) -> dict[str, str]:
    """Every file under ``root`` with its SHA-256: "the lake is exactly as it was"."""
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def small(tmp_path_factory, files: list[Path], spark):
    """A lake holding the first 40 rows of the real 2020 file, and those lines."""
    d = tmp_path_factory.mktemp("small")
    lines = files[1].read_text().splitlines(keepends=True)[:41]
    good = d / "good" / "BACI_HS17_Y2020_V202201.csv"
    good.parent.mkdir()
    good.write_text("".join(lines))
    lake = SparkLake(d / "lake")
    out = lake.ingest_baci([files[0], good], spark)
    assert out.rows_by_year == {2020: 40}
    return lake, lines, d


@pytest.mark.parametrize(("line", "bad", "error", "field"), [
    (7, "2020,4,31,251512,x,1.0\n", InputError, "v"),         # v not a number
    (12, "2020,4,999,251512,1.0,1.0\n", UnknownCodeError, "j"),  # 999 not in the code table
    (30, "2020,4,31,251512,1.0,1.0,9\n", InputError, None),    # seven fields
])
def test_bad_row_names_place_and_leaves_lake(small, files, spark, line, bad, error, field) -> None:
    lake, lines, d = small
    body = lines[:line - 1] + [bad] + lines[line - 1:]
    f = d / f"bad{line}" / "BACI_HS17_Y2020_V202201.csv"
    f.parent.mkdir()
    f.write_text("".join(body))
    before = _tree(lake.path)
    with pytest.raises(error) as e:
        lake.ingest_baci([files[0], f], spark)
    assert e.value.file == str(f) and e.value.row == line and e.value.field == field
    assert _tree(lake.path) == before
    assert json.loads(lake.manifest_path.read_text())["sources"]["baci"]["rows_by_year"] == {"2020": 40}


def test_stale_lake_refuses_registration(small, tmp_path: Path) -> None:
    lake, _, d = small
    f = d / "good" / "BACI_HS17_Y2020_V202201.csv"
    f.write_text(f.read_text() + "2020,4,31,251512,1.0,NA\n")
    with Store(tmp_path / "s.duckdb") as store, pytest.raises(LakeError, match="stale"):
        lake.register(store)


def test_cli_rejects_unknown_engine(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from econsec.cli.main import app

    r = CliRunner().invoke(app, ["--db", str(tmp_path / "s.duckdb"), "ingest", "baci", "--engine", "dask"])
    assert r.exit_code == 2 and "duckdb" in r.output and "spark" in r.output
