"""The pair report (econsec.services.report) and `econsec report`, on a store of every real dataset.

Each finding is checked against the service that computes it, called directly on the same store
(reference: the same service), and against numbers already pinned elsewhere from published data
or hand computation (cited at each assertion)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from econsec.cli.main import app
from econsec.cli.render import records
from econsec.errors import NotFoundError, OptionError
from econsec.present.report_html import render_html
from econsec.services import ews, indicators, lng
from econsec.services import report as svc
from econsec.sources.registry import available
from econsec.store import Store
from tests.conftest import ingest_real, snapshot

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory, data_dir: Path) -> Path:
    path = tmp_path_factory.mktemp("report") / "s.duckdb"
    with Store(path) as s:
        names = [src.name for src in available() if src.discover(data_dir)]
        ingest_real(s, data_dir, *names, wiod_years=(1995, 2011))
        ews.generate_watchlist(s, "japan_customs", importers=["JPN"])
        ews.scan(s, "japan_customs", as_of="2011-04", pair=("JPN", "KOR"))
    return path


@pytest.fixture(scope="module")
def rep(db: Path) -> svc.Report:
    with Store(db, read_only=True) as s:
        return svc.pair_report(s, "KOR", "JPN", year=2019)


def test_every_section_is_built(rep: svc.Report) -> None:
    assert [s.key for s in rep.sections] == list(svc.SECTIONS)
    assert all(s.available for s in rep.sections), [(s.key, s.notes) for s in rep.sections]
    assert all(s.provenance for s in rep.sections)
    assert rep.names == {"KOR": "South Korea", "JPN": "Japan"}
    assert set(rep.data["source"]) >= {"comtrade_hs2", "wiod2013", "ei_review", "japan_customs"}


def test_vulnerability_and_complementarity_findings(db: Path, rep: svc.Report) -> None:
    with Store(db, read_only=True) as s:
        v = indicators.vulnerability(s, year=2019, min_imports_usd=1e10).frame.set_index("country")
    sec = rep.section("vulnerability")
    # the findings quote the vulnerability service's own ranking (the ranks themselves are
    # checked against coverage computed from the raw files in test_indicator_coverage.py)
    n = len(v)
    for i, (code, name) in enumerate((("KOR", "South Korea"), ("JPN", "Japan"))):
        k = int(v.loc[code, "rank"])
        suffix = "th" if 10 <= k % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(k % 10, "th")
        assert sec.findings[i].startswith(f"{name} ranks {k}{suffix} of {n} importers")
    assert f"IV {v.loc['KOR', 'iv']:.3f}" in sec.findings[0]
    # WIOD goods sectors (tests/analytics/test_io_panel.py): 2011 JPN 1st, KOR 2nd of 40
    assert "On WIOD goods sectors, 1995–2011 (2 tables), Japan ranks between" in " ".join(sec.findings)
    assert "On WIOD goods sectors, 1995–2011 (2 tables), South Korea ranks 2nd of 40 economies." \
        in sec.findings
    assert set(sec.charts["figure1_long"]["year"]) == {1995, 2011}
    fig1 = sec.charts["figure1"]
    assert set(fig1["country"]) == {"KOR", "JPN", "CHN", "USA", "DEU"} and set(fig1["year"]) == {2019, 2020}
    comp = rep.section("complementarity")
    # Japan covers 55 % of Korea's at-risk imports, Korea 20 % of Japan's, HS 99 left out
    # (test_indicators.py)
    assert comp.findings[0].startswith("Japan covers South Korea: 55% of")
    assert comp.findings[1].startswith("South Korea covers Japan: 20% of")
    # semiconductor equipment, 2020 (tests/analytics/test_equipment.py): JPN 24 % of world exports
    sme = [f for f in comp.findings if f.startswith("Semiconductor-manufacturing machines")]
    assert len(sme) == 2 and "Japan exported 12.0 bn USD (24% of world exports)" in sme[0]
    assert set(comp.tables) >= {"semiconductor_equipment_JPN_for_KOR", "semiconductor_equipment_KOR_for_JPN"}


def test_scenario_decoupling_and_lng_findings(db: Path, rep: svc.Report) -> None:
    eff = rep.section("scenarios").tables["effects"]
    assert sorted(eff["scenario"].unique()) == sorted(svc.TARIFF_PRESETS)
    assert set(eff["country"]) == {"KOR", "JPN"}
    prov = rep.section("scenarios").provenance
    assert all(p["ge"]["converged"] for p in prov)
    from econsec.services.scenarios import run_scenario
    with Store(db, read_only=True) as s:
        dek = run_scenario(s, "china-60", model="ge", deficits="removed").countries().set_index("country")
    row = eff[(eff["scenario"] == "china-60") & (eff["country"] == "KOR")].iloc[0]
    assert row["real_income_pct_deficits_removed"] == dek.loc["KOR", "real_income_pct"]
    dec = rep.section("decoupling").tables["real_income_pct"].set_index("country")
    assert list(dec.index[:4]) == ["KOR", "JPN", "USA", "CHN"]
    # docs/decoupling.md: Korea is the 2nd-largest loser when the EU is a hub with attachment
    assert "In useu-china-attach South Korea's loss is the 2nd largest of 41 economies." in \
        rep.section("decoupling").findings
    port = rep.section("lng").tables["portfolio"].set_index("importer")
    with Store(db, read_only=True) as s:
        direct = lng.portfolio(s, ("KOR", "JPN")).frame
    assert port.loc["KOR", "year"] == 2023
    # EI 2023 (tests/services/test_lng.py): Korea 60.63 bcm, Australia 14.3 bcm = 23.6 %
    assert port.loc["KOR", "total_mt"] == pytest.approx(60.6316 * 0.735, abs=1e-3)
    assert port.loc["KOR", "top_supplier"] == "AUS" and port.loc["KOR", "top_share"] == pytest.approx(
        14.3 / 60.63, abs=0.002)
    assert port.loc["JPN", "hhi"] == direct.set_index(["importer", "year"]).loc[("JPN", 2023), "hhi"]
    assert any(f.startswith("Pooled procurement 2023") for f in rep.section("lng").findings)
    h = rep.section("lng").tables["hormuz_3_months"].set_index("buyer")
    # docs/lng.md (tests/services/test_lng.py): Hormuz closed 3 months, 2023 flows, Korea loses 3.556 Mt
    assert h.loc["KOR", "lost_mt"] == pytest.approx(3.556, abs=5e-4)
    assert (h["shortfall_joint"] <= h["shortfall_alone"] + 1e-12).all()   # no buyer worse off jointly
    assert rep.section("lng").findings[0].startswith("South Korea 2023")


def test_value_chain_section_equals_the_io_service(db: Path, rep: svc.Report) -> None:
    from econsec.services import io

    sec = rep.section("value_chains")
    with Store(db, read_only=True) as s:
        m = io.table(s)
        va = m.value_added_in_trade().frame
        shock = m.supply_shock([("CHN", "c14")], cut=0.1).table("by_region")
    gvc = sec.tables["gvc"].set_index("region")
    assert gvc.loc["KOR", "gvc_participation"] == va.loc["KOR", "gvc_participation"]
    # KWW identity on the derived-value-added table: DVA share = 1 − backward participation
    assert gvc.loc["KOR", "dva_share"] == pytest.approx(1 - gvc.loc["KOR", "gvc_backward"], abs=1e-12)
    t = sec.tables["supply_shocks"]
    row = t[t["shock"].str.startswith("CHN c14") & (t["economy"] == "KOR")].iloc[0]
    assert row["output_loss_musd"] == shock.loc["KOR", "loss"]
    assert set(t["economy"]) == {"KOR", "JPN"} and len(t) == 4   # CHN c14 on both, each other's c9
    loop = rep.section("decoupling").tables["exposure_useu-china-attach"].set_index("country")
    assert loop.loc["KOR", "import_share_CHN_change_pp"] == pytest.approx(
        100 * (loop.loc["KOR", "import_share_CHN_cf"] - loop.loc["KOR", "import_share_CHN_base"]))


def test_early_warning_section_explains_alerts_and_names_the_cover(db: Path, rep: svc.Report) -> None:
    with Store(db, read_only=True) as s:
        wl, al = ews.watchlist(s), ews.alerts(s)
        ex = ews.alerts_explained(s, ["KOR", "JPN"])
        top = ex.iloc[0]
        # the partner's supply over the 12 months to the alert, by hand from the stored flows
        want = s.df("""SELECT sum(value) AS v FROM trade_flows WHERE source = 'japan_customs'
                       AND flow = 'import' AND importer = 'JPN' AND exporter = 'KOR' AND product = ?
                       AND make_date(year, month, 1) BETWEEN '2010-05-01' AND '2011-04-01'""",
                    [top["product"]])["v"].iloc[0]
        sig = json.loads(s.df("SELECT signals FROM ews_alerts WHERE alert_id = ?",
                              [int(top["alert_id"])])["signals"].iloc[0])
    sec = rep.section("early_warning")
    n_open = int((al["importer"].isin(["KOR", "JPN"]) & (al["status"] != "resolved")).sum())
    assert sec.findings[0] == (f"{int(wl['importer'].isin(['KOR', 'JPN']).sum())} items watched for "
                               f"South Korea and Japan; {n_open} open alerts, {len(al)} in all.")
    assert len(ex) == n_open and ex["score"].is_monotonic_decreasing
    assert top["as_of"] == "2011-04" and top["cover_partner"] == "KOR" and top["units"] == "billion JPY"
    assert top["cover_supply_12m"] == pytest.approx(want)
    strongest = max(sig, key=lambda x: x["points"])
    assert top["drivers"].startswith(f"{strongest['signal']} ")
    assert f"Cover: South Korea supplied {want:,.1f} billion JPY" in sec.findings[1]


def test_missing_data_gives_unavailable_sections_not_a_failure(tmp_path: Path, data_dir: Path) -> None:
    with Store(tmp_path / "s.duckdb") as s:
        ingest_real(s, data_dir, "comtrade_hs2")
        before = snapshot(s)
        r = svc.pair_report(s, "KOR", "JPN")
        assert snapshot(s) == before   # the report only reads
    avail = {x.key: x.available for x in r.sections}
    assert avail["vulnerability"] and avail["complementarity"]
    # no independent total (IMF DOTS, WTO) in the store: the importers' coverage is unknown, so
    # the critical-item screens refuse to give supplier shares, and the section says why
    assert not avail["critical_items"]
    assert "unknown coverage" in " ".join(r.section("critical_items").notes)
    assert not avail["scenarios"] and not avail["decoupling"] and not avail["lng"]
    assert not avail["value_chains"]
    assert "long series not shown: source 'wiod2013' has no product-level trade" in \
        " ".join(r.section("vulnerability").notes)
    assert r.year == 2020  # the latest year comtrade_hs2 has
    assert "WIOD" in " ".join(r.section("decoupling").notes)


def test_bad_requests_name_the_problem(db: Path) -> None:
    with Store(db, read_only=True) as s:
        with pytest.raises(NotFoundError, match="unknown economy XXX"):
            svc.pair_report(s, "KOR", "XXX")
        with pytest.raises(OptionError, match="KOR twice"):
            svc.pair_report(s, "KOR", "kor")
        with pytest.raises(NotFoundError, match=r"no 1990 in the store; it has \[2019, 2020\]"):
            svc.pair_report(s, "KOR", "JPN", year=1990)
        with pytest.raises(OptionError, match="unknown sections"):
            svc.pair_report(s, "KOR", "JPN", sections=["weather"])


def test_partial_years_are_not_the_default(db: Path, tmp_path: Path) -> None:
    copy = tmp_path / "c.duckdb"
    copy.write_bytes(db.read_bytes())
    with Store(copy) as s:
        s.con.execute("INSERT INTO partial_periods VALUES (2020, NULL, 6, 'test', 'comtrade_hs2')")
        assert svc.pair_report(s, "KOR", "JPN", sections=["exposure"]).year == 2019
        s.con.execute("INSERT INTO partial_periods VALUES (2019, NULL, 6, 'test', 'comtrade_hs2')")
        with pytest.raises(NotFoundError, match="no complete year"):
            svc.pair_report(s, "KOR", "JPN")


def test_html_and_json(rep: svc.Report) -> None:
    page = render_html(rep)
    # self-contained: no scripts, nothing fetched (SVG namespace URIs are names, not requests)
    assert "<script" not in page and not re.search(r"(src|href)=.(https?:)?//|url\((?!#)", page)
    assert all(f"id='{k}'" in page for k in svc.SECTIONS)
    assert page.count("<svg") >= 4        # Figure 1, exposure, Figure 2, LNG
    assert "Japan covers South Korea: 55% of" in page
    doc = json.loads(json.dumps(svc.to_json(rep, records), default=str))
    assert [s["key"] for s in doc["sections"]] == list(svc.SECTIONS)
    assert doc["provenance"]["year"] == 2019
    scores = pd.DataFrame(doc["sections"][3]["tables"]["scores"]).set_index("direction")
    assert scores.loc["JPN covers KOR", "coverage"] == pytest.approx(0.551, abs=0.0005)


def test_cli_writes_the_report(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    r = CliRunner().invoke(app, ["--db", str(db), "report", "KOR", "JPN", "--year", "2019",
                                 "--out", str(out)])
    assert r.exit_code == 0, r.output
    assert out.exists() and re.search(r"wrote .*r\.html", r.stdout)
    r = CliRunner().invoke(app, ["--db", str(db), "report", "KOR", "ZZZ"])
    assert r.exit_code == 1 and "unknown country code 'ZZZ'" in r.output   # services.args
    js = tmp_path / "r.json"
    r = CliRunner().invoke(app, ["--db", str(db), "report", "KOR", "JPN", "--sections",
                                 "lng, exposure", "--format", "json", "--out", str(js)])
    assert r.exit_code == 0, r.output
    assert [x["key"] for x in json.loads(js.read_text())["sections"]] == ["lng", "exposure"]
    r = CliRunner().invoke(app, ["--db", str(db), "report", "--sections", "weather"])
    assert r.exit_code == 1 and "unknown sections ['weather']" in r.output


def test_pairs_outside_the_models_get_a_report(db: Path) -> None:
    # Issue 11: `report TWN VNM` (and KOR VNM, KOR SGP) crashed with "ValueError: Encountered all
    # NA values" in the scenarios section: Vietnam and Singapore are inside ROW of WIOD 2013, so
    # they have no GE row. Each section now runs for what the models have and says what is not.
    with Store(db, read_only=True) as s:
        r = svc.pair_report(s, "TWN", "VNM", sections=["scenarios", "decoupling", "value_chains",
                                                       "lng"])
    sc = r.section("scenarios")
    assert sc.available
    assert sc.findings[0].startswith("Taiwan: real income changes from")
    assert sc.findings[1].startswith("Vietnam is inside the rest of the world of the GE model; in "
                                     "the U.S. market its sales change from")
    assert any(n.startswith("VNM is not a region of the GE model") for n in sc.notes)
    eff = sc.tables["effects"]
    assert eff.loc[eff["country"] == "VNM", "real_income_pct"].isna().all()
    assert eff.loc[eff["country"] == "VNM", "us_imports_change_pct_pe"].notna().all()
    dec = r.section("decoupling")
    assert dec.available and any("Vietnam is not a region of wiod2013" in n for n in dec.notes)
    vc = r.section("value_chains")
    assert not vc.available and "VNM not a region of WIOD" in vc.notes[0]
    # EI has Taiwan's LNG imports but not Vietnam's: Taiwan is shown, Vietnam named
    ln = r.section("lng")
    assert ln.available and list(ln.tables["portfolio"]["importer"]) == ["TWN"]
    assert any("no LNG imports for VNM" in n for n in ln.notes)


def test_exposure_is_for_the_year_asked_and_never_nan(db: Path, data_dir: Path,
                                                      tmp_path: Path) -> None:
    # Issue 11: `report USA CHN --year 2019` printed "nan%" (a share with oneself) and the 2020
    # figures. Expected shares from the raw IMF DOTS file with pandas: exports to the partner /
    # exports to the World (W00), 2019.
    raw = pd.read_csv(data_dir / "trade/imf_dots_2019_2020/imf_dots_exports_2019_2020_raw_iso2.csv")
    x = raw.set_index(["from", "to"])["2019"]
    us_cn, cn_us = x["US", "CN"] / x["US", "W00"], x["CN", "US"] / x["CN", "W00"]
    with Store(db, read_only=True) as s:
        sec = svc.pair_report(s, "USA", "CHN", year=2019, sections=["exposure"]).section("exposure")
    assert sec.available
    assert sec.findings[0].startswith(f"United States 2019: exports {us_cn:.1%} to China; imports ")
    assert sec.findings[1].startswith(f"China 2019: exports {cn_us:.1%} to the United States; ")
    assert not any("nan" in f for f in sec.findings)
    assert set(sec.tables["latest"]["year"]) == {2019}
    # a year the exposure source lacks: the section says so instead of showing another year
    copy = tmp_path / "c.duckdb"
    copy.write_bytes(db.read_bytes())
    with Store(copy) as s:
        s.con.execute("DELETE FROM trade_flows WHERE source = 'imf_dots' AND year = 2019")
        sec = svc.pair_report(s, "USA", "CHN", year=2019, sections=["exposure"]).section("exposure")
    assert not sec.available and sec.notes == ("imf_dots has no 2019 for USA or CHN (it has 2020)",)


def test_empty_store_and_bad_draws_are_one_line(db: Path, tmp_path: Path) -> None:
    # Issue 11: `econsec report` on an empty store gave a StoreError traceback.
    empty = tmp_path / "empty.duckdb"
    Store(empty).close()
    with Store(empty, read_only=True) as s, pytest.raises(
            svc.ReportError, match=f"the store at {empty} is empty: run `econsec ingest` first"):
        svc.pair_report(s, "KOR", "JPN")
    r = CliRunner().invoke(app, ["--db", str(tmp_path / "none.duckdb"), "report"])
    assert r.exit_code == 1 and isinstance(r.exception, SystemExit), r.output
    assert r.output.startswith("error: no store at") and "Traceback" not in r.output
    r = CliRunner().invoke(app, ["--db", str(db), "report", "--draws", "-5"])
    assert r.exit_code == 1 and "draws: expected 0" in r.output
