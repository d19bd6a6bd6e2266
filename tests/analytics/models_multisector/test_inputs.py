"""Inputs, options and frames: θ table, shock builders, calibration treatments, errors."""

from __future__ import annotations

import numpy as np
import pytest

from econsec.analytics.models.multisector import (
    CP2015_THETA,
    HIGH_TECH,
    TECH_GROUPS,
    WIOD_INDUSTRIES,
    WIOD_THETA,
    MultiSectorInputError,
    MultiSectorModel,
    Shock,
    default_theta,
    from_mrio,
    from_trade,
    load_wiod,
)
from econsec.errors import OptionError
from econsec.store import Store
from tests.analytics.models_multisector.helpers import random_mrio, symmetric_io


def test_theta_table_maps_caliendo_parro_to_wiod() -> None:
    """CP (2015) Table 1 (99% sample, replication input T.txt) on WIOD industries: ISIC 30–33
    (c14) = mean(Office 12.95, Electrical 12.91, Communication 3.95, Medical 8.71) = 9.63;
    ISIC 27–28 (c12) = mean(3.28, 6.99) = 5.135; services = 5."""
    assert len(CP2015_THETA) == 20 and set(WIOD_THETA) == set(WIOD_INDUSTRIES)
    assert WIOD_THETA["c14"] == pytest.approx(9.63)
    assert WIOD_THETA["c12"] == pytest.approx(5.135)
    assert WIOD_THETA["c8"] == 64.85 and WIOD_THETA["c15"] == 8.22 and WIOD_THETA["c1"] == 9.11
    assert all(WIOD_THETA[f"c{k}"] == 5.0 for k in range(17, 36))
    assert HIGH_TECH == ("c14",) and "c14" in TECH_GROUPS["high_tech"]
    assert sorted(c for g in TECH_GROUPS.values() for c in g) == sorted(WIOD_INDUSTRIES)


def test_theta_overrides_and_basis() -> None:
    cal = random_mrio(np.random.default_rng(1), 2, 2)
    with pytest.raises(MultiSectorInputError, match="no default trade elasticity"):
        default_theta(cal)
    m = MultiSectorModel(cal, theta={"S0": 3.0, "S1": 6.0})
    assert list(m.theta_values) == [3.0, 6.0] and m.theta_basis() == {"S0": "given", "S1": "given"}
    with pytest.raises(MultiSectorInputError, match="unknown sectors"):
        MultiSectorModel(cal, theta={"S9": 3.0})
    with pytest.raises(MultiSectorInputError, match="positive"):
        MultiSectorModel(cal, theta=[3.0, -1.0])
    wiod_like = from_trade(np.ones((2, 2, 2)), countries=("A", "B"), sectors=("c14", "c20"))
    m = MultiSectorModel(wiod_like, theta={"c20": 7.0})
    assert list(m.theta_values) == [WIOD_THETA["c14"], 7.0]
    assert m.theta_basis()["c14"].startswith("CP 2015 Table 1 (Communication, Electrical")


def test_options_are_validated_with_the_allowed_values() -> None:
    cal = symmetric_io(np.array([100.0]), np.array([[0.3]]), np.array([0.2]))
    with pytest.raises(OptionError, match="intermediates: expected one of 'io', 'none'; got 'leontief'"):
        MultiSectorModel(cal, theta=[4.0], intermediates="leontief")  # type: ignore[arg-type]
    with pytest.raises(MultiSectorInputError, match="numeraire must be 'world' or one of"):
        MultiSectorModel(cal, theta=[4.0], numeraire="XXX")
    with pytest.raises(MultiSectorInputError, match="decomposition_steps"):
        MultiSectorModel(cal, theta=[4.0], decomposition_steps=0)


def test_shock_builders() -> None:
    cal = random_mrio(np.random.default_rng(2), 3, 2, tariffs=False)
    base = Shock.baseline(cal)
    s = base.with_trade_cost(["C0"], ["C1", "C2"], "S1", factor=1.5, symmetric=True)
    d = s.trade_cost  # exporter × importer × sector
    assert d[0, 1, 1] == d[1, 0, 1] == d[0, 2, 1] == d[2, 0, 1] == 1.5
    assert d[1, 2, 1] == 1.0 and (d[:, :, 0] == 1).all() and (np.einsum("iij->ij", d) == 1).all()
    t = base.with_tariff("C2", "C0", rate=0.1).with_tariff("C2", "C0", "S0", rate=0.05)
    assert t.tariff[2, 0, 0] == pytest.approx(0.15) and t.tariff[2, 0, 1] == pytest.approx(0.1)
    assert t.tariff[0, 2].sum() == 0
    t2 = t.with_tariff("C2", "C0", "S0", rate=0.02, how="set")
    assert t2.tariff[2, 0, 0] == 0.02 and t2.tariff[2, 0, 1] == pytest.approx(0.1)
    change = np.zeros(cal.trade.shape)
    change[1, 0, :] = -0.5
    assert (base.with_tariff_change(change).tariff >= 0).all()
    with pytest.raises(OptionError, match="how: expected one of 'add', 'set'; got 'mul'"):
        base.with_tariff("C2", "C0", rate=0.1, how="mul")  # type: ignore[arg-type]
    with pytest.raises(MultiSectorInputError, match="unknown exporter"):
        base.with_trade_cost("ZZZ", None, factor=1.2)
    with pytest.raises(MultiSectorInputError, match="unknown sector"):
        base.with_trade_cost(None, None, "c99", factor=1.2)
    with pytest.raises(MultiSectorInputError, match="positive"):
        base.with_trade_cost(None, None, factor=0.0)
    with pytest.raises(MultiSectorInputError, match="exporter × importer × sector"):
        Shock(cal.countries, cal.sectors, np.ones((2, 2, 2)), np.zeros((3, 3, 2)))
    other = random_mrio(np.random.default_rng(3), 2, 2)
    with pytest.raises(MultiSectorInputError, match="calibration's"):
        MultiSectorModel(cal, theta=[3.0, 4.0]).solve(Shock.baseline(other))


