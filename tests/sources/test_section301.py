"""Section301China adapter: Waugh's two HS6 panels and the USITC China Tariffs workbook
(published checks, independent pandas/openpyxl reads), ingest, and bad input on tiny files.
The files carry no country codes (direction is fixed per file), so the unknown-code case is an
unknown chapter-99 heading."""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from econsec.errors import InputError
from econsec.sources.base import Parsed
from econsec.sources.section301 import CN_MEASURE, LIST_MEASURE, US_MEASURE, Section301China
from econsec.store import Store, ingest
from tests.conftest import snapshot

DIR = "tariffs/us_section301_china_2018_2020"


@pytest.fixture(scope="module")
def files(data_dir: Path) -> list[Path]:
    return Section301China().discover(data_dir)


@pytest.fixture(scope="module")
def parsed(files: list[Path]) -> Parsed:
    return Section301China().parse(files)


@pytest.fixture(scope="module")
def tariffs(parsed: Parsed) -> pd.DataFrame:
    return parsed.tables["tariffs"]


def dates(s: pd.Series) -> list[str | None]:
    """Dates as YYYY-MM-DD strings, None for NaT."""
    return [None if pd.isna(d) else str(pd.Timestamp(d).date()) for d in s]


def path_of(t: pd.DataFrame, measure: str, hs6: str) -> list[tuple[str, float]]:
    s = t[(t["measure"] == measure) & (t["product"] == hs6)]
    return [(str(d.date()), float(r)) for d, r in zip(s["effective_date"], s["rate_pct"], strict=True)]


# --- the real files ---------------------------------------------------------------------------

@pytest.mark.slow
def test_published_checks(tariffs: pd.DataFrame) -> None:
    # data README (tariffs/us_section301_china_2018_2020), checks at staging
    cars = path_of(tariffs, US_MEASURE, "870323")
    assert cars[:2] == [("2018-01-01", 2.5), ("2018-07-06", 27.5)]
    soup = path_of(tariffs, US_MEASURE, "210120")
    assert soup[-3:] == [("2019-06-01", 10.0), ("2019-09-01", 25.0), ("2020-02-14", 17.5)]
    us = tariffs[tariffs["measure"] == US_MEASURE]
    top = us.loc[us["rate_pct"].astype(float).idxmax()]
    assert (top["rate_pct"], top["product"]) == (375.0, "240120")
    assert set(us["target"]) == {"CHN"} and set(us["imposer"]) == {"USA"}


@pytest.mark.slow
def test_second_panel_is_china_on_us(data_dir: Path, tariffs: pd.DataFrame) -> None:
    # independent read with pandas: new_tariff_list_2020.csv is China's tariff on U.S. cars
    raw = pd.read_csv(data_dir / DIR / "new_tariff_list_2020.csv", dtype={"hs6": str})
    cars = raw[raw["hs6"] == "870323"]
    assert path_of(tariffs, CN_MEASURE, "870323") == list(
        zip(cars["time_of_tariff"], cars["tariff"].astype(float), strict=True))
    # China's MFN cut to 15 on 2018-07-01, +25 retaliation on 2018-07-06, suspended 2019-01-02
    assert [r for _, r in path_of(tariffs, CN_MEASURE, "870323")][3:9] == [15, 40, 40, 40, 40, 15]
    cn = tariffs[tariffs["measure"] == CN_MEASURE]
    assert set(cn["imposer"]) == {"CHN"} and set(cn["target"]) == {"USA"}
    assert len(cn) == len(raw)


@pytest.mark.slow
def test_panel_equals_independent_read(data_dir: Path, tariffs: pd.DataFrame) -> None:
    raw = pd.read_csv(data_dir / DIR / "us_tariffs_2020.csv", dtype={"hs6": str})
    ours = tariffs[tariffs["measure"] == US_MEASURE].assign(
        time_of_tariff=lambda d: d["effective_date"].dt.strftime("%Y-%m-%d"))
    m = raw.merge(ours, left_on=["hs6", "time_of_tariff"], right_on=["product", "time_of_tariff"],
                  how="outer", indicator=True)
    assert (m["_merge"] == "both").all() and len(m) == 35_798
    both = m["tariff"].notna()
    assert (m.loc[both, "tariff"] == m.loc[both, "rate_pct"].astype(float)).all()
    assert m.loc[~both, "rate_pct"].isna().all()  # 38 blank tariffs kept as NULL


