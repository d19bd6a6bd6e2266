"""Every adapter on the mock data directory (``tests/fixtures/data``), in the fast tier.

The mock directory has the layout of the real data directory, a few rows per published file in
the file's own format, with synthetic (made-up) values and texts (written once by
``tests/fixtures/make_mock_data.py``; see the README there). These tests need no real data: the whole directory is ingested in one call (about
three seconds), and the adapters that have no hand-made file test of their own are checked here
against values read off the mock files by hand (each comment names the file and line).
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from econsec.cli.main import app
from econsec.sources.base import Parsed
from econsec.sources.registry import ADAPTERS, get
from tests.conftest import FIXTURES

MOCK = FIXTURES / "data"

#: Data records each adapter reads from the mock directory: the data lines of its CSV files
#: (header excluded), the rows of its Parquet files and the data rows of its sheets.
ROWS_READ = {
    "hs_concordance": 33 * 4,  # 33 package tables, 4 lines each
    "baci_codes": 10 + 4 + 11,  # countries, products, HS17 → BEC links (the readme counts 0)
    "atlas_classifications": 5 + 3 + 5,
    "baci": 10 + 8 + 4,  # the code table and the two year files
    "comtrade_hs2": 4 + 3,
    "comtrade_sme": 7,
    "imf_dots": 5,
    "wto_merchandise": 7,
    "wto_exports_groups": 4,
    "sitc2_toy": 8,
    "ecomplexity_sample": 6,
    "japan_customs": 3 + 3 + 22 + 9,  # annual exports, imports, monthly Parquet, IMF rates
    "china_monthly": 2 + 2 + 2 + 9,
    "census_hs10": 4 + 4 + 5,  # two partner files, the code mapping
    "census_partner": 4 + 3 + 3 + 5,  # workbook rows, monthly pages, tariff map, mapping
    "reciprocal_2025": 1 + 5 + 5,  # EO 14257's baseline clause, the July annex in .md and .csv
    "tariff_tracker": 76,
    "usitc_tariffs_2017": 5,
    "section301_china": 3 + 3 + 3,
    "ustr_lists_2018": 3 + 2 + 3,
    "ei_review": 20,
    "pinksheet": 5,
    "gpr": 5,
    "usgs_minerals": 50,
    "ei_minerals": 2,
    "agtpa": 18,
    "gegravity_sample": 3,
    "wiod2013": 8 + 2 + 5 + 5,  # WIOT rows, industries, countries, final-demand categories
}


def parse(name: str) -> Parsed:
    src = get(name)
    return src.parse(src.discover(MOCK))


def frame(parsed: Parsed, table: str) -> pd.DataFrame:
    t = parsed.tables[table]
    if hasattr(t, "read_all"):
        t = t.read_all()
    return t if isinstance(t, pd.DataFrame) else t.to_pandas()


def test_every_adapter_and_pattern_has_a_mock_file() -> None:
    assert set(ROWS_READ) == set(ADAPTERS)
    found: set[Path] = set()
    for name in ADAPTERS:
        src = get(name)
        for pattern in src.patterns:
            assert any(p.is_file() for p in MOCK.glob(pattern)), f"{name}: no mock file for {pattern}"
        found |= set(src.discover(MOCK))
    stray = {p for p in MOCK.rglob("*") if p.is_file() and p.name != "README.md"} - found
    assert not stray, f"mock files no adapter reads: {sorted(stray)}"


def test_the_mock_directory_ingests_in_one_call(tmp_path: Path) -> None:
    runner = CliRunner()
    args = ["--db", str(tmp_path / "s.duckdb"), "--data-dir", str(MOCK), "--json", "ingest"]
    r = runner.invoke(app, args)
    assert r.exit_code == 0, r.output
    out = {row["source"]: row for row in json.loads(r.stdout)}
    assert list(out) == list(ADAPTERS)  # registry order: reference tables first
    assert {n: row["status"] for n, row in out.items()} == dict.fromkeys(ADAPTERS, "loaded")
    assert {n: row["rows_read"] for n, row in out.items()} == ROWS_READ
    again = json.loads(runner.invoke(app, args).stdout)
    assert {row["status"] for row in again} == {"unchanged"}


def test_rows_read_of_text_files_equal_their_data_lines() -> None:
    # Independent count for the CSV files: lines minus the header (the headerless lists of the
    # tracker and the USTR descriptions have none).
    headerless = {"china-10-percent-030425.csv", "china-15-percent-030425.csv",
                  "canada-march-list.csv", "canada-steel-list.csv", "canada-125b-list.csv",
                  "descriptions.csv"}
    for name in ("baci_codes", "atlas_classifications", "comtrade_hs2", "tariff_tracker",
                 "ustr_lists_2018", "usgs_minerals"):
        parsed = parse(name)
        for f, n in parsed.rows_read.items():
            p = Path(f)
            if p.suffix == ".csv":
                lines = len(p.read_bytes().splitlines())
                assert n == lines - (p.name not in headerless), f


# --- adapters without a hand-made file test of their own ---------------------------------------

def test_atlas_hierarchy_and_locations() -> None:
    p = parse("atlas_classifications")
    pr = frame(p, "products").set_index(["classification", "code"])
    # hs92_atlas.csv: row 5000 "010111" has parent_id 650, the row of "0101"; "01" → "1"
    assert pr.loc[("HS1992_ATLAS", "010111"), ["level", "parent"]].tolist() == [6, "0101"]
    assert pr.loc[("HS1992_ATLAS", "01"), ["level", "parent"]].tolist() == [2, "1"]
    assert pd.isna(pr.loc[("HS1992_ATLAS", "1"), "parent"])  # a section: no parent
    assert pr.loc[("SITC2", "0011"), "parent"] == "00"
    loc = frame(p, "country_codes").set_index("code")["iso3"]
    # ANS "Undeclared Countries" → XNS; PCZ and the region "1" (Africa) stay without ISO3
    assert loc.fillna("-").to_dict() == {"JPN": "JPN", "KOR": "KOR", "PCZ": "-", "ANS": "XNS", "1": "-"}
    assert {(m.code, m.mapped_to) for m in p.mappings} == {("ANS", "XNS"), ("PCZ", None), ("1", None)}


def test_baci_codes_special_countries_and_bec_links() -> None:
    p = parse("baci_codes")
    iso = frame(p, "country_codes").set_index("code")["iso3"]
    # country_codes.csv prints N/A for 490 and 697: mapped on purpose
    assert (iso["490"], iso["697"], iso["410"]) == ("TWN", "XEF", "KOR")
    conc = frame(p, "concordances")
    # hs17_bec.csv: 854231 has eight BEC codes (21, 22, 41, 42, 61, 62, 63, 7), 851712 one
    ic = conc[conc["from_code"] == "854231"]
    assert sorted(ic["to_code"], key=int) == ["7", "21", "22", "41", "42", "61", "62", "63"]
    assert set(ic["relationship"]) == {"n:m"}
    assert conc.loc[conc["from_code"] == "851712", "to_code"].tolist() == ["41"]


def test_comtrade_sme_taiwan_and_re_exports() -> None:
    p = parse("comtrade_sme")
    tf = frame(p, "trade_flows")
    # line 6: reporter 490 "Other Asia, nes" (no ISO code printed), imports of 848620
    twn = tf[(tf["reporter"] == "TWN")]
    assert twn[["flow", "product", "value_usd"]].values.tolist() == [["import", "848620", 3899206545.0]]
    # line 7: a USA re-export, a memo item inside exports: not stored, reported
    assert "USA" not in set(tf["reporter"])
    assert any(m.code == "3" and m.mapped_to is None for m in p.mappings)
    kor = tf[(tf["reporter"] == "KOR")].set_index("flow")["value_usd"]
    assert kor.to_dict() == {"import": 63592963725.0, "export": 469278144.0}  # lines 4 and 5


def test_wto_export_groups() -> None:
    tf = frame(parse("wto_exports_groups"), "trade_flows").set_index(["exporter", "year"])
    # WtoData: Korea's manufactures exports 2018 = 614,245.234385 million USD; World 1990
    assert tf.loc[("KOR", 2018), "value_usd"] == pytest.approx(614_245.234385e6)
    assert tf.loc[("WLD", 1990), "value_usd"] == pytest.approx(6_169_593e6)
    assert set(tf["importer"]) == {"WLD"} and set(tf["product"]) == {"MA"}


def test_sitc2_toy_and_ecomplexity_sample() -> None:
    toy = parse("sitc2_toy")
    tf = frame(toy, "trade_flows").set_index(["exporter", "product"])
    assert tf.loc[("KOR", "7764"), "value"] == 215_907_132.9  # kor,7764 line
    assert tf.loc[("ROU", "0011"), "value"] == 8_007_043.3  # "rom" → ROU
    assert tf["value_usd"].isna().all() and set(tf["year"]) == {1999}  # unit unknown
    eco = frame(parse("ecomplexity_sample"), "trade_flows").set_index(["exporter", "year"])
    assert eco.loc[("BEL", 1995), "value_usd"] == 215_073_300.87  # "blx" → BEL
    assert eco.loc[("DEU", 1996), "value_usd"] == 976_033_056.91


def test_usitc_mfn_rates() -> None:
    t = frame(parse("usitc_tariffs_2017"), "tariffs")
    mfn = t[t["measure"] == "MFN 2017"].set_index("product")
    # sheet rows 2–6, mfn_text_rate: Free, Free, 6.6%, Free, 5.6%
    assert mfn["rate_pct"].to_dict() == {"01012100": 0.0, "01012900": 0.0, "01013000": 6.6,
                                         "01019030": 0.0, "01019040": 5.6}
    assert mfn.loc["01013000", "rate_text"] == "6.6%"


def test_gravity_panels() -> None:
    agtpa = parse("agtpa")
    g = frame(agtpa, "gravity_panel").set_index(["exporter", "importer", "year"])
    raw = pq.read_table(MOCK / "gravity/agtpa_yotov2016/agtpa_applications.parquet").to_pandas()
    assert len(g) == len(raw) == 18  # 3 × 3 pairs × 2 years
    # agtpa_applications.parquet: KOR→JPN 2,264.28 (1986) and 37,369.98 (2006)
    assert round(g.loc[("KOR", "JPN", 1986), "trade"]) == 2264
    assert round(g.loc[("KOR", "JPN", 2006), "trade"]) == 37370
    assert g.loc[("ROU", "JPN", 2006), "international"] == 1  # AGTPA's ROM
    assert {(m.field, m.code, m.mapped_to, m.rows) for m in agtpa.mappings} == {
        ("exporter", "ROM", "ROU", 6), ("importer", "ROM", "ROU", 6)}
    geg = frame(parse("gegravity_sample"), "gravity_panel").set_index("exporter")
    # sample_data_set.dlm line 2: GBR,AUS,2006,5311,124378,449213,0,0,1,8.8391,1
    assert geg.loc["GBR", ["trade", "output_y", "expenditure_e", "lndist"]].tolist() == [
        5311.0, 124378.0, 449213.0, 8.8391]
    assert geg.loc["USA", "rta"] == 1  # pta = 1


def test_wiod_cells_and_output() -> None:
    p = parse("wiod2013")
    flows = frame(p, "io_flows")
    raw = pd.read_parquet(MOCK / "io/wiod_2013/wiot_2011.parquet")
    cells = raw.drop(columns=["year", "country", "industry", "GO"])
    assert len(flows) == int((cells != 0).to_numpy().sum())  # zeros are not stored
    f = flows.set_index(["row_country", "row_sector", "col_country", "col_sector"])["value"]
    # wiot_2011: row JPN c1, columns JPN_c1 and RoW_c1; row ROM c1, column ROM_c1
    assert f[("JPN", "c1", "JPN", "c1")] == 79888.2
    assert f[("JPN", "c1", "ROW", "c1")] == 94.4
    assert f[("ROU", "c1", "ROU", "c1")] == 6673.6
    sec = frame(p, "io_sectors")
    go = sec[sec["kind"] == "industry"].set_index(["country", "sector"])["gross_output"]
    assert go[("JPN", "c1")] == 104130.2 and go[("KOR", "c2")] == 4438.8
    assert sorted(sec.loc[sec["kind"] == "final_demand", "sector"]) == [
        "CONS_g", "CONS_h", "CONS_np", "GFCF", "INVEN"]


def test_concordance_elasticities_and_upstreamness() -> None:
    p = parse("hs_concordance")
    el = frame(p, "elasticities").set_index(["country", "classification", "product", "parameter"])
    # sigma_hs0.csv line 2: AUS,010,01,92.675662955267362 (HS 3-digit, HS1992)
    assert el.loc[("AUS", "HS1992", "010", "sigma"), "value"] == 92.675662955267362
    ind = frame(p, "io_sector_indicators").set_index(["io_table", "year", "country", "sector",
                                                      "indicator"])["value"]
    # upstream.csv line 2: 1995,AUS,1.0,5.767355551927622,9.44753743,... (WIOT2013_n 1 = c1)
    assert ind[("WIOD2013", 1995, "AUS", "c1", "GVC_Ui")] == 5.767355551927622
    assert ind[("WIOD2013", 1995, "AUS", "c1", "GVC_FUGOi")] == pytest.approx(9.44753743)


def test_tracker_lists_keep_every_code() -> None:
    # Independent read of each list with the csv module: every code printed in a mock list is a
    # product of the tariffs table (dots removed; China's 8-digit lines get their leading zero back)
    t = frame(parse("tariff_tracker"), "tariffs")
    lists = MOCK / "tariffs/us_tariff_tracker_2025_2026/tariff-lists"
    checked = 0
    for f in sorted(lists.glob("*.csv")):
        if f.name == "reciprocal-tariffs-annex-I.csv":
            continue  # country rates, not product codes
        rows = list(csv.reader(f.read_text(encoding="utf-8").splitlines()))
        body = rows if rows[0][0][:1].isdigit() else rows[1:]  # some lists have no header line
        col = 1 if f.name.startswith("china-") else 0  # China's lists: number, code, name
        codes = {r[col].replace(".", "").zfill(8 if f.name.startswith("china-") else 0)
                 for r in body}
        assert len(codes) == 2 and codes <= set(t["product"]), f.name
        checked += 1
    assert checked == 26
