"""Census partner adapter: the real workbook and CSVs, tiny files by hand, and bad input."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from econsec.errors import InputError, UnknownCodeError
from econsec.sources.census_hs10 import MAPPING_FILE
from econsec.sources.census_partner import MONTHS, CensusPartner
from econsec.store import ingest
from tests.conftest import snapshot

DIR = "us_trade/census_goods_by_partner_1985_2026"
BOOK = "census_country_goods_1985_2023-01.xlsx"
TMAP = "tariff_map_US_2024_Import_Data.csv"
PAGES = "census_monthly_5partners_2024_2026.tidy.csv"
HEADER = ["year", "CTY_CODE", "CTYNAME", *[f"I{m}" for m in MONTHS], "IYR", *[f"E{m}" for m in MONTHS], "EYR"]
MAPPING = "CTY_CODE,ISO3,country\n5800,KOR,South Korea\n5880,JPN,Japan\n"
TMAP_BODY = ("\ufeffyear,CTY_CODE,CTYNAME,Imports ($B),Exports ($B),Tariff Rate,Geopolitical_swing_state\n"
             "2024,5800,\"Korea, South\",131.5,65.5,25%,TRUE\n2024,5880,Japan,148.2,79.7,24%,TRUE\n")
PAGES_BODY = ("cty_code,partner,year,month,exports_musd,imports_musd,balance_musd,fetched,commit,month_num\n"
              "5880,Japan,2023,September,6680.5,12728.7,-6048.2,2026-02-19T02:38:20Z,ec208d7,9\n"
              "5880,Japan,2024,January,5000.0,11000.0,-6000.0,2026-06-17T05:40:13Z,beaf698,1\n"
              "5880,Japan,2022,January,1.0,2.0,-1.0,2026-06-17T05:40:13Z,beaf698,1\n")


def _row(year: str, code: str, name: str, imp: list[float], exp: list[float]) -> list:
    return [year, code, name, *imp, sum(imp), *exp, sum(exp)]


def book(path: Path, rows: list[list] | None = None, header: list[str] | None = None,
         sheet: str = "country") -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append(header or HEADER)
    jan_only = [7.0] + [0.0] * 11
    for r in rows or [_row("2022", "5880", "Japan", [10.0] * 12, [5.0] * 12),
                      _row("2022", "0016", "Asia", [99.0] * 12, [9.0] * 12),
                      _row("2023", "5880", "Japan", jan_only, [3.0] + [0.0] * 11)]:
        ws.append(r)
    wb.save(path)
    return path


def tiny(tmp_path: Path, **override) -> list[Path]:
    (tmp_path / MAPPING_FILE).write_text(MAPPING)
    (tmp_path / TMAP).write_text(override.get("tmap", TMAP_BODY), encoding="utf-8")
    (tmp_path / PAGES).write_text(override.get("pages", PAGES_BODY))
    b = override.get("book") or book(tmp_path / BOOK)
    return [b, tmp_path / TMAP, tmp_path / PAGES, tmp_path / MAPPING_FILE]


@pytest.fixture(scope="module")
def workbook(data_dir: Path) -> pd.DataFrame:
    """The real workbook read independently with pandas."""
    return pd.read_excel(data_dir / DIR / BOOK, dtype={"CTY_CODE": str})


@pytest.fixture(scope="module")
def real(data_dir: Path):
    src = CensusPartner()
    files = src.discover(data_dir)
    return files, src.parse(files)


def _balance(tf: pd.DataFrame) -> pd.Series:
    ann = tf[tf.month.isna()]
    partner = ann["exporter"].where(ann.flow == "import", ann["importer"])
    signed = ann["value_usd"].where(ann.flow == "export", -ann["value_usd"])
    return signed.groupby([ann["year"], partner]).sum() / 1e9


@pytest.mark.slow
def test_published_balances(real) -> None:
    _, parsed = real
    bal = _balance(parsed.tables["trade_flows"])
    # Data README checks: 2022 China −382.9, Korea −43.9, Japan −68.0; 2024 Korea −66.0, Japan −68.5 bn.
    assert bal[2022, "CHN"] == pytest.approx(-382.9, abs=0.05)
    assert bal[2022, "KOR"] == pytest.approx(-43.9, abs=0.05)
    assert bal[2022, "JPN"] == pytest.approx(-68.0, abs=0.05)
    assert bal[2024, "KOR"] == pytest.approx(-66.0, abs=0.05)
    assert bal[2024, "JPN"] == pytest.approx(-68.5, abs=0.05)


@pytest.mark.slow
def test_values_match_an_independent_read(real, workbook: pd.DataFrame, data_dir: Path) -> None:
    _, parsed = real
    tf = parsed.tables["trade_flows"]
    raw = workbook
    jp = raw[(raw.year == 2010) & (raw.CTY_CODE == "5880")].iloc[0]
    got = tf[(tf.exporter == "JPN") & (tf.year == 2010)]
    mar = got[got.month == 3]
    assert mar["value"].item() == jp["IMAR"] and mar["currency"].item() == "million USD"
    assert got.loc[got.month.isna(), "value_usd"].item() == pytest.approx(jp["IYR"] * 1e6)
    world = raw[(raw.year == 2022) & (raw.CTY_CODE == "0015")].iloc[0]
    w = tf[(tf.importer == "WLD") & (tf.year == 2022) & tf.month.isna()]
    assert w["value"].item() == world["EYR"]
    pages = pd.read_csv(data_dir / DIR / PAGES)
    want = pages[(pages.cty_code == 5700) & (pages.year == 2025) & (pages.month_num == 3)]["imports_musd"].item()
    got = tf[(tf.exporter == "CHN") & (tf.year == 2025) & (tf.month == 3)]
    assert got["value_usd"].item() == pytest.approx(want * 1e6)
    tmap = pd.read_csv(data_dir / DIR / TMAP, encoding="utf-8-sig")
    want = tmap.loc[tmap.CTY_CODE == 5700, "Exports ($B)"].item()
    got = tf[(tf.importer == "CHN") & (tf.year == 2024) & tf.month.isna()]
    assert got["value"].item() == want and got["currency"].item() == "billion USD"


@pytest.mark.slow
def test_coverage_and_no_double_count(real) -> None:
    _, parsed = real
    tf = parsed.tables["trade_flows"]
    # 2023 in the workbook is January only: no annual rows, no months after January.
    y23 = tf[tf.year == 2023]
    assert y23.month.notna().all() and set(y23.month) == {1}
    assert not ((tf.year == 2023) & (tf.month == 9)).any()  # stray page row skipped
    # 2024 annual from Tariff_Map (233 partners × 2 flows); monthly pages 5 partners × 28 months × 2.
    assert (tf[tf.month.isna()].year == 2024).sum() == 466
    assert (tf.month.notna() & (tf.year >= 2024)).sum() == 280
    # One row per (year, month, partner, flow), except partners that several Census codes map to.
    partner = tf["exporter"].where(tf.flow == "import", tf["importer"])
    key = pd.DataFrame({"y": tf.year, "m": tf.month.fillna(0), "p": partner, "f": tf.flow})
    shared = {"PSE", "XNS", "ISR", "ETH", "SDN"}
    assert not key[~key.p.isin(shared)].duplicated().any()
    assert not tf[["exporter", "importer"]].isna().any().any()


@pytest.mark.slow
def test_rows_read_and_mappings(real, workbook: pd.DataFrame, data_dir: Path) -> None:
    files, parsed = real
    assert parsed.rows_read[str(data_dir / DIR / BOOK)] == len(workbook) == 8474
    assert parsed.rows_read[str(data_dir / DIR / TMAP)] == len(pd.read_csv(data_dir / DIR / TMAP)) == 233
    assert parsed.rows_read[str(data_dir / DIR / PAGES)] == len(pd.read_csv(data_dir / DIR / PAGES)) == 145
    got = {(m.code, m.mapped_to) for m in parsed.mappings}
    assert {("0003", "EUN"), ("0015", "WLD"), ("0004", None), ("0016", None), ("4610", "SUN"),
            ("5082", "PSE"), ("2023", None), ("2023-09", None)} <= got
    stray = [m for m in parsed.mappings if m.code == "2023-09"]
    assert stray[0].rows == 5  # one per partner


@pytest.mark.slow
def test_ingest_and_unchanged(store, data_dir: Path, real, workbook: pd.DataFrame) -> None:
    src = CensusPartner()
    out = ingest(store, [(src, src.discover(data_dir))])
    assert out[0].status == "loaded"
    assert out[0].rows_written == {"trade_flows": len(real[1].tables["trade_flows"]),
                                   "partial_periods": 2}   # 2023 (January), 2026 (months 1–4)
    n = store.con.execute("SELECT count(*) FROM trade_flows WHERE source = 'census_partner' "
                          "AND year = 2022 AND month IS NULL").fetchone()[0]
    # workbook rows of 2022 minus the skipped Census aggregates (0001-0999 except 0003 EU, 0015 World)
    y22 = workbook[workbook.year == 2022]
    skipped = y22.CTY_CODE.str.fullmatch(r"0\d{3}") & ~y22.CTY_CODE.isin(["0003", "0015"])
    assert n == 2 * (~skipped).sum() == 2 * 235
    assert ingest(store, [(src, src.discover(data_dir))])[0].status == "unchanged"


def test_tiny_by_hand(tmp_path: Path) -> None:
    parsed = CensusPartner().parse(tiny(tmp_path))
    tf = parsed.tables["trade_flows"]
    jp = tf[tf.exporter == "JPN"]
    assert jp.loc[(jp.year == 2022) & jp.month.isna(), "value_usd"].item() == pytest.approx(120e6)
    assert jp.loc[jp.year == 2023, "month"].tolist() == [1]  # partial year: January only, no annual
    assert jp.loc[(jp.year == 2024) & jp.month.isna(), "value_usd"].item() == pytest.approx(148.2e9)
    assert jp.loc[(jp.year == 2024) & (jp.month == 1), "value"].item() == 11000.0
    # The page's 2022-01 row duplicates the workbook's: the workbook wins, the skip is reported.
    assert jp.loc[(jp.year == 2022) & (jp.month == 1), "value"].tolist() == [10.0]
    assert ("file", "monthly pages") in {(m.field, m.code) for m in parsed.mappings}
    assert set(tf.exporter) | set(tf.importer) == {"USA", "JPN", "KOR"}  # 0016 Asia skipped
    assert ("0016", None, 1) in {(m.code, m.mapped_to, m.rows) for m in parsed.mappings}


@pytest.mark.parametrize(("rows", "header", "row", "field", "kind"), [
    ([_row("2022", "5880", "Japan", [1.0] * 12, [1.0] * 12), ["2022", "5880", "Japan", "n/a", *[1.0] * 25]],
     None, 3, "IJAN", InputError),
    ([_row("2022", "9999", "Atlantis", [1.0] * 12, [1.0] * 12)], None, 2, "CTY_CODE", UnknownCodeError),
    ([_row("2022", "5880", "Japan", [1.0] * 12, [1.0] * 12)[:-1]], HEADER[:-1], 1, "EYR", InputError),
])
def test_bad_workbook(tmp_path: Path, rows, header, row, field, kind) -> None:
    files = tiny(tmp_path, book=book(tmp_path / BOOK, rows, header))
    with pytest.raises(kind) as ei:
        CensusPartner().parse(files)
    assert (ei.value.row, ei.value.field, ei.value.sheet) == (row, field, "country")


def test_workbook_missing_sheet_and_truncated(tmp_path: Path) -> None:
    files = tiny(tmp_path, book=book(tmp_path / BOOK, sheet="Sheet1"))
    with pytest.raises(InputError) as ei:
        CensusPartner().parse(files)
    assert ei.value.sheet == "country" and "Sheet1" in str(ei.value)
    data = files[0].read_bytes()
    files[0].write_bytes(data[: len(data) // 2])
    with pytest.raises(InputError, match="valid .xlsx"):
        CensusPartner().parse(files)


@pytest.mark.parametrize(("key", "body", "row", "field", "kind"), [
    ("tmap", TMAP_BODY.replace("148.2", "148.2B"), 3, "Imports ($B)", InputError),
    ("tmap", TMAP_BODY.replace("2024,5880", "2024,9999"), 3, "CTY_CODE", UnknownCodeError),
    ("tmap", "", 1, None, InputError),
    ("pages", PAGES_BODY.replace("11000.0", "eleven"), 3, "imports_musd", InputError),
    ("pages", PAGES_BODY.replace(",month_num\n", ",mnum\n"), 1, "month_num", InputError),
    ("pages", PAGES_BODY.replace("beaf698,1\n5880", "beaf698,13\n5880"), 3, "month_num", InputError),
    ("pages", PAGES_BODY.replace("2024,January", "2024,Janvier"), 3, "month", InputError),
    ("pages", PAGES_BODY.replace("2024,January", "2024,March"), 3, "month", InputError),
])
def test_bad_csv(tmp_path: Path, key, body, row, field, kind) -> None:
    with pytest.raises(kind) as ei:
        CensusPartner().parse(tiny(tmp_path, **{key: body}))
    assert (ei.value.row, ei.value.field) == (row, field)
    assert (TMAP if key == "tmap" else PAGES) in str(ei.value)


def test_bad_input_leaves_store_unchanged(tmp_path: Path, store) -> None:
    good = tmp_path / "good"
    good.mkdir()
    ingest(store, [(CensusPartner(), tiny(good))])
    before = snapshot(store)
    bad = tmp_path / "bad"
    bad.mkdir()
    with pytest.raises(UnknownCodeError):
        ingest(store, [(CensusPartner(), tiny(bad, tmap=TMAP_BODY.replace("2024,5880", "2024,9999")))])
    assert snapshot(store) == before
