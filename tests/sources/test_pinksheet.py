"""PinkSheet adapter: the real CMO monthly workbook (published checks, the tidy energy CSV and
openpyxl cell reads as independent checks), ingest, and bad input on tiny workbooks in the
published layout."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from econsec.errors import InputError
from econsec.sources.base import Parsed
from econsec.sources.pinksheet import PinkSheet
from econsec.store import Store, ingest
from tests.conftest import snapshot

PS_DIR = "energy/worldbank_pinksheet"


@pytest.fixture(scope="module")
def files(data_dir: Path) -> list[Path]:
    return PinkSheet().discover(data_dir)


@pytest.fixture(scope="module")
def parsed(files: list[Path]) -> Parsed:
    return PinkSheet().parse(files)


@pytest.fixture(scope="module")
def prices(parsed: Parsed) -> pd.DataFrame:
    df = parsed.tables["prices"]
    return df.assign(period=pd.to_datetime(df["period"]))


# --- the real file ----------------------------------------------------------------------------

@pytest.mark.slow
def test_published_2022_means(prices: pd.DataFrame) -> None:
    # data README (energy/worldbank_pinksheet), checks at staging
    y22 = prices[prices["period"].dt.year == 2022].groupby("series")["value"].mean().round(2)
    assert y22[["NGAS_EUR", "NGAS_JP", "NGAS_US", "CRUDE_BRENT"]].tolist() == [40.34, 18.43, 6.37, 99.82]


@pytest.mark.slow
def test_energy_columns_equal_tidy_csv(data_dir: Path, prices: pd.DataFrame) -> None:
    # independent read: pinksheet_energy_monthly.tidy.csv, derived with pandas from the same workbook
    tidy = pd.read_csv(data_dir / PS_DIR / "pinksheet_energy_monthly.tidy.csv", parse_dates=["month"])
    long = tidy.melt(id_vars="month", var_name="series").dropna(subset=["value"])
    m = long.merge(prices, left_on=["month", "series"], right_on=["period", "series"], how="left")
    assert len(long) == 6710 and m["value_y"].notna().all()
    assert (m["value_x"] - m["value_y"]).abs().max() < 1e-9
    ours = prices[prices["series"].isin(tidy.columns)]
    assert len(ours) == len(long)  # and no extra months or series
    codebook = pd.read_csv(data_dir / PS_DIR / "pinksheet_energy_codebook.csv")
    units = prices.drop_duplicates("series").set_index("series")["unit"]
    assert (units[codebook["code"]].to_numpy() == codebook["unit"].str.strip("()").to_numpy()).all()


@pytest.mark.slow
def test_all_commodities_and_cells_read_with_openpyxl(files: list[Path], prices: pd.DataFrame) -> None:
    # independent read of single cells with openpyxl (rows as in the sheet)
    wb = openpyxl.load_workbook(files[0], read_only=True, data_only=True)
    rows = list(wb["Monthly Prices"].iter_rows(values_only=True))
    wb.close()
    codes = [c for c in rows[6][1:] if c]
    assert prices["series"].nunique() == len(codes) == 71
    last = rows[785]  # 2024M11
    assert last[0] == "2024M11"
    for code in ("GOLD", "COPPER", "MAIZE", "iNATGAS"):
        col = rows[6].index(code)
        got = prices[(prices["series"] == code) & (prices["period"] == "2024-11-01")]["value"]
        assert got.tolist() == [pytest.approx(float(last[col]))]
    meta = prices.drop_duplicates("series").set_index("series")
    assert meta.loc["GOLD", "unit"] == "$/troy oz" and meta.loc["iNATGAS", "unit"] == "2010=100"
    assert meta.loc["COAL_SAFRICA", "name"] == "Coal, South African"  # footnote ** removed
    # '…' cells give no row: WTI starts in 1982-01 (cells before are '…')
    wti = prices[prices["series"] == "CRUDE_WTI"]["period"]
    assert wti.min() == pd.Timestamp("1982-01-01")


@pytest.mark.slow
def test_rows_read_and_vintage(files: list[Path], parsed: Parsed) -> None:
    # independent count: rows whose first cell is a month like 1960M01 (pandas)
    raw = pd.read_excel(files[0], sheet_name="Monthly Prices", header=None, usecols=[0])
    n = int(raw[0].astype(str).str.fullmatch(r"\d{4}M\d{2}").sum())
    assert parsed.rows_read == {str(files[0]): n} and n == 779  # 1960-01 → 2024-11
    assert parsed.vintage == "Pink Sheet, updated 2024-12-03"
    assert parsed.mappings == ()  # no codes mapped: series codes are the World Bank's own


@pytest.mark.slow
def test_ingest_real(store: Store, files: list[Path], parsed: Parsed) -> None:
    (out,) = ingest(store, [(PinkSheet(), files)])
    assert out.status == "loaded" and out.rows_written == {"prices": len(parsed.tables["prices"])}
    n, mean = store.con.execute(
        "SELECT count(*), avg(value) FROM prices WHERE source = 'pinksheet' AND series = 'NGAS_US' "
        "AND year(period) = 2022 AND freq = 'M'").fetchone()
    assert n == 12 and mean == pytest.approx(6.37, abs=0.005)
    (again,) = ingest(store, [(PinkSheet(), files)])
    assert again.status == "unchanged"


# --- tiny workbooks in the published layout --------------------------------------------------

def tiny_rows() -> list[list[object]]:
    return [
        ["World Bank Commodity Price Data (The Pink Sheet)"],
        ["monthly prices in nominal US dollars, 1960 to present"],
        ["(monthly series are available only in nominal US dollars)"],
        ["Updated on December 03, 2024"],
        [None, "Crude oil, Brent", "Coal, South African **", "Gold"],
        [None, "($/bbl)", "($/mt)", "($/troy oz)"],
        [None, "CRUDE_BRENT", "COAL_SAFRICA", "GOLD"],
        ["1960M01", 1.63, "…", 35.27],
        ["1960M02", 1.63, "…", 35.27],
        ["2024M11", 74.395, 106.82, 2650.81],
    ]


def write_book(path: Path, rows: list[list[object]], sheet: str = "Monthly Prices") -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


def test_tiny_workbook(tmp_path: Path) -> None:
    p = PinkSheet().parse([write_book(tmp_path / "CMO-Historical-Data-Monthly.xlsx", tiny_rows())])
    df = p.tables["prices"]
    assert len(df) == 7  # 3 months x 3 series - 2 '…' cells (by hand)
    coal = df[df["series"] == "COAL_SAFRICA"]
    assert coal[["name", "unit", "value"]].values.tolist() == [["Coal, South African", "$/mt", 106.82]]
    assert str(coal["period"].iloc[0]) == "2024-11-01" and set(df["freq"]) == {"M"}
    assert p.vintage == "Pink Sheet, updated 2024-12-03"


def test_non_numeric_cell(tmp_path: Path) -> None:
    rows = tiny_rows()
    rows[8][3] = "n/q"  # sheet row 9, GOLD
    with pytest.raises(InputError) as e:
        PinkSheet().parse([write_book(tmp_path / "x.xlsx", rows)])
    assert (e.value.sheet, e.value.row, e.value.field, e.value.got) == ("Monthly Prices", 9, "GOLD", "n/q")


def test_bad_month_label(tmp_path: Path) -> None:
    rows = tiny_rows()
    rows[8][0] = "1960M13"  # sheet row 9
    with pytest.raises(InputError) as e:
        PinkSheet().parse([write_book(tmp_path / "x.xlsx", rows)])
    assert (e.value.row, e.value.field, e.value.got) == (9, "A", "1960M13")


def test_missing_codes_row(tmp_path: Path) -> None:
    rows = tiny_rows()
    rows[6] = [None]  # the code row is empty
    with pytest.raises(InputError) as e:
        PinkSheet().parse([write_book(tmp_path / "x.xlsx", rows)])
    assert e.value.row == 7


def test_unit_without_parentheses(tmp_path: Path) -> None:
    rows = tiny_rows()
    rows[5][2] = "$/mt"
    with pytest.raises(InputError) as e:
        PinkSheet().parse([write_book(tmp_path / "x.xlsx", rows)])
    assert (e.value.row, e.value.field) == (6, "COAL_SAFRICA")


def test_duplicate_code(tmp_path: Path) -> None:
    rows = tiny_rows()
    rows[6][3] = "CRUDE_BRENT"
    with pytest.raises(InputError, match="unique series codes"):
        PinkSheet().parse([write_book(tmp_path / "x.xlsx", rows)])


def test_missing_release_date(tmp_path: Path) -> None:
    rows = tiny_rows()
    rows[3] = ["Updated recently"]
    with pytest.raises(InputError, match="Updated on"):
        PinkSheet().parse([write_book(tmp_path / "x.xlsx", rows)])


def test_missing_sheet(tmp_path: Path) -> None:
    with pytest.raises(InputError) as e:
        PinkSheet().parse([write_book(tmp_path / "x.xlsx", tiny_rows(), sheet="Monthly Indices")])
    assert e.value.sheet == "Monthly Prices"


def test_no_month_rows(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="1960M01"):
        PinkSheet().parse([write_book(tmp_path / "x.xlsx", tiny_rows()[:7])])


def test_empty_and_truncated_files(tmp_path: Path) -> None:
    empty = tmp_path / "empty.xlsx"
    empty.write_bytes(b"")
    with pytest.raises(InputError, match="valid .xlsx"):
        PinkSheet().parse([empty])
    good = write_book(tmp_path / "good.xlsx", tiny_rows())
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    with pytest.raises(InputError, match="valid .xlsx"):
        PinkSheet().parse([cut])


def test_bad_file_leaves_store_unchanged(store: Store, tmp_path: Path) -> None:
    ingest(store, [(PinkSheet(), [write_book(tmp_path / "good.xlsx", tiny_rows())])])
    before = snapshot(store)
    rows = tiny_rows()
    rows[7][1] = "x"
    with pytest.raises(InputError):
        ingest(store, [(PinkSheet(), [write_book(tmp_path / "bad.xlsx", rows)])])
    assert snapshot(store) == before
