"""IMF DOTS adapter: raw ISO2 download with IMF area codes, million USD, exporter-reported."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from econsec.errors import InputError, UnknownCodeError
from econsec.sources.base import Parsed
from econsec.sources.ecomplexity_sample import EcomplexitySample
from econsec.sources.imf_dots import IMF_AREAS, ImfDots
from econsec.store import Store
from econsec.store.ingest import ingest
from tests.conftest import snapshot

DIR = "trade/imf_dots_2019_2020"
RAW = f"{DIR}/imf_dots_exports_2019_2020_raw_iso2.csv"
HEADER = ",from,to,2019,2020\n"


@pytest.fixture(scope="module")
def parsed(data_dir: Path) -> Parsed:
    a = ImfDots()
    return a.parse(a.discover(data_dir))


def _value(tf: pd.DataFrame, exp: str, imp: str, year: int) -> float:
    hit = tf[(tf["exporter"] == exp) & (tf["importer"] == imp) & (tf["year"] == year)]
    assert len(hit) == 1
    return float(hit["value"].iloc[0])


@pytest.mark.slow
def test_discovers_only_the_raw_original(data_dir: Path) -> None:
    assert ImfDots().discover(data_dir) == [data_dir / RAW]


@pytest.mark.slow
def test_published_checks(parsed: Parsed) -> None:
    tf = parsed.tables["trade_flows"]
    # data README (at staging): KOR→World 2019 = 542,602 and KOR→JPN 2019 = 28,420 million USD
    assert round(_value(tf, "KOR", "WLD", 2019)) == 542_602
    assert round(_value(tf, "KOR", "JPN", 2019)) == 28_420
    row = tf[(tf["exporter"] == "KOR") & (tf["importer"] == "JPN") & (tf["year"] == 2019)].iloc[0]
    assert row["value_usd"] == pytest.approx(28_420.2e6)
    assert (row["currency"], row["flow"], row["reporter"], row["product"], row["classification"]) == \
        ("million USD", "export", "KOR", "TOTAL", "TOTAL")


@pytest.mark.slow
def test_matches_the_cleaned_iso3_file(parsed: Parsed, data_dir: Path) -> None:
    # the project's cleaned file (ISO3, groups removed), read with pandas, must agree pair by pair
    cl = pd.read_csv(data_dir / DIR / "imf_dots_exports_2019_2020_cleaned.csv",
                     dtype={"from_code": str, "to_code": str})
    tf = parsed.tables["trade_flows"]
    for year in ("2019", "2020"):
        got = tf[tf["year"] == int(year)].set_index(["exporter", "importer"])["value"]
        exp = cl.set_index(["from_code", "to_code"])[year]
        assert (got.reindex(exp.index) == exp).all()


@pytest.mark.slow
def test_rows_read_and_rows_kept(parsed: Parsed, data_dir: Path) -> None:
    raw = pd.read_csv(data_dir / RAW, dtype=str, keep_default_na=False)
    assert parsed.rows_read == {str(data_dir / RAW): len(raw)} and len(raw) == 32_255
    skipped = {c for c, (to, _) in IMF_AREAS.items() if to is None}
    kept = (~raw["from"].isin(skipped) & ~raw["to"].isin(skipped)).sum()
    assert len(parsed.tables["trade_flows"]) == 2 * kept == 50_452  # two year columns


@pytest.mark.slow
def test_mappings(parsed: Parsed, data_dir: Path) -> None:
    raw = pd.read_csv(data_dir / RAW, dtype=str, keep_default_na=False)
    got = {(m.field, m.code): (m.mapped_to, m.rows) for m in parsed.mappings}
    assert got[("to", "W00")][0] == "WLD" and got[("from", "W00")][0] == "WLD"
    assert got[("to", "B0")][0] == "EUN"
    assert got[("to", "_X")] == ("XNS", (raw["to"] == "_X").sum())  # count read with pandas
    assert got[("to", "XR29")][0] is None and got[("from", "XR43")][0] is None
    assert got[("to", "S19")][0] is None
    tf = parsed.tables["trade_flows"]
    assert tf["exporter"].notna().all() and tf["importer"].notna().all()


@pytest.mark.slow
def test_ingest_then_unchanged(store: Store, data_dir: Path) -> None:
    a = ImfDots()
    first = ingest(store, [(a, a.discover(data_dir))])
    assert first[0].status == "loaded" and first[0].rows_written == {"trade_flows": 50_452}
    assert first[0].rows_read == 32_255
    v = store.con.execute("SELECT value_usd FROM trade_flows WHERE source = 'imf_dots' AND "
                          "exporter = 'KOR' AND importer = 'WLD' AND year = 2019").fetchone()[0]
    assert v == pytest.approx(542_602.1e6)
    assert ingest(store, [(a, a.discover(data_dir))])[0].status == "unchanged"


def _raw(tmp_path: Path, body: str, header: str = HEADER) -> Path:
    p = tmp_path / "imf_dots_exports_2019_2020_raw_iso2.csv"
    p.write_text(header + body)
    return p


def test_fixture_parses(tmp_path: Path) -> None:
    p = _raw(tmp_path, "0,KR,W00,542602.1,512647.1\n1,KR,XR29,225714.2,1.0\n2,KR,JP,28420.2,25085.6\n")
    tf = ImfDots().parse([p]).tables["trade_flows"]
    assert sorted(zip(tf["importer"], tf["year"], tf["value"], strict=True)) == [
        ("JPN", 2019, 28420.2), ("JPN", 2020, 25085.6), ("WLD", 2019, 542602.1), ("WLD", 2020, 512647.1)]


def test_missing_column(tmp_path: Path) -> None:
    p = _raw(tmp_path, "0,KR,542602.1,512647.1\n", header=",from,2019,2020\n")
    with pytest.raises(InputError) as e:
        ImfDots().parse([p])
    assert e.value.field == "to"


def test_no_year_columns(tmp_path: Path) -> None:
    p = _raw(tmp_path, "0,KR,JP,1\n", header=",from,to,value\n")
    with pytest.raises(InputError, match="year columns"):
        ImfDots().parse([p])


def test_non_numeric_value(tmp_path: Path) -> None:
    p = _raw(tmp_path, "0,KR,W00,542602.1,512647.1\n1,KR,JP,28,420.2,25085.6\n")
    with pytest.raises(InputError):  # an extra field: the row has 6 fields, not 5
        ImfDots().parse([p])
    p = _raw(tmp_path, "0,KR,W00,542602.1,512647.1\n1,KR,JP,28420.2,n.a.\n")
    with pytest.raises(InputError) as e:
        ImfDots().parse([p])
    assert (e.value.row, e.value.field, e.value.got) == (3, "2020", "n.a.")


def test_empty_file(tmp_path: Path) -> None:
    p = _raw(tmp_path, "", header="")
    with pytest.raises(InputError, match="empty file"):
        ImfDots().parse([p])


def test_unknown_code_and_duplicate(tmp_path: Path) -> None:
    p = _raw(tmp_path, "0,KR,W00,1,2\n1,KR,Q9,3,4\n")
    with pytest.raises(UnknownCodeError) as e:
        ImfDots().parse([p])
    assert (e.value.row, e.value.field, e.value.got) == (3, "to", "Q9")
    p = _raw(tmp_path, "0,KR,JP,1,2\n1,KR,JP,3,4\n")
    with pytest.raises(InputError) as e:
        ImfDots().parse([p])
    assert e.value.row == 3


def test_failed_ingest_leaves_store_unchanged(store: Store, tmp_path: Path, mock_data_dir: Path) -> None:
    ok = EcomplexitySample()
    ingest(store, [(ok, ok.discover(mock_data_dir))])
    before = snapshot(store)
    bad = _raw(tmp_path, "0,KR,W00,1,2\n1,KR,ZZ,3,4\n")
    with pytest.raises(UnknownCodeError):
        ingest(store, [(ImfDots(), [bad])])
    assert snapshot(store) == before
