"""China monthly adapter: the real KOSIS/MOF/Census/IMF files, tiny files by hand, and bad input."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from econsec.errors import InputError, SourceNotFoundError, UnknownCodeError
from econsec.sources.china_monthly import ChinaMonthly
from econsec.store import ingest
from tests.conftest import snapshot

DIR = "trade/china_bilateral_monthly_2001_2019"
KOR = '"Country","Date",Exports,Imports\n' \
      '"China, peoples\' republic of","2001.01",1239083,999763\n' \
      '"China, peoples\' republic of","2001.02",1513733,874455\n'
JPN = "Date;Exports;Imports\r\n2001/01;231700220;586529635\r\n2001/02;299818574;421893617\r\n"
USA = ("Month;Exports;Imports;Balance\r\nJanuary 2001;1,187.5;8,427.5;-7,240.0\r\n"
       "February 2001;1,289.8;6,375.6;-5,085.8\r\n")
FX = ("Date;CNY;JPY;KRW;USD\r\n02-Jan-2001;8.2779;;;1\r\n04-Jan-2001;8.2781;113.85;;1\r\n"
      "05-Jan-2001;8.2775;116.5;1270;1\r\n01-Feb-2001;8.27;116;1260;1\r\n02-Feb-2001;;;;1\r\n")
NAMES = {"kor": "korea-china-trade-data.csv", "jpn": "japan-china-trade-data.csv",
         "usa": "usa-china-trade-data.csv", "fx": "exchange-rates.csv"}


def tiny(tmp_path: Path, **override: str) -> list[Path]:
    """The four files in their published format, with any one replaced by ``override``."""
    body = {"kor": KOR, "jpn": JPN, "usa": USA, "fx": FX} | override
    out = []
    for key, name in NAMES.items():
        (tmp_path / name).write_bytes(body[key].encode())
        out.append(tmp_path / name)
    return out


@pytest.fixture(scope="module")
def real(data_dir: Path):
    src = ChinaMonthly()
    files = src.discover(data_dir)
    return files, src.parse(files)


@pytest.mark.slow
def test_published_2019_sums(real) -> None:
    _, parsed = real
    tf = parsed.tables["trade_flows"]
    y = tf[tf.year == 2019].groupby(["reporter", "flow"])
    usd, val = y["value_usd"].sum() / 1e9, y["value"].sum()
    # Data README checks: KOR 136.20 / 107.23 bn USD, JPN exports 14,681.9 bn JPY, USA 106.5 / 449.1.
    assert usd["KOR", "export"] == pytest.approx(136.20, abs=0.005)
    assert usd["KOR", "import"] == pytest.approx(107.23, abs=0.005)
    assert val["JPN", "export"] / 1e6 == pytest.approx(14_681.9, abs=0.05)
    assert usd["USA", "export"] == pytest.approx(106.5, abs=0.05)
    assert usd["USA", "import"] == pytest.approx(449.1, abs=0.05)
    assert set(tf["exporter"][tf.flow == "import"]) == {"CHN"}
    assert set(tf.groupby("reporter")["currency"].first().items()) == {
        ("KOR", "thousand USD"), ("JPN", "thousand JPY"), ("USA", "million USD")}


@pytest.mark.slow
def test_values_match_an_independent_read(real, data_dir: Path) -> None:
    files, parsed = real
    tf, fx = parsed.tables["trade_flows"], parsed.tables["fx_rates"]
    d = data_dir / DIR
    usa = pd.read_csv(d / NAMES["usa"], sep=";", thousands=",")
    row = tf[(tf.reporter == "USA") & (tf.year == 2008) & (tf.month == 10) & (tf.flow == "import")]
    want = usa.loc[usa.Month == "October 2008", "Imports"].item() * 1e6
    assert row["value_usd"].item() == pytest.approx(want)
    kor = pd.read_csv(d / NAMES["kor"], dtype={"Date": str})
    row = tf[(tf.reporter == "KOR") & (tf.year == 2009) & (tf.month == 1) & (tf.flow == "export")]
    assert row["value"].item() == kor.loc[kor.Date == "2009.01", "Exports"].item()
    # JPY → USD with the monthly mean of the IMF daily JPY rate, recomputed here with pandas.
    rates = pd.read_csv(d / NAMES["fx"], sep=";")
    rates["Date"] = pd.to_datetime(rates["Date"], format="%d-%b-%Y")
    dec = rates.loc[rates.Date.dt.strftime("%Y-%m") == "2019-12", "JPY"].mean()
    jpn = pd.read_csv(d / NAMES["jpn"], sep=";")
    row = tf[(tf.reporter == "JPN") & (tf.year == 2019) & (tf.month == 12) & (tf.flow == "export")]
    assert row["value_usd"].item() == pytest.approx(jpn.loc[jpn.Date == "2019/12", "Exports"].item() * 1e3 / dec)
    daily = fx[(fx.freq == "D") & (fx.currency == "JPY")]
    assert daily.loc[daily.period == pd.Timestamp("2019-12-30").date(), "per_usd"].item() == 109.12
    assert len(daily) == rates["JPY"].notna().sum()
    monthly = fx[fx.freq == "M"].groupby("currency").size()
    per_month = rates.set_index("Date")[["CNY", "JPY", "KRW"]].resample("MS").count()
    assert monthly.to_dict() == (per_month > 0).sum().to_dict()


@pytest.mark.slow
def test_rows_read(real, data_dir: Path) -> None:
    files, parsed = real
    for f in files:
        sep = "," if f.name.startswith("korea") else ";"
        assert parsed.rows_read[str(f)] == len(pd.read_csv(f, sep=sep))
    assert parsed.rows_read[str(data_dir / DIR / NAMES["fx"])] == 4840


def test_tiny_files_by_hand(tmp_path: Path) -> None:
    parsed = ChinaMonthly().parse(tiny(tmp_path))
    tf, fx = parsed.tables["trade_flows"], parsed.tables["fx_rates"]
    jan = tf[(tf.reporter == "JPN") & (tf.month == 1) & (tf.flow == "export")]
    # Hand computation: January JPY mean = (113.85 + 116.5) / 2; values are thousand JPY.
    assert jan["value_usd"].item() == pytest.approx(231_700_220e3 / ((113.85 + 116.5) / 2))
    usa = tf[(tf.reporter == "USA") & (tf.month == 1) & (tf.flow == "import")]
    assert usa["value_usd"].item() == pytest.approx(8_427.5e6)  # "8,427.5" million USD
    assert usa["exporter"].item() == "CHN" and usa["importer"].item() == "USA"
    # 5 days × 3 currencies minus 6 blank cells (the all-blank 2 Feb row still counts as read)
    assert (fx.freq == "D").sum() == 15 - 6 and parsed.rows_read[str(tmp_path / NAMES["fx"])] == 5
    krw = fx[(fx.freq == "M") & (fx.currency == "KRW")]
    assert krw["per_usd"].tolist() == [1270.0, 1260.0]
    assert ("Country", "China, peoples' republic of", "CHN") in {
        (m.field, m.code, m.mapped_to) for m in parsed.mappings}
    assert any(m.field == "fx" and m.code == "JPY" for m in parsed.mappings)


@pytest.mark.slow
def test_ingest_and_unchanged(store, data_dir: Path) -> None:
    src = ChinaMonthly()
    out = ingest(store, [(src, src.discover(data_dir))])
    # 3 reporters × 2 flows × 228 months; fx: 13,547 non-blank days + 682 months with quotes.
    assert out[0].status == "loaded"
    assert out[0].rows_written == {"trade_flows": 1368, "fx_rates": 14229}
    assert ingest(store, [(src, src.discover(data_dir))])[0].status == "unchanged"


@pytest.mark.parametrize(("key", "body", "row", "field", "kind"), [
    ("kor", KOR.replace(",Imports", ",Imprts"), 1, "Imports", InputError),
    ("kor", KOR.replace("1513733", "15x3733"), 3, "Exports", InputError),
    ("kor", KOR.replace("China, peoples' republic of\",\"2001.02", "Japan\",\"2001.02"), 3, "Country",
     UnknownCodeError),
    ("kor", KOR.replace("2001.02", "2001.13"), 3, "Date", InputError),
    ("jpn", JPN.replace("2001/02", "2001-02"), 3, "Date", InputError),
    ("usa", USA.replace("February", "Febuary"), 3, "Month", InputError),
    ("usa", USA.replace("6,375.6", "n/a"), 3, "Imports", InputError),
    ("fx", FX.replace("05-Jan-2001", "2001-01-05"), 4, "Date", InputError),
    ("fx", FX.replace("116.5", "1l6.5"), 4, "JPY", InputError),
    ("jpn", "", 1, None, InputError),
])
def test_bad_input(tmp_path: Path, key, body, row, field, kind) -> None:
    with pytest.raises(kind) as ei:
        ChinaMonthly().parse(tiny(tmp_path, **{key: body}))
    assert ei.value.row == row and ei.value.field == field
    assert NAMES[key] in str(ei.value)


def test_bad_input_leaves_store_unchanged(tmp_path: Path, store) -> None:
    good = tmp_path / "good"
    good.mkdir()
    ingest(store, [(ChinaMonthly(), tiny(good))])
    before = snapshot(store)
    bad = tmp_path / "bad"
    bad.mkdir()
    with pytest.raises(InputError, match="usa-china-trade-data.csv"):
        ingest(store, [(ChinaMonthly(), tiny(bad, usa=USA.replace("1,187.5", "abc")))])
    assert snapshot(store) == before


def test_missing_file_is_named(tmp_path: Path) -> None:
    files = [p for p in tiny(tmp_path) if p.name != NAMES["fx"]]
    with pytest.raises(SourceNotFoundError, match="exchange-rates.csv"):
        ChinaMonthly().parse(files)
