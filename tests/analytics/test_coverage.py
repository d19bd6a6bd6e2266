"""Coverage of a panel against independent totals (analytics/indicators/coverage.py), on
hand-made panels whose ratios are worked out by hand in the comments."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from econsec.analytics.indicators import coverage as cv
from econsec.analytics.indicators.vulnerability import export_power
from econsec.errors import OptionError
from tests.analytics.helpers import panel


def bench(rows: list[tuple[str, str, str, float]], year: int = 2020) -> pd.DataFrame:
    """Benchmark candidates: (country, side, source, USD)."""
    df = pd.DataFrame(rows, columns=["country", "side", "source", "benchmark_usd"])
    return df.assign(year=year)[["year", "country", "side", "source", "benchmark_usd"]]


# Flows (USD): AAA→BBB 60, CCC→BBB 20, AAA→CCC 30, BBB→AAA 10, DDD→AAA 5 (all product p).
# Imports in the panel: AAA 15, BBB 80, CCC 30, DDD 0. Exports: AAA 90, BBB 10, CCC 20, DDD 5;
# AAA reports its world exports (a World row of 100).
FLOWS = [("AAA", "BBB", "p", 60.0), ("CCC", "BBB", "p", 20.0), ("AAA", "CCC", "p", 30.0),
         ("BBB", "AAA", "p", 10.0), ("DDD", "AAA", "p", 5.0)]
WORLD = pd.DataFrame({"exporter": ["AAA"], "product": ["p"], "value": [100.0]})
BENCH = bench([
    ("AAA", "imports", "imf_dots", 30.0), ("AAA", "imports", "wto_merchandise", 15.0),  # DOTS first
    ("BBB", "imports", "imf_dots", 100.0),
    ("CCC", "imports", "wto_merchandise", 200.0),                                       # WTO only
    ("AAA", "exports", "imf_dots", 400.0),            # complete anyway (its World row)
    ("BBB", "exports", "imf_dots", 12.5), ("CCC", "exports", "imf_dots", 100.0),
    ("WLD", "exports", "imf_dots", 500.0), ("WLD", "exports", "wto_merchandise", 480.0),
])


@pytest.fixture()
def cov() -> pd.DataFrame:
    return cv.panel_coverage(panel(FLOWS, world=WORLD), BENCH).set_index("country")


def test_ratios_and_benchmark_precedence_by_hand(cov: pd.DataFrame) -> None:
    # AAA imports 15 / DOTS 30 = 0.5 (DOTS is preferred to WTO's 15); BBB 80 / 100; CCC 30 / 200
    # from WTO, the only benchmark it has; DDD has no benchmark: unknown.
    assert cov.loc["AAA", "import_coverage"] == pytest.approx(0.5)
    assert cov.loc["AAA", "import_benchmark"] == "imf_dots"
    assert cov.loc["BBB", "import_coverage"] == pytest.approx(0.8)
    assert cov.loc["CCC", "import_coverage"] == pytest.approx(0.15)
    assert cov.loc["CCC", "import_benchmark"] == "wto_merchandise"
    assert np.isnan(cov.loc["DDD", "import_coverage"]) and cov.loc["DDD", "import_benchmark"] == "none"
    # Exports: AAA's World row 100 / 400 = 0.25 but complete by construction; BBB 10 / 12.5.
    assert cov.loc["AAA", "exports_usd"] == 100.0 and cov.loc["AAA", "export_complete"]
    assert cov.loc["AAA", "export_coverage"] == pytest.approx(0.25)
    assert cov.loc["BBB", "export_coverage"] == pytest.approx(0.8)
    assert not cov.loc["BBB", "export_complete"]


def test_rule_keeps_complete_and_covered_and_leaves_out_the_rest(cov: pd.DataFrame) -> None:
    rule = cv.CoverageRule(0.8)
    imp = cv.screen(cov.reset_index(), "imports", rule, what="importers", year=2020)
    kept = set(cov.index[imp.keep])
    assert kept == {"BBB"}                       # 0.8 is at the threshold: kept
    left = imp.left_out.set_index("country")
    assert left.loc["AAA", "reason"] == "import coverage 50.0% < 80%"
    assert left.loc["CCC", "reason"] == "import coverage 15.0% < 80%"
    # DDD imports nothing in the panel: a different reason from "unknown"
    assert left.loc["DDD", "reason"] == "no imports in the source"
    assert "2 of 4 importers left out: import coverage below 80% of the independent total" in imp.notes
    exp = cv.screen(cov.reset_index(), "exports", rule, what="exporters", year=2020)
    # AAA kept though 0.25 (World row); BBB 0.8 kept; CCC 0.2 left out; DDD 5 with no benchmark
    assert set(cov.index[exp.keep]) == {"AAA", "BBB"}
    assert any(n.startswith("1 of 4 exporters left out: export coverage unknown") for n in exp.notes)
    assert any(n.startswith("1 of 4 exporters: exports complete by construction") for n in exp.notes)


def test_zero_turns_the_rule_off_and_says_so(cov: pd.DataFrame) -> None:
    s = cv.screen(cov.reset_index(), "imports", cv.CoverageRule(0), what="importers")
    assert s.keep.all() and s.left_out.empty
    # AAA 0.5, CCC 0.15 below 80 %; DDD has no imports (not counted as kept with low coverage)
    assert "coverage rule off: 2 of 4 importers kept with import coverage below 80% or unknown; " \
           "their figures undercount" in s.notes


@pytest.mark.parametrize("bad", [-0.1, 1.5, float("nan"), float("inf"), True, "0.8"])
def test_rule_rejects_values_outside_0_1(bad: object) -> None:
    with pytest.raises(OptionError, match="min_coverage must be a number from 0 to 1"):
        cv.CoverageRule(bad)  # type: ignore[arg-type]


def test_rank_covered_reranks_among_kept(cov: pd.DataFrame) -> None:
    p = panel(FLOWS, world=WORLD)
    ep = export_power(p.world_exports, p.countries)
    out, s = cv.rank_covered(ep, cov.reset_index(), "exports", cv.CoverageRule(0.8), by="export_power",
                             what="exporters")
    # world exports of p: AAA 100 (World row), BBB 10, CCC 20, DDD 5 = 135; EP_s = share²:
    # AAA (100/135)² first, BBB (10/135)²; CCC and DDD left out.
    assert out["country"].tolist() == ["AAA", "BBB"] and out["rank"].tolist() == [1, 2]
    assert out["export_power"].tolist() == pytest.approx([(100 / 135) ** 2, (10 / 135) ** 2])
    assert list(out.columns[:3]) == ["country", "exports_usd", "export_coverage"]
    assert set(s.left_out["country"]) == {"CCC", "DDD"}


def test_a_closed_panel_is_complete_by_construction() -> None:
    p = panel(FLOWS, world=WORLD, complete=True)
    c = cv.panel_coverage(p, BENCH.iloc[:0])
    assert (c["import_coverage"] == 1.0).all() and (c["export_coverage"] == 1.0).all()
    assert (c["import_benchmark"] == cv.COMPLETE).all()
    s = cv.complexity_scope(c, cv.CoverageRule(), None)
    assert s.world_share == 1.0 and s.show and len(s.rows) == 4


def test_complexity_scope_and_world_share(cov: pd.DataFrame) -> None:
    c = cov.reset_index()
    world = cv.world_total(BENCH, 2020)
    assert world == 500.0                                   # DOTS's world row, preferred to WTO's
    s = cv.complexity_scope(c, cv.CoverageRule(0.8), world)
    # AAA (World row) and BBB (0.8): exports 100 + 10 of a world of 500 = 22 % < 80 %: no ECI/PCI
    assert c["country"].to_numpy()[s.rows].tolist() == ["AAA", "BBB"]
    assert s.world_share == pytest.approx(110 / 500) and not s.show
    assert any(n.startswith("ECI/PCI not shown") for n in s.notes)
    # a world of 120: the same two hold 110 / 120 = 92 % ≥ 80 %: computed over them
    s1 = cv.complexity_scope(c, cv.CoverageRule(0.8), 120.0)
    assert s1.show and s1.world_share == pytest.approx(110 / 120) and len(s1.rows) == 2
    s0 = cv.complexity_scope(c, cv.CoverageRule(0), world)
    # rule off: all four exporters; CCC (0.2) and DDD (unknown) make the result biased
    assert len(s0.rows) == 4 and s0.show
    assert "BIASED: 2 of them have incomplete export baskets" in s0.notes[0]


def test_exposure_sides_blanked_or_left_out_by_hand() -> None:
    from econsec.analytics.indicators.exposure import apply_coverage, changes_since

    # 2017 and 2019 for BBB; AAA in 2019 only. Benchmarks (2019): AAA imports 100, exports 100;
    # BBB imports 100, exports 40; (2017) BBB imports 100. AAA: 10/100 and 20/100 → both sides
    # fail → left out. BBB 2019: imports 90/100 pass, exports 10/40 fail → export shares empty,
    # and the export change too; BBB 2017: imports 80/100 pass, exports are its World row.
    res = pd.DataFrame({
        "year": [2019, 2017, 2019], "country": ["AAA", "BBB", "BBB"],
        "exports_usd": [20.0, 30.0, 10.0], "imports_usd": [10.0, 80.0, 90.0],
        "export_share_USA": [0.5, 0.2, 0.3], "import_share_USA": [0.1, 0.4, 0.5],
        "imports_mirror": True,
        "exports_reported_total": [False, True, False], "imports_reported_total": False})
    res = changes_since(res, 2017, partners=("USA",))
    b = pd.concat([bench([("AAA", "imports", "imf_dots", 100.0), ("AAA", "exports", "imf_dots", 100.0),
                          ("BBB", "imports", "imf_dots", 100.0), ("BBB", "exports", "imf_dots", 40.0)],
                         year=2019),
                   bench([("BBB", "imports", "imf_dots", 100.0)], year=2017)], ignore_index=True)
    out, left, notes = apply_coverage(res, b, cv.CoverageRule(0.8), 2017)
    assert left["country"].tolist() == ["AAA"]
    assert left["reason"].iloc[0] == "import coverage 10.0% < 80%; export coverage 20.0% < 80%"
    bbb = out.set_index("year")
    assert np.isnan(bbb.loc[2019, "export_share_USA"]) and bbb.loc[2019, "import_share_USA"] == 0.5
    assert np.isnan(bbb.loc[2019, "export_share_USA_change_since_2017"])
    assert bbb.loc[2019, "import_share_USA_change_since_2017"] == pytest.approx(0.5 - 0.4)
    assert bbb.loc[2019, "export_coverage"] == pytest.approx(0.25)
    assert bbb.loc[2017, "export_share_USA"] == 0.2 and bbb.loc[2017, "import_share_USA"] == 0.4
    assert "1 of 3 economy-years left out: neither side passes (coverage ≥ 80% or a World total " \
           "in the source)" in notes
