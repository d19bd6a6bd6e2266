"""R ``concordance`` tables: HS descriptions, concordances, sigma, Rauch, upstreamness."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from econsec.errors import InputError, UnknownCodeError
from econsec.sources.base import Parsed
from econsec.sources.hs_concordance import HsConcordance, relationship
from econsec.store import Store, ingest
from tests.conftest import snapshot

DIR = "classifications/hs_concordance"


@pytest.fixture(scope="module")
def parsed(data_dir: Path) -> Parsed:
    src = HsConcordance()
    return src.parse(src.discover(data_dir))


def raw(data_dir: Path, name: str) -> pd.DataFrame:
    """The file read independently with plain pandas (codes as strings)."""
    return pd.read_csv(data_dir / DIR / name, dtype=str, keep_default_na=False)


@pytest.mark.slow
def test_hs2022_products(parsed: Parsed, data_dir: Path) -> None:
    p = parsed.tables["products"]
    hs22 = p[p.classification == "HS2022"]
    # Data README check: 97 chapters, 1,229 headings, 5,613 subheadings in HS2022.
    assert hs22.level.value_counts().to_dict() == {6: 5613, 4: 1229, 2: 97}
    # README check: the IC subheadings 854231/32/33/39, descriptions as in hs6_desc.csv.
    desc = raw(data_dir, "hs6_desc.csv").set_index("code")["desc"]
    ics = hs22.set_index("code").loc[["854231", "854232", "854233", "854239"]]
    assert ics["description"].tolist() == desc.loc[ics.index].tolist()
    assert set(ics["parent"]) == {"8542"} and hs22.set_index("code").loc["8542", "parent"] == "85"
    assert pd.isna(hs22.set_index("code").loc["85", "parent"])
    # HS2022 heading 8524 (flat panel display modules) exists in hs6_desc and not in hs5_desc.
    assert "8524" in set(hs22.code) and "8524" not in set(p[p.classification == "HS2017"].code)
    assert set(p.classification) == {"HS1992", "HS2017", "HS2022"}


@pytest.mark.slow
def test_concordances(parsed: Parsed, data_dir: Path) -> None:
    c = parsed.tables["concordances"]
    h = c[(c.from_class == "HS2022") & (c.to_class == "HS2017")]
    # README check: HS2022's 5,613 subheadings map to 5,362 HS2017 codes.
    assert h.from_code.nunique() == 5613 and h.to_code.nunique() == 5362
    # One row per link, as in the file (hs6_hs5.csv has no duplicate 6-digit links).
    f = raw(data_dir, "hs6_hs5.csv")
    assert len(h) == len(f[["HS6_6d", "HS5_6d"]].drop_duplicates())
    # Relationship recomputed independently with groupby: targets per source, sources per target.
    n_to = f.groupby("HS6_6d")["HS5_6d"].transform("nunique")
    n_from = f.groupby("HS5_6d")["HS6_6d"].transform("nunique")
    names = {(True, True): "1:1", (True, False): "n:1", (False, True): "1:n", (False, False): "n:m"}
    rel = [names[(a == 1, b == 1)] for a, b in zip(n_to, n_from, strict=True)]
    got = h.set_index(["from_code", "to_code"])["relationship"]
    assert got.loc[list(zip(f.HS6_6d, f.HS5_6d, strict=True))].tolist() == rel
    # The package gives each HS2022 subheading exactly one HS2017 code: only 1:1 and n:1.
    assert got.value_counts().to_dict() == pd.Series(rel).value_counts().to_dict()
    assert set(got) == {"1:1", "n:1"}
    # The pooled HS -> ISIC4 table has splits and merges: all four kinds occur.
    assert set(c.loc[c.to_class == "ISIC4", "relationship"]) == {"1:1", "n:1", "1:n", "n:m"}
    # Every HS revision appears as a target of hs5_* and hs6_* (HS2017 also as a source).
    assert set(c.loc[c.from_class == "HS2017", "to_class"]) >= {
        "HS1992", "HS1996", "HS2002", "HS2007", "HS2012", "BEC4", "ISIC3", "SITC3", "SITC4"}
    # hs_isic4 is pooled over HS revisions: from_class 'HS'; 93 rows without ISIC4 are not links.
    isic4 = c[c.to_class == "ISIC4"]
    assert set(isic4.from_class) == {"HS"}
    f4 = raw(data_dir, "hs_isic4.csv")
    assert len(isic4) == len(f4[f4.ISIC4_4d != ""][["HS_6d", "ISIC4_4d"]].drop_duplicates())
    # BEC: the package pads to 3 digits (220); econsec writes the official code (22).
    bec = c[(c.from_class == "HS2017") & (c.to_class == "BEC4")].set_index("from_code")
    fb = raw(data_dir, "hs5_bec4.csv").set_index("HS5_6d")
    assert fb.loc["010129", "BEC4_3d"] == "111" and bec.loc["010129", "to_code"] == "111"
    sample = fb[fb.BEC4_3d == "220"].index[0]
    assert bec.loc[sample, "to_code"] == "22"
    # ISIC3 -> WIOD 2013: 30t33 (electrical and optical equipment) is sector 14.
    w = c[c.to_class == "WIOD13"].set_index("from_code")["to_code"]
    assert w.loc["3190"] == "c14" and w.loc["0111"] == "c1" and "9900" not in w.index
    fw = raw(data_dir, "wiod_2013.csv")
    assert len(w) == len(fw[fw.WIOT2013_n != ""][["ISIC3_4d", "WIOT2013_n"]].drop_duplicates())


def test_relationship_by_hand() -> None:
    # a→x, b→x (x has two sources: n:1); c→y, c→z (c splits: 1:n); d→w (1:1); e→v, f→v, e→u (n:m)
    frm = pd.Series(["a", "b", "c", "c", "d", "e", "f", "e"])
    to = pd.Series(["x", "x", "y", "z", "w", "v", "v", "u"])
    assert relationship(frm, to).tolist() == ["n:1", "n:1", "1:n", "1:n", "1:1", "n:m", "n:1",
                                             "1:n"]


@pytest.mark.slow
def test_elasticities_rauch_upstream(parsed: Parsed, data_dir: Path) -> None:
    e = parsed.tables["elasticities"]
    hs = e[e.classification == "HS1992"]
    # README check: KOR and JPN have 170 sigma each (HS 3-digit level).
    assert (hs.country == "KOR").sum() == 170 and (hs.country == "JPN").sum() == 170
    assert hs["product"].str.len().eq(3).all()
    # First data line of sigma_hs0.csv: AUS,010,01,25.031896591186523.
    aus = hs[(hs.country == "AUS") & (hs["product"] == "010")]
    assert aus["value"].tolist() == [pytest.approx(25.031896591186523)]
    assert aus["method"].iloc[0].startswith("Broda–Weinstein (2006)")
    sitc = e[e.classification == "SITC3"]
    assert len(sitc) == len(raw(data_dir, "sigma_sitc3.csv")) and set(sitc.country) == {"USA"}

    a = parsed.tables["product_attributes"].set_index(["code", "attribute"])["value"]
    r = raw(data_dir, "sitc2_rauch.csv").set_index("SITC2")
    assert len(a) == 2 * len(r)
    for code in ("0010", r.index[500], r.index[-1]):
        assert a.loc[(code, "rauch_conservative")] == r.loc[code, "CON"]
        assert a.loc[(code, "rauch_liberal")] == r.loc[code, "LIB"]

    u = parsed.tables["io_sector_indicators"]
    w = u[u.io_table == "WIOD2013"]
    # upstream.csv line 2: 1995,AUS,1.0,2.362295627593994,...
    row = w[(w.year == 1995) & (w.country == "AUS") & (w.sector == "c1") & (w.indicator == "GVC_Ui")]
    assert row["value"].tolist() == [pytest.approx(2.362295627593994)]
    up = pd.read_csv(data_dir / DIR / "upstream.csv")
    assert len(w) == 4 * len(up) and w["value"].isna().sum() == up["GVC_FUGOi"].isna().sum()
    assert w.groupby("indicator")["value"].mean()["GVC_Ui"] == pytest.approx(up["GVC_Ui"].mean())
    assert "ROW" in set(w.country) and set(w.sector) == {f"c{i}" for i in range(1, 36)}
    us = u[u.io_table.str.startswith("BEA")]
    assert len(us) == len(raw(data_dir, "upstream_us_detailed.csv")) and set(us.country) == {"USA"}


@pytest.mark.slow
def test_rows_read(parsed: Parsed, data_dir: Path) -> None:
    files = HsConcordance().discover(data_dir)
    assert len(files) == 33 and set(parsed.rows_read) == {str(f) for f in files}
    for f in files:  # every file counted independently with pandas
        assert parsed.rows_read[str(f)] == len(pd.read_csv(f, dtype=str)), f.name


@pytest.mark.slow
def test_mappings(parsed: Parsed) -> None:
    got = {(m.field, m.code, m.mapped_to) for m in parsed.mappings}
    assert ("ISO3C", "ROW", "ROW") in got  # WIOD rest of the world, on purpose
    assert ("code", "9999AA", "9999AA") in got  # hs0_desc legacy non-WCO code
    assert ("WIOT2013_n", "9900", None) in got  # ISIC3 9900 has no WIOD sector
    assert ("ISIC3_4d", "999999", None) in got  # HS 999999 has no ISIC3 code
    assert ("HS6_6d", "", None) in got  # the blank last row of hs6_bec4.csv
    assert sum(m.field == "ISIC4_4d" for m in parsed.mappings) == 93


@pytest.mark.slow
def test_ingest_and_idempotent(store: Store, data_dir: Path, parsed: Parsed) -> None:
    src = HsConcordance()
    out = ingest(store, [(src, src.discover(data_dir))])
    assert out[0].status == "loaded"
    assert out[0].rows_written == {t: len(f) for t, f in parsed.tables.items()}
    n = store.con.execute("SELECT count(*) FROM products WHERE source = 'hs_concordance' "
                          "AND classification = 'HS2022' AND level = 6").fetchone()[0]
    assert n == 5613
    assert ingest(store, [(src, src.discover(data_dir))])[0].status == "unchanged"


def _file(tmp_path: Path, name: str, body: str) -> Path:
    f = tmp_path / name
    f.write_text(body)
    return f


CONC = "HS6_6d,HS6_4d,HS6_2d,HS5_6d,HS5_4d,HS5_2d\n010121,0101,01,010121,0101,01\n"
SIGMA = "iso3c,HS0_3d,HS0_2d,sigma\nAUS,010,01,25.03\n"


@pytest.mark.parametrize(("name", "body", "row", "field", "kind"), [
    ("hs6_hs5.csv", "HS6_6d,HS6_4d,HS6_2d\n010121,0101,01\n", 1, "HS5_6d", InputError),
    ("hs6_hs5.csv", CONC + "10121,0101,01,010121,0101,01\n", 3, "HS6_6d", InputError),
    ("sigma_hs0.csv", SIGMA + "AUS,020,02,abc\n", 3, "sigma", InputError),
    ("sigma_hs0.csv", SIGMA + "AUS,020,02,\n", 3, "sigma", InputError),
    ("sigma_hs0.csv", SIGMA + "XYZ,020,02,2.5\n", 3, "iso3c", UnknownCodeError),
    ("sitc2_rauch.csv", "SITC2,CON,LIB\n0010,w,w\n0011,x,w\n", 3, "CON", InputError),
    ("upstream.csv", "YEAR,ISO3C,WIOT2013_n,GVC_Ui,GVC_FUGOi,GVC_Di,GVC_VAGOi\n"
                     "1995,AUS,1.0,2.3,0.2,2.0,0.5\n1995,AUS,36.0,2.3,0.2,2.0,0.5\n",
     3, "WIOT2013_n", InputError),
    ("hs6_desc.csv", "code,desc\n01,Animals\n1,Bad\n", 3, "code", InputError),
    ("hs6_desc.csv", "", 1, None, InputError),
])
def test_bad_input(tmp_path: Path, name: str, body: str, row: int, field: str | None,
                   kind: type[InputError]) -> None:
    f = _file(tmp_path, name, body)
    with pytest.raises(kind) as e:
        HsConcordance().parse([f])
    assert e.value.row == row and e.value.field == field and e.value.file == str(f)


def test_unknown_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="table of the R concordance package"):
        HsConcordance().parse([_file(tmp_path, "naics_desc.csv", "code,desc\n11,Agri\n")])


def test_bad_file_leaves_store_unchanged(store: Store, tmp_path: Path) -> None:
    good = _file(tmp_path, "hs6_hs5.csv", CONC)
    ingest(store, [(HsConcordance(), [good])])
    before = snapshot(store)
    bad = _file(tmp_path, "sigma_hs0.csv", SIGMA + "AUS,020,02,abc\n")
    with pytest.raises(InputError):
        ingest(store, [(HsConcordance(), [good, bad])])
    assert snapshot(store) == before
