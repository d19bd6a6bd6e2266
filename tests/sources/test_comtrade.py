"""UN Comtrade adapters: HS2 exports (legacy API records) and semiconductor equipment (bulk CSV)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from econsec.errors import InputError, UnknownCodeError
from econsec.sources.base import Parsed
from econsec.sources.comtrade import (
    HS2_COLUMNS,
    ComtradeHs2,
    ComtradeSemiconductorEquipment,
)
from econsec.store import Store
from econsec.store.ingest import ingest
from tests.conftest import snapshot

HS2_DIR = "trade/comtrade_hs2_2019_2020"
SME_FILE = "trade/comtrade_semiconductor_equipment_2016_2020/comtrade_sme_848620_903082_903141_world_2016_2020.csv"


@pytest.fixture(scope="module")
def hs2(data_dir: Path) -> Parsed:
    a = ComtradeHs2()
    return a.parse(a.discover(data_dir))


@pytest.fixture(scope="module")
def sme(data_dir: Path) -> Parsed:
    a = ComtradeSemiconductorEquipment()
    return a.parse(a.discover(data_dir))


@pytest.fixture(scope="module")
def raw_hs2(data_dir: Path) -> pd.DataFrame:
    """The HS2 files read independently with plain pandas."""
    files = sorted((data_dir / HS2_DIR).glob("comtrade_hs2_exports_*.csv"))
    return pd.concat([pd.read_csv(f, dtype=str, keep_default_na=False).assign(file=str(f))
                      for f in files], ignore_index=True)


def _mapping(parsed: Parsed, field: str, code: str):
    hits = [m for m in parsed.mappings if m.field == field and m.code == code]
    assert len(hits) == 1, (field, code, parsed.mappings)
    return hits[0]


# -- HS2: real files -----------------------------------------------------------------------------

@pytest.mark.slow
def test_hs2_published_checks(hs2: Parsed) -> None:
    tf = hs2.tables["trade_flows"]
    y19 = tf[tf["year"] == 2019]
    # data README (this catalog): KOR→JPN 2019 = 28.42 bn USD; JPN→World 2019 = 705.67 bn USD
    kor_jpn = y19.loc[(y19["exporter"] == "KOR") & (y19["importer"] == "JPN"), "value_usd"].sum()
    assert round(kor_jpn / 1e9, 2) == 28.42
    jpn_wld = y19.loc[(y19["exporter"] == "JPN") & (y19["importer"] == "WLD"), "value_usd"].sum()
    assert round(jpn_wld / 1e9, 2) == 705.67


@pytest.mark.slow
def test_hs2_rows_read_match_independent_count(hs2: Parsed, raw_hs2: pd.DataFrame) -> None:
    # data README: 277,298 rows in total; per file counted with plain pandas
    assert sum(hs2.rows_read.values()) == 277_298
    assert hs2.rows_read == raw_hs2.groupby("file").size().to_dict()
    # only the 100 rows of partner 473 'LAIA, nes' are skipped (counted with pandas)
    assert (raw_hs2["ptCode"] == "473").sum() == 100
    assert len(hs2.tables["trade_flows"]) == 277_298 - 100


@pytest.mark.slow
def test_hs2_values_match_file_read_with_pandas(hs2: Parsed, raw_hs2: pd.DataFrame) -> None:
    tf = hs2.tables["trade_flows"]
    kor = raw_hs2[(raw_hs2["rt3ISO"] == "KOR") & (raw_hs2["yr"] == "2019")]
    partner = kor["pt3ISO"].where(kor["ptCode"] != "490", "TWN")  # 490 has no pt3ISO
    expected = kor["TradeValue"].astype(float).groupby(partner).sum()
    got = tf[(tf["exporter"] == "KOR") & (tf["year"] == 2019)].groupby("importer")["value_usd"].sum()
    pd.testing.assert_series_equal(got.sort_index(), expected.sort_index(), check_names=False)
    # first data row of the KOR 2019 file: HS 01 to Australia, 16,380 USD, HS2017 (pfCode H5)
    row = tf[(tf["exporter"] == "KOR") & (tf["importer"] == "AUS") & (tf["year"] == 2019)
             & (tf["product"] == "01")].iloc[0]
    assert (row["value_usd"], row["value"], row["currency"]) == (16380.0, 16380.0, "USD")
    assert (row["classification"], row["flow"], row["reporter"], row["basis"]) == \
        ("HS2017", "export", "KOR", "FOB")


@pytest.mark.slow
def test_hs2_taiwan_revisions_and_weights(hs2: Parsed, raw_hs2: pd.DataFrame) -> None:
    tf = hs2.tables["trade_flows"]
    # Taiwan's rows have rtCode 490 and an empty rt3ISO in the source (pandas count)
    twn = raw_hs2[raw_hs2["rtCode"] == "490"]
    assert (twn["rt3ISO"] == "").all()
    assert (tf["reporter"] == "TWN").sum() == len(twn) == 19_328
    # pfCode H4 (HS2012) rows, counted with pandas, keep their own revision
    assert (tf["classification"] == "HS2012").sum() == (raw_hs2["pfCode"] == "H4").sum() == 15_747
    assert set(tf.loc[tf["classification"] == "HS2012", "reporter"]) == {"MEX", "SAU"}
    # NetWeight is 0 or empty on every HS2 row, so no quantity is stored
    assert pd.to_numeric(raw_hs2["NetWeight"].replace("", None)).max() == 0
    assert tf["quantity"].isna().all() and tf["unit"].isna().all()


@pytest.mark.slow
def test_hs2_mappings_and_country_codes(hs2: Parsed, raw_hs2: pd.DataFrame) -> None:
    m = _mapping(hs2, "rtCode", "490")
    assert (m.mapped_to, m.rows) == ("TWN", 19_328)
    m = _mapping(hs2, "ptCode", "0")
    assert (m.mapped_to, m.rows) == ("WLD", int((raw_hs2["ptCode"] == "0").sum()))
    assert _mapping(hs2, "ptCode", "473").mapped_to is None
    assert _mapping(hs2, "ptCode", "899").mapped_to == "XNS"
    assert _mapping(hs2, "ptCode", "837").mapped_to == "XBK"
    cc = hs2.tables["country_codes"].set_index("code")
    assert cc.loc["490", "iso3"] == "TWN"
    assert pd.isna(cc.loc["473", "iso3"]) and cc.loc["473", "name"] == "LAIA, nes"
    assert cc.loc["410", "iso3"] == "KOR"
    assert "years 2019-2020" in hs2.vintage and "60 reporter-year files" in hs2.vintage


# -- semiconductor equipment: real file ----------------------------------------------------------

@pytest.mark.slow
def test_sme_values(sme: Parsed, data_dir: Path) -> None:
    tf = sme.tables["trade_flows"]
    jpn = tf[(tf["reporter"] == "JPN") & (tf["flow"] == "export")].groupby("year")["value_usd"].sum()
    kor = tf[(tf["reporter"] == "KOR") & (tf["flow"] == "import")].groupby("year")["value_usd"].sum()
    # data README (at staging): JPN exports 9.32 bn (2016), 14.68 bn (2020);
    # KOR imports 15.25 bn (2017), 6.50 bn (2019)
    assert round(jpn[2016] / 1e9, 2) == 9.32 and round(jpn[2020] / 1e9, 2) == 14.68
    assert round(kor[2017] / 1e9, 2) == 15.25 and round(kor[2019] / 1e9, 2) == 6.50
    # first data row of the file: Algeria imports 848620 in 2017, 3,830,588 USD, 50,951 kg
    dza = tf[(tf["reporter"] == "DZA") & (tf["year"] == 2017) & (tf["product"] == "848620")].iloc[0]
    assert (dza["exporter"], dza["importer"], dza["flow"]) == ("WLD", "DZA", "import")
    assert (dza["value_usd"], dza["quantity"], dza["unit"], dza["basis"]) == \
        (3_830_588.0, 50_951.0, "kg", "CIF")
    raw = pd.read_csv(data_dir / SME_FILE, dtype=str, keep_default_na=False)
    # H2 rows (Philippines 2016 among them) keep HS2002
    assert (tf["classification"] == "HS2002").sum() == (raw["Classification"] == "H2").sum() == 12
    assert set(tf.loc[(tf["reporter"] == "PHL") & (tf["year"] == 2016), "classification"]) == {"HS2002"}


@pytest.mark.slow
def test_sme_rows_and_reexports(sme: Parsed, data_dir: Path) -> None:
    raw = pd.read_csv(data_dir / SME_FILE, dtype=str, keep_default_na=False)
    assert sme.rows_read == {str(data_dir / SME_FILE): len(raw)} and len(raw) == 2_863
    kept = raw["Trade Flow Code"].isin(["1", "2"]).sum()
    assert len(sme.tables["trade_flows"]) == kept == 2_660
    assert _mapping(sme, "Trade Flow Code", "3").rows == (raw["Trade Flow Code"] == "3").sum() == 130
    assert _mapping(sme, "Trade Flow Code", "4").rows == (raw["Trade Flow Code"] == "4").sum() == 73
    assert _mapping(sme, "Trade Flow Code", "3").mapped_to is None
    assert _mapping(sme, "Reporter Code", "490").mapped_to == "TWN"
    assert _mapping(sme, "Partner Code", "0").rows == 2_863
    assert set(sme.tables["trade_flows"]["flow"]) == {"export", "import"}


# -- ingest --------------------------------------------------------------------------------------

@pytest.mark.slow
def test_ingest_hs2_and_sme(store: Store, data_dir: Path, raw_hs2: pd.DataFrame) -> None:
    hs2, sme = ComtradeHs2(), ComtradeSemiconductorEquipment()
    jobs = [(hs2, hs2.discover(data_dir)), (sme, sme.discover(data_dir))]
    first = ingest(store, jobs)
    assert [o.status for o in first] == ["loaded", "loaded"]
    assert first[0].rows_written == {"trade_flows": 277_198, "country_codes": 241}
    assert first[1].rows_written["trade_flows"] == 2_660
    n, total = store.con.execute(
        "SELECT count(*), sum(value_usd) FROM trade_flows WHERE source = 'comtrade_hs2' "
        "AND exporter = 'KOR' AND importer = 'JPN' AND year = 2019").fetchone()
    raw = raw_hs2[(raw_hs2["rt3ISO"] == "KOR") & (raw_hs2["pt3ISO"] == "JPN") & (raw_hs2["yr"] == "2019")]
    assert n == len(raw) and round(total / 1e9, 2) == 28.42  # README check
    assert [o.status for o in ingest(store, jobs)] == ["unchanged", "unchanged"]


# -- bad input -----------------------------------------------------------------------------------

HS2_ROW = ["H5", "2019", "2019", "2019", "2", "0", "2", "Export", "410", "Rep. of Korea", "KOR",
           "36", "Australia", "AUS", "", "", "", "", "", "", "", "01", "Animals; live", "1",
           "No Quantity", "", "", "0", "", "0", "", "16380", "", "", "0"]


def _hs2_file(tmp_path: Path, rows: list[list[str]], header: list[str] | None = None) -> Path:
    p = tmp_path / "comtrade_hs2_exports_2019_410_KOR.csv"
    frame = pd.DataFrame(rows, columns=header or HS2_COLUMNS)
    frame.to_csv(p, index=False)
    return p


def _edit(**changes: str) -> list[str]:
    row = list(HS2_ROW)
    for col, val in changes.items():
        row[HS2_COLUMNS.index(col)] = val
    return row


def test_hs2_fixture_parses(tmp_path: Path) -> None:
    p = _hs2_file(tmp_path, [HS2_ROW, _edit(ptCode="490", ptTitle="Other Asia, nes", pt3ISO="")])
    tf = ComtradeHs2().parse([p]).tables["trade_flows"]
    assert list(tf["importer"]) == ["AUS", "TWN"]


def test_hs2_missing_column(tmp_path: Path) -> None:
    header = [c for c in HS2_COLUMNS if c != "TradeValue"]
    p = _hs2_file(tmp_path, [[v for c, v in zip(HS2_COLUMNS, HS2_ROW, strict=True)
                              if c != "TradeValue"]], header)
    with pytest.raises(InputError) as e:
        ComtradeHs2().parse([p])
    assert e.value.field == "TradeValue" and e.value.file == str(p)


def test_hs2_non_numeric_value(tmp_path: Path) -> None:
    p = _hs2_file(tmp_path, [HS2_ROW, HS2_ROW, _edit(TradeValue="12x4")])
    with pytest.raises(InputError) as e:
        ComtradeHs2().parse([p])
    assert (e.value.row, e.value.field, e.value.got) == (4, "TradeValue", "12x4")


def test_hs2_empty_file(tmp_path: Path) -> None:
    p = tmp_path / "comtrade_hs2_exports_2019_410_KOR.csv"
    p.write_text("")
    with pytest.raises(InputError, match="empty file"):
        ComtradeHs2().parse([p])


def test_hs2_unknown_partner_and_revision(tmp_path: Path) -> None:
    p = _hs2_file(tmp_path, [HS2_ROW, _edit(ptCode="999", ptTitle="Atlantis", pt3ISO="ATL")])
    with pytest.raises(UnknownCodeError) as e:
        ComtradeHs2().parse([p])
    assert (e.value.row, e.value.field, e.value.got) == (3, "pt3ISO", "ATL")
    p = _hs2_file(tmp_path, [_edit(pfCode="H9")])
    with pytest.raises(UnknownCodeError) as e:
        ComtradeHs2().parse([p])
    assert (e.value.row, e.value.field) == (2, "pfCode")
    p = _hs2_file(tmp_path, [HS2_ROW, _edit(yr="")])
    with pytest.raises(InputError) as e:
        ComtradeHs2().parse([p])
    assert (e.value.row, e.value.field) == (3, "yr")
    p = _hs2_file(tmp_path, [_edit(cmdCode="1x")])
    with pytest.raises(InputError) as e:
        ComtradeHs2().parse([p])
    assert (e.value.row, e.value.field) == (2, "cmdCode")


@pytest.mark.slow
def test_sme_unknown_flow_and_reporter(tmp_path: Path, data_dir: Path) -> None:
    lines = (data_dir / SME_FILE).read_text(encoding="utf-8").splitlines()[:3]
    p = tmp_path / "comtrade_sme.csv"
    p.write_text("\n".join([lines[0], lines[1], lines[2].replace(",1,Import,", ",7,Import,")]) + "\n")
    with pytest.raises(UnknownCodeError) as e:
        ComtradeSemiconductorEquipment().parse([p])
    assert (e.value.row, e.value.field, e.value.got) == (3, "Trade Flow Code", "7")
    p.write_text("\n".join([lines[0], lines[1].replace(",12,Algeria,DZA,", ",12,Algeria,QQQ,")]) + "\n")
    with pytest.raises(UnknownCodeError) as e:
        ComtradeSemiconductorEquipment().parse([p])
    assert (e.value.row, e.value.field, e.value.got) == (2, "Reporter ISO", "QQQ")


def test_failed_ingest_leaves_store_unchanged(store: Store, tmp_path: Path, mock_data_dir: Path) -> None:
    sme = ComtradeSemiconductorEquipment()
    ingest(store, [(sme, sme.discover(mock_data_dir))])
    before = snapshot(store)
    bad = _hs2_file(tmp_path, [HS2_ROW, _edit(TradeValue="n/a?")])
    with pytest.raises(InputError):
        ingest(store, [(ComtradeHs2(), [bad])])
    assert snapshot(store) == before
