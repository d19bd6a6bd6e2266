"""UsitcTariffs2017 adapter: the real 2017 workbook (published checks, an independent openpyxl
read), ingest, and bad input on tiny workbooks with the real header. The file has no country
codes (each program's partner is fixed by the adapter), so there is no unknown-code case."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from econsec.errors import InputError
from econsec.sources.base import Parsed
from econsec.sources.usitc_tariffs import UsitcTariffs2017
from econsec.store import Store, ingest
from tests.conftest import snapshot

pytestmark = pytest.mark.slow  # reads the real data directory

SHEET = "Tariff Database August"


@pytest.fixture(scope="module")
def files(data_dir: Path) -> list[Path]:
    return UsitcTariffs2017().discover(data_dir)


@pytest.fixture(scope="module")
def parsed(files: list[Path]) -> Parsed:
    return UsitcTariffs2017().parse(files)


@pytest.fixture(scope="module")
def sheet(files: list[Path]) -> pd.DataFrame:
    """The sheet read independently with plain openpyxl (values as stored)."""
    wb = openpyxl.load_workbook(files[0], read_only=True)
    rows = list(wb[SHEET].iter_rows(values_only=True))
    wb.close()
    return pd.DataFrame(rows[1:], columns=rows[0], dtype=object)


def rate(t: pd.DataFrame, measure: str, code: str) -> float:
    (v,) = t.loc[(t["measure"] == measure) & (t["product"] == code), "rate_pct"]
    return float(v)


# --- the real file ----------------------------------------------------------------------------

def test_published_checks(parsed: Parsed) -> None:
    t = parsed.tables["tariffs"]
    # data README (tariffs/usitc_tariff_database_2017): 8703.23.01 MFN 2.5%; 8704.21.00 25%
    assert rate(t, "MFN 2017", "87032301") == 2.5
    assert rate(t, "MFN 2017", "87042100") == 25.0
    # the file's korea_* columns: KORUS free on cars, 25% kept on light trucks in 2017
    assert rate(t, "KORUS FTA 2017", "87032301") == 0.0
    assert rate(t, "KORUS FTA 2017", "87042100") == 25.0
    assert set(t.loc[t["measure"] == "KORUS FTA 2017", "target"]) == {"KOR"}
    assert t.loc[t["measure"] == "MFN 2017", "target"].isna().all()


def test_mfn_equals_independent_read(parsed: Parsed, sheet: pd.DataFrame) -> None:
    t = parsed.tables["tariffs"]
    mfn = t[t["measure"] == "MFN 2017"].reset_index(drop=True)
    assert len(mfn) == len(sheet) == 12_861  # README: 12,861 HTS8 lines
    assert mfn["product"].tolist() == sheet["hts8"].tolist()
    assert mfn["rate_text"].tolist() == sheet["mfn_text_rate"].astype("string").str.strip().tolist()
    # pure ad-valorem lines (type 7): percent = 100 x the fraction in mfn_ad_val_rate
    adv = (sheet["mfn_rate_type_code"] == "7").to_numpy()
    expect = sheet.loc[adv, "mfn_ad_val_rate"].astype(float).to_numpy() * 100
    assert (abs(mfn.loc[adv, "rate_pct"].astype(float).to_numpy() - expect) < 1e-9).all()
    # specific-only lines (type 1) have no ad-valorem percent
    assert mfn.loc[(sheet["mfn_rate_type_code"] == "1").to_numpy(), "rate_pct"].isna().all()


def test_korus_rows_follow_indicator(parsed: Parsed, sheet: pd.DataFrame) -> None:
    t = parsed.tables["tariffs"]
    korus = t[t["measure"] == "KORUS FTA 2017"]
    assert len(korus) == sheet["korea_indicator"].notna().sum() == 7_169
    assert "Japan" not in " ".join(t["measure"].unique())  # no U.S.-Japan agreement in 2017


def test_sentinel_and_dates(parsed: Parsed) -> None:
    t = parsed.tables["tariffs"]
    # 1701.12.05 (raw cane sugar): rates 9999.999999 in the file = not expressible
    sugar = t[(t["measure"] == "MFN 2017") & (t["product"] == "17011205")]
    assert sugar["rate_pct"].isna().all()
    # 0306.33.20 appears twice: to 2017-06-30 and from 2017-07-01 (open end 2050-12-31 → NULL)
    two = t[(t["measure"] == "MFN 2017") & (t["product"] == "03063320")]
    assert two["effective_date"].astype(str).tolist() == ["2017-01-01", "2017-07-01"]
    assert str(two["end_date"].iloc[0].date()) == "2017-06-30" and pd.isna(two["end_date"].iloc[1])
    col2 = t[(t["measure"] == "Column 2 2017") & (t["product"] == "87032301")]
    assert sorted(col2["target"]) == ["CUB", "PRK"] and col2["rate_pct"].tolist() == [10.0, 10.0]


def test_rows_read_and_products(parsed: Parsed, files: list[Path], sheet: pd.DataFrame) -> None:
    assert parsed.rows_read == {str(files[0]): len(sheet)}
    prod = parsed.tables["products"]
    assert len(prod) == sheet["hts8"].nunique() == 12_734
    assert prod.set_index("code").loc["01013000", "description"] == "Live asses"
    assert parsed.vintage.endswith("sheet 'Tariff Database August'")


def test_ingest_real(store: Store, files: list[Path]) -> None:
    (out,) = ingest(store, [(UsitcTariffs2017(), files)])
    assert out.status == "loaded"
    assert out.rows_written == {"tariffs": 122_718, "products": 12_734}
    (again,) = ingest(store, [(UsitcTariffs2017(), files)])
    assert again.status == "unchanged"


# --- tiny workbooks with the real header -----------------------------------------------------

@pytest.fixture(scope="module")
def header(sheet: pd.DataFrame) -> list[str]:
    return list(sheet.columns)


def tiny(path: Path, header: list[str], rows: list[dict], title: str = SHEET) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title
    ws.append(header)
    for r in rows:
        ws.append([r.get(h) for h in header])
    wb.save(path)
    return path


ROW = {"hts8": "87032301", "brief_description": "Cars", "mfn_text_rate": "2.5%",
       "mfn_rate_type_code": "7", "mfn_ad_val_rate": 0.025, "korea_indicator": "KR",
       "korea_rate_type_code": "0", "korea_ad_val_rate": 0, "col2_text_rate": "10%",
       "begin_effect_date": pd.Timestamp("2017-01-01"), "end_effective_date": pd.Timestamp("2050-12-31")}


def test_tiny_workbook_parses(tmp_path: Path, header: list[str]) -> None:
    p = UsitcTariffs2017().parse([tiny(tmp_path / "t.xlsx", header, [ROW])])
    t = p.tables["tariffs"]
    # by hand: MFN 2.5, KORUS 0, column 2 for CUB and PRK at 10 (from the printed "10%")
    assert t[["measure", "target", "rate_pct"]].astype(object).values.tolist() == [
        ["MFN 2017", None, 2.5], ["KORUS FTA 2017", "KOR", 0.0],
        ["Column 2 2017", "CUB", 10.0], ["Column 2 2017", "PRK", 10.0]]


def test_missing_column(tmp_path: Path, header: list[str]) -> None:
    with pytest.raises(InputError) as e:
        UsitcTariffs2017().parse([tiny(tmp_path / "t.xlsx", [h for h in header if h != "korea_indicator"],
                                       [ROW])])
    assert (e.value.field, e.value.row, e.value.sheet) == ("korea_indicator", 1, SHEET)


def test_non_numeric_rate(tmp_path: Path, header: list[str]) -> None:
    rows = [ROW, ROW | {"hts8": "87042100", "mfn_ad_val_rate": "25 pct"}]
    with pytest.raises(InputError) as e:
        UsitcTariffs2017().parse([tiny(tmp_path / "t.xlsx", header, rows)])
    assert (e.value.row, e.value.field, e.value.sheet, e.value.got) == (
        3, "mfn_ad_val_rate", SHEET, "25 pct")


def test_bad_code(tmp_path: Path, header: list[str]) -> None:
    with pytest.raises(InputError) as e:
        UsitcTariffs2017().parse([tiny(tmp_path / "t.xlsx", header, [ROW | {"hts8": "8703.23"}])])
    assert (e.value.row, e.value.field) == (2, "hts8")


def test_missing_sheet(tmp_path: Path, header: list[str]) -> None:
    with pytest.raises(InputError) as e:
        UsitcTariffs2017().parse([tiny(tmp_path / "t.xlsx", header, [ROW], title="Sheet1")])
    assert "Sheet1" in str(e.value.got)


def test_empty_and_truncated(tmp_path: Path, header: list[str]) -> None:
    empty = tmp_path / "empty.xlsx"
    empty.write_bytes(b"")
    with pytest.raises(InputError):
        UsitcTariffs2017().parse([empty])
    good = tiny(tmp_path / "t.xlsx", header, [ROW])
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    with pytest.raises(InputError, match="valid .xlsx"):
        UsitcTariffs2017().parse([cut])
    only_header = tiny(tmp_path / "h.xlsx", [], [])
    with pytest.raises(InputError) as e:
        UsitcTariffs2017().parse([only_header])
    assert e.value.row == 1


def test_failed_ingest_leaves_store_unchanged(store: Store, tmp_path: Path,
                                              header: list[str]) -> None:
    ok = tiny(tmp_path / "ok.xlsx", header, [ROW])
    ingest(store, [(UsitcTariffs2017(), [ok])])
    before = snapshot(store)
    bad = tiny(tmp_path / "bad.xlsx", header, [ROW | {"mfn_ad_val_rate": "x"}])
    with pytest.raises(InputError):
        ingest(store, [(UsitcTariffs2017(), [bad])])
    assert snapshot(store) == before
