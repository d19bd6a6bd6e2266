"""Census HS10 imports adapter: the 51 real partner files, tiny Parquet files, and bad input."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from econsec.errors import InputError, UnknownCodeError
from econsec.sources.census_hs10 import MAPPING_FILE, CensusHs10
from econsec.store import ingest
from tests.conftest import snapshot

DIR = "us_trade/census_imports_hs10_2024"
MAPPING = "CTY_CODE,ISO3,country\n5800,KOR,South Korea\n5880,JPN,Japan\n,PSE,Palestine\n"


@pytest.fixture(scope="module")
def real(data_dir: Path):
    src = CensusHs10()
    files = src.discover(data_dir)
    return files, src.parse(files)


@pytest.mark.slow
def test_published_partner_totals(real) -> None:
    files, parsed = real
    tf = parsed.tables["trade_flows"]
    assert len(tf) == 209_616 and len(files) == 52  # data README: 209,616 rows in 51 files
    bn = tf.groupby("exporter")["value_usd"].sum() / 1e9
    # Data README checks: KOR 130.46, JPN 151.34, CHN 429.43, TWN 115.27 bn USD.
    assert bn["KOR"] == pytest.approx(130.46, abs=0.005)
    assert bn["JPN"] == pytest.approx(151.34, abs=0.005)
    assert bn["CHN"] == pytest.approx(429.43, abs=0.005)
    assert bn["TWN"] == pytest.approx(115.27, abs=0.005)
    assert set(tf["importer"]) == {"USA"} and set(tf["year"]) == {2024}
    assert set(tf["classification"]) == {"HTS10"} and tf["product"].str.len().eq(10).all()


@pytest.mark.slow
def test_values_match_an_independent_read(real, data_dir: Path) -> None:
    _, parsed = real
    tf = parsed.tables["trade_flows"]
    raw = pd.read_parquet(data_dir / DIR / "2024-hs10-imports5880.parquet")
    jpn = tf[tf.exporter == "JPN"]
    assert jpn["duty_usd"].sum() == pytest.approx(raw["duty"].sum())
    line = raw.sort_values("imports").iloc[-1]
    got = jpn[jpn["product"] == line["I_COMMODITY"]]
    assert got["value_usd"].item() == float(line["CON_VAL_YR"])  # the API string, read another way
    assert got["duty_usd"].item() == float(line["CAL_DUT_YR"])
    eu = pd.read_parquet(data_dir / DIR / "2024-hs10-imports0003.parquet")
    assert (tf.exporter == "EUN").sum() == len(eu)


@pytest.mark.slow
def test_products_and_country_codes(real, data_dir: Path) -> None:
    files, parsed = real
    codes = pd.concat([pd.read_parquet(f, columns=["I_COMMODITY", "I_COMMODITY_SDESC"])
                       for f in files if f.suffix == ".parquet"]).drop_duplicates()
    pr = parsed.tables["products"]
    assert len(pr) == codes["I_COMMODITY"].nunique() and pr["code"].is_unique
    one = codes.iloc[100]
    assert pr.set_index("code").loc[one["I_COMMODITY"], "description"] == one["I_COMMODITY_SDESC"]
    cc = parsed.tables["country_codes"].set_index("code")
    mapping = pd.read_csv(data_dir / DIR / MAPPING_FILE, dtype=str, keep_default_na=False)
    assert len(cc) == (mapping["CTY_CODE"] != "").sum() + 1  # + 0003 EU
    assert cc.loc["5800", "iso3"] == "KOR" and cc.loc["0003", "iso3"] == "EUN"
    assert set(cc["scheme"]) == {"census"}


@pytest.mark.slow
def test_rows_read_and_mappings(real, data_dir: Path) -> None:
    files, parsed = real
    for f in files:
        n = pq.read_metadata(f).num_rows if f.suffix == ".parquet" else len(pd.read_csv(f))
        assert parsed.rows_read[str(f)] == n
    eu = [m for m in parsed.mappings if m.code == "0003"]
    assert eu and eu[0].mapped_to == "EUN" and eu[0].rows == 15_777
    assert {m.mapped_to for m in parsed.mappings if m.code == ""} == {"PSE", "XKX"}


@pytest.mark.slow
def test_ingest_and_unchanged(store, data_dir: Path) -> None:
    src = CensusHs10()
    out = ingest(store, [(src, src.discover(data_dir))])
    assert out[0].status == "loaded" and out[0].rows_written["trade_flows"] == 209_616
    assert out[0].rows_written["country_codes"] == 224
    assert ingest(store, [(src, src.discover(data_dir))])[0].status == "unchanged"


def _partner(path: Path, code: str, rows: list[tuple], types: dict | None = None) -> Path:
    """A partner file in the tracker's layout: rows of (HS10, description, imports, duty)."""
    types = types or {}
    hs, desc, imp, duty = (list(c) for c in zip(*rows, strict=True))
    n = len(rows)
    pq.write_table(pa.table({
        "CTY_NAME": ["KOREA, SOUTH"] * n, "CON_VAL_YR": [str(v) for v in imp],
        "CAL_DUT_YR": [str(v) for v in duty], "I_COMMODITY": hs, "I_COMMODITY_SDESC": desc,
        "time": pa.array([dt.datetime(2024, 12, 1)] * n, pa.timestamp("us")), "COMM_LVL": ["HS10"] * n,
        "CTY_CODE": [code] * n, "imports": pa.array(imp, types.get("imports", pa.float64())),
        "duty": pa.array(duty, pa.float64()), "share": [0.5] * n, "HS10": hs,
        "HS8": [h[:8] for h in hs], "HS6": [h[:6] for h in hs]}), path)
    return path


