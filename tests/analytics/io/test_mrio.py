"""The MRIO container: construction, validation, immutability, labels, and the real WIOD 2011
table from the store (GDP identity; China's c14 output from x = L y)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from econsec.analytics.io import MRIO, MRIOError
from econsec.store import Store
from tests.analytics.io.helpers import hand_mrio, random_mrio, wiod_store


@pytest.fixture(scope="module")
def wiod(tmp_path_factory: pytest.TempPathFactory, data_dir: Path) -> MRIO:
    store = wiod_store(tmp_path_factory.mktemp("wiod") / "s.duckdb", data_dir)
    try:
        return MRIO.from_store(store, 2011)
    finally:
        store.close()


def test_derived_and_given_value_added() -> None:
    m = hand_mrio()
    assert m.value_added_derived
    np.testing.assert_allclose(m.value_added, [70, 40, 35, 50])
    given = MRIO.from_arrays(m.Z, m.Y, regions=m.regions, sectors=m.sectors,
                             categories=m.categories, value_added=[1, 2, 3, 4])
    assert not given.value_added_derived
    np.testing.assert_allclose(given.v, [0.01, 0.04, 0.075, 0.08])
    assert "value added given" in given.summary()


def test_arrays_are_read_only_copies() -> None:
    Z = np.array([[1.0, 2.0], [3.0, 4.0]])
    m = MRIO.from_arrays(Z, np.ones((2, 1)), regions=["R"], sectors=["a", "b"], categories=["c"])
    Z[0, 0] = 99.0  # the caller's array stays theirs
    assert m.Z[0, 0] == 1.0
    with pytest.raises(ValueError, match="read-only"):
        m.Z[0, 0] = 5.0
    with pytest.raises(ValueError, match="read-only"):
        m.value_added[0] = 5.0
    with pytest.raises(AttributeError):
        m.year = 2000  # type: ignore[misc]


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"Z": np.ones((3, 3))}, r"Z must have shape \(2, 2\)"),
    ({"Y": np.ones((2, 2))}, r"Y must have shape \(2, 1\)"),
    ({"Z": np.array([[np.nan, 0], [0, 0]])}, "NaN"),
    ({"sectors": ("a", "a")}, "sectors must be unique"),
    ({"value_added": [1.0]}, "value_added must have shape"),
    ({"categories": ()}, "at least one"),
])
def test_validation(kwargs: dict, match: str) -> None:
    base = {"Z": np.eye(2) * 0.1, "Y": np.ones((2, 1)), "regions": ("R",), "sectors": ("a", "b"),
            "categories": ("c",)}
    with pytest.raises(MRIOError, match=match):
        MRIO.from_arrays(**(base | kwargs))


def test_frames_round_trip_and_label_checks() -> None:
    m = random_mrio(7)
    f = m.frames()
    back = MRIO.from_frames(f["Z"], f["Y"])
    np.testing.assert_array_equal(back.Z, m.Z)
    np.testing.assert_array_equal(back.Y, m.Y)
    assert back.regions == m.regions and back.categories == m.categories
    # Cells missing from a frame are zero; labels outside the grid are refused.
    sparse = MRIO.from_frames(f["Z"].iloc[:, 1:], f["Y"])
    assert sparse.Z[:, 0].sum() == 0 and sparse.Z[:, 1:].sum() == pytest.approx(m.Z[:, 1:].sum())
    bad = f["Y"].rename(columns={m.categories[0]: "other"}, level=1)
    bad.columns = pd.MultiIndex.from_tuples([*bad.columns[:-1], ("XX", "other")])
    with pytest.raises(MRIOError, match="Y columns"):
        MRIO.from_frames(f["Z"], bad)


def test_index_of_and_unknown_labels() -> None:
    m = hand_mrio()
    np.testing.assert_array_equal(m.index_of(("F", "m")), [3])
    np.testing.assert_array_equal(m.index_of([("*", "m")]), [1, 3])
    np.testing.assert_array_equal(m.index_of(("H", "*")), [0, 1])
    with pytest.raises(MRIOError, match="unknown region 'X'; known: H, F"):
        m.index_of(("X", "a"))
    with pytest.raises(MRIOError, match="distinct"):
        m.index_of([("H", "a"), ("*", "a")])


def test_zero_output_sector_convention() -> None:
    m = random_mrio(3, zero_sector=True)
    j = m.n - 1
    assert m.x[j] == 0 and m.zero_output == (m.labels[j],)
    assert not m.A[:, j].any() and not m.B[j].any()
    np.testing.assert_allclose(m.L[:, j], np.eye(m.n)[j])
    assert m.G[j, j] == 1.0 and not np.delete(m.G[j], j).any()
    mult = m.multipliers().frame
    assert bool(mult["zero_output"].iloc[j]) and mult["output"].iloc[j] == 1.0
    assert "1 country-sectors with zero output" in m.summary()


def test_summary_and_repr() -> None:
    m = hand_mrio()
    s = m.summary()
    assert "2 regions × 2 sectors, 2 final-demand categories, unit USD" in s
    assert "total output 240, final demand 195, value added 195" in s
    assert repr(m) == "<MRIO hand: 2 regions × 2 sectors>"


# -- the real table ------------------------------------------------------------------------

@pytest.mark.slow
def test_wiod_2011_shape_order_and_provenance(wiod: MRIO) -> None:
    assert (wiod.n_regions, wiod.n_sectors) == (41, 35)
    assert wiod.regions[:3] == ("AUS", "AUT", "BEL") and wiod.regions[-2:] == ("USA", "ROW")
    assert "ROU" in wiod.regions  # WIOD's ROM, mapped at ingest
    assert wiod.sectors[0] == "c1" and wiod.sectors[-1] == "c35"
    assert wiod.categories == ("CONS_h", "CONS_np", "CONS_g", "GFCF", "INVEN")
    assert wiod.unit == "million USD" and wiod.source == "wiod2013"
    assert wiod.vintage.startswith("WIOD 2013 release")
    # The data README: 20 empty country-sectors in 2011 (mostly c35, private households).
    assert len(wiod.zero_output) == 20


@pytest.mark.slow
def test_wiod_2011_gdp_identity(wiod: MRIO) -> None:
    # Σ value added = Σ final demand (value added is x − Zᵀ1): 69,268,600 million USD.
    assert wiod.value_added.sum() == pytest.approx(wiod.y.sum(), rel=1e-12)
    assert wiod.y.sum() == pytest.approx(69_268_600, rel=1e-12)
    t = wiod.value_added_in_trade().frame
    np.testing.assert_allclose(t["gdp"].sum(), t["final_demand"].sum(), rtol=1e-12)
    np.testing.assert_allclose(t["exports"], t["dva"] + t["fva"], rtol=1e-10)
    assert t["vax_ratio"].between(0, 1).all()


@pytest.mark.slow
def test_wiod_2011_china_c14_output_from_leontief(wiod: MRIO) -> None:
    i = wiod.index_of(("CHN", "c14"))[0]
    x = wiod.leontief.solve(wiod.y)
    # The data README: China's c14 output is 2,132 bn USD in 2011 (reported GO 2,132,008;
    # the table's row sum is 2,131,990 million USD after the package's integer rounding).
    assert x[i] == pytest.approx(2_131_990, rel=1e-10)
    assert x[i] == pytest.approx(wiod.reported_output[i], rel=1e-5)
    assert round(x[i] / 1000) == 2132
    np.testing.assert_allclose(x, wiod.x, rtol=1e-9, atol=1e-6)


@pytest.mark.slow
def test_from_store_unknown_year_and_stray_cells(tmp_path: Path, data_dir: Path) -> None:
    s = Store(tmp_path / "empty.duckdb")
    with pytest.raises(MRIOError, match="no WIOD2013 table for 2011"):
        MRIO.from_store(s, 2011)
    s.close()
    s = wiod_store(tmp_path / "w.duckdb", data_dir)
    with s.transaction() as con:
        con.execute("INSERT INTO io_flows VALUES ('WIOD2013', 2011, 'KOR', 'c14', 'JPN', 'c99', "
                    "1.0, 'million USD', 'wiod2013')")
    with pytest.raises(MRIOError, match="'col_sector': 'c99'"):
        MRIO.from_store(s, 2011)
    s.close()
