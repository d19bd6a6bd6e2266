"""BACI adapter: the real sample extracts, a hand-made fixture in BACI's format, and bad input."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from econsec.errors import InputError, UnknownCodeError
from econsec.sources.baci import Baci
from econsec.store import ingest
from tests.conftest import FIXTURES, snapshot

FIX = FIXTURES / "baci"


def fixture_files() -> list[Path]:
    return sorted(FIX.glob("*.csv"))


def test_fixture_values_by_hand() -> None:
    parsed = Baci().parse(fixture_files())
    tf = parsed.tables["trade_flows"].read_all().to_pandas()
    # Hand computation from BACI_HS17_Y2021_V202301.csv: v is thousand USD.
    kor_jpn = tf[(tf.exporter == "KOR") & (tf.importer == "JPN")]
    assert kor_jpn["value_usd"].sum() == pytest.approx((1500.5 + 10.25) * 1000, abs=1e-9)
    # 490 "Other Asia, nes" is Taiwan, and the mapping is reported.
    twn = tf[(tf.exporter == "TWN") & (tf["product"] == "854231")]
    assert twn["value_usd"].tolist() == [2_000_000.0]
    assert ("country_code", "490", "TWN") in {(m.field, m.code, m.mapped_to) for m in parsed.mappings}
    # Leading zeros of k are kept; NA quantities are missing, others parsed despite padding.
    row = tf[tf["product"] == "030617"].iloc[0]
    assert row["quantity"] == pytest.approx(3.1) and row["unit"] == "t"
    assert tf.loc[tf.exporter == "USA", "quantity"].isna().all()
    assert set(tf["classification"]) == {"HS2017"} and set(tf["flow"]) == {"reconciled"}
    assert parsed.vintage.startswith("BACI V202301")


@pytest.mark.slow
def test_real_samples(data_dir: Path) -> None:
    src = Baci()
    files = src.discover(data_dir)
    parsed = src.parse(files)
    tf = parsed.tables["trade_flows"].read_all().to_pandas()
    # Independent read of the same files with pandas (the data README gives 70,920 and 71,192 rows).
    for f in files:
        if f.name.startswith("baci_"):
            raw = pd.read_csv(f)
            assert parsed.rows_read[str(f)] == len(raw)
            year = int(raw["t"].iloc[0])
            got = tf[tf.year == year]
            assert got["value_usd"].sum() == pytest.approx(raw["v"].sum() * 1000, rel=1e-12)
            zaf = raw[(raw.i == 710) & (raw.j == 392)]["v"].sum() * 1000
            assert got[(got.exporter == "ZAF") & (got.importer == "JPN")]["value_usd"].sum() == pytest.approx(zaf)
    codes = pd.read_csv(files[0], encoding="utf-8-sig")  # independent count of the code table
    assert parsed.rows_read[str(files[0])] == len(codes) == 238
    # Italy is 380 in the data (V202301) but 381 in the V202201 code table: mapped and reported.
    it = [m for m in parsed.mappings if m.code == "380"]
    assert it and it[0].mapped_to == "ITA"
    assert (tf.importer == "ITA").any()


def test_ingest_and_idempotent(store) -> None:
    out = ingest(store, [(Baci(), fixture_files())])
    assert out[0].status == "loaded" and out[0].rows_written["trade_flows"] == 7
    before = snapshot(store)
    again = ingest(store, [(Baci(), fixture_files())])
    assert again[0].status == "unchanged"
    assert snapshot(store)["trade_flows"] == before["trade_flows"]


def _write(tmp_path: Path, body: str, name: str = "BACI_HS17_Y2021_V202301.csv") -> list[Path]:
    shutil.copy(FIX / "country_codes_V202301.csv", tmp_path / "country_codes_V202301.csv")
    f = tmp_path / name
    f.write_text(body)
    return [tmp_path / "country_codes_V202301.csv", f]


@pytest.mark.parametrize(("body", "row", "field", "kind"), [
    ("t,i,j,k,v,q\n2021,410,392,854231,1.0,1\n2021,410,392,854231,abc,1\n", 3, "v", InputError),
    ("t,i,j,k,v,q\n2021,410,392,854231,1.0,1\n2021,410,392,854231,1.0,x\n", 3, "q", InputError),
    ("t,i,j,k,v,q\n2021,410,392,854231,1.0,1\n2021,410,999,854231,1.0,1\n", 3, "j", UnknownCodeError),
    ("t,i,j,k,v\n2021,410,392,854231,1.0\n", 1, None, InputError),
    ("", 1, None, InputError),
    ("t,i,j,k,v,q\n2021,410,392,854231,1.0,1\n2021,410,392\n", 3, None, InputError),
])
def test_bad_input_names_row_and_field(tmp_path: Path, store, body, row, field, kind) -> None:
    ingest(store, [(Baci(), fixture_files())])
    before = snapshot(store)
    files = _write(tmp_path, body)
    with pytest.raises(kind) as ei:
        ingest(store, [(Baci(), files)])
    assert ei.value.row == row and ei.value.field == field
    assert "BACI_HS17_Y2021_V202301.csv" in str(ei.value)
    assert snapshot(store) == before


@pytest.mark.parametrize(("body", "row"), [
    (b"\x93k\xaf\xe3\xb5\xc4\xca+" * 64, 1),                        # binary from byte one
    (b"t,i,j,k,v,q\n2021,410,392,854231,1.0,1\n2021,410,392,\xff\xfe\x93,1.0,1\n", 3),
])
def test_binary_bytes_are_an_input_error_naming_the_line(tmp_path: Path, store, body: bytes,
                                                          row: int) -> None:
    # Issue 11: binary garbage in a correctly named year file gave a 64-line UnicodeDecodeError
    # traceback (the header check opened the file as text); now one InputError with the line.
    ingest(store, [(Baci(), fixture_files())])
    before = snapshot(store)
    files = _write(tmp_path, "")
    files[1].write_bytes(body)
    with pytest.raises(InputError) as ei:
        ingest(store, [(Baci(), files)])
    assert ei.value.row == row and "utf-8" in ei.value.expected
    assert "BACI_HS17_Y2021_V202301.csv" in str(ei.value)
    assert snapshot(store) == before


def test_file_name_must_name_revision(tmp_path: Path) -> None:
    files = _write(tmp_path, "t,i,j,k,v,q\n2021,410,392,854231,1.0,1\n", name="trade.csv")
    with pytest.raises(InputError, match="HS revision"):
        Baci().parse(files)