@pytest.mark.slow
def test_end_dates(tariffs: pd.DataFrame) -> None:
    s = tariffs[(tariffs["measure"] == US_MEASURE) & (tariffs["product"] == "870323")]
    # by hand: each end is the day before the next date; the last is open
    assert dates(s["end_date"]) == [
        "2018-07-05", "2018-08-22", "2018-09-23", "2019-05-31", "2019-08-31", "2020-02-13", None]


@pytest.mark.slow
def test_china_tariffs_workbook(data_dir: Path, tariffs: pd.DataFrame, parsed: Parsed) -> None:
    # independent read of the workbook with openpyxl: cells in column B that are headings
    wb = openpyxl.load_workbook(data_dir / DIR / "China-Tariffs.xlsx", read_only=True)
    rows = list(wb["Table 1"].iter_rows(values_only=True))
    wb.close()
    counts = Counter(r[1] for r in rows if isinstance(r[1], str) and r[1].startswith("9903.88."))
    lst = tariffs[tariffs["measure"] == LIST_MEASURE]
    assert lst["rate_text"].value_counts().to_dict() == dict(counts)
    assert counts["9903.88.03"] == 5_759 and sum(counts.values()) == 10_697
    first = lst.drop_duplicates("rate_text")
    eff = dict(zip(first["rate_text"], dates(first["effective_date"]), strict=True))
    # the table's own note: .01 July 6, 2018 ... .15 September 1, 2019; .16 suspended
    assert eff == {"9903.88.01": "2018-07-06", "9903.88.02": "2018-08-23",
                   "9903.88.03": "2018-09-24", "9903.88.04": "2018-09-24",
                   "9903.88.15": "2019-09-01", "9903.88.16": None}
    n_dates = sum(isinstance(r[0], datetime) for r in rows)
    (note,) = parsed.mappings
    assert note.rows == n_dates == 375 and note.mapped_to is None
    # 1901.10.05 was stored as the date 1901-10-05; restored as a subheading
    assert "19011005" in set(lst["product"])
    assert lst.loc[lst["product"] == "94037080", "classification"].tolist() == []  # 10-digit only
    assert set(lst.loc[lst["product"].str.len() == 10, "classification"]) == {"HTS10"}


@pytest.mark.slow
def test_rows_read(parsed: Parsed, data_dir: Path) -> None:
    d = data_dir / DIR
    n_us = len(pd.read_csv(d / "us_tariffs_2020.csv"))
    n_cn = len(pd.read_csv(d / "new_tariff_list_2020.csv"))
    assert parsed.rows_read == {str(d / "us_tariffs_2020.csv"): n_us,
                                str(d / "new_tariff_list_2020.csv"): n_cn,
                                str(d / "China-Tariffs.xlsx"): 10_697}
    assert parsed.vintage.endswith("USITC China Tariffs Last Updated January 1, 2020")


@pytest.mark.slow
def test_ingest_real(store: Store, files: list[Path]) -> None:
    (out,) = ingest(store, [(Section301China(), files)])
    assert out.status == "loaded" and out.rows_written == {"tariffs": 35_798 + 64_644 + 10_697}
    (again,) = ingest(store, [(Section301China(), files)])
    assert again.status == "unchanged"


# --- tiny files in the published layouts ------------------------------------------------------

