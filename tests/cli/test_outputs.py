"""Clean output files (issue 12, item 6): ``--format csv`` is plain RFC 4180 CSV that
``pandas.read_csv(path)`` and ``csv.reader`` read without options; the provenance goes to
``PATH.meta.json`` (the same dict ``--format json`` has under ``provenance``); further tables are
``STEM.TABLE.csv`` beside it; Parquet keeps the provenance in its schema metadata.

The commands run on the BACI fixture (tests/fixtures/baci, 7 flows of 2021), so the tests are
fast. The expected rows are the same command's ``--format json`` document (these tests are about
the file formats, not the numbers), plus values worked by hand from the fixture file.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from econsec.cli.main import app
from econsec.cli.render import csv_text, sibling

runner = CliRunner()

#: JPN's critical items on the fixture: two products, tables ``suppliers`` (4 rows) and
#: ``residual`` (empty). --min-coverage 0: the fixture store has no benchmark totals.
JPN = ("critical-items", "JPN", "--source", "baci", "--year", "2021", "--min-coverage", "0")


def run(db: Path, *argv: str) -> Any:
    r = runner.invoke(app, ["--db", str(db), *argv])
    assert r.exit_code == 0, r.output
    return r


@pytest.fixture(scope="module")
def doc(db: Path) -> dict[str, Any]:
    """The --format json document of the JPN command: what the files must hold."""
    return json.loads(run(db, *JPN, "--format", "json").stdout)


def frame(rows: list[dict[str, Any]], columns: list[str]) -> list[dict[str, Any]]:
    """Rows with missing values as None, for comparing a file with JSON rows."""
    df = pd.DataFrame(rows, columns=columns).astype(object)
    return df.where(df.notna(), None).to_dict(orient="records")


def untimed(v: Any) -> Any:
    """``v`` without the ``seconds`` entries (run time) anywhere inside it."""
    if isinstance(v, dict):
        return {k: untimed(x) for k, x in v.items() if k != "seconds"}
    return [untimed(x) for x in v] if isinstance(v, list) else v


def read_back(df: pd.DataFrame) -> list[dict[str, Any]]:
    df = df.astype(object)
    return df.where(df.notna(), None).to_dict(orient="records")


def test_csv_out_is_plain_csv_with_a_sidecar(db: Path, doc: dict[str, Any], tmp_path: Path) -> None:
    out = tmp_path / "ci.csv"
    run(db, *JPN, "--format", "csv", "--out", str(out))
    text = out.read_text(encoding="utf-8")
    columns = list(doc["rows"][0])
    # no comment lines: the first line is the header, then one line per row
    assert not any(line.startswith("#") for line in text.splitlines())
    assert text.splitlines()[0] == ",".join(columns)
    # csv.reader parses it as it is: header + 2 rows, codes as text with their leading zero
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[0] == columns and len(rows) == 3 and all(len(r) == len(columns) for r in rows)
    # JPN imports 854231 (from KOR, TWN, CHN) and 030617 (from KOR) in the fixture file
    assert [r[columns.index("product")] for r in rows[1:]] == ["854231", "030617"]

    meta = json.loads((tmp_path / "ci.csv.meta.json").read_text(encoding="utf-8"))
    assert meta["provenance"] == doc["provenance"]
    assert meta["rows"]["file"] == "ci.csv" and list(meta["rows"]["columns"]) == columns
    assert meta["rows"]["columns"]["product"] == "str" and meta["rows"]["columns"]["hhi"] == "float64"

    # pandas.read_csv with no options: every column that is not a code reads back exactly ...
    plain = pd.read_csv(out)
    assert list(plain.columns) == columns and len(plain) == len(doc["rows"])
    numeric = [c for c, t in meta["rows"]["columns"].items() if t != "str"]
    assert read_back(plain[numeric]) == frame(doc["rows"], numeric)
    # imports_usd of 854231: BACI v in thousand USD, 1500.5 + 2000 + 500 = 4000.5 → 4,000,500
    assert plain["imports_usd"].tolist()[0] == 4_000_500.0
    assert plain["flag_eu"].dtype == bool
    # ... and with the column types of the sidecar the whole frame does, codes included
    typed = pd.read_csv(out, dtype={c: t for c, t in meta["rows"]["columns"].items() if t == "str"})
    assert read_back(typed) == frame(doc["rows"], columns)


def test_csv_out_writes_every_table_beside_it(db: Path, doc: dict[str, Any], tmp_path: Path) -> None:
    out = tmp_path / "ci.csv"
    r = run(db, *JPN, "--format", "csv", "--out", str(out))
    meta = json.loads((tmp_path / "ci.csv.meta.json").read_text(encoding="utf-8"))
    assert set(meta["tables"]) == set(doc["tables"]) == {"suppliers", "residual"}
    for name, info in meta["tables"].items():
        path = tmp_path / info["file"]
        assert path.name == f"ci.{name}.csv" and str(path) in r.stderr
        assert not path.read_text(encoding="utf-8").startswith("#")
        cols = list(info["columns"])
        typed = pd.read_csv(path, dtype={c: t for c, t in info["columns"].items() if t == "str"})
        assert list(typed.columns) == cols
        assert read_back(typed) == frame(doc["tables"][name], cols)
    # suppliers of JPN's 854231 in the fixture: TWN 2000, KOR 1500.5, CHN 500 (thousand USD)
    sup = pd.read_csv(tmp_path / "ci.suppliers.csv", dtype={"product": str})
    got = sup[sup["product"] == "854231"].set_index("supplier")["imports_usd"].to_dict()
    assert got == {"TWN": 2_000_000.0, "KOR": 1_500_500.0, "CHN": 500_000.0}
    assert pd.read_csv(tmp_path / "ci.residual.csv").empty  # no residual codes: header only


def test_csv_to_stdout_is_the_main_table_and_provenance_goes_to_stderr(
        db: Path, doc: dict[str, Any]) -> None:
    r = run(db, *JPN, "--format", "csv")
    columns = list(doc["rows"][0])
    assert r.stdout.splitlines()[0] == ",".join(columns)
    got = pd.read_csv(io.StringIO(r.stdout), dtype={"product": str})
    assert read_back(got) == frame(doc["rows"], columns)
    assert "source: baci" in r.stderr and "source" not in r.stdout
    assert "not written: tables suppliers, residual" in r.stderr


def test_parquet_carries_the_provenance_and_writes_every_table(
        db: Path, doc: dict[str, Any], tmp_path: Path) -> None:
    out = tmp_path / "ci.parquet"
    run(db, *JPN, "--format", "parquet", "--out", str(out))
    meta = pq.read_schema(out).metadata
    assert json.loads(meta[b"econsec"]) == doc["provenance"]
    assert json.loads(meta[b"econsec.tables"]) == {"suppliers": "ci.suppliers.parquet",
                                                     "residual": "ci.residual.parquet"}
    columns = list(doc["rows"][0])
    assert read_back(pq.read_table(out).to_pandas()) == frame(doc["rows"], columns)
    for name in ("suppliers", "residual"):
        path = tmp_path / f"ci.{name}.parquet"
        assert json.loads(pq.read_schema(path).metadata[b"econsec"]) == doc["provenance"]
        got = pq.read_table(path).to_pandas()
        assert read_back(got) == frame(doc["tables"][name], list(got.columns))


def test_csv_text_quotes_as_rfc_4180() -> None:
    df = pd.DataFrame({"name": ['Korea, Rep.', 'the "big" one', "two\nlines", "Türkiye"],
                       "code": ["030617", "854231", "01", "9999"], "v": [0.1, 1e-300, None, 3.0]})
    text = csv_text(df)
    # only fields with a comma, quote or line break are quoted; quotes inside are doubled
    assert text.splitlines()[1] == '"Korea, Rep.",030617,0.1'
    assert '"the ""big"" one"' in text and '"two\nlines"' in text
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[0] == ["name", "code", "v"]
    assert [r[0] for r in rows[1:]] == df["name"].tolist()
    back = pd.read_csv(io.StringIO(text), dtype={"code": str})
    assert back["name"].tolist() == df["name"].tolist() and back["code"].tolist() == df["code"].tolist()
    assert back["v"].tolist()[:2] == [0.1, 1e-300] and pd.isna(back["v"][2])


def test_table_file_names() -> None:
    assert sibling(Path("out/v.csv"), "suppliers", "csv") == Path("out/v.suppliers.csv")
    assert sibling(Path("v"), "by_region", "parquet") == Path("v.by_region.parquet")
    # a table named after a scenario file cannot leave the folder
    assert sibling(Path("d/v.csv"), "blocs_../my scen/x", "csv") == Path("d/v.blocs_.._my_scen_x.csv")


@pytest.mark.slow
def test_scenario_csv_writes_every_table_of_the_json_document(
        tmp_path_factory: pytest.TempPathFactory, data_dir: Path) -> None:
    """`scenario run` builds its own document; its CSV holds the same tables (real WIOD 2011 and
    U.S. HS10 imports, as tests/services/test_scenarios.py)."""
    from econsec.store import Store
    from tests.conftest import ingest_real

    tmp = tmp_path_factory.mktemp("scen-out")
    db = tmp / "s.duckdb"
    with Store(db) as s:
        ingest_real(s, data_dir, "wiod2013", "census_hs10", "hs_concordance", "agtpa",
                    wiod_years=(2011,))
    argv = ("scenario", "run", "china-60", "--model", "both")
    doc = json.loads(run(db, *argv, "--format", "json").stdout)
    out = tmp / "sc.csv"
    run(db, *argv, "--format", "csv", "--out", str(out))
    meta = json.loads((tmp / "sc.csv.meta.json").read_text(encoding="utf-8"))
    # two runs: equal but for the solvers' wall-clock time
    assert untimed(meta["provenance"]) == untimed(doc["provenance"])
    expect = {"focus": doc["focus"], "third_markets": doc["third_markets"],
              **{f"diversion_gains_{k}": v for k, v in doc["diversion_gains"].items()}}
    assert set(meta["tables"]) == {*expect, "focus_notes"}
    assert {"diversion_gains_KOR", "diversion_gains_JPN"} <= set(meta["tables"])
    for name, info in [("countries", meta["rows"]), *((k, meta["tables"][k]) for k in expect)]:
        rows = doc["countries"] if name == "countries" else expect[name]
        typed = pd.read_csv(tmp / info["file"],
                            dtype={c: t for c, t in info["columns"].items() if t == "str"})
        assert read_back(typed) == frame(rows, list(info["columns"])), name
    notes = pd.read_csv(tmp / "sc.focus_notes.csv")
    assert list(notes.columns) == ["note"] and notes["note"].tolist() == doc["focus_notes"]
