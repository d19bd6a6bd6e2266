"""Minerals adapters: the USGS 2022 critical-minerals list and the EI 2024 production/reserves
extract (published checks, the EI workbook as an independent read), ingest, and bad input."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from econsec.errors import InputError, UnknownCodeError
from econsec.sources.base import Parsed
from econsec.sources.minerals import EI_FILE, EiMinerals, UsgsCriticalMinerals
from econsec.store import Store, ingest
from tests.conftest import snapshot

USGS_HEADER = "mineral,group,list,source\n"
LIST = "USGS 2022 Final List of Critical Minerals (50)"
EI_HEADER = "mineral,country,year,measure,value,unit\n"


@pytest.fixture(scope="module")
def usgs(data_dir: Path) -> tuple[list[Path], Parsed]:
    files = UsgsCriticalMinerals().discover(data_dir)
    return files, UsgsCriticalMinerals().parse(files)


@pytest.fixture(scope="module")
def ei(data_dir: Path) -> tuple[list[Path], Parsed]:
    files = EiMinerals().discover(data_dir)
    return files, EiMinerals().parse(files)


def series(parsed: Parsed) -> pd.DataFrame:
    return parsed.tables["commodity_series"]


def val(df: pd.DataFrame, commodity: str, name: str, year: int, measure: str = "mine_production") -> float:
    sel = (df["commodity"] == commodity) & (df["country_name"] == name) & (df["year"] == year)
    (v,) = df.loc[sel & (df["measure"] == measure), "value"]
    return float(v)


# --- USGS list ---------------------------------------------------------------------------------

@pytest.mark.slow
def test_usgs_list_has_50_minerals(usgs: tuple[list[Path], Parsed]) -> None:
    files, parsed = usgs
    ml = parsed.tables["mineral_lists"]
    # data README: "Count checked = 50"; independent count with pandas
    raw = pd.read_csv(files[0])
    assert len(ml) == ml["mineral"].nunique() == len(raw) == 50
    assert parsed.rows_read == {str(files[0]): len(raw)}
    groups = ml.groupby("grp")["mineral"].size().to_dict()
    assert groups == {"platinum_group_metal": 5, "rare_earth_element": 16}  # counted in the file
    assert {"lithium", "cobalt", "nickel", "graphite", "dysprosium"} <= set(ml["mineral"])
    assert ml["grp"].isna().sum() == 29 and set(ml["list"]) == {LIST}
    assert parsed.vintage == LIST


@pytest.mark.slow
def test_usgs_ingest(store: Store, usgs: tuple[list[Path], Parsed]) -> None:
    files, _ = usgs
    (out,) = ingest(store, [(UsgsCriticalMinerals(), files)])
    assert out.status == "loaded" and out.rows_written == {"mineral_lists": 50}
    assert ingest(store, [(UsgsCriticalMinerals(), files)])[0].status == "unchanged"


def _usgs(tmp_path: Path, body: str, header: str = USGS_HEADER) -> Path:
    f = tmp_path / "list.csv"
    f.write_text(header + body, encoding="utf-8")
    return f


def _usgs_body(n: int = 50) -> str:
    return "".join(f"mineral{i},,{LIST},FR 2022-04027\n" for i in range(n))


def test_usgs_bad_input(tmp_path: Path) -> None:
    with pytest.raises(InputError) as e:  # missing column
        UsgsCriticalMinerals().parse([_usgs(tmp_path, "lithium,,L,S\n", header="mineral,list,source\n")])
    assert e.value.field == "group"
    with pytest.raises(InputError) as e:  # wrong count: the list says 50
        UsgsCriticalMinerals().parse([_usgs(tmp_path, _usgs_body(49))])
    assert "50 minerals" in str(e.value) and e.value.got == "49 minerals"
    with pytest.raises(InputError) as e:  # unknown group code, on line 4
        body = "a,,L,S\nb,,L,S\nc,rare_earth,L,S\n"
        UsgsCriticalMinerals().parse([_usgs(tmp_path, body)])
    assert (e.value.row, e.value.field, e.value.got) == (4, "group", "rare_earth")
    with pytest.raises(InputError) as e:  # duplicate
        UsgsCriticalMinerals().parse([_usgs(tmp_path, "a,,L,S\nA,,L,S\n")])
    assert (e.value.row, e.value.field) == (3, "mineral")
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    with pytest.raises(InputError, match="empty file"):
        UsgsCriticalMinerals().parse([empty])


# --- EI production and reserves -----------------------------------------------------------

@pytest.mark.slow
def test_ei_published_checks(ei: tuple[list[Path], Parsed]) -> None:
    df = series(ei[1])
    # data README (minerals/ei_minerals_production_reserves_2024ed), checks at staging
    assert val(df, "rare_earth_metals", "China", 2023) == pytest.approx(240)
    assert val(df, "rare_earth_metals", "US", 2023) == pytest.approx(43)
    assert val(df, "rare_earth_metals", "Total World", 2023) == pytest.approx(353.7, abs=0.05)
    assert val(df, "lithium", "Australia", 2023) == pytest.approx(86, abs=0.5)
    # the README's warning (kept in the docstring): DR Congo cobalt 2023 = 139.8 kt
    assert val(df, "cobalt", "DR Congo", 2023) == pytest.approx(139.8, abs=0.05)
    units = df.drop_duplicates("commodity").set_index("commodity")["unit"]
    assert units["rare_earth_metals"] == "thousand tonnes (rare-earth oxide equivalent)"
    assert units["lithium"] == "thousand tonnes (lithium content)"
    assert units["platinum_group_metals"] == "tonnes" and units["copper"] == "thousand tonnes"


@pytest.mark.slow
def test_ei_matches_workbook(data_dir: Path, ei: tuple[list[Path], Parsed]) -> None:
    # independent read: the EI 2024 workbook the tidy file was derived from (openpyxl)
    df = series(ei[1])
    wb = openpyxl.load_workbook(data_dir / "energy/ei_statistical_review/EI-stats-review-2024-all-data.xlsx",
                                read_only=True, data_only=True)
    rows = {r[0]: r for r in wb["Cobalt P-R"].iter_rows(values_only=True) if r and r[0]}
    wb.close()
    header = rows["Thousand tonnes"]
    c2023, creserve = header.index(2023), header.index("At end of 2023")
    for name, iso in (("DR Congo", "COD"), ("Australia", "AUS"), ("Total World", None)):
        assert val(df, "cobalt", name, 2023) == pytest.approx(rows[name][c2023])
        assert val(df, "cobalt", name, 2023, "reserves") == pytest.approx(rows[name][creserve])
        got = df.loc[(df["country_name"] == name) & (df["commodity"] == "cobalt"), "country"]
        assert got.isna().all() if iso is None else set(got) == {iso}


@pytest.fixture(scope="module")
def ei_book(data_dir: Path) -> tuple[Path, Parsed]:
    book = data_dir / "energy/ei_statistical_review/EI-stats-review-2024-all-data.xlsx"
    return book, EiMinerals().parse([book])


@pytest.mark.slow
def test_workbook_route_equals_tidy_route(ei: tuple[list[Path], Parsed],
                                          ei_book: tuple[Path, Parsed]) -> None:
    # the same data read two ways: the tidy extract, and the eight P-R sheets of the workbook
    book, from_book = ei_book
    a, b = series(ei[1]), series(from_book)
    keys = ["commodity", "country_name", "year", "measure"]
    m = a.merge(b, on=keys, how="outer", indicator=True)
    assert len(m) == 1854 and (m["_merge"] == "both").all()
    assert (m["value_x"] - m["value_y"]).abs().max() == 0
    for col in ("country", "country_kind", "unit", "edition"):
        assert (m[f"{col}_x"].fillna("-") == m[f"{col}_y"].fillna("-")).all(), col
    # rows read: the data rows of the 8 sheets (tidy file minus footnote lines, / year columns)
    wb = openpyxl.load_workbook(book, read_only=True, data_only=True)
    n = 0
    for s in (s for s in wb.sheetnames if s.endswith(" P-R")):
        rows = list(wb[s].iter_rows(min_row=4, values_only=True))
        n += sum(1 for r in rows if isinstance(r[0], str) and isinstance(r[1], int | float))
    wb.close()
    assert from_book.rows_read == {str(book): n} and n == 81
    assert from_book.vintage == f"EI Statistical Review 2024 edition, via workbook {book.name}"


def test_workbook_bad_input(tmp_path: Path) -> None:
    def book(unit: str, sheet: str = "Cobalt P-R", cell: object = 2.9) -> Path:
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.title = sheet
        for r in (["Cobalt: Production and Reserves"], ["Mine production", None, None, "Reserves"],
                  [unit, 2022, 2023, "At end of 2023"], [],
                  ["Australia", 5.79, 4.6, 1700], ["Rest of World2", 1.0, cell, 100]):
            ws.append(r)
        f = tmp_path / "ei.xlsx"
        wb.save(f)
        return f

    df = series(EiMinerals().parse([book("Thousand tonnes")]))
    assert len(df) == 6 and set(df.loc[df["country_name"] == "Rest of World", "country_kind"]) == {"other_group"}
    with pytest.raises(InputError) as e:
        EiMinerals().parse([book("Million tonnes")])
    assert (e.value.sheet, e.value.row, e.value.field) == ("Cobalt P-R", 3, "A")
    with pytest.raises(InputError) as e:
        EiMinerals().parse([book("Thousand tonnes", cell="about 3")])
    assert (e.value.sheet, e.value.row, e.value.field) == ("Cobalt P-R", 6, "2023")
    with pytest.raises(InputError) as e:
        EiMinerals().parse([book("Thousand tonnes", sheet="Cobalt")])
    assert e.value.sheet == "Cobalt P-R"


@pytest.mark.slow
def test_ei_rows_kinds_and_mappings(ei: tuple[list[Path], Parsed]) -> None:
    files, parsed = ei
    df = series(parsed)
    raw = pd.read_csv(files[0])  # independent count of records
    assert parsed.rows_read == {str(files[0]): len(raw)} and len(raw) == 1974
    footnotes = raw["country"].str.startswith("*") | raw["country"].str.contains("is the sum of")
    assert len(df) == len(raw) - footnotes.sum() == 1854
    assert df["value"].notna().all()
    kinds = df.groupby("country_kind")["country"].agg(lambda s: s.isna().all()).to_dict()
    assert kinds == {"country": False, "other_group": True, "total": True}
    assert df.loc[df["country_kind"] == "country", "country"].notna().all()
    assert set(df["measure"]) == {"mine_production", "reserves"}
    assert set(df.loc[df["measure"] == "reserves", "year"]) == {2023}
    notes = {(m.field, m.code): m for m in parsed.mappings}
    assert notes[("country", "DR Congo")].mapped_to == "COD"
    assert notes[("country", "Democratic Republic of Congo")].mapped_to == "COD"
    assert notes[("country", "Rest of World")].mapped_to is None
    assert notes[("country", "Total World")].rows == 168
    assert notes[("unit", "Platinum Group Metals: Thousand tonnes")].mapped_to == "tonnes"
    assert notes[("country", "*Platinum and Palladium")].rows == 12
    assert notes[("unit", "Platinum Group Metals: Thousand tonnes")].rows == 7 * 12  # 7 names x 12


@pytest.mark.slow
def test_ei_ingest(store: Store, ei: tuple[list[Path], Parsed]) -> None:
    files, _ = ei
    (out,) = ingest(store, [(EiMinerals(), files)])
    assert out.status == "loaded" and out.rows_written == {"commodity_series": 1854}
    n = store.con.execute("SELECT count(*) FROM commodity_series WHERE source = 'ei_minerals' "
                          "AND commodity = 'lithium' AND country IS NULL").fetchone()[0]
    assert n == 60  # Rest of World + Total World, 1995-2023 + reserves (by hand: 2 x 30)
    assert ingest(store, [(EiMinerals(), files)])[0].status == "unchanged"


def _ei(tmp_path: Path, body: str, header: str = EI_HEADER) -> Path:
    d = tmp_path / "ei"
    d.mkdir(parents=True, exist_ok=True)
    f = d / EI_FILE
    f.write_text(header + body, encoding="utf-8")
    return f


GOOD = ("Lithium,Australia,2023,mine_production,86.0,Thousand tonnes of Lithium content\n"
        "Lithium,Total World,2023,reserves_end_2023,28000,Thousand tonnes of Lithium content\n")


def test_ei_tiny_file(tmp_path: Path) -> None:
    df = series(EiMinerals().parse([_ei(tmp_path, GOOD)]))
    assert df[["country", "measure", "value"]].astype(object).where(df.notna(), None).values.tolist() == [
        ["AUS", "mine_production", 86.0], [None, "reserves", 28000.0]]


@pytest.mark.parametrize(("body", "row", "field", "err"), [
    ("Lithium,Chile,2023,mine_production,lots,Thousand tonnes\n", 2, "value", InputError),
    ("Lithium,Chile,twenty,mine_production,1,Thousand tonnes\n", 2, "year", InputError),
    (GOOD + "Lithium,Chile,2023,exports,1,Thousand tonnes\n", 4, "measure", InputError),
    (GOOD + "Lithium,Chile,2022,reserves_end_2023,1,Thousand tonnes\n", 4, "year", InputError),
    (GOOD + "Lithium,Chile,2023,mine_production,1,kilograms\n", 4, "unit", InputError),
    (GOOD + "Lithium,Atlantis,2023,mine_production,1,Thousand tonnes\n", 4, "country", UnknownCodeError),
    ("Lithium,*Note,2023,mine_production,5,Thousand tonnes\n", 2, "value", InputError),
])
def test_ei_bad_rows(tmp_path: Path, body: str, row: int, field: str, err: type) -> None:
    with pytest.raises(err) as e:
        EiMinerals().parse([_ei(tmp_path, body)])
    assert (e.value.row, e.value.field) == (row, field)


def test_ei_missing_column_and_empty_file(tmp_path: Path) -> None:
    with pytest.raises(InputError) as e:
        EiMinerals().parse([_ei(tmp_path, "Lithium,Chile,2023,1,t\n", "mineral,country,year,value,unit\n")])
    assert e.value.field == "measure"
    with pytest.raises(InputError, match="empty file"):
        EiMinerals().parse([_ei(tmp_path, "", header="")])


def test_ei_bad_file_leaves_store_unchanged(store: Store, tmp_path: Path) -> None:
    ingest(store, [(EiMinerals(), [_ei(tmp_path / "good", GOOD)])])
    before = snapshot(store)
    bad = _ei(tmp_path, GOOD + "Lithium,Chile,2023,mine_production,?,Thousand tonnes\n")
    with pytest.raises(InputError):
        ingest(store, [(EiMinerals(), [bad])])
    assert snapshot(store) == before
