"""Toy SITC2 export matrix (economiccomplexity): year 1999, unit unknown, value_usd NULL."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from econsec.errors import InputError, UnknownCodeError
from econsec.sources.base import Parsed
from econsec.sources.sitc2_toy import CURRENCY, Sitc2Toy
from econsec.store import Store
from econsec.store.ingest import ingest
from tests.conftest import snapshot

FILE = "trade/world_trade_sitc2_avg_1998_2000_toy/world_trade_avg_1998_to_2000.csv"


@pytest.fixture(scope="module")
def parsed(data_dir: Path) -> Parsed:
    a = Sitc2Toy()
    return a.parse(a.discover(data_dir))


@pytest.mark.slow
def test_discovers_the_trade_file_only(data_dir: Path) -> None:
    assert Sitc2Toy().discover(data_dir) == [data_dir / FILE]


@pytest.mark.slow
def test_levels_are_the_known_failed_check(parsed: Parsed) -> None:
    tf = parsed.tables["trade_flows"]
    tot = tf.groupby("exporter")["value"].sum()
    # data README: the level check failed — KOR total 2.43 bn and JPN 3.91 bn in the file's unit
    assert round(tot["KOR"] / 1e9, 2) == 2.43 and round(tot["JPN"] / 1e9, 2) == 3.91
    assert tf["value_usd"].isna().all()
    assert set(tf["currency"]) == {CURRENCY} and set(tf["year"]) == {1999}
    assert set(tf["importer"]) == {"WLD"} and set(tf["classification"]) == {"SITC2"}


@pytest.mark.slow
def test_values_match_pandas(parsed: Parsed, data_dir: Path) -> None:
    raw = pd.read_csv(data_dir / FILE, dtype=str, keep_default_na=False)
    assert parsed.rows_read == {str(data_dir / FILE): len(raw)} and len(raw) == 124_336
    tf = parsed.tables["trade_flows"]
    assert len(tf) == len(raw)
    # first data row: afg, 0011, 30068.0 (leading zero kept)
    first = tf.iloc[0]
    assert (first["exporter"], first["product"], first["value"]) == ("AFG", "0011", 30068.0)
    exp = raw.assign(v=raw["value"].astype(float)).groupby("country")["v"].sum()
    got = tf.assign(c=raw["country"]).groupby("c")["value"].sum()
    pd.testing.assert_series_equal(got.sort_index(), exp.sort_index(), check_names=False)


@pytest.mark.slow
def test_romania_mapping(parsed: Parsed, data_dir: Path) -> None:
    raw = pd.read_csv(data_dir / FILE, dtype=str, keep_default_na=False)
    (m,) = parsed.mappings
    assert (m.field, m.code, m.mapped_to, m.rows) == ("country", "rom", "ROU", (raw["country"] == "rom").sum())
    assert (parsed.tables["trade_flows"]["exporter"] == "ROU").sum() == m.rows == 754


@pytest.mark.slow
def test_ingest_then_unchanged(store: Store, data_dir: Path) -> None:
    a = Sitc2Toy()
    out = ingest(store, [(a, a.discover(data_dir))])[0]
    assert out.status == "loaded" and out.rows_written == {"trade_flows": 124_336}
    n, usd = store.con.execute("SELECT count(*), count(value_usd) FROM trade_flows "
                               "WHERE source = 'sitc2_toy' AND year = 1999").fetchone()
    assert (n, usd) == (124_336, 0)
    assert ingest(store, [(a, a.discover(data_dir))])[0].status == "unchanged"


def _file(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "world_trade_avg_1998_to_2000.csv"
    p.write_text(text)
    return p


def test_bad_inputs(tmp_path: Path) -> None:
    ok = "country,product,value\nafg,0011,30068.0\n"
    assert len(Sitc2Toy().parse([_file(tmp_path, ok)]).tables["trade_flows"]) == 1
    with pytest.raises(InputError) as e:
        Sitc2Toy().parse([_file(tmp_path, "country,product\nafg,0011\n")])
    assert e.value.field == "value"
    with pytest.raises(InputError) as e:
        Sitc2Toy().parse([_file(tmp_path, ok + "afg,0012,1O5\n")])
    assert (e.value.row, e.value.field, e.value.got) == (3, "value", "1O5")
    with pytest.raises(InputError) as e:
        Sitc2Toy().parse([_file(tmp_path, ok + "afg,11,5\n")])
    assert (e.value.row, e.value.field) == (3, "product")
    with pytest.raises(UnknownCodeError) as e:
        Sitc2Toy().parse([_file(tmp_path, ok + "xxx,0012,5\n")])
    assert (e.value.row, e.value.field, e.value.got) == (3, "country", "XXX")
    with pytest.raises(InputError, match="empty file"):
        Sitc2Toy().parse([_file(tmp_path, "")])


def test_failed_ingest_leaves_store_unchanged(store: Store, tmp_path: Path) -> None:
    a = Sitc2Toy()
    ingest(store, [(a, [_file(tmp_path, "country,product,value\nkor,7764,100\n")])])
    before = snapshot(store)
    bad = tmp_path / "bad" / "world_trade_avg_1998_to_2000.csv"
    bad.parent.mkdir()
    bad.write_text("country,product,value\nkor,7764,100\nkor,7765,lots\n")
    with pytest.raises(InputError):
        ingest(store, [(a, [bad])])
    assert snapshot(store) == before
