"""UstrLists2018 adapter: the USTR lists, China's 2018 retaliation workbook and the Census HS4
descriptions (published counts, independent pandas/openpyxl reads), ingest, and bad input on
tiny files in the published layouts."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from econsec.errors import InputError, UnknownCodeError
from econsec.sources.base import Parsed
from econsec.sources.ustr_lists import CN_HEADER, CN_MEASURE, UstrLists2018
from econsec.store import Store, ingest
from tests.conftest import snapshot

DIR = "tariffs/us_china_tariff_lists_2018_mitsuoxv"
TIDY = "ustr_section301_lists_hs8.tidy.csv"
XLSX = "P020180401856022545193.xlsx"


@pytest.fixture(scope="module")
def files(data_dir: Path) -> list[Path]:
    return UstrLists2018().discover(data_dir)


@pytest.fixture(scope="module")
def parsed(files: list[Path]) -> Parsed:
    return UstrLists2018().parse(files)


@pytest.fixture(scope="module")
def tariffs(parsed: Parsed) -> pd.DataFrame:
    return parsed.tables["tariffs"]


def dates(s: pd.Series) -> list[str | None]:
    return [None if pd.isna(d) else str(pd.Timestamp(d).date()) for d in s]


# --- the real files ---------------------------------------------------------------------------

@pytest.mark.slow
def test_published_counts(data_dir: Path, tariffs: pd.DataFrame) -> None:
    # data README: 34b 818, 16b 281, 200b 5,759, 300b_a 3,233, 300b_c 546 lines (incl. ch. 98/99)
    raw = pd.read_csv(data_dir / DIR / TIDY, dtype=str)
    assert raw["list"].value_counts().to_dict() == {"200b": 5759, "300b_a": 3233, "34b": 818,
                                                    "300b_c": 546, "16b": 281}
    # independent read: the same (list, code) pairs minus the chapter-99 headings
    goods = raw[~raw["hs8"].str.startswith("99")]
    names = {"34b": "s301 list 34b", "16b": "s301 list 16b", "200b": "s301 list 200b",
             "300b_a": "s301 list 300b A", "300b_c": "s301 list 300b C"}
    ours = tariffs[tariffs["measure"] != CN_MEASURE]
    assert set(zip(ours["measure"], ours["product"], strict=True)) == set(
        zip(goods["list"].map(names), goods["hs8"], strict=True))
    # phases per list: 200b and 300b A have two
    assert ours["measure"].value_counts().to_dict() == {
        "s301 list 200b": 2 * 5759, "s301 list 300b A": 2 * 3232, "s301 list 34b": 817,
        "s301 list 300b C": 545, "s301 list 16b": 280}
    assert set(ours["target"]) == {"CHN"} and set(ours["classification"]) == {"HTS8"}


@pytest.mark.slow
def test_list_phases(tariffs: pd.DataFrame) -> None:
    # 7602.00.00 (aluminium waste) on list 200b: 10% from 2018-09-24 (83 FR 47974),
    # 25% from 2019-05-10 (84 FR 20459)
    alu = tariffs[(tariffs["measure"] == "s301 list 200b") & (tariffs["product"] == "76020000")]
    assert alu["rate_pct"].tolist() == [10.0, 25.0]
    assert dates(alu["effective_date"]) == ["2018-09-24", "2019-05-10"]
    assert dates(alu["end_date"]) == ["2019-05-09", None]
    four_b = tariffs[tariffs["measure"] == "s301 list 300b C"]
    assert four_b["rate_pct"].isna().all() and four_b["effective_date"].isna().all()
    assert four_b["rate_text"].iloc[0].endswith("suspended (84 FR 69447)")
    a = tariffs[tariffs["measure"] == "s301 list 300b A"]
    assert sorted(a["rate_pct"].unique()) == [7.5, 15.0]


@pytest.mark.slow
def test_chapter99_headings_reported(parsed: Parsed, tariffs: pd.DataFrame) -> None:
    notes = {m.code: m for m in parsed.mappings}
    assert set(notes) == {"99038801", "99038802", "99038815", "99038816"}
    assert all(m.mapped_to is None and m.rows == 1 for m in notes.values())
    assert not tariffs["product"].str.startswith("99").any()
    assert "98020080" in set(tariffs["product"])  # chapter-98 lines are kept


@pytest.mark.slow
def test_china_retaliation(data_dir: Path, tariffs: pd.DataFrame, parsed: Parsed) -> None:
    # independent read with openpyxl: numeric cells of column D (added rate, %)
    wb = openpyxl.load_workbook(data_dir / DIR / XLSX, read_only=True)
    rows = list(wb.worksheets[0].iter_rows(values_only=True))
    wb.close()
    rates = [r[3] for r in rows if isinstance(r[3], int | float)]
    assert len(rows) == 133 and len(rates) == 128  # README: 133 rows (with titles and header)
    cn = tariffs[tariffs["measure"] == CN_MEASURE]
    assert cn["rate_pct"].tolist() == [float(x) for x in rates]
    assert cn["rate_pct"].value_counts().to_dict() == {15.0: 120, 25.0: 8}
    assert set(cn["imposer"]) == {"CHN"} and set(cn["target"]) == {"USA"}
    assert dates(cn["effective_date"].iloc[:1]) == ["2018-04-02"]
    pork = cn[cn["product"] == "02032900"]
    assert pork["rate_pct"].tolist() == [25.0]
    prod = parsed.tables["products"].set_index(["classification", "code"])
    assert prod.loc[("CN_TARIFF8", "02032900"), "description"] == "其他冻猪肉"


@pytest.mark.slow
def test_census_hs4(data_dir: Path, parsed: Parsed) -> None:
    raw = pd.read_csv(data_dir / DIR / "descriptions.csv", header=None, dtype=str)
    prod = parsed.tables["products"]
    hs4 = prod[prod["classification"] == "CENSUS_HS4"]
    assert len(hs4) == len(raw) == 1275
    assert hs4.set_index("code").loc["0101", "description"] == "HORSES, ASSES, MULES AND HINNIES, LIVE"


@pytest.mark.slow
def test_rows_read(parsed: Parsed, data_dir: Path) -> None:
    d = data_dir / DIR
    assert parsed.rows_read == {str(d / TIDY): len(pd.read_csv(d / TIDY)), str(d / XLSX): 128,
                                str(d / "descriptions.csv"): 1275}


@pytest.mark.slow
def test_ingest_real(store: Store, files: list[Path]) -> None:
    (out,) = ingest(store, [(UstrLists2018(), files)])
    assert out.status == "loaded"
    assert out.rows_written == {"tariffs": 2 * 5759 + 2 * 3232 + 817 + 545 + 280 + 128,
                                "products": 128 + 1275}
    (again,) = ingest(store, [(UstrLists2018(), files)])
    assert again.status == "unchanged"


# --- tiny files in the published layouts ------------------------------------------------------

HEAD = "list,r_object,hs8,flag_column,flag\n"


def write(tmp_path: Path, text: str, name: str = TIDY) -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_tiny_lists(tmp_path: Path) -> None:
    p = UstrLists2018().parse([write(tmp_path, HEAD + "34b,df_list_34b,99038801,trf_34b,True\n"
                                     "34b,df_list_34b,84198960,trf_34b,True\n"
                                     "200b,df_list_200b,76020000,trf_200b,True\n")])
    t = p.tables["tariffs"]
    # by hand: 1 row for 34b, 2 phases for 200b; the heading only reported
    assert list(zip(t["measure"], t["rate_pct"], strict=True)) == [
        ("s301 list 34b", 25.0), ("s301 list 200b", 10.0), ("s301 list 200b", 25.0)]
    assert [m.code for m in p.mappings] == ["99038801"]


def test_lists_bad_input(tmp_path: Path) -> None:
    with pytest.raises(InputError) as e:
        UstrLists2018().parse([write(tmp_path, "list,r_object,flag\n34b,x,True\n")])
    assert e.value.field == "hs8"
    with pytest.raises(InputError) as e:
        UstrLists2018().parse([write(tmp_path, HEAD + "34b,x,84198960,t,True\n34b,x,8419.89,t,True\n")])
    assert (e.value.row, e.value.field, e.value.got) == (3, "hs8", "8419.89")
    with pytest.raises(UnknownCodeError) as e:
        UstrLists2018().parse([write(tmp_path, HEAD + "34b,x,84198960,t,True\n500b,x,84198960,t,True\n")])
    assert (e.value.row, e.value.field, e.value.got) == (3, "list", "500b")
    with pytest.raises(InputError) as e:
        UstrLists2018().parse([write(tmp_path, HEAD + "34b,x,84198960,t,False\n")])
    assert (e.value.row, e.value.field) == (2, "flag")
    with pytest.raises(InputError):
        UstrLists2018().parse([write(tmp_path, "")])
    with pytest.raises(InputError) as e:
        UstrLists2018().parse([write(tmp_path, "101,HORSES\n1O2,BOVINE\n", "descriptions.csv")])
    assert (e.value.row, e.value.got) == (2, "1O2")


def china_xlsx(path: Path, data: list[tuple], title: str = "128项产品清单0328",
               header: tuple = CN_HEADER) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title
    for r in [("附件：", None, None, None), ("对美中止关税减让义务商品清单及加征关税税率", None, None, None),
              (None, None, None, None), header, *data]:
        ws.append(list(r))
    wb.save(path)
    return path


DATA = [("1", "08011100", "干的椰子", 15), ("2", "02032900", "其他冻猪肉", 25)]


def test_tiny_workbook(tmp_path: Path) -> None:
    p = UstrLists2018().parse([china_xlsx(tmp_path / XLSX, DATA)])
    assert p.tables["tariffs"]["rate_pct"].tolist() == [15.0, 25.0]
    assert p.rows_read == {str(tmp_path / XLSX): 2}


def test_workbook_bad_input(tmp_path: Path) -> None:
    with pytest.raises(InputError) as e:
        UstrLists2018().parse([china_xlsx(tmp_path / XLSX, [*DATA, ("3", "76020000", "铝废碎料", "二十五")])])
    assert (e.value.row, e.value.field, e.value.sheet) == (7, "加征关税税率(%)", "128项产品清单0328")
    with pytest.raises(InputError) as e:
        UstrLists2018().parse([china_xlsx(tmp_path / XLSX, [("1", "0801110", "x", 15)])])
    assert (e.value.row, e.value.field) == (5, "税则号列")
    with pytest.raises(InputError) as e:  # no sheet with the list's header
        UstrLists2018().parse([china_xlsx(tmp_path / XLSX, DATA, title="Sheet1",
                                          header=("no", "code", "name", "rate"))])
    assert e.value.sheet == "Sheet1"
    good = china_xlsx(tmp_path / "good.xlsx", DATA)
    cut = tmp_path / XLSX
    cut.write_bytes(good.read_bytes()[:400])
    with pytest.raises(InputError, match="valid .xlsx"):
        UstrLists2018().parse([cut])


def test_failed_ingest_leaves_store_unchanged(store: Store, tmp_path: Path) -> None:
    ok = write(tmp_path, HEAD + "34b,x,84198960,t,True\n")
    ingest(store, [(UstrLists2018(), [ok])])
    before = snapshot(store)
    (tmp_path / "bad").mkdir()
    bad = write(tmp_path / "bad", HEAD + "34b,x,84198960,t,True\n999b,x,84198960,t,True\n")
    with pytest.raises(UnknownCodeError):
        ingest(store, [(UstrLists2018(), [bad])])
    assert snapshot(store) == before
