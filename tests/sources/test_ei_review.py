"""EiReview adapter: the six real Statistical Review workbooks (published checks, the tidy CSVs
as an independent derivation, pandas row counts), ingest, and bad input on tiny workbooks in the
published layout."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from econsec.errors import InputError, UnknownCodeError
from econsec.sources.base import Parsed
from econsec.sources.ei_review import EiReview
from econsec.store import Store, ingest
from tests.conftest import snapshot

EI_DIR = "energy/ei_statistical_review"


@pytest.fixture(scope="module")
def files(data_dir: Path) -> list[Path]:
    return EiReview().discover(data_dir)


@pytest.fixture(scope="module")
def parsed(files: list[Path]) -> Parsed:
    return EiReview().parse(files)  # six workbooks, about 2 s


@pytest.fixture(scope="module")
def trade(parsed: Parsed) -> pd.DataFrame:
    return parsed.tables["energy_trade"]


def imports_total(trade: pd.DataFrame, year: int, importer: str) -> float:
    sel = (trade["year"] == year) & (trade["importer_name"] == importer)
    (v,) = trade.loc[sel & (trade["exporter_name"] == "Total imports"), "value"]
    return float(v)


# --- the real workbooks ---------------------------------------------------------------------

@pytest.mark.slow
def test_published_lng_checks(trade: pd.DataFrame) -> None:
    # data README (energy/ei_statistical_review), checks at staging
    assert imports_total(trade, 2022, "South Korea") == pytest.approx(63.9)
    assert imports_total(trade, 2022, "Japan") == pytest.approx(98.3)
    for name, bcm in (("South Korea", 60.6), ("Japan", 90.3), ("China", 97.8),
                      ("Total exports", 549.2)):  # "Total exports" row x "Total imports" = world
        assert imports_total(trade, 2023, name) == pytest.approx(bcm, abs=0.05)
    kor = trade[(trade["year"] == 2023) & (trade["importer"] == "KOR")
                & (trade["exporter_kind"] == "country")].nlargest(3, "value")
    assert kor["exporter"].tolist() == ["AUS", "QAT", "MYS"]
    assert kor["value"].round(1).tolist() == [14.3, 11.8, 8.3]


@pytest.mark.slow
def test_row_sums_match_printed_totals(trade: pd.DataFrame) -> None:
    # README: matrix row sums vs printed totals differ by at most 0.20 bcm
    cells = trade[trade["exporter_kind"].isin(["country", "other_group"])]
    sums = cells.groupby(["year", "importer_name"])["value"].sum()
    printed = trade[trade["exporter_name"] == "Total imports"].set_index(["year", "importer_name"])["value"]
    diff = (sums - printed.reindex(sums.index)).abs()
    assert len(diff) == 6 * 35 and diff.max() <= 0.20 + 1e-9


@pytest.mark.slow
def test_published_price_checks(parsed: Parsed) -> None:
    p = parsed.tables["prices"].set_index(["series", "period"])["value"]
    y22 = pd.Timestamp("2022-01-01").date()
    assert round(p[("gas_us_henry_hub", y22)], 2) == 6.38  # README
    assert round(p[("gas_netherlands_ttf", y22)], 2) == 37.09  # README
    assert set(parsed.tables["prices"]["freq"]) == {"A"}
    assert set(parsed.tables["prices"]["unit"]) == {"USD/MMBtu"}


def _norm(s: pd.Series) -> pd.Series:
    """The tidy files keep footnote marks and spacing: strip them the way a reader would."""
    s = s.str.strip().str.replace("of which: ", "", regex=False).str.rstrip(" *#")
    return s.replace({"Other European Union": "Other EU"})


@pytest.mark.slow
def test_bilateral_equals_tidy_csv(data_dir: Path, trade: pd.DataFrame) -> None:
    # independent derivation: scripts/parse_lng.py (pandas) -> lng_trade_bilateral_….tidy.csv;
    # it reads '-' as NaN and '†' as 0, the adapter '-' as 0 and '†' as missing: compare as 0
    tidy = pd.read_csv(data_dir / EI_DIR / "lng_trade_bilateral_2018_2023_bcm.tidy.csv")
    tidy = tidy.assign(importer_name=_norm(tidy["importer"]), exporter_name=_norm(tidy["exporter"]))
    ours = trade.assign(importer_name=_norm(trade["importer_name"]))
    m = tidy.merge(ours, on=["year", "importer_name", "exporter_name"], how="outer", indicator=True)
    assert len(m) == 4830 and (m["_merge"] == "both").all()
    assert (m["bcm"].fillna(0) - m["value"].fillna(0)).abs().max() < 1e-9
    assert (m["importer_kind_x"] == m["importer_kind_y"]).all()
    assert (m["exporter_kind_x"] == m["exporter_kind_y"]).all()
    editions = trade.groupby("year")["edition"].unique().map(list).to_dict()
    assert editions == {2018: ["bp 2019"], 2019: ["bp 2020"], 2020: ["bp 2021"], 2021: ["bp 2022"],
                        2022: ["EI 2023"], 2023: ["EI 2024"]}


@pytest.mark.parametrize(("tidy", "commodity", "measure"), [
    ("lng_imports_bcm_2024ed", "lng", "imports"), ("lng_exports_bcm_2024ed", "lng", "exports"),
    ("gas_consumption_bcm_2024ed", "natural_gas", "consumption"),
    ("gas_production_bcm_2024ed", "natural_gas", "production"),
])
@pytest.mark.slow
def test_series_equal_tidy_csv(data_dir: Path, parsed: Parsed, tidy: str, commodity: str,
                               measure: str) -> None:
    # independent derivation: scripts/parse_yearsheets.py; its footnote rows have no values
    t = pd.read_csv(data_dir / EI_DIR / f"{tidy}.tidy.csv")
    t = t[t.groupby("country_or_region")["value"].transform("count") > 0]
    t = t.assign(country_name=_norm(t["country_or_region"]))
    cs = parsed.tables["commodity_series"]
    ours = cs[(cs["commodity"] == commodity) & (cs["measure"] == measure)]
    m = t.merge(ours, on=["country_name", "year"], how="outer", indicator=True)
    assert (m["_merge"] == "both").all() and len(ours) == len(t)
    assert (m["value_x"].fillna(0) - m["value_y"].fillna(0)).abs().max() < 1e-9


@pytest.mark.slow
def test_series_values_and_kinds(parsed: Parsed) -> None:
    cs = parsed.tables["commodity_series"].set_index(["measure", "country_name", "year"])
    assert cs.loc[("imports", "South Korea", 2023), "value"] == pytest.approx(60.632, abs=5e-4)
    assert cs.loc[("imports", "South Korea", 2023), "country"] == "KOR"
    assert cs.loc[("exports", "Total LNG exports", 2023), "value"] == pytest.approx(549.194, abs=5e-4)
    assert cs.loc[("consumption", "China Hong Kong SAR", 2023), "country"] == "HKG"
    assert cs.loc[("consumption", "OECD", 2023), "country_kind"] == "region_aggregate"
    assert cs.loc[("production", "Total World", 2023), "country_kind"] == "total"
    assert pd.isna(cs.loc[("production", "Total World", 2023), "country"])
    assert set(parsed.tables["commodity_series"]["edition"]) == {"EI 2024"}


@pytest.mark.slow
def test_rows_read(files: list[Path], parsed: Parsed) -> None:
    # independent count (openpyxl): matrix rows from 'To' to 'Total exports'; year-sheet rows
    # with a number in the first year column; price rows starting with a year
    def col(wb: openpyxl.Workbook, sheet: str, c: int) -> pd.Series:
        return pd.Series([r[c] if len(r) > c else None
                          for r in wb[sheet].iter_rows(values_only=True)], dtype=object)

    expected = {}
    for f in files:
        wb = openpyxl.load_workbook(f, read_only=True, data_only=True)
        lng = "Gas trade - LNG" if "Gas trade - LNG" in wb.sheetnames else "Gas - Trade movts LNG"
        a = col(wb, lng, 0).astype(str).str.strip()
        expected[str(f)] = int(a.eq("Total exports").idxmax() - a.eq("To").idxmax())
        if "2024" in f.name:
            for name in ("Gas - LNG imports bcm", "Gas - LNG exports bcm", "Gas Consumption - Bcm",
                         "Gas Production - Bcm"):
                first_year = pd.to_numeric(col(wb, name, 1).iloc[3:], errors="coerce")
                expected[str(f)] += int(first_year.notna().sum())
            expected[str(f)] += int(pd.to_numeric(col(wb, "Gas Prices ", 0), errors="coerce").notna().sum())
        wb.close()
    assert parsed.rows_read == expected
    # by hand from the sheets: 35 matrix rows per edition; 35 + 28 + 103 + 67 series rows, 40 years
    assert sum(expected.values()) == 6 * 35 + 35 + 28 + 103 + 67 + 40


@pytest.mark.slow
def test_mappings_and_vintage(parsed: Parsed) -> None:
    notes = {(m.field, m.code): m.mapped_to for m in parsed.mappings}
    assert notes[("importer_name", "US")] == "USA"
    assert notes[("exporter_name", "Trinidad & Tobago")] == "TTO"
    assert notes[("country_name", "China Hong Kong SAR")] == "HKG"
    assert notes[("country_name", "USSR")] == "SUN"
    for key in (("importer_name", "Other EU"), ("importer_name", "Total exports"),
                ("exporter_name", "Other Asia Pacific"), ("country_name", "Total World"),
                ("country_name", "European Union")):
        assert notes[key] is None
    assert parsed.vintage.startswith("Statistical Review EI 2024")


@pytest.mark.slow
def test_ingest_real(store: Store, files: list[Path]) -> None:
    (out,) = ingest(store, [(EiReview(), files)])
    assert out.status == "loaded"
    assert out.rows_written == {"energy_trade": 4830, "commodity_series": 11207, "prices": 177}
    nulls = store.con.execute("SELECT count(*) FROM energy_trade WHERE value IS NULL").fetchone()[0]
    assert nulls == 17  # cells printed '†' in the 2023 edition (pandas count of the tidy CSV: bcm == 0)
    (again,) = ingest(store, [(EiReview(), files)])
    assert again.status == "unchanged"


# --- tiny workbooks in the published layout ------------------------------------------------

def sheets(year: int = 2023) -> dict[str, list[list[object]]]:
    lng = [[f"Natural Gas: Trade movements {year} as liquefied natural gas* "],
           [None, None, "From"],
           ["Billion cubic metres", None, "Trinidad & ", "Other "],
           ["To ", "US", " Tobago", " Asia Pacific*", "Total imports"],
           ["South Korea", 7.085, "-", 0.453, 7.538],
           ["Japan", 7.528, "†", 0.327, 7.855],
           ["Asia Pacific", 14.613, "†", 0.78, 15.393],
           ["Total exports", 14.613, "†", 0.78, 15.393],
           [],
           ["Source: Includes data from GIIGNL, IHS."]]

    def year_sheet(title: str, names: list[str]) -> list[list[object]]:
        return ([[title], [None, None, None, "Growth rate per annum"],
                 ["Billion cubic metres", year - 1, year, year, f"{year - 10}-{year % 100}"], []]
                + [[n, 1.0 + i, 2.0 + i, 0.1, 0.2] for i, n in enumerate(names)]
                + [[], [" ^ Less than 0.05."]])

    prices = [["Gas Prices"],
              [None, "LNG", None, None, "Natural Gas"],
              [None, "US dollars per million Btu", None, None, "US dollars per million Btu"],
              [None, "Japan1", "China (Mainland)2", "South Korea2", "Zeebrugge2", "UK\nNBP3",
               "Netherlands TTF3", "US"],
              [None, None, None, None, None, None, None, "Henry Hub4"],
              [year - 1, 16.983, 15.587, 20.001, 30.958, 24.55, 37.094, 6.377],
              [year, 13.218, 12.111, 14.823, None, 12.3, 12.865, "-"],
              [],
              ["1 Source: EDMC Energy Trend"]]
    return {
        "Gas trade - LNG": lng,
        "Gas - LNG imports bcm": year_sheet("Natural gas: LNG imports", ["South Korea", "Total World"]),
        "Gas - LNG exports bcm": year_sheet("Natural gas: LNG exports", [" US", "Total LNG exports"]),
        "Gas Consumption - Bcm": year_sheet("Natural Gas: Consumption*",
                                            ["China Hong Kong SAR", "USSR", "Total World",
                                             "of which: OECD", "   European Union #"]),
        "Gas Production - Bcm": year_sheet("Natural Gas: Production*", ["Qatar", "Total World"]),
        "Gas Prices ": prices,
    }


def write_book(path: Path, content: dict[str, list[list[object]]]) -> Path:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in content.items():
        ws = wb.create_sheet(name)
        for r in rows:
            ws.append(r)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def test_tiny_workbook(tmp_path: Path) -> None:
    p = EiReview().parse([write_book(tmp_path / "EI-Stats-Review-All-Data.xlsx", sheets())])
    t = p.tables["energy_trade"].set_index(["importer_name", "exporter_name"])
    assert len(t) == 4 * 4  # 4 rows x 4 columns, by hand
    assert t.loc[("South Korea", "Trinidad & Tobago"), "value"] == 0.0  # '-' = nil
    assert pd.isna(t.loc[("Japan", "Trinidad & Tobago"), "value"])  # '†' = less than 0.05
    assert t.loc[("Japan", "Other Asia Pacific"), ["importer", "exporter_kind"]].tolist() == ["JPN", "other_group"]
    assert t.loc[("Total exports", "Total imports"), "importer_kind"] == "total"
    assert set(t["edition"]) == {"EI 2024"}
    cs = p.tables["commodity_series"]
    assert len(cs) == 2 * (2 + 2 + 5 + 2)  # two years per name (repeated year = growth, skipped)
    cons = cs[cs["measure"] == "consumption"].drop_duplicates("country_name").set_index("country_name")
    assert cons["country"].fillna("-").to_dict() == {"China Hong Kong SAR": "HKG", "USSR": "SUN",
                                                     "Total World": "-", "OECD": "-", "European Union": "-"}
    assert cons["country_kind"].tolist() == ["country", "country", "total", "region_aggregate",
                                             "region_aggregate"]
    pr = p.tables["prices"]
    assert len(pr) == 7 + 5  # empty and '-' cells give no row
    assert pr.set_index("series").loc["gas_uk_nbp", "value"].tolist() == [24.55, 12.3]
    # rows read: 4 matrix rows + 2 + 2 + 5 + 2 year-sheet rows + 2 price rows
    assert p.rows_read == {str(tmp_path / "EI-Stats-Review-All-Data.xlsx"): 17}


def test_two_editions(tmp_path: Path) -> None:
    old = write_book(tmp_path / "a" / "old.xlsx", sheets(2022))
    new = write_book(tmp_path / "b" / "new.xlsx", sheets(2023))
    p = EiReview().parse([old, new])
    assert p.tables["energy_trade"].groupby("year")["edition"].first().to_dict() == {2022: "EI 2023",
                                                                                      2023: "EI 2024"}
    assert set(p.tables["commodity_series"]["year"]) == {2022, 2023}  # from the newest only
    with pytest.raises(InputError, match="one workbook per edition"):
        EiReview().parse([new, write_book(tmp_path / "c" / "copy.xlsx", sheets(2023))])


def test_missing_sheets(tmp_path: Path) -> None:
    for name in ("Gas trade - LNG", "Gas Consumption - Bcm", "Gas Prices "):
        content = sheets()
        del content[name]
        with pytest.raises(InputError) as e:
            EiReview().parse([write_book(tmp_path / "x.xlsx", content)])
        assert e.value.sheet == name.strip()


def test_non_numeric_cells(tmp_path: Path) -> None:
    content = sheets()
    content["Gas trade - LNG"][5][2] = "abc"  # sheet row 6, column 'Trinidad & Tobago'
    with pytest.raises(InputError) as e:
        EiReview().parse([write_book(tmp_path / "x.xlsx", content)])
    assert (e.value.sheet, e.value.row, e.value.field, e.value.got) == (
        "Gas trade - LNG", 6, "Trinidad & Tobago", "abc")
    content = sheets()
    content["Gas Production - Bcm"][4][2] = "n.a"  # row 5, year 2023
    with pytest.raises(InputError) as e:
        EiReview().parse([write_book(tmp_path / "x.xlsx", content)])
    assert (e.value.sheet, e.value.row, e.value.field) == ("Gas Production - Bcm", 5, "2023")


def test_wrong_headers(tmp_path: Path) -> None:
    content = sheets()
    content["Gas Prices "][4][7] = None  # 'US' without 'Henry Hub'
    with pytest.raises(InputError) as e:
        EiReview().parse([write_book(tmp_path / "x.xlsx", content)])
    assert e.value.field == "Natural Gas US Henry Hub"
    content = sheets()
    content["Gas - LNG imports bcm"][2][0] = "Million tonnes"
    with pytest.raises(InputError) as e:
        EiReview().parse([write_book(tmp_path / "x.xlsx", content)])
    assert (e.value.row, e.value.got) == (3, "Million tonnes")
    content = sheets()
    content["Gas trade - LNG"][3][0] = "Importer"  # no 'To' row
    with pytest.raises(InputError, match="'To'"):
        EiReview().parse([write_book(tmp_path / "x.xlsx", content)])
    content = sheets()
    content["Gas trade - LNG"][0] = ["Natural gas trade"]  # title without the year
    with pytest.raises(InputError) as e:
        EiReview().parse([write_book(tmp_path / "x.xlsx", content)])
    assert e.value.row == 1


def test_unknown_country(tmp_path: Path) -> None:
    content = sheets()
    content["Gas trade - LNG"][5][0] = "Atlantis"
    with pytest.raises(UnknownCodeError) as e:
        EiReview().parse([write_book(tmp_path / "x.xlsx", content)])
    assert (e.value.sheet, e.value.row, e.value.got) == ("Gas trade - LNG", 6, "Atlantis")
    content = sheets()
    content["Gas trade - LNG"][3][1] = "Utopia"  # exporter in the header row
    with pytest.raises(UnknownCodeError) as e:
        EiReview().parse([write_book(tmp_path / "x.xlsx", content)])
    assert (e.value.row, e.value.got) == (4, "Utopia")


def test_empty_and_truncated_files(tmp_path: Path) -> None:
    empty = tmp_path / "empty.xlsx"
    empty.write_bytes(b"")
    with pytest.raises(InputError, match="valid .xlsx"):
        EiReview().parse([empty])
    good = write_book(tmp_path / "good.xlsx", sheets())
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(good.read_bytes()[: good.stat().st_size * 2 // 3])
    with pytest.raises(InputError, match="valid .xlsx"):
        EiReview().parse([cut])


def test_bad_file_leaves_store_unchanged(store: Store, tmp_path: Path) -> None:
    ingest(store, [(EiReview(), [write_book(tmp_path / "good" / "ei.xlsx", sheets())])])
    before = snapshot(store)
    content = sheets()
    content["Gas Prices "][5][1] = "n/q!"
    with pytest.raises(InputError):
        ingest(store, [(EiReview(), [write_book(tmp_path / "bad" / "ei.xlsx", content)])])
    assert snapshot(store) == before
