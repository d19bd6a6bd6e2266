"""ECI, PCI, RCA, density against py-ecomplexity 0.5.3 (its convention) and the Growth Lab's
Stata ``ecomplexity`` output (Stata convention), on the same real sample."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from econsec.analytics.indicators.complexity import complexity

pytestmark = pytest.mark.reference
HERE = Path(__file__).parent / "ecomplexity"
RTOL = 1e-8


@pytest.fixture(scope="module")
def sample(data_dir: Path) -> pd.DataFrame:
    return pd.read_csv(data_dir / "reference" / "ecomplexity_fixtures" / "trade_data_sample.csv")


def matrix(sample: pd.DataFrame, year: int, float32: bool = False) -> pd.DataFrame:
    x = sample[sample.year == year].pivot_table(index="origin", columns="hs92", values="export_val",
                                                aggfunc="sum", fill_value=0)
    return x.astype(np.float32).astype(np.float64) if float32 else x


@pytest.mark.parametrize("year", [1995, 1996])
def test_py_ecomplexity_convention(sample: pd.DataFrame, year: int) -> None:
    ref = pd.read_csv(HERE / "py_ecomplexity_0.5.3_sample.csv")
    ref = ref[ref.year == year]
    x = matrix(sample, year)
    r = complexity(x.to_numpy(), convention="py-ecomplexity")
    cell = ref.pivot(index="origin", columns="hs92")
    for name in ("rca", "mcp", "density", "cog"):
        expected = cell[name].reindex(index=x.index, columns=x.columns).to_numpy()
        np.testing.assert_allclose(getattr(r, name), expected, rtol=RTOL, atol=1e-12, err_msg=name)
    eci = ref.groupby("origin")["eci"].first().reindex(x.index).to_numpy()
    pci = ref.groupby("hs92")["pci"].first().reindex(x.columns).to_numpy()
    coi = ref.groupby("origin")["coi"].first().reindex(x.index).to_numpy()
    np.testing.assert_allclose(r.eci, eci, rtol=RTOL)
    np.testing.assert_allclose(r.pci, pci, rtol=RTOL)
    np.testing.assert_allclose(r.coi, coi, rtol=RTOL)


def test_stata_convention(sample: pd.DataFrame, data_dir: Path) -> None:
    fx = data_dir / "reference" / "ecomplexity_fixtures"
    # Stata read export_val as float32: feed the same rounded values.
    x = matrix(sample, 1995, float32=True)
    r = complexity(x.to_numpy(), convention="stata")
    country = pd.read_csv(fx / "stata_ref_country.csv")
    c95 = country[country.year == 1995].set_index("origin").reindex(x.index)
    np.testing.assert_allclose(r.eci, c95["eci"], rtol=RTOL)
    np.testing.assert_array_equal(r.diversity, c95["diversity"])
    prod = pd.read_csv(fx / "stata_ref_product.csv").set_index("hs92").reindex(x.columns)
    np.testing.assert_allclose(r.pci, prod["pci_1995"], rtol=RTOL)
    np.testing.assert_array_equal(r.ubiquity, prod["ubiquity_1995"])
    aut = pd.read_csv(fx / "stata_ref_aut1995_rows.csv").set_index("hs92").reindex(x.columns)
    i = list(x.index).index("aut")
    np.testing.assert_allclose(r.rca[i], aut["rca"], rtol=RTOL)
    np.testing.assert_allclose(r.density[i], aut["density"], rtol=RTOL)
    np.testing.assert_allclose(r.cog[i], aut["cog"], rtol=RTOL, atol=1e-12)
    # 1996 ECI for the three countries in the excerpt.
    x96 = matrix(sample, 1996, float32=True)
    r96 = complexity(x96.to_numpy(), convention="stata")
    c96 = country[country.year == 1996].set_index("origin")
    got = pd.Series(r96.eci, index=x96.index).reindex(c96.index)
    np.testing.assert_allclose(got, c96["eci"], rtol=RTOL)


def test_conventions_differ_by_the_documented_factor(sample: pd.DataFrame) -> None:
    x = matrix(sample, 1995).to_numpy()
    py, st = complexity(x), complexity(x, convention="stata")
    n = x.shape[0] * x.shape[1]
    np.testing.assert_allclose(st.eci, py.eci * np.sqrt((n - 1) / n), rtol=1e-12)


def test_committed_reference_output_is_current() -> None:
    pytest.importorskip("ecomplexity")
    from tests.reference.ecomplexity.run_reference import run

    committed = pd.read_csv(HERE / "py_ecomplexity_0.5.3_sample.csv")
    pd.testing.assert_frame_equal(run().reset_index(drop=True), committed, check_dtype=False,
                                  rtol=1e-12)


def test_long_frame_api_matches_reference(sample: pd.DataFrame) -> None:
    from econsec.analytics.indicators.complexity import complexity_long

    ours = complexity_long(sample, loc="origin", prod="hs92", val="export_val")
    ref = pd.read_csv(HERE / "py_ecomplexity_0.5.3_sample.csv")
    m = ours.merge(ref, on=["year", "origin", "hs92"], suffixes=("", "_ref"), validate="1:1")
    assert len(m) == len(ref) == 600
    for c in ("rca", "eci", "pci", "density", "coi", "cog"):
        np.testing.assert_allclose(m[c], m[f"{c}_ref"], rtol=RTOL, atol=1e-12, err_msg=c)
