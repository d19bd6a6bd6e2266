"""Coverage of the default Comtrade HS2 panel against independent totals (issue 11, item 2).

18 of the 30 Comtrade reporters list exports to the other 29 reporters only, so mirror imports
undercount most economies. Every expected value here is computed with pandas straight from the
published files, by a route that shares no code with econsec:

* panel imports of c: Σ TradeValue of the raw Comtrade rows with partner c (Comtrade's reporter
  and partner "Other Asia, nes", code 490, is Taiwan); panel exports of a reporter: its World
  row (partner code 0) where it has one, else Σ over its partner economies;
* IMF DOTS, from the raw ``*_raw_iso2.csv``: imports of c = Σ of every economy's (two-letter
  ISO code) reported exports to c; exports of c = its row to ``W00`` (world); ISO3 → ISO2 from
  CEPII BACI's ``country_codes.csv`` (plus four codes BACI lacks, from ISO 3166-1);
* WTO total merchandise ("TO") where DOTS has no total (e.g. Taiwan's exports).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from econsec.cli.main import app
from econsec.errors import OptionError
from econsec.services import indicators as svc
from econsec.store import Store
from tests.conftest import ingest_real

pytestmark = pytest.mark.slow
runner = CliRunner()
YEAR = 2019


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory, data_dir: Path) -> Path:
    path = tmp_path_factory.mktemp("cov") / "s.duckdb"
    with Store(path) as s:
        ingest_real(s, data_dir, "hs_concordance", "comtrade_hs2", "imf_dots", "wto_merchandise")
    return path


@pytest.fixture(scope="module")
def raw(data_dir: Path) -> pd.DataFrame:
    files = sorted((data_dir / "trade/comtrade_hs2_2019_2020").glob(f"comtrade_hs2_exports_{YEAR}_*.csv"))
    df = pd.concat(pd.read_csv(f, dtype={"cmdCode": str, "rt3ISO": str, "pt3ISO": str},
                               keep_default_na=False, na_values=[""]) for f in files)
    df["rt3ISO"] = df["rt3ISO"].fillna("TWN")                      # reporter 490 = Taiwan
    df.loc[df["ptCode"] == 490, "pt3ISO"] = "TWN"                  # partner 490 = Taiwan
    return df


@pytest.fixture(scope="module")
def expected(raw: pd.DataFrame, data_dir: Path) -> pd.DataFrame:
    """Per economy: panel and benchmark totals and coverage, from the raw files."""
    codes = pd.read_csv(data_dir / "classifications/baci_codes_v202201/country_codes.csv",
                        keep_default_na=False, dtype=str)
    codes = codes[codes["iso_2digit_alpha"].str.fullmatch(r"[A-Z]{2}")]
    # BACI leaves out or blanks Taiwan, Namibia, the Faroes and the Holy See (ISO 3166-1 below)
    iso2 = dict(zip(codes["iso_3digit_alpha"], codes["iso_2digit_alpha"], strict=False)) | {
        "TWN": "TW", "NAM": "NA", "FRO": "FO", "VAT": "VA"}
    dots = pd.read_csv(data_dir / "trade/imf_dots_2019_2020/imf_dots_exports_2019_2020_raw_iso2.csv",
                       keep_default_na=False, dtype=str)              # "NA" is Namibia
    dots["v"] = pd.to_numeric(dots[str(YEAR)], errors="coerce") * 1e6
    economy = dots["from"].str.fullmatch(r"[A-Z]{2}") & (dots["from"] != dots["to"])
    dots_m = dots[economy].groupby("to")["v"].sum()
    dots_x = dots[dots["to"] == "W00"].set_index("from")["v"]
    wto = pd.read_csv(data_dir / "trade/wto_merchandise_product_groups_2019_2020/"
                      "wto_merchandise_values_by_product_group_2019_2020.csv",
                      keep_default_na=False, dtype=str)
    # WTO codes: CHT is Taiwan; Bonaire, Sint Eustatius and Saba (535) has no ISO3A in the file
    wto = wto[(wto["ProductCode"] == "TO") & (wto["Year"] == str(YEAR))]
    iso = wto["ReporterISO3A"].replace({"CHT": "TWN"}).mask(wto["ReporterCode"] == "535", "BES")
    wto = wto.assign(iso=iso, v=wto["Value"].astype(float) * 1e6)[iso.str.len() == 3]
    wto_m = wto[wto["Indicator"] == "Import"].set_index("iso")["v"]
    wto_x = wto[wto["Indicator"] == "Export"].set_index("iso")["v"]

    bil = raw[raw["ptCode"] != 0]
    imports = bil[bil["pt3ISO"].notna() & (bil["pt3ISO"] != bil["rt3ISO"])].groupby("pt3ISO")["TradeValue"].sum()
    world = raw[raw["ptCode"] == 0].groupby("rt3ISO")["TradeValue"].sum()
    summed = bil[bil["pt3ISO"].notna()].groupby("rt3ISO")["TradeValue"].sum()
    exports = world.combine_first(summed)
    out = pd.DataFrame({"imports": imports, "exports": exports})
    out["iso2"] = out.index.map(iso2)
    out["m_dots"] = out["iso2"].map(dots_m)
    out["m_bench"] = out["m_dots"].fillna(out.index.to_series().map(wto_m))
    out["x_bench"] = out["iso2"].map(dots_x).fillna(out.index.to_series().map(wto_x))
    # a zero total (WTO: Tokelau's imports) is no benchmark
    out["import_coverage"] = out["imports"] / out["m_bench"].where(out["m_bench"] > 0)
    out["export_coverage"] = out["exports"] / out["x_bench"].where(out["x_bench"] > 0)
    out["world_row"] = out.index.isin(world.index)
    out.attrs["world"] = float(dots_x["W00"])
    return out


def test_import_coverage_equals_raw_files_and_decides_who_is_ranked(db: Path, expected: pd.DataFrame) -> None:
    with Store(db, read_only=True) as s:
        r = svc.vulnerability(s, year=YEAR)
    cov = r.tables["coverage"].set_index("country")
    known = expected.dropna(subset=["import_coverage"])
    got = cov.loc[known.index, "import_coverage"]
    assert np.allclose(got, known["import_coverage"], rtol=1e-9), (got - known["import_coverage"]).abs().max()
    # the examples: AUT imports 18.8 bn USD in the panel, ~10 % of what its partners report
    assert cov.loc["AUT", "imports_usd"] == pytest.approx(18.8e9, rel=0.01)
    assert known.loc["AUT", "import_coverage"] < 0.11
    ranked, left = set(r.frame["country"]), r.tables["left_out"].set_index("country")
    assert {"AUT", "BLR", "IDN", "PHL", "DEU"} <= set(left.index) and not {"AUT", "BLR", "IDN", "PHL"} & ranked
    assert left.loc["AUT", "reason"] == f"import coverage {100 * known.loc['AUT', 'import_coverage']:.1f}% < 80%"
    # exactly the importers at or above 80 % of the independent total are ranked
    assert ranked == set(known.index[known["import_coverage"] >= 0.8])
    assert {"JPN", "KOR", "USA", "CHN"} <= ranked
    assert sorted(r.frame["rank"]) == list(range(1, len(ranked) + 1))
    assert (r.frame["import_coverage"] >= 0.8).all()
    n_below = int((known.loc[known.index.isin(cov.index), "import_coverage"] < 0.8).sum())
    assert f"{n_below} of {len(cov)} importers left out: import coverage below 80% of the independent total" \
        in r.coverage
    # economies the raw files give no independent total for are left out as "unknown"
    unknown = set(cov.index[cov["import_coverage"].isna() & (cov["imports_usd"] > 0)])
    assert unknown and unknown <= set(left.index)
    assert not unknown & set(known.index)


def test_zero_min_coverage_ranks_every_importer_and_warns(db: Path) -> None:
    with Store(db, read_only=True) as s:
        r = svc.vulnerability(s, year=YEAR, min_coverage=0)
    assert len(r.frame) == len(r.tables["coverage"][r.tables["coverage"]["imports_usd"] > 0])
    assert "AUT" in set(r.frame["country"]) and r.tables["left_out"].empty
    assert any(c.startswith("coverage rule off:") for c in r.coverage)
    with Store(db, read_only=True) as s, pytest.raises(OptionError, match="min_coverage"):
        svc.vulnerability(s, year=YEAR, min_coverage=1.2)


def test_exposure_leaves_out_economies_the_panel_barely_sees(db: Path, expected: pd.DataFrame) -> None:
    with Store(db, read_only=True) as s:
        r = svc.exposure(s, source="comtrade_hs2")
    f = r.frame[r.frame["year"] == YEAR].set_index("country")
    lo = r.tables["left_out"]
    lo = lo[lo["year"] == YEAR].set_index("country")
    left = set(lo.index)
    aut = 100 * expected.loc["AUT", "import_coverage"]
    assert lo.loc["AUT", "reason"] == f"import coverage {aut:.1f}% < 80%; no exports in the source"
    # issue: 0 % imports from both the U.S. and China for IDN, PHL, AUT: no longer shown
    assert {"IDN", "PHL", "AUT"} <= left and not {"IDN", "PHL", "AUT"} & set(f.index)
    # every import share shown rests on ≥ 80 % import coverage; the coverage is the raw files'
    shown = f[f["import_share_USA"].notna()]
    assert (shown["import_coverage"] >= 0.8).all()
    both = f.index.intersection(expected.dropna(subset=["import_coverage"]).index)
    assert np.allclose(f.loc[both, "import_coverage"], expected.loc[both, "import_coverage"], rtol=1e-9)
    # China's exports in the file are 79.9 % of its DOTS total (partners' list only): shares empty
    assert expected.loc["CHN", "export_coverage"] == pytest.approx(f.loc["CHN", "export_coverage"], rel=1e-9)
    assert expected.loc["CHN", "export_coverage"] < 0.8 and np.isnan(f.loc["CHN", "export_share_USA"])
    # Japan reports a World row: its export shares stay, import shares too (81.7 %)
    assert f.loc["JPN", "export_share_USA"] > 0 and f.loc["JPN", "import_share_CHN"] > 0


def test_complexity_only_over_complete_export_baskets(db: Path, expected: pd.DataFrame) -> None:
    with Store(db, read_only=True) as s:
        r = svc.competitiveness(s, year=YEAR)
        with pytest.raises(OptionError, match=r"DEU's exports in comtrade_hs2 2019 are 76\.0% .* below min_coverage 80%"):
            svc.competitiveness(s, year=YEAR, country="DEU")
        kor = svc.competitiveness(s, year=YEAR, country="KOR")
        biased = svc.competitiveness(s, year=YEAR, min_coverage=0)
    rep = expected[expected["exports"] > 0]
    complete = set(rep.index[rep["world_row"] | (rep["export_coverage"] >= 0.8)])
    # 12 reporters with a World row, plus CAN, CHE, GBR, KOR and USA at ≥ 80 % of DOTS
    assert len(complete) == 17 and {"CAN", "CHE", "GBR", "KOR", "USA"} <= complete
    rank = r.frame.set_index("country")
    assert set(rank.index) == complete
    assert sorted(rank["rank"]) == list(range(1, 18)) and rank["exports_usd"].is_monotonic_decreasing
    assert {"CHN", "DEU", "NLD", "FRA", "ITA"} <= set(r.tables["left_out"]["country"])
    # they hold 38 % of world exports (DOTS): ECI and PCI, which place exporters and products in
    # the world's product space, are withheld rather than ranked on a third of the world
    share = rep.loc[sorted(complete), "exports"].sum() / expected.attrs["world"]
    assert 0.3 < share < 0.8
    assert any(c.startswith("17 exporters with complete export baskets") and f"they export {share:.0%} of "
               "world exports" in c for c in r.coverage)
    assert any(c.startswith("ECI/PCI not shown") for c in r.coverage) and rank["eci"].isna().all()
    assert any(c.startswith("ECI/PCI not shown") for c in kor.coverage) and kor.frame["pci"].isna().all()
    assert kor.frame["rca"].notna().any()              # the rest of KOR's table is there
    # rule off: all 30 reporters ranked with ECI, and the output says it is biased
    assert len(biased.frame) == 30 and biased.frame["eci"].notna().all()
    assert any(re.search(r"BIASED: 13 of them have incomplete export baskets", c) for c in biased.coverage)


def test_cli_option_and_json(db: Path) -> None:
    r = runner.invoke(app, ["--db", str(db), "vulnerability", "--year", str(YEAR), "--format", "json"])
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    assert "AUT" not in {x["country"] for x in doc["rows"]}
    assert "AUT" in {x["country"] for x in doc["tables"]["left_out"]}
    assert all(x["import_coverage"] >= 0.8 for x in doc["rows"])
    r = runner.invoke(app, ["--db", str(db), "vulnerability", "--year", str(YEAR), "--min-coverage", "0",
                            "--format", "json"])
    assert "AUT" in {x["country"] for x in json.loads(r.stdout)["rows"]}
    r = runner.invoke(app, ["--db", str(db), "competitiveness", "--year", str(YEAR), "--country", "DEU"])
    assert r.exit_code == 1 and "below min_coverage 80%" in r.stderr
    r = runner.invoke(app, ["--db", str(db), "exposure", "--source", "comtrade_hs2", "--min-coverage", "2"])
    assert r.exit_code == 2


def test_without_a_benchmark_nothing_is_ranked_and_the_notes_say_why(tmp_path: Path, data_dir: Path) -> None:
    with Store(tmp_path / "s.duckdb") as s:
        ingest_real(s, data_dir, "comtrade_hs2")
        r = svc.vulnerability(s, year=YEAR)
        r0 = svc.vulnerability(s, year=YEAR, min_coverage=0)
        c = svc.competitiveness(s, year=YEAR)
        e = svc.exposure(s, source="comtrade_hs2")
    assert r.frame.empty and len(r.tables["left_out"]) == len(r0.frame)
    # the 12 reporters with a World row are complete by construction; ECI needs a world total
    assert len(c.frame) == 12 and c.frame["eci"].isna().all()
    assert any("their share of world exports is unknown" in n for n in c.coverage)
    assert (e.frame["import_share_USA"].isna()).all() and e.frame["export_share_USA"].notna().any()
    assert any("none for 2019: ingest a benchmark source" in c for c in r.coverage)
    assert any("import coverage unknown" in c for c in r.coverage)


def test_critical_items_state_and_enforce_importer_coverage(db: Path, expected: pd.DataFrame) -> None:
    """Supplier shares of an importer whose mirror imports are a tenth of its trade are refused;
    a covered importer's notes give its ratio; a bloc's notes give every member's."""
    aut = expected.loc["AUT", "import_coverage"]
    kor = expected.loc["KOR", "import_coverage"]
    with Store(db, read_only=True) as s:
        with pytest.raises(OptionError, match=re.escape(f"AUT's imports in comtrade_hs2 {YEAR} are "
                                                        f"{aut:.1%} of its imf_dots total")):
            svc.critical_items(s, "AUT", year=YEAR)
        opened = svc.critical_items(s, "AUT", year=YEAR, min_coverage=0)
        assert f"import coverage: AUT {aut:.1%} of imf_dots" in opened.coverage
        r = svc.critical_items(s, "KOR", year=YEAR)
        assert f"import coverage: KOR {kor:.1%} of imf_dots" in r.coverage
        members = ["DEU", "AUT", "FRA"]
        # the bloc's coverage: members' panel imports over their DOTS totals, summed (raw files)
        e = expected.loc[members]
        bloc = e["imports"].sum() / e["m_bench"].sum()
        assert bloc < 0.8
        with pytest.raises(OptionError, match=re.escape(f"DAF's imports in comtrade_hs2 {YEAR} are "
                                                        f"{bloc:.1%} of its members' independent total")):
            svc.critical_items(s, "DAF", year=YEAR, bloc=members)
        b = svc.critical_items(s, "DAF", year=YEAR, bloc=members, min_coverage=0.5)
    assert f"DAF import coverage: {bloc:.1%} of its members' independent totals" in b.coverage
    note = next(n for n in b.coverage if n.startswith("DAF members' import coverage"))
    for m in members:
        assert f"{m} {expected.loc[m, 'import_coverage']:.1%} of imf_dots" in note
    n_low = int((e["import_coverage"] < 0.5).sum())
    assert f"{n_low} of 3 below 50%" in note


def test_world_share_is_over_the_independent_world_total(db: Path, expected: pd.DataFrame) -> None:
    """World shares divide by IMF DOTS world exports (W00 → world in the raw file), not by the
    exports of the 233 economies a mirror panel happens to hold."""
    with Store(db, read_only=True) as s:
        r = svc.competitiveness(s, year=YEAR)
    got = r.frame.set_index("country")["world_share"]
    want = expected.loc[got.index, "exports"] / expected.attrs["world"]
    assert np.allclose(got, want, rtol=1e-9)
    assert f"world exports {expected.attrs['world']:,.0f} USD" in " ".join(r.coverage)
