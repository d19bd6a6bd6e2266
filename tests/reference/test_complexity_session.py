"""``Session.complexity`` against py-ecomplexity 0.5.3 on its own sample (the committed output of
``tests/reference/ecomplexity/run_reference.py``): from the raw frame, as py-ecomplexity takes it,
and from the ``ecomplexity_sample`` source ingested into a store."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import econsec
from econsec.analytics.indicators import complexity_long
from econsec.errors import NotFoundError, OptionError
from tests.conftest import ingest_real

pytestmark = pytest.mark.reference
HERE = Path(__file__).parent / "ecomplexity"
COLUMNS = ("rca", "mcp", "eci", "pci", "density", "coi", "cog")


@pytest.fixture(scope="module")
def ref() -> pd.DataFrame:
    return pd.read_csv(HERE / "py_ecomplexity_0.5.3_sample.csv", dtype={"hs92": str})


@pytest.fixture(scope="module")
def raw(data_dir: Path) -> pd.DataFrame:
    return pd.read_csv(data_dir / "reference" / "ecomplexity_fixtures" / "trade_data_sample.csv",
                       dtype={"hs92": str})


def assert_equal(m: pd.DataFrame, n: int) -> None:
    assert len(m) == n == 600
    for c in COLUMNS:
        np.testing.assert_allclose(m[c], m[f"{c}_ref"], rtol=1e-8, atol=1e-12, err_msg=c)


def test_session_complexity_on_a_frame(raw: pd.DataFrame, ref: pd.DataFrame, tmp_path: Path) -> None:
    with econsec.Session(tmp_path / "s.duckdb") as es:
        r = es.complexity(raw, loc="origin", prod="hs92", val="export_val")
    m = r.frame.merge(ref, on=["year", "origin", "hs92"], suffixes=("", "_ref"), validate="1:1")
    assert_equal(m, len(ref))
    assert r.years == (1995, 1996)
    assert any("no coverage rule" in c for c in r.coverage)
    # the public kernel is the same function
    pd.testing.assert_frame_equal(
        complexity_long(raw, loc="origin", prod="hs92", val="export_val"), r.frame)


def test_session_complexity_on_a_store_source(data_dir: Path, ref: pd.DataFrame,
                                              tmp_path: Path) -> None:
    with econsec.Session(tmp_path / "s.duckdb") as es:
        ingest_real(es.store, data_dir, "ecomplexity_sample")
        r = es.complexity(source="ecomplexity_sample")
        one = es.complexity(source="ecomplexity_sample", years=[1996])
        with pytest.raises(NotFoundError, match="no product-level trade in \\[2001\\]"):
            es.complexity(source="ecomplexity_sample", years=[2001])
        with pytest.raises(OptionError, match="either data"):
            es.complexity()
        with pytest.raises(OptionError, match="convention"):
            es.complexity(source="ecomplexity_sample", convention="x")
    # the source stores the Atlas codes as ISO3 (blx, Belgium-Luxembourg, as BEL)
    ref = ref.assign(exporter=ref["origin"].str.upper().replace({"BLX": "BEL"}))
    m = r.frame.merge(ref, left_on=["year", "exporter", "product"],
                      right_on=["year", "exporter", "hs92"], suffixes=("", "_ref"), validate="1:1")
    assert_equal(m, len(ref))
    assert r.source == "ecomplexity_sample" and r.classification == "HS1992 at 4 digits"
    assert set(one.frame["year"]) == {1996}
    np.testing.assert_allclose(one.frame["eci"], r.frame.loc[r.frame["year"] == 1996, "eci"])
