"""Calibration to WIOD 2011 in the store and realistic runs on it (41 regions × 35 industries)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from econsec.analytics.models.multisector import (
    HIGH_TECH,
    TECH_GROUP_OF,
    TECH_GROUPS,
    WIOD_THETA,
    Calibration,
    MultiSectorConvergenceError,
    MultiSectorModel,
    load_wiod,
)
from econsec.sources.registry import get
from econsec.sources.wiod import LABELS
from econsec.store import Store, ingest

pytestmark = pytest.mark.slow  # reads the real data directory

FINAL = ["CONS_h", "CONS_np", "CONS_g", "GFCF"]


@pytest.fixture(scope="module")
def store(data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    s = Store(tmp_path_factory.mktemp("wiod") / "econsec.duckdb")
    d = data_dir / "io" / "wiod_2013"
    ingest(s, [(get("wiod2013"), [d / "wiot_2011.parquet", *(d / n for n in LABELS)])])
    yield s
    s.close()


@pytest.fixture(scope="module")
def cal(store: Store) -> Calibration:
    return load_wiod(store, 2011)


def test_calibration_reproduces_the_data(store: Store, cal: Calibration) -> None:
    """Trade shares π, final-demand shares α, deficits and world value added equal those computed
    directly with pandas from the same io_flows (inventories left out, as the calibration does).
    The one documented adjustment (LUX c24: inputs 36 > output 32, scaled to 32) moves LUX's
    purchase shares and deficits by at most its 4 million USD."""
    df = store.df("SELECT row_country, row_sector, col_country, col_sector, value FROM io_flows "
                  "WHERE source = 'wiod2013' AND year = 2011 AND col_sector <> 'INVEN'")
    assert len(cal.countries) == 41 and len(cal.sectors) == 35
    flows = df.groupby(["col_country", "row_country", "row_sector"])["value"].sum()
    spend = df.groupby(["col_country", "row_sector"])["value"].sum()
    pi_pd = flows / spend.reindex(flows.index.droplevel("row_country")).to_numpy()
    idx = pd.MultiIndex.from_product([cal.countries, cal.countries, cal.sectors])
    pi_cal = pd.Series(cal.pi.ravel(), index=idx).reindex(pi_pd.index)
    not_lux = pi_pd.index.get_level_values(0) != "LUX"
    np.testing.assert_allclose(pi_cal[not_lux], pi_pd[not_lux], rtol=1e-12, atol=0)
    np.testing.assert_allclose(pi_cal[~not_lux], pi_pd[~not_lux], atol=2e-3)
    assert list(cal.adjustments[["country", "sector"]].itertuples(index=False, name=None)) == [("LUX", "c24")]
    # every other cell of cal.pi is zero (no flow) or the π_nn = 1 of a sector n buys none of
    covered = pd.Series(1.0, index=pi_pd.index).reindex(idx).isna().to_numpy().reshape(cal.pi.shape)
    n = np.arange(41)
    extra = cal.pi.copy()
    extra[n, n, :] -= cal.expenditure <= 0
    assert (extra[covered] == 0).all()

    fd = df[df["col_sector"].isin(FINAL)].groupby(["col_country", "row_sector"])["value"].sum()
    alpha_pd = (fd / fd.groupby(level=0).transform("sum")).unstack().reindex(
        index=cal.countries, columns=cal.sectors).fillna(0.0)
    np.testing.assert_allclose(cal.alpha, alpha_pd.to_numpy(), rtol=1e-12, atol=1e-15)

    deficit_pd = (df.groupby("col_country")["value"].sum() - df.groupby("row_country")["value"].sum())
    np.testing.assert_allclose(cal.deficit, deficit_pd.reindex(cal.countries), atol=4.0 + 1e-6)
    assert abs(cal.deficit.sum()) < 1e-6
    np.testing.assert_allclose(cal.value_added.sum(), df.loc[df["col_sector"].isin(FINAL), "value"].sum(),
                               rtol=1e-12)


def test_gross_output_is_close_to_the_published_column(store: Store, cal: Calibration) -> None:
    """Calibrated output (sum of uses without inventories) against WIOD's GO column: the gap is
    inventories plus integer rounding in the R package, a fraction of a percent at the median."""
    go = store.df("SELECT country, sector, gross_output FROM io_sectors WHERE source = 'wiod2013' "
                  "AND kind = 'industry' AND year = 2011").set_index(["country", "sector"])["gross_output"]
    ours = pd.Series(cal.output.ravel(), index=pd.MultiIndex.from_product([cal.countries, cal.sectors]))
    ratio = (ours / go.reindex(ours.index))[go.reindex(ours.index) > 1000]
    assert (ratio - 1).abs().median() < 0.01


def test_ntb_on_electronics_between_usa_and_china(cal: Calibration) -> None:
    """A 20% ad-valorem non-tariff barrier on c14 (electrical and optical equipment) both ways
    between the U.S. and China lowers both countries' real income and moves Korea's; solved in
    well under 2 s (about 0.05 s on the development machine)."""
    model = MultiSectorModel(cal)
    shock = model.shock("USA-CHN c14 NTB 20%").with_trade_cost("USA", "CHN", HIGH_TECH, factor=1.2,
                                                               symmetric=True)
    start = time.perf_counter()
    r = model.solve(shock)
    assert time.perf_counter() - start < 2.0
    assert r.converged and r.residual < 1e-9
    f = r.to_frame().set_index("country")
    assert f.loc["USA", "real_income_pct"] < 0 and f.loc["CHN", "real_income_pct"] < 0
    assert abs(f.loc["KOR", "real_income_pct"]) > 1e-3
    pairs = r.pairs(by_sector=True).set_index(["exporter", "importer", "sector"])["trade_pct"]
    assert pairs[("CHN", "USA", "c14")] < -50 and pairs[("USA", "CHN", "c14")] < -50
    assert pairs[("KOR", "USA", "c14")] > 0  # diversion toward third suppliers
    assert r.source == "wiod2013" and r.year == 2011 and "WIOD 2013" in r.vintage
    assert "Caliendo & Parro" in r.method and "USA-CHN" in r.summary()


def test_no_intermediates_run_on_wiod(cal: Calibration) -> None:
    model = MultiSectorModel(cal, intermediates="none")
    r = model.solve(model.shock().with_trade_cost("USA", "CHN", "c14", factor=1.2, symmetric=True))
    f = r.to_frame().set_index("country")
    assert f.loc["USA", "real_income_pct"] < 0 and f.loc["CHN", "real_income_pct"] < 0
    assert "without intermediate inputs" in r.method


def test_technology_groups_aggregate_consistently(store: Store, cal: Calibration) -> None:
    agg = load_wiod(store, 2011, sectors=TECH_GROUP_OF)
    assert agg.sectors == ("agriculture", "mining", "low_tech", "medium_tech", "high_tech", "services")
    np.testing.assert_allclose(agg.trade.sum(axis=2), cal.trade.sum(axis=2), rtol=1e-12)
    np.testing.assert_allclose(agg.value_added.sum(axis=1), cal.value_added.sum(axis=1), rtol=1e-12)
    np.testing.assert_allclose(agg.deficit, cal.deficit, atol=1e-6)
    model = MultiSectorModel(agg)
    theta = dict(zip(agg.sectors, model.theta_values, strict=True))
    assert theta["high_tech"] == WIOD_THETA["c14"]
    for g, members in TECH_GROUPS.items():
        values = [WIOD_THETA[m] for m in members]
        assert min(values) - 1e-12 <= theta[g] <= max(values) + 1e-12
    zero = model.solve()
    assert (zero.wage_hat == 1).all() and (zero.trade1 == zero.trade0).all()
    r = model.solve(model.shock().with_trade_cost("USA", "CHN", "high_tech", factor=1.2, symmetric=True))
    f = r.to_frame().set_index("country")
    assert f.loc["USA", "real_income_pct"] < 0 and f.loc["CHN", "real_income_pct"] < 0


def test_non_convergence_raises_a_typed_error(cal: Calibration) -> None:
    model = MultiSectorModel(cal, max_iter=3)
    with pytest.raises(MultiSectorConvergenceError) as err:
        model.solve(model.shock().with_trade_cost("USA", "CHN", "c14", factor=1.2, symmetric=True))
    assert err.value.iterations == 3 and err.value.residual > err.value.tol


def test_deficit_removal_numbers_quoted_in_the_docs(cal: Calibration) -> None:
    """docs/models/multisector.md: real income when every deficit is removed (WIOD 2011, CP θ)."""
    out = {}
    for inter in ("none", "io"):
        f = MultiSectorModel(cal, intermediates=inter).solve(deficits="removed").to_frame()
        out[inter] = f.set_index("country")["real_income_pct"]
    none, io = out["none"], out["io"]
    assert (round(none["USA"], 1), round(none["DEU"], 1)) == (-2.2, 4.9)
    assert (round(io["USA"], 1), round(io["DEU"], 1)) == (-3.8, 10.1)
    assert (none.idxmin(), round(none.min(), 1), none.idxmax(), round(none.max(), 1)) == \
        ("CYP", -10.4, "IRL", 13.2)
    assert (io.idxmax(), round(io.max(), 1)) == ("LUX", 47.5)