def test_calibration_treatments() -> None:
    """Negative final demand → 0 (noted); negative value added → inputs scaled, table balanced."""
    z = np.zeros((2, 2, 2, 2))
    z[0, 0, 0, 0], z[1, 0, 0, 0] = 30.0, 50.0  # A's sector 1 buys 80 of inputs (30 from itself) ...
    f = np.zeros((2, 2, 2))
    f[0, 0, 0], f[0, 0, 1] = 10.0, 30.0  # ... but sells only 70
    f[0, 1, 0], f[1, 0, 1], f[1, 0, 0], f[1, 1, 1] = 100.0, 200.0, -5.0, 50.0
    cal = from_mrio(z, f, countries=("A", "B"), sectors=("s1", "s2"))
    assert any("1 negative final-demand cells" in n for n in cal.notes)
    adj = cal.adjustments
    assert list(adj["country"]) == ["A"] and list(adj["sector"]) == ["s1"]
    # s (80 − 30) = 70 − 30 ⇒ s = 0.8: inputs 80 → 64, own sales 30 → 24, output 70 → 64
    assert adj["inputs_before"].iloc[0] == 80.0 and adj["inputs_after"].iloc[0] == pytest.approx(64.0)
    assert cal.output[0, 0] == pytest.approx(64.0)
    np.testing.assert_allclose(cal.value_added[0, 0], 0.0, atol=1e-9)
    assert cal.beta[0, 0] == pytest.approx(0.0, abs=1e-12) and cal.beta[0, 1] == 1.0
    np.testing.assert_allclose(cal.inputs.sum(axis=1) + cal.final, cal.expenditure, rtol=1e-12)
    r = MultiSectorModel(cal, theta=[4.0, 4.0]).solve()
    assert (r.wage_hat == 1).all()
    with pytest.raises(MultiSectorInputError, match="inputs \\+ final demand"):
        type(cal)(cal.countries, cal.sectors, cal.trade, cal.inputs, cal.final * 2, cal.tariff)
    with pytest.raises(MultiSectorInputError, match="non-negative"):
        from_trade(-np.ones((2, 2, 1)), countries=("A", "B"), sectors=("s",))


def test_country_and_sector_aggregation() -> None:
    cal = random_mrio(np.random.default_rng(4), 3, 3)
    agg = cal.aggregate(sectors={"S0": "g1", "S1": "g1", "S2": "g2"}, countries={"C0": "AB", "C1": "AB", "C2": "C2"})
    assert agg.countries == ("AB", "C2") and agg.sectors == ("g1", "g2")
    assert agg.trade[0, 0].sum() == pytest.approx(cal.trade[:2, :2].sum())  # internal trade is domestic
    np.testing.assert_allclose(agg.tariff_revenue.sum(), cal.tariff_revenue.sum(), rtol=1e-12)
    np.testing.assert_allclose(agg.deficit, [cal.deficit[:2].sum(), cal.deficit[2]], atol=1e-9)
    assert agg.members == {"g1": ("S0", "S1"), "g2": ("S2",)}
    with pytest.raises(MultiSectorInputError, match="must map every sector"):
        cal.aggregate(sectors={"S0": "g"})


def test_frames_and_provenance() -> None:
    cal = random_mrio(np.random.default_rng(5), 3, 2)
    m = MultiSectorModel(cal, theta=[4.0, 6.0])
    r = m.solve(m.shock("demo").with_trade_cost("C0", "C1", factor=1.3))
    assert len(r.to_frame()) == 3 and len(r.sectors()) == 6
    assert len(r.pairs()) == 9 and len(r.pairs(by_sector=True)) == 18
    assert {"real_income_pct", "terms_of_trade_pts", "approximation_gap_pts"} <= set(r.to_frame())
    prov = r.provenance()
    assert prov["scenario"] == "demo" and prov["theta"] == {"S0": 4.0, "S1": 6.0} and prov["converged"]
    text = r.summary()
    assert "converged in" in text and "residual" in text and "demo" in repr(r)
    with pytest.raises(ValueError, match="read-only"):
        r.wage_hat[0] = 2.0
    with pytest.raises(ValueError, match="read-only"):
        cal.trade[0, 0, 0] = 1.0


def test_load_wiod_needs_the_year_in_the_store(store: Store) -> None:
    with pytest.raises(MultiSectorInputError, match="ingest wiod2013 first"):
        load_wiod(store, 2011)
