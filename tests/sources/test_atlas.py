"""Atlas (Harvard Growth Lab) classifications: HS92 hierarchy, SITC rev.2, locations."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from econsec.errors import InputError, UnknownCodeError
from econsec.sources.atlas import AtlasClassifications
from econsec.sources.base import Parsed
from econsec.store import Store, ingest
from tests.conftest import snapshot

DIR = "classifications/atlas_hs92_sitc2"
NAMES = ("hs92_atlas.csv", "sitc_rev2.csv", "locations_international_atlas.csv")


@pytest.fixture(scope="module")
def parsed(data_dir: Path) -> Parsed:
    src = AtlasClassifications()
    return src.parse(src.discover(data_dir))


def raw(data_dir: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(data_dir / DIR / name, dtype=str, keep_default_na=False)


@pytest.mark.slow
def test_hs92_hierarchy(parsed: Parsed, data_dir: Path) -> None:
    p = parsed.tables["products"]
    hs = p[p.classification == "HS1992_ATLAS"]
    # Data README check: 5,045 6-digit, 1,248 4-digit, 102 2-digit, 11 sections.
    assert hs.level.value_counts().to_dict() == {6: 5045, 4: 1248, 2: 102, 1: 11}
    by = hs.set_index("code")
    assert by.loc["010111", "parent"] == "0101" and by.loc["0101", "parent"] == "01"
    assert by.loc["01", "parent"] == "1" and pd.isna(by.loc["1", "parent"])
    assert by.loc["010111", "description"] == "Live horses, pure-bred"
    # Every parent, resolved independently through the unnamed row-id column.
    f = raw(data_dir, "hs92_atlas.csv")
    ids = dict(zip(f.iloc[:, 0].astype(int), f["code"], strict=True))
    expected = f["parent_id"].map(lambda v: ids[int(float(v))] if v else None)
    assert hs["parent"].fillna("").tolist() == expected.fillna("").tolist()
    # Why HS1992_ATLAS and not HS1992: the names are Atlas's own (under 5% agree with the
    # concordance package's WCO descriptions) and non-HS codes are part of the hierarchy.
    wco = pd.read_csv(data_dir / "classifications/hs_concordance/hs0_desc.csv", dtype=str)
    m = hs[hs.level == 6].merge(wco, on="code")
    assert len(m) == 5039 and (m["description"] == m["desc"]).mean() < 0.05
    assert {"XXXXXX", "travel", "financial"} <= set(hs.code)


@pytest.mark.slow
def test_sitc2(parsed: Parsed, data_dir: Path) -> None:
    p = parsed.tables["products"]
    s = p[p.classification == "SITC2"]
    f = raw(data_dir, "sitc_rev2.csv")
    # Counts per level from the file read with pandas: 11 sections, 75 2-digit, 793 4-digit.
    assert s.level.value_counts().to_dict() == {1: 11, 2: 75, 4: 793}
    assert s["description"].tolist() == f["name_en"].tolist()
    ids = dict(zip(f.iloc[:, 0].astype(int), f["code"], strict=True))
    expected = f["parent_id"].map(lambda v: ids[int(float(v))] if v else "")
    assert s["parent"].fillna("").tolist() == expected.tolist()
    assert s.set_index("code").loc["6595", "parent"] == "65"  # parent_id 141 is row "65"


@pytest.mark.slow
def test_locations(parsed: Parsed) -> None:
    cc = parsed.tables["country_codes"].set_index("code")
    assert set(cc.scheme) == {"atlas"} and len(cc) == 258
    assert cc.loc["KOR", "iso3"] == "KOR" and cc.loc["KOR", "name"] == "South Korea"
    assert cc.loc["ANS", "iso3"] == "XNS"
    assert cc.loc[["PCZ", "VDR", "1", "7"], "iso3"].isna().all()
    assert cc.loc["4", "name"] == "Europe"


@pytest.mark.slow
def test_rows_read(parsed: Parsed, data_dir: Path) -> None:
    for n in NAMES:  # independent counts with pandas
        f = data_dir / DIR / n
        assert parsed.rows_read[str(f)] == len(pd.read_csv(f)), n


@pytest.mark.slow
def test_mappings(parsed: Parsed) -> None:
    got = {(m.code, m.mapped_to) for m in parsed.mappings}
    assert got == {("ANS", "XNS"), ("PCI", None), ("PCZ", None), ("VDR", None), ("YMD", None)} | {
        (str(i), None) for i in range(1, 8)}
    assert all(m.rows == 1 for m in parsed.mappings)


@pytest.mark.slow
def test_ingest_and_idempotent(store: Store, data_dir: Path) -> None:
    src = AtlasClassifications()
    out = ingest(store, [(src, src.discover(data_dir))])
    assert out[0].rows_written == {"products": 6406 + 879, "country_codes": 258}
    n = store.con.execute("SELECT count(*) FROM products WHERE classification = 'HS1992_ATLAS' "
                          "AND level = 6").fetchone()
    assert n == (5045,)
    assert ingest(store, [(src, src.discover(data_dir))])[0].status == "unchanged"


HEAD = ('"","code","name","level","name_en","name_es","name_short_en","name_short_es",'
        '"top_parent_id","parent_id","is_shown","natural_resource"\n')
SECTION = '0,"0","Textiles","section","Textiles","T","Textiles","T",0,"",1,0\n'
LOC_HEAD = ('"","code","level","name_abbr_en","name_en","name_es","name_short_en","name_short_es",'
            '"the_prefix","iso2","parent_id","name","is_trusted","in_rankings","reported_serv",'
            '"reported_serv_recent","former_country"\n')


@pytest.mark.parametrize(("name", "body", "row", "field", "kind"), [
    ("hs92_atlas.csv", HEAD + SECTION + '1,"01","x","8digit","x","x","x","x",0,0.0,1,0\n', 3,
     "level", InputError),
    ("hs92_atlas.csv", HEAD + SECTION + '1,"01","x","2digit","x","x","x","x",0,abc,1,0\n', 3,
     "parent_id", InputError),
    ("hs92_atlas.csv", HEAD + SECTION + '1,"01","x","2digit","x","x","x","x",0,77.0,1,0\n', 3,
     "parent_id", InputError),
    ("sitc_rev2.csv", '"","code","name","level"\n0,"0","Food","section"\n', 1, "name_en",
     InputError),
    ("sitc_rev2.csv", "", 1, None, InputError),
    ("locations_international_atlas.csv", LOC_HEAD
     + '0,"ABW","country","","Aruba","A","Aruba","A",False,"AW",356.0,"Aruba",0,0,1,1,0\n'
     + '1,"QQQ","country","","Nowhere","N","N","N",False,"QQ",356.0,"N",0,0,1,1,0\n', 3, "code",
     UnknownCodeError),
])
def test_bad_input(mock_data_dir: Path, tmp_path: Path, name: str, body: str, row: int,
                   field: str | None, kind: type[InputError]) -> None:
    files = {n: Path(shutil.copy(mock_data_dir / DIR / n, tmp_path / n)) for n in NAMES}
    files[name].write_text(body)
    with pytest.raises(kind) as e:
        AtlasClassifications().parse(list(files.values()))
    assert e.value.row == row and e.value.field == field and e.value.file == str(files[name])


def test_bad_file_leaves_store_unchanged(store: Store, mock_data_dir: Path, tmp_path: Path) -> None:
    src = AtlasClassifications()
    ingest(store, [(src, src.discover(mock_data_dir))])
    before = snapshot(store)
    files = {n: Path(shutil.copy(mock_data_dir / DIR / n, tmp_path / n)) for n in NAMES}
    files["sitc_rev2.csv"].write_text(HEAD + SECTION + '1,"01","x","9digit","x","x","x","x",0,0.0,1,0\n')
    with pytest.raises(InputError):
        ingest(store, [(src, list(files.values()))])
    assert snapshot(store) == before
