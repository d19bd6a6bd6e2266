"""WIOD 2013 world input-output tables: one year quickly, all 17 years, labels and bad input."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from econsec.errors import InputError, SourceNotFoundError, UnknownCodeError
from econsec.sources.base import Parsed
from econsec.sources.wiod import LABELS, Wiod2013
from econsec.store import Store, ingest
from tests.conftest import snapshot

DIR = "io/wiod_2013"
WIOD_ISO = {"ROM": "ROU", "RoW": "ROW"}


def files(data_dir: Path, *years: int) -> list[Path]:
    return [data_dir / DIR / f"wiot_{y}.parquet" for y in years] + [data_dir / DIR / n for n in LABELS]


@pytest.fixture(scope="module")
def y2011(data_dir: Path) -> Parsed:
    return Wiod2013().parse(files(data_dir, 2011))


def flows(parsed: Parsed) -> pd.DataFrame:
    t = parsed.tables["io_flows"]
    assert isinstance(t, pa.Table)
    return t.to_pandas()


def pair_totals(parsed: Parsed) -> pd.DataFrame:
    """origin × destination × year totals (intermediate, final) from io_flows, with pyarrow."""
    t = parsed.tables["io_flows"]
    assert isinstance(t, pa.Table)
    import pyarrow.compute as pc

    t = t.select(["year", "row_country", "col_country", "col_sector", "value"])
    is_fd = pc.invert(pc.starts_with(pc.cast(t["col_sector"], pa.string()), "c"))
    t = t.append_column("fd", is_fd).drop_columns(["col_sector"])
    t = t.set_column(1, "row_country", pc.cast(t["row_country"], pa.string()))
    t = t.set_column(2, "col_country", pc.cast(t["col_country"], pa.string()))
    g = t.group_by(["year", "row_country", "col_country", "fd"]).aggregate([("value", "sum")])
    df = g.to_pandas().pivot_table(index=["year", "row_country", "col_country"], columns="fd",
                                   values="value_sum", fill_value=0.0)
    return df.rename(columns={False: "intermediate", True: "final"})


def tidy_pairs(data_dir: Path, years: list[int]) -> pd.DataFrame:
    df = pd.read_csv(data_dir / DIR / "wiod2013_country_pair_flows_1995_2011.tidy.csv")
    df = df[df.year.isin(years)]
    df["origin"] = df["origin"].replace(WIOD_ISO)
    df["destination"] = df["destination"].replace(WIOD_ISO)
    return df.set_index(["year", "origin", "destination"])


@pytest.mark.slow
def test_one_year_values(y2011: Parsed, data_dir: Path) -> None:
    raw = pd.read_parquet(data_dir / DIR / "wiot_2011.parquet")  # independent read
    f = flows(y2011)
    value_cols = [c for c in raw.columns if c not in ("year", "country", "industry", "GO")]
    assert len(value_cols) == 1435 + 205
    # Sparse: exactly the non-zero cells of the file are stored.
    assert len(f) == int(np.count_nonzero(raw[value_cols].to_numpy()))
    assert f["value"].sum() == pytest.approx(raw[value_cols].to_numpy().sum(), rel=1e-12)
    # One cell by hand: KOR c14 sold to CHN c14, and KOR c14 to USA household consumption.
    r = raw[(raw.country == "KOR") & (raw.industry == "c14")].iloc[0]
    for col_c, col_s, col in (("CHN", "c14", "CHN_c14"), ("USA", "CONS_h", "USA_CONS_h")):
        got = f[(f.row_country == "KOR") & (f.row_sector == "c14") & (f.col_country == col_c)
                & (f.col_sector == col_s)]["value"]
        assert got.tolist() == [r[col]] and r[col] > 0
    assert set(f.unit) == {"million USD"} and set(f.io_table) == {"WIOD2013"}
    assert {"ROU", "ROW"} <= set(f.row_country) and not {"ROM", "RoW"} & set(f.col_country)

    s = y2011.tables["io_sectors"]
    ind = s[s.kind == "industry"]
    go = ind[ind.country != "ROW"].groupby("country")["gross_output"].sum().sort_values()
    # Data README check 3: 2011 USA 26.9 tn > CHN 22.3 tn, the two largest.
    assert list(go.index[-2:]) == ["CHN", "USA"]
    assert go["USA"] / 1e6 == pytest.approx(26.918, abs=5e-4) and go["CHN"] / 1e6 == pytest.approx(22.271, abs=5e-4)
    # README check 4: China c14 output 2,132 bn USD in 2011.
    chn14 = ind[(ind.country == "CHN") & (ind.sector == "c14")]["gross_output"].item()
    assert chn14 / 1e3 == pytest.approx(2132.0, abs=0.5)
    assert ind.set_index(["country", "sector"]).loc[("KOR", "c14"), "name"].startswith(
        "Electrical and Optical Equipment")
    fd = s[s.kind == "final_demand"]
    assert fd["sector"].tolist() == ["CONS_h", "CONS_np", "CONS_g", "GFCF", "INVEN"]
    # README check 0: sum of a row's uses ≈ GO, median relative gap < 0.5%.
    uses = f.groupby(["row_country", "row_sector"])["value"].sum()
    go_rows = ind.set_index(["country", "sector"])["gross_output"]
    big = go_rows[go_rows > 100]
    gap = ((uses.reindex(big.index).fillna(0) - big).abs() / big).median()
    assert gap < 0.005


@pytest.mark.slow
def test_one_year_matches_country_pair_file(y2011: Parsed, data_dir: Path) -> None:
    mine = pair_totals(y2011)
    tidy = tidy_pairs(data_dir, [2011])
    mine.index.names = tidy.index.names
    m = tidy.join(mine, how="left").fillna(0.0)
    assert len(tidy) == 41 * 41
    assert np.allclose(m["intermediate_musd"], m["intermediate"])
    assert np.allclose(m["final_musd"], m["final"])
    assert np.allclose(m["total_musd"], m["intermediate"] + m["final"])


@pytest.mark.slow
def test_rows_read_and_mappings(y2011: Parsed, data_dir: Path) -> None:
    for p in files(data_dir, 2011):  # independent counts with pandas
        n = len(pd.read_parquet(p)) if p.suffix == ".parquet" else len(pd.read_csv(p))
        assert y2011.rows_read[str(p)] == n, p.name
    f = flows(y2011)
    got = {(m.field, m.code, m.mapped_to): m.rows for m in y2011.mappings}
    assert got[("row_country", "ROM", "ROU")] == (f.row_country == "ROU").sum()
    assert got[("col_country", "RoW", "ROW")] == (f.col_country == "ROW").sum()
    assert len(got) == 4
    assert y2011.vintage == "WIOD 2013 release, 1 year(s) 2011, via R wiod @ 59a28ac"


@pytest.fixture(scope="module")
def all_years(data_dir: Path) -> tuple[Parsed, float]:
    t0 = time.perf_counter()
    parsed = Wiod2013().parse(Wiod2013().discover(data_dir))
    return parsed, time.perf_counter() - t0


@pytest.mark.slow
def test_all_years(all_years: tuple[Parsed, float], data_dir: Path) -> None:
    parsed, seconds = all_years
    assert seconds < 30  # about 3 s on the development machine
    s = parsed.tables["io_sectors"]
    ind = s[(s.kind == "industry") & (s.country != "ROW")]
    go = ind.groupby(["year", "country"])["gross_output"].sum()
    # README check 3: the USA is the largest economy by gross output in all 17 years.
    assert (go.groupby(level="year").idxmax().map(lambda k: k[1]) == "USA").all()
    assert go.index.get_level_values("year").nunique() == 17
    # README check 4: China c14 94.6 bn (1995), 220.3 bn (2000), 576.5 bn (2005), 2,132 bn (2011).
    chn = ind[(ind.country == "CHN") & (ind.sector == "c14")].set_index("year")["gross_output"]
    assert (chn.loc[[1995, 2000, 2005, 2011]] / 1e3).round(1).tolist() == [94.6, 220.3, 576.5, 2132.0]
    # All 17 years' flows add up to the country-pair file, pair by pair.
    mine = pair_totals(parsed)
    tidy = tidy_pairs(data_dir, list(range(1995, 2012)))
    mine.index.names = tidy.index.names
    m = tidy.join(mine, how="left").fillna(0.0)
    assert len(m) == 28_577 and np.allclose(m["total_musd"], m["intermediate"] + m["final"])
    assert parsed.tables["io_flows"].num_rows == 6_443_212


@pytest.mark.slow
def test_ingest_all_years_and_idempotent(store: Store, data_dir: Path) -> None:
    src = Wiod2013()
    out = ingest(store, [(src, src.discover(data_dir))])
    assert out[0].rows_written == {"io_flows": 6_443_212, "io_sectors": 17 * 1435 + 5}
    chn = store.con.execute("SELECT gross_output FROM io_sectors WHERE year = 1995 AND "
                            "country = 'CHN' AND sector = 'c14'").fetchone()
    assert chn is not None and round(chn[0] / 1e3, 1) == 94.6
    assert ingest(store, [(src, src.discover(data_dir))])[0].status == "unchanged"


@pytest.mark.slow
def test_ingest_one_year(store: Store, data_dir: Path, y2011: Parsed) -> None:
    out = ingest(store, [(Wiod2013(), files(data_dir, 2011))])
    assert out[0].rows_written == {"io_flows": y2011.tables["io_flows"].num_rows,
                                   "io_sectors": 1435 + 5}
    n = store.con.execute("SELECT count(*), count(DISTINCT row_country) FROM io_flows").fetchone()
    assert n == (y2011.tables["io_flows"].num_rows, 41)
    assert ingest(store, [(Wiod2013(), files(data_dir, 2011))])[0].status == "unchanged"


def tiny(tmp_path: Path, data_dir: Path, frame: pd.DataFrame | None = None) -> list[Path]:
    """A tiny table in the published wide format (2 rows) with the real label files."""
    labels = [Path(shutil.copy(data_dir / DIR / n, tmp_path / n)) for n in LABELS]
    df = frame if frame is not None else tiny_frame()
    f = tmp_path / "wiot_2011.parquet"
    df.to_parquet(f, index=False)
    return [f, *labels]


def tiny_frame() -> pd.DataFrame:
    return pd.DataFrame({"year": [2011, 2011], "country": ["AUS", "ROM"], "industry": ["c1", "c2"],
                         "AUS_c1": [10.0, 0.0], "ROM_c2": [1.0, 5.0], "AUS_CONS_h": [3.0, 0.0],
                         "RoW_GFCF": [0.0, 2.0], "GO": [14.0, 7.0]})


def test_tiny_fixture_by_hand(tmp_path: Path, mock_data_dir: Path) -> None:
    parsed = Wiod2013().parse(tiny(tmp_path, mock_data_dir))
    f = flows(parsed)
    # Hand count: 5 non-zero cells; ROM's row is ROU, RoW's GFCF column is ROW.
    assert len(f) == 5 and f["value"].sum() == 21.0
    row = f[(f.row_country == "ROU") & (f.col_country == "ROW")]
    assert row[["col_sector", "value"]].values.tolist() == [["GFCF", 2.0]]


@pytest.mark.parametrize(("change", "row", "field", "kind"), [
    (lambda d: d.drop(columns="GO"), None, "GO", InputError),
    (lambda d: d.assign(ROM_c2=["1", "x"]), None, "ROM_c2", InputError),
    (lambda d: d.assign(AUS_c1=[10.0, np.nan]), 2, "AUS_c1", InputError),
    (lambda d: d.assign(country=["AUS", "XXX"]), 2, "country", UnknownCodeError),
    (lambda d: d.assign(industry=["c1", "c36"]), 2, "industry", UnknownCodeError),
    (lambda d: d.rename(columns={"AUS_c1": "XXX_c1"}), None, "XXX_c1", UnknownCodeError),
    (lambda d: d.rename(columns={"AUS_c1": "AUS_c99"}), None, "AUS_c99", UnknownCodeError),
    (lambda d: d.rename(columns={"AUS_c1": "AUSc1"}), None, "AUSc1", InputError),
    (lambda d: d.assign(year=[2011, 2010]), 2, "year", InputError),
    (lambda d: d.head(0), None, None, InputError),
])
def test_bad_input(tmp_path: Path, mock_data_dir: Path, change, row: int | None, field: str | None,
                   kind: type[InputError]) -> None:
    paths = tiny(tmp_path, mock_data_dir, change(tiny_frame()))
    with pytest.raises(kind) as e:
        Wiod2013().parse(paths)
    assert e.value.row == row and e.value.field == field and e.value.file == str(paths[0])


def test_truncated_parquet_and_labels(tmp_path: Path, mock_data_dir: Path) -> None:
    paths = tiny(tmp_path, mock_data_dir)
    paths[0].write_bytes(paths[0].read_bytes()[:200])
    with pytest.raises(InputError, match="valid Parquet"):
        Wiod2013().parse(paths)
    paths = tiny(tmp_path, mock_data_dir)
    (tmp_path / LABELS[1]).write_text("")  # empty countries label file
    with pytest.raises(InputError, match="empty file"):
        Wiod2013().parse(paths)
    (tmp_path / LABELS[1]).write_text("country,iso3,country_name\nAUS,AUS,Australia\nZZZ,ZZZ,Z\n")
    with pytest.raises(UnknownCodeError) as e:
        Wiod2013().parse(paths)
    assert e.value.row == 3 and e.value.field == "country"
    with pytest.raises(SourceNotFoundError, match=LABELS[2]):
        Wiod2013().parse(paths[:3])


def test_bad_file_leaves_store_unchanged(store: Store, tmp_path: Path, mock_data_dir: Path) -> None:
    (tmp_path / "good").mkdir()
    good = tiny(tmp_path / "good", mock_data_dir)
    ingest(store, [(Wiod2013(), good)])
    before = snapshot(store)
    (tmp_path / "bad").mkdir()
    bad = tiny(tmp_path / "bad", mock_data_dir, tiny_frame().assign(country=["AUS", "XXX"]))
    with pytest.raises(UnknownCodeError):
        ingest(store, [(Wiod2013(), bad)])
    assert snapshot(store) == before