def write(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


US_HEAD = "hs6,time_of_tariff,tariff,description\n"


def test_tiny_panel(tmp_path: Path) -> None:
    p = write(tmp_path, "us_tariffs_2020.csv", US_HEAD + "870323,2018-01-01,2.5,Cars\n"
              "870323,2018-07-06,27.5,Cars\n010121,2018-01-01,,Horses\n")
    t = Section301China().parse([p]).tables["tariffs"]
    assert t["product"].tolist() == ["010121", "870323", "870323"]  # sorted by code, date
    assert dates(t["end_date"]) == [None, "2018-07-05", None]


def test_panel_bad_input(tmp_path: Path) -> None:
    with pytest.raises(InputError) as e:
        Section301China().parse([write(tmp_path, "us_tariffs_2020.csv",
                                       "hs6,time_of_tariff,description\n870323,2018-01-01,x\n")])
    assert e.value.field == "tariff"
    with pytest.raises(InputError) as e:
        Section301China().parse([write(tmp_path, "us_tariffs_2020.csv", US_HEAD +
                                       "870323,2018-01-01,2.5,Cars\n870323,2018-07-06,25%,Cars\n")])
    assert (e.value.row, e.value.field, e.value.got) == (3, "tariff", "25%")
    with pytest.raises(InputError) as e:
        Section301China().parse([write(tmp_path, "new_tariff_list_2020.csv",
                                       "time_of_tariff,hs6,tariff\n2018-01-01,8703,25\n")])
    assert (e.value.row, e.value.field) == (2, "hs6")
    with pytest.raises(InputError) as e:
        Section301China().parse([write(tmp_path, "new_tariff_list_2020.csv",
                                       "time_of_tariff,hs6,tariff\n2018-13-01,870323,25\n")])
    assert (e.value.row, e.value.field) == (2, "time_of_tariff")
    with pytest.raises(InputError) as e:
        Section301China().parse([write(tmp_path, "us_tariffs_2020.csv", "")])
    assert e.value.row == 1


NOTE = ("For reference, heading 9903.88.01 became effective on July 6, 2018, heading 9903.88.15\n"
        "became effective on September 1, 2019, and\n9903.88.16 is suspended pursuant to ...")


def china_xlsx(path: Path, data: list[tuple], title: str = "Table 1") -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title
    for r in [("China Tariffs", None, None), ("(Last Updated January 1, 2020)", None, None),
              (NOTE, None, None),
              ("Harmonized Tariff Schedule 8-digit Subheading",
               "Applicable subchapter III, chapter 99 Heading", None), *data]:
        ws.append(list(r))
    wb.save(path)
    return path


DATA = [("0101.21.00", "9903.88.15", None), (datetime(1901, 10, 5), "9903.88.15", None),
        ("8419.89.60", "9903.88.01", None), ("9403.70.8003", "9903.88.16", None)]


def test_tiny_workbook(tmp_path: Path) -> None:
    p = Section301China().parse([china_xlsx(tmp_path / "China-Tariffs.xlsx", DATA)])
    t = p.tables["tariffs"]
    assert t["product"].tolist() == ["01012100", "19011005", "84198960", "9403708003"]
    assert t["classification"].tolist() == ["HTS8", "HTS8", "HTS8", "HTS10"]
    assert dates(t["effective_date"]) == ["2019-09-01", "2019-09-01", "2018-07-06", None]
    assert p.mappings[0].rows == 1 and p.rows_read[str(tmp_path / "China-Tariffs.xlsx")] == 4


def test_workbook_bad_input(tmp_path: Path) -> None:
    with pytest.raises(InputError) as e:  # a heading the note does not define
        Section301China().parse([china_xlsx(tmp_path / "China-Tariffs.xlsx",
                                            [*DATA, ("0102.21.00", "9903.88.99", None)])])
    assert (e.value.row, e.value.sheet, e.value.got) == (9, "Table 1", "9903.88.99")
    with pytest.raises(InputError) as e:
        Section301China().parse([china_xlsx(tmp_path / "China-Tariffs.xlsx",
                                            [("01O1.21.00", "9903.88.15", None)])])
    assert (e.value.row, e.value.got) == (5, "01O1.21.00")
    with pytest.raises(InputError) as e:
        Section301China().parse([china_xlsx(tmp_path / "China-Tariffs.xlsx", DATA, title="Sheet1")])
    assert e.value.sheet == "Table 1"
    good = china_xlsx(tmp_path / "good.xlsx", DATA)
    cut = tmp_path / "China-Tariffs.xlsx"
    cut.write_bytes(good.read_bytes()[:300])
    with pytest.raises(InputError, match="valid .xlsx"):
        Section301China().parse([cut])


def test_failed_ingest_leaves_store_unchanged(store: Store, tmp_path: Path) -> None:
    ok = write(tmp_path, "us_tariffs_2020.csv", US_HEAD + "870323,2018-01-01,2.5,Cars\n")
    ingest(store, [(Section301China(), [ok])])
    before = snapshot(store)
    (tmp_path / "bad").mkdir()
    bad = write(tmp_path / "bad", "us_tariffs_2020.csv", US_HEAD + "870323,2018-01-01,n/a%,Cars\n")
    with pytest.raises(InputError):
        ingest(store, [(Section301China(), [bad])])
    assert snapshot(store) == before
