"""py-ecomplexity sample: HS92 4-digit exports, 10 countries, 1995-1996; blx → BEL on purpose."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from econsec.errors import InputError, UnknownCodeError
from econsec.sources.base import Parsed
from econsec.sources.ecomplexity_sample import EcomplexitySample
from econsec.store import Store
from econsec.store.ingest import ingest
from tests.conftest import snapshot

FILE = "reference/ecomplexity_fixtures/trade_data_sample.csv"


@pytest.fixture(scope="module")
def parsed(data_dir: Path) -> Parsed:
    a = EcomplexitySample()
    return a.parse(a.discover(data_dir))


@pytest.mark.slow
def test_values(parsed: Parsed, data_dir: Path) -> None:
    tf = parsed.tables["trade_flows"]
    # first data row of the file: 1995, aut, 1704, 43653866.43
    row = tf[(tf["exporter"] == "AUT") & (tf["year"] == 1995) & (tf["product"] == "1704")].iloc[0]
    assert row["value_usd"] == row["value"] == 43_653_866.43
    assert (row["importer"], row["flow"], row["classification"], row["currency"]) == \
        ("WLD", "export", "HS1992", "USD")
    raw = pd.read_csv(data_dir / FILE, dtype={"hs92": str, "origin": str})
    exp = raw.groupby([raw["origin"].str.upper().replace("BLX", "BEL"), "year"])["export_val"].sum()
    got = tf.assign(year=tf["year"].astype("int64")).groupby(["exporter", "year"])["value_usd"].sum()
    pd.testing.assert_series_equal(got.sort_index(), exp.sort_index(), check_names=False)
    assert sorted(tf["exporter"].unique()) == ["AUT", "BEL", "CHE", "DEU", "DNK", "ESP", "GBR",
                                               "ITA", "POL", "SVN"]


@pytest.mark.slow
def test_rows_read_and_mapping(parsed: Parsed, data_dir: Path) -> None:
    raw = pd.read_csv(data_dir / FILE, dtype=str)
    # README: 10 countries × 30 products × 2 years = 600 rows
    assert parsed.rows_read == {str(data_dir / FILE): len(raw)} and len(raw) == 600
    assert len(parsed.tables["trade_flows"]) == 600
    (m,) = parsed.mappings
    assert (m.field, m.code, m.mapped_to, m.rows) == ("origin", "blx", "BEL", (raw["origin"] == "blx").sum())
    assert m.rows == 60


@pytest.mark.slow
def test_ingest_then_unchanged(store: Store, data_dir: Path) -> None:
    a = EcomplexitySample()
    out = ingest(store, [(a, a.discover(data_dir))])[0]
    assert out.status == "loaded" and out.rows_written == {"trade_flows": 600}
    mapped = store.con.execute("SELECT code, mapped_to, rows FROM code_mappings "
                               "WHERE source = 'ecomplexity_sample'").fetchall()
    assert mapped == [("blx", "BEL", 60)]
    assert ingest(store, [(a, a.discover(data_dir))])[0].status == "unchanged"


def _file(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "trade_data_sample.csv"
    p.write_text(text)
    return p


OK = "year,origin,hs92,export_val\n1995,aut,1704,43653866.43\n"


def test_bad_inputs(tmp_path: Path) -> None:
    assert len(EcomplexitySample().parse([_file(tmp_path, OK)]).tables["trade_flows"]) == 1
    with pytest.raises(InputError) as e:
        EcomplexitySample().parse([_file(tmp_path, "year,origin,hs92\n1995,aut,1704\n")])
    assert e.value.field == "export_val"
    with pytest.raises(InputError) as e:
        EcomplexitySample().parse([_file(tmp_path, OK + "1995,aut,1806,1,329\n")])
    assert e.value.row == 3  # five fields where the header has four
    with pytest.raises(InputError) as e:
        EcomplexitySample().parse([_file(tmp_path, OK + "1995,aut,1806,abc\n")])
    assert (e.value.row, e.value.field, e.value.got) == (3, "export_val", "abc")
    with pytest.raises(InputError) as e:
        EcomplexitySample().parse([_file(tmp_path, OK + "95.5,aut,1806,1\n")])
    assert (e.value.row, e.value.field) == (3, "year")
    with pytest.raises(InputError) as e:
        EcomplexitySample().parse([_file(tmp_path, OK + "1995,aut,18061,1\n")])
    assert (e.value.row, e.value.field) == (3, "hs92")
    with pytest.raises(UnknownCodeError) as e:
        EcomplexitySample().parse([_file(tmp_path, OK + "1995,xyz,1806,1\n")])
    assert (e.value.row, e.value.field, e.value.got) == (3, "origin", "XYZ")
    with pytest.raises(InputError, match="empty file"):
        EcomplexitySample().parse([_file(tmp_path, "")])


def test_failed_ingest_leaves_store_unchanged(store: Store, tmp_path: Path, mock_data_dir: Path) -> None:
    a = EcomplexitySample()
    ingest(store, [(a, a.discover(mock_data_dir))])
    before = snapshot(store)
    with pytest.raises(UnknownCodeError):
        ingest(store, [(a, [_file(tmp_path, OK + "1995,zzz,1806,1\n")])])
    assert snapshot(store) == before
