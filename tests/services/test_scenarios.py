"""Scenario runs end to end on the real WIOD 2011 table and U.S. 2024 HS10 imports."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from econsec.cli.main import app
from econsec.errors import NotFoundError, OptionError
from econsec.services.scenarios import MAX_DRAWS, ScenarioRunError, run_scenario
from econsec.store import Store
from tests.conftest import ingest_real

pytestmark = pytest.mark.slow  # reads the real data directory

runner = CliRunner()


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory, data_dir: Path) -> Path:
    path = tmp_path_factory.mktemp("scen") / "s.duckdb"
    with Store(path) as s:
        ingest_real(s, data_dir, "wiod2013", "census_hs10", "hs_concordance", "agtpa",
                    wiod_years=(2011,))
    return path


def test_zero_shock_returns_the_baseline(db: Path, tmp_path: Path) -> None:
    spec = tmp_path / "zero.toml"
    spec.write_text('name = "zero"\ntitle = "no change"\n[[sources]]\nid = "x"\ncitation = "test"\n'
                    '[[measures]]\nimposer = "USA"\ntargets = ["CHN"]\nrate = 0\nmode = "add"\nsource = "x"\n')
    with Store(db, read_only=True) as s:
        r = run_scenario(s, str(spec), model="ge")
    c = r.countries()
    assert r.ge is not None and r.ge.converged
    np.testing.assert_allclose(c["real_income_pct"], 0.0, atol=1e-9)
    np.testing.assert_allclose(c["exports_pct"], 0.0, atol=1e-9)


def test_china_60(db: Path) -> None:
    with Store(db, read_only=True) as s:
        r = run_scenario(s, "china-60", model="both", draws=8, seed=1)
    c = r.countries().set_index("country")
    # A bilateral tariff lowers China's real income and exports and cuts U.S. imports from China.
    assert c.loc["CHN", "real_income_pct"] < 0 and c.loc["CHN", "exports_pct"] < 0
    pairs = r.ge.pairs().set_index(["exporter", "importer"])
    assert pairs.loc[("CHN", "USA"), "trade_pct"] < -50
    # ... and raises each partner's trade with third countries (diversion).
    tm = r.third_markets
    third = tm[tm["third_market"] & (tm["exporter"] == "CHN")]
    assert (third["change_musd"] > 0).mean() > 0.9
    assert pairs.loc[("KOR", "USA"), "trade_pct"] > 0 and pairs.loc[("JPN", "USA"), "trade_pct"] > 0
    # Bands bracket the central estimate.
    for k in ("KOR", "JPN", "CHN", "USA"):
        assert c.loc[k, "real_income_pct_p5"] <= c.loc[k, "real_income_pct"] + 1e-12
        assert c.loc[k, "real_income_pct"] <= c.loc[k, "real_income_pct_p95"] + 1e-12
    # PE: China loses in the U.S. market, Korea and Japan gain, mostly at China's expense.
    sup = r.pe.by_supplier().set_index("partner")
    assert sup.loc["CHN", "change"] < 0 < sup.loc["KOR", "change"] and sup.loc["JPN", "change"] > 0
    gains = r.pe.top_diversion_gains("KOR", 10)
    assert (gains["top_loser"] == "CHN").all() and (gains["diversion"] > 0).all()


def test_deficits_removed_first(db: Path) -> None:
    """DEK (2008): the GE starts from the balanced-trade equilibrium. Checked against the same
    pipeline done by hand with the model (balanced calibration, then the shock) and against the
    balanced-trade identity (exports = imports for every economy after removal)."""
    from econsec.analytics.models.multisector import MultiSectorModel, load_wiod
    from econsec.services.scenarios import GOODS, SERVICES_THETA, _sector_shock, resolve

    with Store(db, read_only=True) as s:
        r = run_scenario(s, "china-60", model="ge", deficits="removed")
        fixed = run_scenario(s, "china-60", model="ge")
        cal = load_wiod(s, 2011).aggregate(
            sectors={x: ("goods" if x in GOODS else "services") for x in load_wiod(s, 2011).sectors})
    theta = {"goods": 4.0, "services": SERVICES_THETA}
    bal = MultiSectorModel(cal, theta=theta, intermediates="none").balanced_calibration()
    assert np.abs(bal.deficit).max() < 1e-9 * bal.value_added.sum()
    shock, _ = _sector_shock(resolve("china-60"), bal)
    by_hand = MultiSectorModel(bal, theta=theta, intermediates="none").solve(shock)
    np.testing.assert_allclose(r.ge.real_income_hat, by_hand.real_income_hat, rtol=1e-12)
    c = r.countries()
    # balanced trade: exports = imports, up to the solver tolerance (1e-10 relative)
    np.testing.assert_allclose(c["exports_pct"], c["imports_pct"], atol=1e-5)
    assert any("Dekle, Eaton & Kortum" in n for n in r.notes)
    # removing the deficits first changes the numbers (the U.S. runs the largest deficit)
    usa = (fixed.countries().set_index("country").loc["USA", "real_income_pct"],
           c.set_index("country").loc["USA", "real_income_pct"])
    assert usa[0] != pytest.approx(usa[1], rel=1e-3)
    # docs/models/multisector.md: china-60 with deficits removed first vs held fixed
    got = {k: round(float(v), 3) for k, v in c.set_index("country").loc[
        ["USA", "CHN", "KOR", "JPN"], "real_income_pct"].items()}
    assert got == {"USA": -0.081, "CHN": -0.148, "KOR": -0.006, "JPN": 0.005}
    held = fixed.countries().set_index("country")["real_income_pct"]
    assert [round(float(held[k]), 3) for k in ("USA", "CHN", "KOR", "JPN")] == [-0.11, -0.199, -0.0, 0.011]
    with Store(db, read_only=True) as s, \
            pytest.raises(OptionError, match="deficits: expected one of 'fixed', 'removed'; got 'zero'"):
        run_scenario(s, "china-60", model="ge", deficits="zero")  # type: ignore[arg-type]


def test_agreement_presets_need_a_coefficient(db: Path) -> None:
    with Store(db, read_only=True) as s, pytest.raises(ScenarioRunError, match="RTA coefficient"):
        run_scenario(s, "korea-joins-cptpp", model="ge")


def test_korea_joins_cptpp(db: Path) -> None:
    from econsec.services.scenarios import rta_coefficient

    with Store(db, read_only=True) as s:
        beta = rta_coefficient(s)
        # Yotov et al. (2016), ch. 1 Table 3, column ENDOG: 0.557 (0.102).
        assert beta[0] == pytest.approx(0.557, abs=5e-4) and beta[1] == pytest.approx(0.102, abs=5e-4)
        r = run_scenario(s, "korea-joins-cptpp", model="ge", rta_beta=beta)
    c = r.countries().set_index("country")
    assert c.loc["KOR", "real_income_pct"] > 0 and c.loc["KOR", "exports_pct"] > 0
    pairs = r.ge.pairs().set_index(["exporter", "importer"])["trade_pct"]
    assert pairs[("KOR", "JPN")] > 0 and pairs[("JPN", "KOR")] > 0 and pairs[("KOR", "USA")] < 0
    assert any("not in WIOD" in n and "VNM" in n for n in r.notes)


def test_cli_run_prints_korea_and_japan(db: Path) -> None:
    r = runner.invoke(app, ["--db", str(db), "scenario", "run", "china-60", "--model", "both",
                            "--draws", "4"])
    assert r.exit_code == 0, r.output
    text = " ".join(r.stdout.split())
    assert "effects on KOR, JPN" in text and "diversion gains for KOR" in text
    assert "converged True" in text
    r = runner.invoke(app, ["--db", str(db), "--json", "scenario", "run", "universal-10", "--model", "ge"])
    doc = json.loads(r.stdout)
    assert doc["provenance"]["ge"]["converged"] is True and doc["provenance"]["ge"]["year"] == 2011
    assert {row["country"] for row in doc["focus"]} == {"KOR", "JPN"}
    r = runner.invoke(app, ["--db", str(db), "scenario", "list"])
    assert r.exit_code == 0 and "china-60" in r.stdout


def test_focus_on_the_imposer_and_on_economies_one_model_lacks(db: Path) -> None:
    # Issue 11: `--focus USA,…` raised KeyError "partner 'USA' not in the baseline": the PE data
    # are U.S. imports by partner, so the United States is the market, not a partner. It is now
    # reported (GE real income; its own PE welfare), and economies a model lacks are named.
    with Store(db, read_only=True) as s:
        r = run_scenario(s, "china-60", model="both")
    f = r.focus(["usa", "KOR", "DEU", "VNM"]).set_index("country")
    assert list(f.index) == ["USA", "KOR", "DEU", "VNM"]
    c = r.countries().set_index("country")
    assert f.loc["USA", "real_income_pct"] == c.loc["USA", "real_income_pct"]
    t = r.pe.totals  # SMART welfare of the importing market = consumer surplus + tariff revenue
    assert f.loc["USA", "pe_welfare_change_musd"] == pytest.approx(
        (t["consumer_surplus_change"] + t["tariff_revenue_change"]) / 1e6)
    assert np.isnan(f.loc["USA", "us_imports_change_musd_pe"])
    # WIOD 2013 has no Vietnam (inside ROW); Census has no Germany (EU members are one partner)
    assert np.isnan(f.loc["VNM", "real_income_pct"]) and f.loc["VNM", "us_imports_change_pct_pe"] > 0
    assert np.isnan(f.loc["DEU", "us_imports_change_pct_pe"]) and not np.isnan(f.loc["DEU", "real_income_pct"])
    _, notes = r.coverage(["USA", "DEU", "VNM"])
    assert any(n.startswith("USA is the importing market of the PE model") for n in notes)
    assert any(n.startswith("DEU is not a partner in the PE data") for n in notes)
    assert any(n.startswith("VNM is not a region of the GE model") for n in notes)
    assert list(r.diversion_gains(["USA", "KOR"], 3)) == ["KOR"]
    with Store(db, read_only=True) as s:
        ge = run_scenario(s, "china-60", model="ge")
    with pytest.raises(NotFoundError, match=r"no result for VNM in china-60: the GE model "
                                            r"\(wiod2013 2011\) has AUS, .*KOR.*inside ROW"):
        ge.focus(["KOR", "VNM"])


def test_draws_are_bounded_and_report_progress(db: Path) -> None:
    # Issue 11: `--draws -5` was accepted and there was no upper bound or progress.
    with Store(db, read_only=True) as s:
        for bad in (-5, 1, MAX_DRAWS + 1):
            with pytest.raises(OptionError, match=f"draws: expected 0 .*; got {bad}"):
                run_scenario(s, "china-60", model="ge", draws=bad)
        seen: list[tuple[int, int]] = []
        r = run_scenario(s, "china-60", model="ge", draws=3, progress=lambda k, n: seen.append((k, n)))
    assert seen == [(1, 3), (2, 3), (3, 3)] and r.bands is not None


def test_cli_focus_and_draws(db: Path) -> None:
    r = runner.invoke(app, ["--db", str(db), "scenario", "run", "china-60", "--focus", "USA,KOR"])
    assert r.exit_code == 0, r.output
    text = " ".join(r.stdout.split())
    assert "effects on USA, KOR" in text and "USA is the importing market of the PE model" in text
    assert "diversion gains for KOR" in text and "diversion gains for USA" not in text
    r = runner.invoke(app, ["--db", str(db), "--json", "scenario", "run", "china-60", "--model",
                            "ge", "--focus", "kor,jpn"])
    assert r.exit_code == 0, r.output
    assert [x["country"] for x in json.loads(r.stdout)["focus"]] == ["KOR", "JPN"]
    r = runner.invoke(app, ["--db", str(db), "scenario", "run", "china-60", "--model", "ge",
                            "--focus", "KOR,VNM"])
    assert r.exit_code == 1 and "Traceback" not in r.output
    assert " ".join(r.output.split()).startswith("error: no result for VNM in china-60")
    r = runner.invoke(app, ["--db", str(db), "scenario", "run", "china-60", "--draws", "-5"])
    assert r.exit_code == 1 and "draws: expected 0" in r.output
