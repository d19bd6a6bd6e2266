"""BACI V202201 code tables: countries (shared reader with the BACI adapter), HS2017 products
with BEC, HS2017 → BEC."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from econsec.errors import InputError, SourceNotFoundError, UnknownCodeError
from econsec.sources.baci_codes import BaciCodes
from econsec.sources.base import Parsed
from econsec.sources.hs_concordance import HsConcordance
from econsec.store import Store, ingest
from tests.conftest import snapshot

DIR = "classifications/baci_codes_v202201"


@pytest.fixture(scope="module")
def parsed(data_dir: Path) -> Parsed:
    src = BaciCodes()
    return src.parse(src.discover(data_dir))


def raw(data_dir: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(data_dir / DIR / name, dtype=str, keep_default_na=False,
                       encoding="utf-8-sig")


@pytest.mark.slow
def test_real_tables(parsed: Parsed, data_dir: Path) -> None:
    cc = parsed.tables["country_codes"].set_index("code")
    # Data README: Taiwan is BACI 490 "Other Asia, nes" without ISO3; DEU is 276.
    assert cc.loc["490", "iso3"] == "TWN" and cc.loc["276", "iso3"] == "DEU"
    assert cc.loc["410", "iso3"] == "KOR" and set(cc["scheme"]) == {"baci"}
    p = parsed.tables["products"]
    # README: 5,384 HS17 codes; description of 854231 as in product_codes.csv.
    pc = raw(data_dir, "product_codes.csv").set_index("code")
    assert len(p) == 5384 and set(p.classification) == {"HS2017"} and set(p.level) == {6}
    ic = p.set_index("code").loc["854231"]
    assert ic["description"] == pc.loc["854231", "description"] and ic["parent"] == "8542"
    a = parsed.tables["product_attributes"].set_index("code")
    assert a.loc["010121", "value"] == "41" and set(a.attribute) == {"bec"}
    assert (a["value"] == pc.loc[a.index, "bec"]).all()
    c = parsed.tables["concordances"]
    hb = raw(data_dir, "hs17_bec.csv")
    # CEPII's n:n is econsec's n:m; counts from the file read with pandas (5,286 n:1, 225 n:n).
    assert c.relationship.value_counts().to_dict() == {
        "n:1": (hb.Relationship == "n:1").sum(), "n:m": (hb.Relationship == "n:n").sum()}
    assert c.set_index("from_code").loc["010121", "to_code"] == "41"


@pytest.mark.slow
def test_bec_links_agree_with_concordance_package(parsed: Parsed, data_dir: Path) -> None:
    # Two sources, one classification: BACI's HS2017 -> BEC equals the R package's hs5_bec4 once
    # the package's zero padding (220 = BEC 22) is undone, relationships included.
    pkg = HsConcordance().parse([data_dir / "classifications/hs_concordance/hs5_bec4.csv"])
    cols = ["from_code", "to_code", "relationship"]
    mine = parsed.tables["concordances"][cols].sort_values(cols, ignore_index=True)
    theirs = pkg.tables["concordances"][cols].sort_values(cols, ignore_index=True)
    pd.testing.assert_frame_equal(mine, theirs)


@pytest.mark.slow
def test_rows_read(parsed: Parsed, data_dir: Path) -> None:
    files = BaciCodes().discover(data_dir)
    assert {f.name for f in files} == {"country_codes.csv", "product_codes.csv", "hs17_bec.csv",
                                       "baci_readme.txt"}
    for f in files:  # independent counts with pandas; the readme is documentation (0 records)
        n = 0 if f.suffix == ".txt" else len(pd.read_csv(f, dtype=str, encoding="utf-8-sig"))
        assert parsed.rows_read[str(f)] == n, f.name
    assert parsed.rows_read[str(data_dir / DIR / "country_codes.csv")] == 238


@pytest.mark.slow
def test_mappings(parsed: Parsed) -> None:
    got = {(m.field, m.code, m.mapped_to) for m in parsed.mappings}
    assert got == {("country_code", "490", "TWN"), ("country_code", "697", "XEF"),
                   ("country_code", "849", "UMI")}


@pytest.mark.slow
def test_ingest_and_idempotent(store: Store, data_dir: Path) -> None:
    src = BaciCodes()
    out = ingest(store, [(src, src.discover(data_dir))])
    assert out[0].rows_written == {"country_codes": 238, "products": 5384,
                                   "product_attributes": 5384, "concordances": 5511}
    twn = store.con.execute("SELECT iso3 FROM country_codes WHERE source = 'baci_codes' "
                            "AND scheme = 'baci' AND code = '490'").fetchone()
    assert twn == ("TWN",)
    assert ingest(store, [(src, src.discover(data_dir))])[0].status == "unchanged"


def _copy(data_dir: Path, tmp_path: Path) -> dict[str, Path]:
    out = {}
    for n in ("country_codes.csv", "product_codes.csv", "hs17_bec.csv"):
        out[n] = Path(shutil.copy(data_dir / DIR / n, tmp_path / n))
    return out


@pytest.mark.parametrize(("name", "body", "row", "field", "kind"), [
    ("product_codes.csv", "code,description\n010121,Horses\n", 1, "bec", InputError),
    ("product_codes.csv", "code,description,bec\n010121,Horses,41\n10129,Horses,111\n", 3, "code",
     InputError),
    ("product_codes.csv", "code,description,bec\n010121,Horses,41\n010129,Horses,x1\n", 3, "bec",
     InputError),
    ("hs17_bec.csv", "\ufeffHS 2017,BEC,Relationship\n010121,41,n:1\n010129,111,2:1\n", 3,
     "Relationship", InputError),
    ("hs17_bec.csv", "", 1, None, InputError),
    ("country_codes.csv", "\ufeffcountry_code,country_name_abbreviation,country_name_full,"
     "iso_2digit_alpha,iso_3digit_alpha\n4,Afghanistan,Afghanistan,AF,AFG\n999,Atlantis,Atlantis,"
     "NA,N/A\n", 3, "iso_3digit_alpha", UnknownCodeError),
])
def test_bad_input(mock_data_dir: Path, tmp_path: Path, name: str, body: str, row: int,
                   field: str | None, kind: type[InputError]) -> None:
    files = _copy(mock_data_dir, tmp_path)
    files[name].write_text(body, encoding="utf-8")
    with pytest.raises(kind) as e:
        BaciCodes().parse(list(files.values()))
    assert e.value.row == row and e.value.field == field and e.value.file == str(files[name])


def test_missing_file(mock_data_dir: Path, tmp_path: Path) -> None:
    files = _copy(mock_data_dir, tmp_path)
    with pytest.raises(SourceNotFoundError, match="hs17_bec.csv"):
        BaciCodes().parse([files["country_codes.csv"], files["product_codes.csv"]])


def test_bad_file_leaves_store_unchanged(store: Store, mock_data_dir: Path, tmp_path: Path) -> None:
    src = BaciCodes()
    ingest(store, [(src, src.discover(mock_data_dir))])
    before = snapshot(store)
    files = _copy(mock_data_dir, tmp_path)
    files["product_codes.csv"].write_text("code,description,bec\n010121,Horses,4x\n")
    with pytest.raises(InputError):
        ingest(store, [(src, list(files.values()))])
    assert snapshot(store) == before