def tiny(tmp_path: Path, code: str = "5800", rows: list[tuple] | None = None, **kw) -> list[Path]:
    (tmp_path / MAPPING_FILE).write_text(MAPPING)
    rows = rows or [("8542310000", "PROCESSORS", 1000.0, 0.0), ("8703800000", "CARS, ELECTRIC", 500.0, 12.5)]
    return [_partner(tmp_path / f"2024-hs10-imports{code}.parquet", code, rows, kw.get("types")),
            tmp_path / MAPPING_FILE]


def test_tiny_by_hand(tmp_path: Path) -> None:
    parsed = CensusHs10().parse(tiny(tmp_path))
    tf = parsed.tables["trade_flows"].set_index("product")
    assert tf.loc["8703800000", ["exporter", "value_usd", "duty_usd"]].tolist() == ["KOR", 500.0, 12.5]
    assert tf["basis"].unique().tolist() == ["imports for consumption (customs value)"]
    assert parsed.tables["products"]["description"].tolist() == ["PROCESSORS", "CARS, ELECTRIC"]
    assert parsed.rows_read[str(tmp_path / MAPPING_FILE)] == 3


def test_bad_input(tmp_path: Path) -> None:
    with pytest.raises(UnknownCodeError) as ei:  # a Census code absent from the mapping
        CensusHs10().parse(tiny(tmp_path, code="9999"))
    assert (ei.value.row, ei.value.field, ei.value.got) == (1, "CTY_CODE", "9999")
    files = tiny(tmp_path, rows=[("8542310000", "A", "1000", 0.0), ("8542320000", "B", "1,5", 0.0)],
                 types={"imports": pa.string()})
    with pytest.raises(InputError) as ei:
        CensusHs10().parse(files)
    assert (ei.value.row, ei.value.field) == (2, "imports")
    files = tiny(tmp_path, rows=[("8542310000", "A", 1.0, 0.0), ("85423", "B", 1.0, 0.0)])
    with pytest.raises(InputError) as ei:
        CensusHs10().parse(files)
    assert (ei.value.row, ei.value.field) == (2, "I_COMMODITY")
    f = tiny(tmp_path)[0]
    pq.write_table(pq.read_table(f).drop_columns(["duty"]), f)
    with pytest.raises(InputError) as ei:
        CensusHs10().parse([f, tmp_path / MAPPING_FILE])
    assert ei.value.field == "duty"
    f.write_bytes(b"")
    with pytest.raises(InputError, match="valid Parquet"):
        CensusHs10().parse([f, tmp_path / MAPPING_FILE])
    files = tiny(tmp_path)
    files[0].rename(tmp_path / "2024-hs10-imports5880.parquet")  # JPN file name, KOR rows
    with pytest.raises(InputError, match=r"file name \(5880\)"):
        CensusHs10().parse([tmp_path / "2024-hs10-imports5880.parquet", files[1]])


def test_bad_mapping_file(tmp_path: Path) -> None:
    files = tiny(tmp_path)
    files[1].write_text(MAPPING.replace("5880,JPN", "5880,Japan"))
    with pytest.raises(InputError) as ei:
        CensusHs10().parse(files)
    assert (ei.value.row, ei.value.field) == (3, "ISO3")
    files[1].write_text("")
    with pytest.raises(InputError, match="empty file"):
        CensusHs10().parse(files)


def test_bad_input_leaves_store_unchanged(tmp_path: Path, store) -> None:
    good = tmp_path / "good"
    good.mkdir()
    ingest(store, [(CensusHs10(), tiny(good))])
    before = snapshot(store)
    bad = tmp_path / "bad"
    bad.mkdir()
    with pytest.raises(UnknownCodeError):
        ingest(store, [(CensusHs10(), tiny(bad, code="9999"))])
    assert snapshot(store) == before
