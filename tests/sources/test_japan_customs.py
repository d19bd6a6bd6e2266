"""Japan customs adapter: real jptrade files, FX conversion, goods hierarchy, bad input."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from econsec import reference
from econsec.errors import InputError, UnknownCodeError
from econsec.sources.japan_customs import AREAS, JapanCustoms
from econsec.store import ingest
from tests.conftest import snapshot

DIR = "trade/japan_customs_area_goods_2009_2026"
FX = "trade/china_bilateral_monthly_2001_2019/exchange-rates.csv"
EXPORTS = "japan_trade_area_goods_annual_exports_2009_2026.tidy.csv"
MONTHLY = "japan_trade_area_goods_monthly_2009_01_2019_05.parquet"
ANNUAL = ("ex_im,area,goods,year,value\n"
          "export,R Korea,Grand Total,2012,100.0\n"
          "export,R Korea,(Ic),2012,2.5\n"
          "export,EU,Grand Total,2024,50.0\n")


@pytest.fixture(scope="module")
def real(data_dir: Path):
    src = JapanCustoms()
    files = src.discover(data_dir)
    return files, src.parse(files)


def _imf(data_dir: Path) -> pd.DataFrame:
    fx = pd.read_csv(data_dir / FX, sep=";")
    fx["Date"] = pd.to_datetime(fx["Date"], format="%d-%b-%Y")
    return fx


@pytest.mark.slow
def test_published_checks(real) -> None:
    _, parsed = real
    tf = parsed.tables["trade_flows"]
    tot = tf[tf["product"] == "TOTAL"]
    ann = tot[tot.month.isna() & (tot.year == 2021)]
    # Data README / MOF: 2021 imports 84,875 and exports 83,091 bn JPY (Grand Total × Grand Total).
    assert ann.loc[ann.exporter == "WLD", "value"].item() == pytest.approx(84_875, abs=0.5)
    assert ann.loc[ann.importer == "WLD", "value"].item() == pytest.approx(83_091, abs=0.5)
    mon = tot[tot.month.notna() & (tot.year == 2018)]
    # Data README: monthly 2018 sums 81,479 (exports) / 82,703 (imports) bn JPY.
    assert mon.loc[mon.importer == "WLD", "value"].sum() == pytest.approx(81_479, abs=0.5)
    assert mon.loc[mon.exporter == "WLD", "value"].sum() == pytest.approx(82_703, abs=0.5)
    chn = tot[tot.month.isna() & (tot.year == 2019) & (tot.importer == "CHN")]
    assert chn["value"].item() == pytest.approx(14_681.9, abs=0.05)  # = MOF series in china_monthly
    assert (tf.month.notna()).sum() == 659_277
    assert set(tf["currency"]) == {"billion JPY"} and set(tf["reporter"]) == {"JPN"}
    assert "2026 partial" in parsed.vintage


@pytest.mark.slow
def test_values_match_an_independent_read(real, data_dir: Path) -> None:
    _, parsed = real
    tf = parsed.tables["trade_flows"]
    raw = pd.read_csv(data_dir / DIR / EXPORTS)
    want = raw[(raw.area == "R Korea") & (raw.goods == "(Ic)") & (raw.year == 2020)]["value"].item()
    got = tf[(tf.importer == "KOR") & (tf["product"] == "(Ic)") & (tf.year == 2020) & tf.month.isna()]
    assert got["value"].item() == want
    mon = pq.read_table(data_dir / DIR / MONTHLY).to_pandas()
    want = mon[(mon["Exp or Imp"] == 2) & (mon.Area == "HG KONG") & (mon.goods == "SEMICONDUCTORS ETC")
               & (mon.month == dt.date(2015, 3, 1))]["value"].item()
    got = tf[(tf.exporter == "HKG") & (tf["product"] == "Semiconductors Etc") & (tf.year == 2015)
             & (tf.month == 3)]
    assert got["value"].item() == want and got["flow"].item() == "import"


@pytest.mark.slow
def test_value_usd_rates(real, data_dir: Path) -> None:
    _, parsed = real
    tf = parsed.tables["trade_flows"]
    tot = tf[(tf["product"] == "TOTAL") & (tf.importer == "WLD")]
    imf = _imf(data_dir)
    # Monthly: mean of the IMF daily JPY per USD of January 2018, recomputed with pandas.
    jan = imf.loc[imf.Date.dt.strftime("%Y-%m") == "2018-01", "JPY"].mean()
    row = tot[(tot.year == 2018) & (tot.month == 1)]
    assert row["value_usd"].item() == pytest.approx(row["value"].item() * 1e9 / jan)
    ann = tot[tot.month.isna()].set_index("year")
    # 2021: FRB G.5A 109.8429 (shipped reference); 2016: no G.5A row, so the IMF annual mean.
    assert ann.loc[2021, "value_usd"] == pytest.approx(ann.loc[2021, "value"] * 1e9 / 109.8429)
    mean16 = imf.loc[imf.Date.dt.year == 2016, "JPY"].mean()
    assert ann.loc[2016, "value_usd"] == pytest.approx(ann.loc[2016, "value"] * 1e9 / mean16)
    assert ann.loc[[2024, 2025, 2026], "value_usd"].isna().all()
    fx = {m.code: m for m in parsed.mappings if m.field == "fx"}
    assert fx["JPY 2021"].mapped_to == "109.8429" and "G.5A" in fx["JPY 2021"].note
    assert "IMF" in fx["JPY 2010"].note and fx["JPY 2025"].mapped_to is None
    assert fx["JPY monthly"].rows == 659_277


@pytest.mark.slow
def test_g5a_agrees_with_imf_daily_means(data_dir: Path) -> None:
    # The shipped FRB G.5A annual JPY rates vs the annual mean of the IMF daily file: within 1 %.
    imf = _imf(data_dir)
    means = imf.groupby(imf.Date.dt.year)["JPY"].mean()
    g5a = reference.fx_annual().query("currency == 'JPY' and 2012 <= year <= 2019").set_index("year")
    assert len(g5a) >= 7  # 2016 is absent from the shipped table
    for year, rate in g5a["per_usd"].items():
        assert rate == pytest.approx(means[year], rel=0.01), year


@pytest.mark.slow
def test_products_hierarchy(real) -> None:
    _, parsed = real
    pr = parsed.tables["products"].set_index("code")
    assert len(pr) == 78 and set(pr["classification"]) == {"JP_GOODS"}
    assert pr.loc["Grand Total", "level"] == 0
    assert pr.loc["(Ic)", ["level", "parent"]].tolist() == [2, "Semiconductors Etc"]
    assert pr.loc["(Coal N.e.s)", "parent"] == "Coal"
    assert pr.loc["Machinery", "level"] == 1 and pr.loc["Machinery", "parent"] is None
    # Follows different groups by flow / exceeds the group it follows: no parent, reported.
    assert pr.loc["(Video Rec Or Repro App)", "parent"] is None
    assert pr.loc["(Telephone Sets)", "parent"] is None
    noted = {m.code for m in parsed.mappings if m.field == "goods" and m.mapped_to is None}
    assert noted == {"(Video Rec Or Repro App)", "(Telephone Sets)"}


@pytest.mark.slow
def test_rows_read_and_mappings(real, data_dir: Path) -> None:
    files, parsed = real
    for f in files:
        if f.suffix == ".csv" and f.name != "exchange-rates.csv":
            assert parsed.rows_read[str(f)] == len(pd.read_csv(f))
    assert parsed.rows_read[str(data_dir / DIR / MONTHLY)] == pq.read_metadata(
        data_dir / DIR / MONTHLY).num_rows
    assert parsed.rows_read[str(data_dir / FX)] == len(pd.read_csv(data_dir / FX, sep=";"))
    got = {(m.field, m.code, m.mapped_to) for m in parsed.mappings}
    assert {("area", "Grand Total", "WLD"), ("area", "EU", "EUN"), ("goods", "Grand Total", "TOTAL")} <= got


@pytest.mark.slow
def test_every_area_spelling_is_listed(real, data_dir: Path) -> None:
    mon = pq.read_table(data_dir / DIR / MONTHLY, columns=["Area"]).to_pandas()
    raw = pd.read_csv(data_dir / DIR / EXPORTS)
    assert set(mon.Area) <= set(AREAS) and set(raw.area) <= set(AREAS)
    assert AREAS["R KOREA"] == AREAS["R Korea"] == "KOR" and AREAS["Hg Kong"] == "HKG"


@pytest.mark.slow
def test_ingest_and_unchanged(store, data_dir: Path) -> None:
    src = JapanCustoms()
    out = ingest(store, [(src, src.discover(data_dir))])
    # 47,991 + 47,838 annual rows (pandas counts of the two CSVs) + 659,277 monthly rows.
    assert out[0].status == "loaded"
    assert out[0].rows_written == {"trade_flows": 755_106, "products": 78, "partial_periods": 1}
    assert ingest(store, [(src, src.discover(data_dir))])[0].status == "unchanged"


def _monthly(path: Path, rows: list[tuple], types: dict | None = None) -> Path:
    cols = list(zip(*rows, strict=True))
    types = types or {}
    pq.write_table(pa.table({
        "Exp or Imp": pa.array(cols[0], types.get("Exp or Imp", pa.int64())),
        "Area": pa.array(cols[1], pa.large_string()), "month": pa.array(cols[2], pa.date32()),
        "goods": pa.array(cols[3], pa.large_string()),
        "value": pa.array(cols[4], types.get("value", pa.float64()))}), path)
    return path


def _tiny_tree(tmp_path: Path) -> list[Path]:
    """Annual + monthly files and an IMF rate file laid out as in the data directory."""
    jd = tmp_path / DIR
    jd.mkdir(parents=True)
    (jd / EXPORTS).write_text(ANNUAL)
    m = _monthly(jd / MONTHLY, [
        (1, "Grand Total", dt.date(2012, 1, 1), "Grand Total", 10.0),
        (1, "R KOREA", dt.date(2012, 1, 1), "MOTOR VEHICLES", 4.0),
        (1, "R KOREA", dt.date(2012, 1, 1), "(CAR)", 3.0),
        (1, "R KOREA", dt.date(2012, 1, 1), "SHIPS", 1.0),
        (1, "R KOREA", dt.date(2012, 1, 1), "(TELEPHONE SETS)", 2.0)])
    (tmp_path / FX).parent.mkdir(parents=True)
    (tmp_path / FX).write_text("Date;CNY;JPY;KRW;USD\r\n03-Jan-2012;6.3;76.0;1150;1\r\n"
                               "04-Jan-2012;6.3;78.0;1151;1\r\n")
    return [jd / EXPORTS, m]


def test_tiny_tree_by_hand(tmp_path: Path) -> None:
    parsed = JapanCustoms().parse(_tiny_tree(tmp_path))  # IMF file found via the data directory
    tf = parsed.tables["trade_flows"]
    car = tf[(tf["product"] == "(Car)") & tf.month.notna()]
    assert car["value_usd"].item() == pytest.approx(3.0e9 / 77.0)  # mean of 76 and 78 JPY per USD
    ann = tf[tf.month.isna()].set_index(["importer", "product"])
    assert ann.loc[("KOR", "TOTAL"), "value_usd"] == pytest.approx(100e9 / 79.82)  # G.5A 2012
    assert pd.isna(ann.loc[("EUN", "TOTAL"), "value_usd"])  # 2024: no rate
    pr = parsed.tables["products"].set_index("code")
    assert pr.loc["(Car)", "parent"] == "Motor Vehicles"
    assert pr.loc["(Telephone Sets)", "parent"] is None  # 2.0 exceeds SHIPS (1.0)
    assert pr.loc["(Ic)", "parent"] is None  # annual file only: no order to derive it from


def test_without_imf_file_monthly_usd_is_null(tmp_path: Path) -> None:
    files = _tiny_tree(tmp_path)
    (tmp_path / FX).unlink()
    parsed = JapanCustoms().parse(files)
    tf = parsed.tables["trade_flows"]
    assert tf.loc[tf.month.notna(), "value_usd"].isna().all()
    assert any(m.field == "fx" and "not found" in m.note for m in parsed.mappings)


@pytest.mark.parametrize(("body", "row", "field", "kind"), [
    (ANNUAL.replace(",value\n", ",val\n"), 1, "value", InputError),
    (ANNUAL.replace("2.5", "2.5bn"), 3, "value", InputError),
    (ANNUAL.replace("2012,2.5", "2012,2.5,7"), 3, None, InputError),
    (ANNUAL.replace("2012,2.5", "20x2,2.5"), 3, "year", InputError),
    (ANNUAL.replace("R Korea,(Ic)", "Atlantis,(Ic)"), 3, "area", UnknownCodeError),
    (ANNUAL.replace("export,EU", "exprt,EU"), 4, "ex_im", UnknownCodeError),
    ("", 1, None, InputError),
])
def test_bad_annual_file(tmp_path: Path, body, row, field, kind) -> None:
    f = tmp_path / EXPORTS
    f.write_text(body)
    with pytest.raises(kind) as ei:
        JapanCustoms().parse([f])
    assert ei.value.row == row and ei.value.field == field and EXPORTS in str(ei.value)


def test_bad_monthly_file(tmp_path: Path) -> None:
    good = (1, "R KOREA", dt.date(2012, 1, 1), "SHIPS", 1.0)
    f = _monthly(tmp_path / MONTHLY, [good, (3, "R KOREA", dt.date(2012, 1, 1), "SHIPS", 1.0)])
    with pytest.raises(UnknownCodeError) as ei:
        JapanCustoms().parse([f])
    assert (ei.value.row, ei.value.field) == (2, "Exp or Imp")
    f = _monthly(tmp_path / MONTHLY, [good, (1, "ATLANTIS", dt.date(2012, 1, 1), "SHIPS", 1.0)])
    with pytest.raises(UnknownCodeError) as ei:
        JapanCustoms().parse([f])
    assert (ei.value.row, ei.value.field) == (2, "Area")
    f = _monthly(tmp_path / MONTHLY, [good[:4] + ("1.0",), good[:4] + ("n.a.",)], {"value": pa.string()})
    with pytest.raises(InputError) as ei:
        JapanCustoms().parse([f])
    assert (ei.value.row, ei.value.field) == (2, "value")
    pq.write_table(pa.table({"Area": ["R KOREA"]}), f)
    with pytest.raises(InputError, match="Exp or Imp"):
        JapanCustoms().parse([f])
    f.write_bytes(f.read_bytes()[:20])  # truncated Parquet
    with pytest.raises(InputError, match="valid Parquet"):
        JapanCustoms().parse([f])


def test_bad_input_leaves_store_unchanged(tmp_path: Path, store) -> None:
    ingest(store, [(JapanCustoms(), _tiny_tree(tmp_path / "good"))])
    before = snapshot(store)
    bad = tmp_path / "bad" / EXPORTS
    bad.parent.mkdir(parents=True)
    bad.write_text(ANNUAL.replace("R Korea,(Ic)", "Atlantis,(Ic)"))
    with pytest.raises(UnknownCodeError, match="Atlantis"):
        ingest(store, [(JapanCustoms(), [bad])])
    assert snapshot(store) == before
