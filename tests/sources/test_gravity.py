"""Gravity panels: AGTPA (Yotov et al. 2016) and the gegravity 2006 sample."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from econsec.errors import InputError, UnknownCodeError
from econsec.sources.base import Parsed
from econsec.sources.gravity import Agtpa, GegravitySample
from econsec.store import Store, ingest
from tests.conftest import snapshot

AGTPA = "gravity/agtpa_yotov2016/agtpa_applications.parquet"
GEG = "gravity/gegravity_sample_2006/sample_data_set.dlm"


@pytest.fixture(scope="module")
def agtpa(data_dir: Path) -> Parsed:
    return Agtpa().parse(Agtpa().discover(data_dir))


@pytest.fixture(scope="module")
def geg(data_dir: Path) -> Parsed:
    return GegravitySample().parse(GegravitySample().discover(data_dir))


def flow(panel: pd.DataFrame, exp: str, imp: str, year: int) -> float:
    return float(panel.loc[(panel.exporter == exp) & (panel.importer == imp) & (panel.year == year),
                           "trade"].squeeze())


@pytest.mark.slow
def test_agtpa_values(agtpa: Parsed, data_dir: Path) -> None:
    g = agtpa.tables["gravity_panel"]
    # Data README checks: 69 x 69 x 21 = 99,981 rows, 8,475 zeros, KOR->JPN 25,354 (2006), 3,914 (1986).
    assert len(g) == 99_981 and (g.trade == 0).sum() == 8_475
    assert round(flow(g, "KOR", "JPN", 2006)) == 25_354 and round(flow(g, "KOR", "JPN", 1986)) == 3_914
    assert set(g.unit) == {"million USD"} and set(g.dataset) == {"agtpa_yotov2016"}
    # Domestic flows are kept: 69 countries x 21 years with international = 0.
    assert (g.international == 0).sum() == 69 * 21
    assert ((g.exporter == g.importer) == (g.international == 0)).all()
    assert "ROU" in set(g.exporter) and "ROM" not in set(g.exporter)
    # Columns renamed, values as in the file read with pandas (same row order).
    f = pd.read_parquet(data_dir / AGTPA)
    assert np.array_equal(g["trade"].to_numpy(), f["trade"].to_numpy())
    assert (g["contig"].to_numpy() == f["cntg"].to_numpy()).all()
    assert (g["common_lang"].to_numpy() == f["lang"].to_numpy()).all()
    assert (g["colony"].to_numpy() == f["clny"].to_numpy()).all()
    assert (g["rta"].to_numpy() == f["rta"].to_numpy()).all()
    assert "lndist" not in g.columns  # AGTPA gives dist only; lndist is not derived
    i = int(np.flatnonzero(f["rta_lag12"].to_numpy() == 1)[0])
    extra = json.loads(g["extra"].iloc[i])
    assert extra["pair_id"] == f["pair_id"].iloc[i] and extra["rta_lag12"] == 1
    assert set(extra) == {"pair_id", "rta_lag3", "rta_lag4", "rta_lag6", "rta_lag8", "rta_lag9",
                          "rta_lag12", "rta_lead4"}


@pytest.mark.slow
def test_gegravity_values(geg: Parsed, agtpa: Parsed) -> None:
    s = geg.tables["gravity_panel"]
    # Data README checks: 900 rows; KOR->JPN 2006 = 25,354; KOR Y = 1,055,450; domestic 769,535.
    assert len(s) == 900 and flow(s, "KOR", "JPN", 2006) == 25_354
    kor = s[s.exporter == "KOR"]
    assert set(kor.output_y) == {1_055_450} and flow(s, "KOR", "KOR", 2006) == 769_535
    # The sample is AGTPA 2006 rounded to whole million USD, for every one of the 900 pairs ...
    a = agtpa.tables["gravity_panel"]
    a06 = a[a.year == 2006]
    m = s.merge(a06, on=["exporter", "importer"], suffixes=("", "_agtpa"))
    assert len(m) == 900 and (np.abs(m["trade"] - m["trade_agtpa"]) <= 0.5).all()
    # ... and Y is the exporter's AGTPA total over all 69 destinations, rounded.
    y = a06.groupby("exporter")["trade"].sum().round()
    ys = s.groupby("exporter")["output_y"].first()
    assert (ys == y.loc[ys.index]).all()


@pytest.mark.slow
def test_rows_read(agtpa: Parsed, geg: Parsed, data_dir: Path) -> None:
    assert agtpa.rows_read == {str(data_dir / AGTPA): len(pd.read_parquet(data_dir / AGTPA))}
    assert geg.rows_read == {str(data_dir / GEG): len(pd.read_csv(data_dir / GEG))}


@pytest.mark.slow
def test_mappings(agtpa: Parsed, geg: Parsed) -> None:
    # AGTPA uses ROM for Romania (69 x 21 = 1,449 rows on each side); the sample has no Romania.
    assert {(m.field, m.code, m.mapped_to, m.rows) for m in agtpa.mappings} == {
        ("exporter", "ROM", "ROU", 1449), ("importer", "ROM", "ROU", 1449)}
    assert geg.mappings == ()


@pytest.mark.slow
def test_ingest_and_idempotent(store: Store, data_dir: Path) -> None:
    jobs = [(Agtpa(), Agtpa().discover(data_dir)),
            (GegravitySample(), GegravitySample().discover(data_dir))]
    out = ingest(store, jobs)
    assert [o.rows_written for o in out] == [{"gravity_panel": 99_981}, {"gravity_panel": 900}]
    row = store.con.execute(
        "SELECT trade, extra->>'pair_id' FROM gravity_panel WHERE dataset = 'gegravity_sample_2006' "
        "AND exporter = 'KOR' AND importer = 'JPN'").fetchone()
    assert row == (25_354.0, None)
    pid = store.con.execute(
        "SELECT CAST(extra->>'pair_id' AS INTEGER) FROM gravity_panel "
        "WHERE dataset = 'agtpa_yotov2016' AND exporter = 'ARG' AND importer = 'AUS' AND year = 1986"
    ).fetchone()
    assert pid == (1,)  # second row of the file: ARG, AUS, pair_id 1.0
    assert {o.status for o in ingest(store, jobs)} == {"unchanged"}


def _agtpa_frame(data_dir: Path) -> pd.DataFrame:
    return pd.read_parquet(data_dir / AGTPA).head(5)


def _bad_agtpa(tmp_path: Path, df: pd.DataFrame) -> Path:
    f = tmp_path / "agtpa_applications.parquet"
    df.to_parquet(f)
    return f


@pytest.mark.parametrize(("change", "row", "field", "kind"), [
    (lambda d: d.drop(columns="trade"), None, "trade", InputError),
    (lambda d: d.assign(trade=d["trade"].astype(str).where(d.index != 2, "abc")), 3, "trade",
     InputError),
    (lambda d: d.assign(rta=d["rta"].where(d.index != 1, np.nan)), 2, "rta", InputError),
    (lambda d: d.assign(rta=d["rta"].where(d.index != 3, 0.5)), 4, "rta", InputError),
    (lambda d: d.assign(importer=d["importer"].where(d.index != 4, "XXX")), 5, "importer",
     UnknownCodeError),
    (lambda d: d.head(0), None, None, InputError),
])
@pytest.mark.slow
def test_agtpa_bad_input(data_dir: Path, tmp_path: Path, change, row: int | None,
                         field: str | None, kind: type[InputError]) -> None:
    f = _bad_agtpa(tmp_path, change(_agtpa_frame(data_dir)))
    with pytest.raises(kind) as e:
        Agtpa().parse([f])
    assert e.value.row == row and e.value.field == field and e.value.file == str(f)


def test_agtpa_damaged_parquet(mock_data_dir: Path, tmp_path: Path) -> None:
    f = tmp_path / "agtpa_applications.parquet"
    f.write_bytes((mock_data_dir / AGTPA).read_bytes()[:5000])  # truncated
    with pytest.raises(InputError, match="valid Parquet"):
        Agtpa().parse([f])


GEG_HEAD = "exporter,importer,year,trade,Y,E,pta,contiguity,common_language,lndist,international\n"
GEG_ROW = "GBR,AUS,2006,4310,925638,362227,0,0,1,9.7126,1\n"


@pytest.mark.parametrize(("body", "row", "field", "kind"), [
    (GEG_HEAD.replace(",Y,", ",") + "GBR,AUS,2006,4310,362227,0,0,1,9.7126,1\n", 1, "Y", InputError),
    (GEG_HEAD + GEG_ROW + "FIN,AUS,2006,abc,142759,362227,0,0,0,9.5997,1\n", 3, "trade", InputError),
    (GEG_HEAD + GEG_ROW + "FIN,AUS,2006,514,142759,362227,,0,0,9.5997,1\n", 3, "pta", InputError),
    (GEG_HEAD + GEG_ROW + "FIN,XYZ,2006,514,142759,362227,0,0,0,9.5997,1\n", 3, "importer",
     UnknownCodeError),
    ("", 1, None, InputError),
    (GEG_HEAD, 2, None, InputError),
])
def test_gegravity_bad_input(tmp_path: Path, body: str, row: int, field: str | None,
                             kind: type[InputError]) -> None:
    f = tmp_path / "sample_data_set.dlm"
    f.write_text(body)
    with pytest.raises(kind) as e:
        GegravitySample().parse([f])
    assert e.value.row == row and e.value.field == field and e.value.file == str(f)


def test_bad_file_leaves_store_unchanged(store: Store, mock_data_dir: Path, tmp_path: Path) -> None:
    ingest(store, [(GegravitySample(), GegravitySample().discover(mock_data_dir))])
    before = snapshot(store)
    f = tmp_path / "sample_data_set.dlm"
    f.write_text(GEG_HEAD + GEG_ROW + "FIN,AUS,2006,abc,142759,362227,0,0,0,9.5997,1\n")
    with pytest.raises(InputError):
        ingest(store, [(GegravitySample(), [f])])
    assert snapshot(store) == before
