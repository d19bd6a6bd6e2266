"""WTO adapters: merchandise values by product group (2019-2020) and exports by group (1990-2018)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from econsec.errors import InputError, UnknownCodeError
from econsec.sources.base import Parsed
from econsec.sources.wto import WtoExportGroups, WtoMerchandiseGroups
from econsec.store import Store
from econsec.store.ingest import ingest
from tests.conftest import snapshot

MERCH = "trade/wto_merchandise_product_groups_2019_2020/wto_merchandise_values_by_product_group_2019_2020.csv"
EXPORTS = "trade/wto_exports_product_groups_1990_2018/WtoData_20200510015454.csv"


@pytest.fixture(scope="module")
def merch(data_dir: Path) -> Parsed:
    a = WtoMerchandiseGroups()
    return a.parse(a.discover(data_dir))


@pytest.fixture(scope="module")
def exports(data_dir: Path) -> Parsed:
    a = WtoExportGroups()
    return a.parse(a.discover(data_dir))


def _total(tf: pd.DataFrame, iso: str, flow: str, year: int) -> float:
    col = "exporter" if flow == "export" else "importer"
    hit = tf[(tf[col] == iso) & (tf["flow"] == flow) & (tf["year"] == year)
             & (tf["product"] == "TOTAL")]
    assert len(hit) == 1
    assert hit["classification"].iloc[0] == "TOTAL"
    return float(hit["value"].iloc[0])


def _notes(parsed: Parsed) -> dict[tuple[str, str], tuple[str | None, int]]:
    return {(m.field, m.code): (m.mapped_to, m.rows) for m in parsed.mappings}


# -- merchandise ---------------------------------------------------------------------------------

@pytest.mark.slow
def test_merch_published_checks(merch: Parsed) -> None:
    tf = merch.tables["trade_flows"]
    # data README (at staging, match published figures): KOR 2019 exports 542,233 and imports
    # 503,343; JPN exports 705,564 and imports 720,957 (million USD; WTO product code TO)
    assert _total(tf, "KOR", "export", 2019) == 542_233
    assert _total(tf, "KOR", "import", 2019) == 503_343
    assert _total(tf, "JPN", "export", 2019) == 705_564
    assert _total(tf, "JPN", "import", 2019) == 720_957
    row = tf[(tf["exporter"] == "KOR") & (tf["product"] == "TOTAL") & (tf["year"] == 2019)].iloc[0]
    assert (row["importer"], row["value_usd"], row["currency"], row["basis"]) == \
        ("WLD", 542_233e6, "million USD", "FOB")


@pytest.mark.slow
def test_merch_matches_pandas_and_rows(merch: Parsed, data_dir: Path) -> None:
    raw = pd.read_csv(data_dir / MERCH, dtype=str, keep_default_na=False)
    assert merch.rows_read == {str(data_dir / MERCH): len(raw)} and len(raw) == 13_158
    # groups (empty ISO3A except World 000 and Bonaire 535) are skipped: counted with pandas
    groups = (raw["ReporterISO3A"] == "") & ~raw["ReporterCode"].isin(["000", "535"])
    tf = merch.tables["trade_flows"]
    assert len(tf) == len(raw) - groups.sum() == 12_962
    deu = raw[(raw["ReporterISO3A"] == "DEU") & (raw["ProductCode"] == "MAMTOTIC")]
    exp = deu.set_index(["Indicator", "Year"])["Value"].astype(float)
    got = tf[(tf["reporter"] == "DEU") & (tf["product"] == "MAMTOTIC")]
    got = got.assign(Indicator=got["flow"].str.capitalize(), Year=got["year"].astype(str)) \
        .set_index(["Indicator", "Year"])["value"]
    pd.testing.assert_series_equal(got.sort_index(), exp.sort_index(), check_names=False)
    assert set(tf.loc[tf["product"] != "TOTAL", "classification"]) == {"WTO_PG"}


@pytest.mark.slow
def test_merch_products_and_mappings(merch: Parsed) -> None:
    pr = merch.tables["products"].set_index("code")
    assert len(pr) == 18 and set(pr["classification"]) == {"WTO_PG"}
    assert pr.loc["TO", "description"] == "Total merchandise" and pr.loc["TO", "level"] == 0
    assert pr.loc["MAMTOTIC", "parent"] == "MAMTOF" and pr.loc["MAMTOF", "parent"] == "MAMT"
    assert pr.loc["MAMTAU", "parent"] == "MAMTTE"
    n = _notes(merch)
    assert n[("ReporterCode", "CHT")][0] == "TWN" and n[("ReporterCode", "EEC")][0] == "EUN"
    assert n[("ReporterCode", "ROM")][0] == "ROU" and n[("ReporterCode", "000")][0] == "WLD"
    assert n[("ReporterCode", "966")] == (None, 4)  # GCC: 4 rows in the file
    assert n[("ProductCode", "TO")] == ("TOTAL", 1_048)
    cc = merch.tables["country_codes"].set_index("code")
    assert cc.loc["158", "iso3"] == "TWN" and pd.isna(cc.loc["966", "iso3"])
    assert cc.loc["966", "name"] == "Gulf Cooperation Council (GCC)"
    assert cc.loc["384", "name"] == "Côte d'Ivoire"


# -- exports by group, 1990-2018 -----------------------------------------------------------------

@pytest.mark.slow
def test_exports_published_check(exports: Parsed) -> None:
    tf = exports.tables["trade_flows"]
    # data README (at staging): KOR 2018 ICs and electronic components = 124,978 million USD
    hit = tf[(tf["exporter"] == "KOR") & (tf["year"] == 2018) & (tf["product"] == "MAMTOTIC")]
    assert round(float(hit["value"].iloc[0])) == 124_978
    assert hit["classification"].iloc[0] == "WTO_SITC3_GROUP" and hit["importer"].iloc[0] == "WLD"
    assert "TOTAL" not in set(tf["product"])  # the file has no total-merchandise row


@pytest.mark.slow
def test_exports_rows_and_mappings(exports: Parsed, data_dir: Path) -> None:
    raw = pd.read_csv(data_dir / EXPORTS, dtype=str, keep_default_na=False, encoding="latin-1")
    assert exports.rows_read == {str(data_dir / EXPORTS): len(raw)} and len(raw) == 12_980
    skipped = raw["Reporting Economy Code"].isin(["280", "230"])
    tf = exports.tables["trade_flows"]
    assert len(tf) == len(raw) - skipped.sum() == 12_967
    n = _notes(exports)
    assert n[("Reporting Economy Code", "BLX")] == ("BEL", 16)
    assert n[("Reporting Economy Code", "CHT")][0] == "TWN"
    assert n[("Reporting Economy Code", "201")][0] == "CSK"
    assert n[("Reporting Economy Code", "280")][0] is None
    assert n[("Partner Economy Code", "000")] == ("WLD", 12_980)
    # BLX stands for BEL in 1990 and 1995 only; BEL reports itself from 2000 on
    assert sorted(tf.loc[tf["exporter"] == "BEL", "year"].unique()) == [1990, 1995, 2000, 2005, 2010, 2015, 2018]
    flagged = raw.loc[~skipped, "Value Flag Code"]
    assert (tf["basis"] == "FOB; WTO estimate").sum() == (flagged == "E").sum()
    pr = exports.tables["products"].set_index("code")
    assert len(pr) == 13 and pd.isna(pr.loc["MA", "parent"])
    assert pr.loc["MAMTOTIC", "description"] == "Integrated circuits and electronic components"
    cc = exports.tables["country_codes"].set_index("code")
    assert cc.loc["384", "name"] == "Côte d'Ivoire"  # Latin-1 decoded


@pytest.mark.slow
def test_ingest_both_then_unchanged(store: Store, data_dir: Path) -> None:
    m, e = WtoMerchandiseGroups(), WtoExportGroups()
    jobs = [(m, m.discover(data_dir)), (e, e.discover(data_dir))]
    first = ingest(store, jobs)
    assert first[0].rows_written == {"trade_flows": 12_962, "products": 18, "country_codes": 262}
    assert first[1].rows_written == {"trade_flows": 12_967, "products": 13, "country_codes": 203}
    v = store.con.execute("SELECT value FROM trade_flows WHERE source = 'wto_merchandise' AND "
                          "importer = 'JPN' AND flow = 'import' AND year = 2019 AND "
                          "product = 'TOTAL'").fetchone()[0]
    assert v == 720_957
    assert [o.status for o in ingest(store, jobs)] == ["unchanged", "unchanged"]


# -- bad input -----------------------------------------------------------------------------------

MERCH_HEADER = "Indicator,ReporterCode,ReporterISO3A,Reporter,ProductCode,Product,Year,Value\n"
MERCH_ROW = "Export,410,KOR,\"Korea, Republic of\",TO,Total merchandise,2019,542233\n"


def _merch(tmp_path: Path, body: str, header: str = MERCH_HEADER) -> Path:
    p = tmp_path / "wto_merchandise.csv"
    p.write_text(header + body, encoding="utf-8")
    return p


def _exports(tmp_path: Path, data_dir: Path, edit: tuple[str, str] | None = None) -> Path:
    lines = (data_dir / EXPORTS).read_bytes().decode("latin-1").splitlines()[:3]
    if edit:
        lines[2] = lines[2].replace(*edit)
    p = tmp_path / "WtoData_20200101000000.csv"
    p.write_bytes(("\n".join(lines) + "\n").encode("latin-1"))
    return p


def test_merch_fixture_parses(tmp_path: Path) -> None:
    p = _merch(tmp_path, MERCH_ROW + "Import,000,,World,AG,Agricultural products,2019,10\n")
    tf = WtoMerchandiseGroups().parse([p]).tables["trade_flows"]
    assert list(tf["exporter"]) == ["KOR", "WLD"] and list(tf["importer"]) == ["WLD", "WLD"]


def test_merch_missing_column_and_empty(tmp_path: Path) -> None:
    p = _merch(tmp_path, "Export,410,KOR,Korea,TO,Total,2019\n",
               header="Indicator,ReporterCode,ReporterISO3A,Reporter,ProductCode,Product,Year\n")
    with pytest.raises(InputError) as e:
        WtoMerchandiseGroups().parse([p])
    assert e.value.field == "Value"
    p = _merch(tmp_path, "", header="")
    with pytest.raises(InputError, match="empty file"):
        WtoMerchandiseGroups().parse([p])


def test_merch_non_numeric_and_unknown_codes(tmp_path: Path) -> None:
    p = _merch(tmp_path, MERCH_ROW + MERCH_ROW.replace("542233", "5.4e5x"))
    with pytest.raises(InputError) as e:
        WtoMerchandiseGroups().parse([p])
    assert (e.value.row, e.value.field) == (3, "Value")
    p = _merch(tmp_path, MERCH_ROW + MERCH_ROW.replace(",KOR,", ",ZZZ,"))
    with pytest.raises(UnknownCodeError) as e:
        WtoMerchandiseGroups().parse([p])
    assert (e.value.row, e.value.field, e.value.got) == (3, "ReporterCode", "ZZZ")
    p = _merch(tmp_path, MERCH_ROW.replace(",TO,", ",XX,"))
    with pytest.raises(UnknownCodeError) as e:
        WtoMerchandiseGroups().parse([p])
    assert (e.value.row, e.value.field) == (2, "ProductCode")
    p = _merch(tmp_path, MERCH_ROW + MERCH_ROW.replace(",2019,", ",,"))
    with pytest.raises(InputError) as e:
        WtoMerchandiseGroups().parse([p])
    assert (e.value.row, e.value.field) == (3, "Year")
    p = _merch(tmp_path, MERCH_ROW.replace("Export,", "Re-export,"))
    with pytest.raises(UnknownCodeError) as e:
        WtoMerchandiseGroups().parse([p])
    assert e.value.field == "Indicator"


@pytest.mark.slow
def test_exports_bad_rows(tmp_path: Path, data_dir: Path) -> None:
    assert len(WtoExportGroups().parse([_exports(tmp_path, data_dir)]).tables["trade_flows"]) == 2
    with pytest.raises(InputError) as e:
        WtoExportGroups().parse([_exports(tmp_path, data_dir, ('"3718846"', '"37x"'))])
    assert (e.value.row, e.value.field) == (3, "Value")
    with pytest.raises(UnknownCodeError) as e:
        WtoExportGroups().parse([_exports(tmp_path, data_dir, ('"USM"', '"USD"'))])
    assert (e.value.row, e.value.field) == (3, "Unit Code")
    with pytest.raises(UnknownCodeError) as e:
        WtoExportGroups().parse([_exports(tmp_path, data_dir, ('"000","","World","000"', '"123","","Nowhere","000"'))])
    assert (e.value.row, e.value.field, e.value.got) == (3, "Reporting Economy Code", "123")


def test_failed_ingest_leaves_store_unchanged(store: Store, tmp_path: Path, mock_data_dir: Path) -> None:
    m = WtoMerchandiseGroups()
    ingest(store, [(m, m.discover(mock_data_dir))])
    before = snapshot(store)
    with pytest.raises(InputError):  # a new vintage with a bad row must not replace the old one
        ingest(store, [(m, [_merch(tmp_path, MERCH_ROW + MERCH_ROW.replace("542233", "abc"))])])
    assert snapshot(store) == before
